//! Themes: the default theme compiled into the binary, overridden file by
//! file from the site's `themes/<name>/` and `templates/` folders; and the
//! fingerprinted names of its stylesheet and scripts.

use crate::urls::SitePaths;
use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's name, its text, and where it came from (for diagnostics).
pub struct TemplateFile {
    pub name: String,
    pub text: String,
    pub origin: PathBuf,
}

/// A static file to copy to the output: relative path, bytes, and where it
/// came from (for diagnostics).
pub struct StaticFile {
    pub rel: String,
    pub bytes: Vec<u8>,
    pub origin: PathBuf,
}

fn embedded_files(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

/// Files under `root` with their path below it, skipping hidden files and
/// any symlink that leads outside the site folder (a link must not pull in
/// files from elsewhere); skipped links are added to `skipped`.
fn disk_files(
    root: &Path,
    site: &Path,
    skipped: &mut Vec<String>,
) -> Result<Vec<(String, PathBuf)>, crate::error::Error> {
    // Hidden folders such as `.well-known/` are published; hidden files not.
    let walk = crate::source::walk::files(root, site, |e| {
        e.file_type().is_dir() || !e.file_name().to_string_lossy().starts_with('.')
    })?;
    skipped.extend(walk.skipped);
    Ok(walk
        .files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            (rel.to_string_lossy().replace('\\', "/"), path.clone())
        })
        .collect())
}

fn upsert<T>(list: &mut Vec<T>, item: T, same: impl Fn(&T) -> bool) {
    match list.iter_mut().find(|x| same(x)) {
        Some(slot) => *slot = item,
        None => list.push(item),
    }
}

/// The translation files of `lang` and of English, highest priority
/// first: the site's `i18n/<lang>.ftl`, the theme's
/// `themes/<name>/i18n/<lang>.ftl`, the built-in file. A missing key
/// belongs in the site's file.
pub fn translations(
    site: &Path,
    theme: &str,
    lang: &str,
) -> Result<crate::i18n::Files, crate::error::Error> {
    let paths = SitePaths::new(site);
    let layers = |lang: &str| -> Result<Vec<crate::i18n::Source>, crate::error::Error> {
        let mut list = Vec::new();
        list.extend(crate::i18n::read_file(&paths.i18n(), lang)?);
        list.extend(crate::i18n::read_file(
            &paths.theme(theme).join(SitePaths::I18N),
            lang,
        )?);
        list.extend(crate::i18n::builtin(lang));
        Ok(list)
    };
    Ok(crate::i18n::Files {
        lang: layers(lang)?,
        english: layers(crate::i18n::FALLBACK)?,
        missing_in: paths.i18n().join(format!("{lang}.ftl")),
    })
}

/// The built-in theme's template `name` (`partials/event-item.html`).
pub fn builtin_template(name: &str) -> Option<&'static str> {
    DEFAULT_THEME
        .get_file(format!("templates/{name}"))
        .and_then(|f| f.contents_utf8())
}

/// The theme folder on disk, when the site has one.
pub fn site_theme_dir(site: &Path, theme: &str) -> PathBuf {
    SitePaths::new(site).theme(theme)
}

/// All templates: built-in first, then the site theme's, then `templates/`.
/// Symlinks leading outside the site are skipped and added to `skipped`.
pub fn templates(
    site: &Path,
    theme: &str,
    skipped: &mut Vec<String>,
) -> Result<Vec<TemplateFile>, crate::error::Error> {
    let mut list: Vec<TemplateFile> = Vec::new();
    let mut embedded = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut embedded);
    for (path, bytes) in embedded {
        if let Some(name) = path.strip_prefix("templates/") {
            list.push(TemplateFile {
                name: name.to_string(),
                text: String::from_utf8_lossy(bytes).into_owned(),
                origin: SitePaths::theme_folder("default")
                    .join(SitePaths::TEMPLATES)
                    .join(name),
            });
        }
    }
    let layers = [
        site_theme_dir(site, theme).join(SitePaths::TEMPLATES),
        SitePaths::new(site).templates(),
    ];
    for layer in layers {
        for (name, path) in disk_files(&layer, site, skipped)? {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                crate::error::Error::io(format!("cannot read {}", path.display()), e)
            })?;
            upsert(
                &mut list,
                TemplateFile {
                    name: name.clone(),
                    text,
                    origin: path,
                },
                |t| t.name == name,
            );
        }
    }
    Ok(list)
}

