//! Translations of events and pages: `<stem>.<lang>.md` beside
//! `<stem>.md`, for a language of `languages:` other than the default.
//! A translation gives the fields the schema marks `translatable` (and
//! `translator`, its credit) and, when not empty, a body of its own; any
//! other field it repeats must keep the original's value. Which files are
//! translations (`split`), and reading one against its original (`read`).

use crate::config::Config;
use crate::content::body_links::LinkWalker;
use crate::content::markdown::{self, Body};
use crate::content::schema;
use crate::diagnostic::{Diagnostic, Pos, display_path};
use crate::source::load::{self, Section};
use crate::source::parse::{self, Document};
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A translation file found while listing, not read yet.
#[derive(Debug, Clone)]
pub struct Pending {
    pub section: Section,
    /// Relative to the site folder.
    pub rel: PathBuf,
    pub lang: String,
    /// The original it translates (relative), when it exists.
    pub original: Option<PathBuf>,
}

/// A translation read and checked against its original.
#[derive(Debug, Clone)]
pub struct Translation {
    pub lang: String,
    pub section: Section,
    /// The original's path as the records keep it (`Event::source_path`,
    /// a page's `slug_at.path`).
    pub original: PathBuf,
    pub title: Option<String>,
    /// An event's `summary`, a page's `description`.
    pub summary: Option<String>,
    pub location: Option<String>,
    pub translator: Option<String>,
    /// The translated body, when the file has one.
    pub body: Option<Arc<Body>>,
    /// The file's text and where its body starts, to render the body
    /// again for an edition that leaves some events out.
    source: Option<(PathBuf, Arc<str>, usize)>,
}

impl Translation {
    /// The body rendered for the edition of `config` (which may send some
    /// links to the default language, see [`crate::config::Elsewhere`]).
    pub fn body_for(&self, config: &Config) -> Option<Arc<Body>> {
        let (path, text, offset) = self.source.as_ref()?;
        if config.elsewhere.is_none() {
            return self.body.clone();
        }
        let mut walker = LinkWalker::new(path, text, *offset, config.base_path())
            .leaving_out(config.elsewhere.as_deref());
        let body = text.get(*offset..)?;
        markdown::render_body_visiting(body, config.unsafe_html, &mut |a, r| walker.visit(a, r))
            .ok()
            .map(Arc::new)
    }
}

/// Why a content file that failed as an event or page may not be one: it
/// is named `<stem>.<code>.md` beside its original (one of `files`, the
/// files listed as originals), with `code` shaped like a language tag but
/// neither the site's language nor one of `languages:` (a translation of a
/// language taken out of `languages:`, or never put in), so it was read
/// as an event or page of its own.
pub fn unlisted_language_note(
    config: &Config,
    rel: &Path,
    files: &HashSet<&Path>,
) -> Option<String> {
    let (code, originals) = named_translation(rel)?;
    if !crate::config::languages::is_valid_code(code)
        || code == config.language
        || config.other_languages().any(|l| l.code == code)
    {
        return None;
    }
    let original = originals
        .into_iter()
        .find(|c| files.contains(c.as_path()))?;
    let name = rel.file_name()?.to_str()?;
    Some(format!(
        "`{name}` is named as a translation of `{}` into `{code}`, which `languages` in site.yaml does not list, so it is read as an event or page of its own; list `{code}` under `languages` if it is a translation",
        original
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    ))
}

/// The language of a file named `<stem>.<lang>.md` when `lang` is one of
/// `langs`, and the names its original may have.
fn language_of<'l>(rel: &Path, langs: &[&'l str]) -> Option<(&'l str, Vec<PathBuf>)> {
    let (code, originals) = named_translation(rel)?;
    let lang = *langs.iter().find(|l| **l == code)?;
    Some((lang, originals))
}

/// For a file named `<stem>.<code>.<ext>`, whatever `code` is: `code` and
/// the names its original may have (`<stem>.<ext>`, `.md`, `.markdown`,
/// beside it).
fn named_translation(rel: &Path) -> Option<(&str, Vec<PathBuf>)> {
    let name = rel.file_name()?.to_str()?;
    let (stem, ext) = name.rsplit_once('.')?;
    let (original_stem, code) = stem.rsplit_once('.')?;
    let dir = rel.parent().unwrap_or(Path::new(""));
    let originals = [ext, "md", "markdown"]
        .iter()
        .map(|e| dir.join(format!("{original_stem}.{e}")))
        .collect();
    Some((code, originals))
}

/// Splits listed content files into the originals and the translations
/// (of events and pages, in a language of `langs`, the non-default ones).
pub fn split(
    files: Vec<(Section, PathBuf)>,
    langs: &[&str],
) -> (Vec<(Section, PathBuf)>, Vec<Pending>) {
    if langs.is_empty() {
        return (files, Vec::new());
    }
    let all: HashSet<PathBuf> = files.iter().map(|(_, rel)| rel.clone()).collect();
    let mut originals = Vec::new();
    let mut pending = Vec::new();
    for (section, rel) in files {
        let found = match section {
            Section::Events | Section::Pages => language_of(&rel, langs),
            Section::Periods => None,
        };
        match found {
            Some((lang, candidates)) => pending.push(Pending {
                section,
                lang: lang.to_string(),
                original: candidates.into_iter().find(|c| all.contains(c)),
                rel,
            }),
            None => originals.push((section, rel)),
        }
    }
    (originals, pending)
}

/// Reads the translation `t` and checks it against its original; its
/// body is rendered for the edition of `edition_config`.
pub fn read(
    site_dir: &Path,
    t: &Pending,
    edition_config: &Config,
) -> Result<Result<Translation, Vec<Diagnostic>>, crate::error::Error> {
    let file = load::read(site_dir, &t.rel)?;
    let Some(original_rel) = &t.original else {
        let stem = t
            .rel
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.split('.').next())
            .unwrap_or("");
        let d = Diagnostic::new(
            &file.shown,
            Pos::new(1, 1),
            format!(
                "a translation into `{}` without its original: there is no {}",
                t.lang,
                display_path(&file.shown.with_file_name(format!("{stem}.md")))
            ),
        )
        .with_width(3)
        .with_hint(format!(
            "put `{stem}.{}.md` beside the file it translates, named like it (`{stem}.md`)",
            t.lang
        ));
        return Ok(Err(vec![d]));
    };
    let doc = match parse::parse(&file) {
        Ok(doc) => doc,
        Err(d) => return Ok(Err(vec![d])),
    };
    let original_file = load::read(site_dir, original_rel)?;
    // An original that does not parse is reported as itself.
    let Ok(original) = parse::parse(&original_file) else {
        return Ok(Err(Vec::new()));
    };
    Ok(check(
        t,
        &file.shown,
        &doc,
        &original_file.shown,
        &original,
        edition_config,
    ))
}