/// All static files: built-in theme, site theme, then the site's `static/`
/// (a later layer overrides an earlier one file by file). Symlinks leading
/// outside the site are skipped and added to `skipped`.
pub fn static_files(
    site: &Path,
    theme: &str,
    skipped: &mut Vec<String>,
) -> Result<Vec<StaticFile>, crate::error::Error> {
    let mut list: Vec<StaticFile> = Vec::new();
    let mut embedded = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut embedded);
    for (path, bytes) in embedded {
        if let Some(rel) = path.strip_prefix("static/") {
            list.push(StaticFile {
                rel: rel.to_string(),
                bytes: bytes.to_vec(),
                origin: SitePaths::theme_folder("default")
                    .join(SitePaths::STATIC)
                    .join(rel),
            });
        }
    }
    let layers = [
        site_theme_dir(site, theme).join(SitePaths::STATIC),
        SitePaths::new(site).statics(),
    ];
    for layer in layers {
        for (rel, path) in disk_files(&layer, site, skipped)? {
            let bytes = std::fs::read(&path).map_err(|e| {
                crate::error::Error::io(format!("cannot read {}", path.display()), e)
            })?;
            upsert(
                &mut list,
                StaticFile {
                    rel: rel.clone(),
                    bytes,
                    origin: path,
                },
                |s| s.rel == rel,
            );
        }
    }
    add_fingerprinted(&mut list);
    Ok(list)
}

/// The theme's stylesheet and scripts, which pages link to by a name that
/// holds a hash of their content (`assets/annals.1a2b3c4d.css`): a changed
/// file gets a new name, so a published copy can be cached for good. None
/// of them loads another by name (`archive.js` loads the search index,
/// which is not fingerprinted, from the address the page gives it).
pub const FINGERPRINTED: [&str; 4] = [
    crate::urls::STYLESHEET,
    crate::urls::SCRIPT,
    crate::urls::SEARCH_SCRIPT,
    crate::urls::ARCHIVE_SCRIPT,
];

/// `assets/annals.css` with `bytes` → `assets/annals.<8 hex>.css`: the
/// first 32 bits of the content's XXH3, stable across builds and releases.
pub fn fingerprinted_name(plain: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
    let hash = &hash[..8];
    match plain.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{plain}.{hash}"),
    }
}

/// Published name of each fingerprinted asset present in `statics`.
pub fn asset_names(statics: &[StaticFile]) -> std::collections::BTreeMap<String, String> {
    statics
        .iter()
        .filter(|f| FINGERPRINTED.contains(&f.rel.as_str()))
        .map(|f| (f.rel.clone(), fingerprinted_name(&f.rel, &f.bytes)))
        .collect()
}

/// Adds a copy of each fingerprinted asset under its fingerprinted name.
/// The plain name stays too, for templates of a site that name it.
fn add_fingerprinted(list: &mut Vec<StaticFile>) {
    let copies: Vec<StaticFile> = list
        .iter()
        .filter(|f| FINGERPRINTED.contains(&f.rel.as_str()))
        .map(|f| StaticFile {
            rel: fingerprinted_name(&f.rel, &f.bytes),
            bytes: f.bytes.clone(),
            origin: f.origin.clone(),
        })
        .collect();
    for copy in copies {
        let rel = copy.rel.clone();
        upsert(list, copy, |s| s.rel == rel);
    }
}