fn check(
    t: &Pending,
    path: &Path,
    doc: &Document,
    original_path: &Path,
    original: &Document,
    config: &Config,
) -> Result<Translation, Vec<Diagnostic>> {
    let mut c = Checker::new(doc, path);
    let map: &[(String, Yaml)] = match &doc.front {
        Yaml::Map(m) => m,
        Yaml::Null => &[],
        _ => {
            c.at_top("the front matter must be a mapping");
            return Err(c.diagnostics);
        }
    };
    let empty = Vec::new();
    let original_map = match &original.front {
        Yaml::Map(m) => m,
        _ => &empty,
    };
    let (keys, translatable): (Vec<&str>, Vec<&str>) = match t.section {
        Section::Pages => (
            schema::PAGE_KEYS.to_vec(),
            schema::PAGE_TRANSLATABLE.to_vec(),
        ),
        _ => (
            schema::NAMES.clone(),
            schema::FIELDS
                .iter()
                .filter(|f| f.translatable)
                .map(|f| f.name)
                .collect(),
        ),
    };
    let allowed: Vec<&str> = keys
        .iter()
        .chain(schema::TRANSLATION_KEYS)
        .copied()
        .collect();
    c.check_keys(map, &allowed, &[], "translation front matter");
    let mut out = Translation {
        lang: t.lang.clone(),
        section: t.section,
        original: original_path.to_path_buf(),

        title: None,
        summary: None,
        location: None,
        translator: None,
        body: None,
        source: None,
    };
    let shown = display_path(original_path);
    for (key, value) in map {
        if !allowed.contains(&key.as_str()) {
            continue;
        }
        let at = [Seg::Key(key)];
        if translatable.contains(&key.as_str()) || schema::TRANSLATION_KEYS.contains(&key.as_str())
        {
            let text = c.text(value, &at);
            match key.as_str() {
                "title" => out.title = text,
                "summary" | "description" => out.summary = text,
                "location" => out.location = text,
                "translator" => out.translator = text,
                _ => {}
            }
            continue;
        }
        let theirs = original_map.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        if theirs == Some(value) {
            continue;
        }
        let said = match theirs {
            Some(v) => {
                let line = original.key_pos(&at).0.line;
                format!("the original ({shown}:{line}) says {}", inline(v))
            }
            None => format!("the original ({shown}) does not set it"),
        };
        c.at_value(&at, format!("a translation cannot change `{key}`: {said}"))
            .hint = Some(format!(
            "a translation gives only {} (and its body); remove `{key}` here, or change it in the original",
            translatable
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !doc.body().trim().is_empty() {
        let mut walker = LinkWalker::new(path, &doc.text, doc.body_offset(), config.base_path());
        let rendered =
            markdown::render_body_visiting(doc.body(), config.unsafe_html, &mut |a, r| {
                walker.visit(a, r)
            });
        c.diagnostics.append(&mut walker.found.errors);
        match rendered {
            Ok(body) => {
                out.body = Some(Arc::new(body));
                out.source = Some((
                    path.to_path_buf(),
                    Arc::from(doc.text.as_str()),
                    doc.body_offset(),
                ));
            }
            Err(deep) => c.too_deep(deep),
        }
    }
    if c.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(c.diagnostics)
    }
}

/// The body of the page at `path` rendered again for the edition of
/// `config`, so its site links lead into that edition (a page's body is
/// otherwise rendered once, for the default language); `None` when the
/// file cannot be read again as it was.
pub fn page_body_for(path: &Path, config: &Config) -> Option<String> {
    let file = crate::source::load::SourceFile {
        rel: path.to_path_buf(),
        shown: path.to_path_buf(),
        bytes: load::read_bytes(path).ok()?,
    };
    let doc = parse::parse(&file).ok()?;
    let mut walker = LinkWalker::new(path, &doc.text, doc.body_offset(), config.base_path())
        .leaving_out(config.elsewhere.as_deref());
    markdown::render_visiting(doc.body(), config.unsafe_html, &mut |a, r| {
        walker.visit(a, r)
    })
    .ok()
}

/// A YAML value on one line, as the error shows the original's.
fn inline(v: &Yaml) -> String {
    match v {
        Yaml::Null => "nothing".into(),
        Yaml::Seq(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        Yaml::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}: {}", inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.scalar_text().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_beside_its_original_with_a_language_shaped_code_gets_the_note() {
        let config = Config::default();
        let files: Vec<PathBuf> = ["e/x.md", "e/x.ko.md", "e/x.pt-br.md", "e/x.v2.md"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let listed: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
        let note = |rel: &str| unlisted_language_note(&config, Path::new(rel), &listed);
        assert!(note("e/x.ko.md").is_some_and(|n| n.contains("into `ko`") && n.contains("`x.md`")));
        assert!(note("e/x.pt-br.md").is_some_and(|n| n.contains("into `pt-br`")));
        for none in [
            "e/x.v2.md",     // not shaped like a language
            "e/x.final.md",  // too long for a language
            "e/x.en.md",     // the site's own language
            "e/y.ko.md",     // no original beside it
            "e/x.md",        // not named as a translation
            "other/x.ko.md", // its original is in another folder
        ] {
            assert_eq!(note(none), None, "{none}");
        }
    }
}
