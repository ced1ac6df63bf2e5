//! Media stage, between the model and the pages: finds every local file
//! the events' `media` name and every file of a page bundle, learns each
//! file's size and type and each image's pixel size, resizes raster images
//! into the widths of a responsive `srcset` ([`images`]), and records
//! these facts in `Site::media` so pages and exports can show them. It
//! also lists what it publishes ([`Published`]); [`write`] puts those
//! files into the output once the pages are written.
//!
//! Resized copies are kept in a cache folder beside the output (never
//! inside it, so never deployed), named by the original's content hash and
//! the width, so a rebuild resizes only new or changed images; a build
//! removes the copies of images no longer shown.

pub mod address;
pub mod images;

use crate::content::event::Event;
use crate::content::media::{FileFacts, MediaKind, MediaSrc, Place};
use crate::diagnostic::{Diagnostic, Located};
use crate::error::Error;
use crate::model::Site;
use crate::output::Sink;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What this run makes of the images.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Resize into `cache` (made when missing) and publish the copies.
    Build { cache: PathBuf },
    /// Check that every image decodes, reading `cache` when it knows an
    /// image, writing nothing (`annals check`).
    Check { cache: PathBuf },
}

impl Mode {
    fn cache(&self) -> &Path {
        match self {
            Mode::Build { cache } | Mode::Check { cache } => cache,
        }
    }
}

/// The cache folder of resized images for the output folder `out`:
/// `.<out>.annals-media-cache` beside it.
pub fn cache_for(out: &Path) -> PathBuf {
    crate::output::outdir::sibling(out, "annals-media-cache")
}

/// Where a published file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyFrom {
    /// A file of the site (a bundle's file), copied.
    Source(PathBuf),
    /// A resized copy in the cache, linked when the output allows.
    Cache(PathBuf),
    /// Nothing: `check` only needs the path to exist.
    Nothing,
}

/// One file the media stage publishes.
#[derive(Debug, Clone)]
pub struct Published {
    /// Its path in the output.
    pub rel: String,
    pub from: CopyFrom,
    /// The file that asks for it, for collision errors.
    pub origin: PathBuf,
}

/// What the media stage learns of one file: its facts and its copies.
type Learnt = (PathBuf, FileFacts, Vec<Published>);

/// One local file to learn about, with the first place that names it.
struct Wanted<'e> {
    path: &'e Path,
    image: bool,
    at: &'e Located,
}

/// Learns about every local media file of `site`'s events and records it
/// in `site.media`; returns what to publish (bundle files, resized
/// copies), sorted by output path. Files that cannot be read as what they
/// claim to be are content errors, located where `media` names them.
pub fn prepare(site: &mut Site, mode: &Mode) -> Result<Vec<Published>, Error> {
    let mut wanted: BTreeMap<&Path, Wanted> = BTreeMap::new();
    for e in &site.events {
        for m in e.media() {
            if let MediaSrc::Local { path, .. } = &m.src {
                let w = wanted.entry(path.as_path()).or_insert(Wanted {
                    path,
                    image: false,
                    at: &m.at,
                });
                w.image |= m.kind == MediaKind::Image;
            }
        }
    }
    let wanted: Vec<Wanted> = wanted.into_values().collect();
    if matches!(mode, Mode::Build { .. }) && wanted.iter().any(|w| w.image) {
        std::fs::create_dir_all(mode.cache()).map_err(|e| {
            Error::io(
                format!("cannot make the media cache {}", mode.cache().display()),
                e,
            )
        })?;
    }
    let learnt: Vec<Result<Learnt, Diagnostic>> =
        wanted.par_iter().map(|w| learn(w, mode)).collect();
    let mut facts = HashMap::new();
    let mut published = Vec::new();
    let mut problems = Vec::new();
    for r in learnt {
        match r {
            Ok((path, f, copies)) => {
                facts.insert(path, f);
                published.extend(copies);
            }
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        crate::diagnostic::sort(&mut problems);
        return Err(Error::Content(problems));
    }
    for e in &site.events {
        published.extend(beside_files(e)?);
    }
    if matches!(mode, Mode::Check { .. }) {
        for p in &mut published {
            p.from = CopyFrom::Nothing;
        }
    }
    published.sort_by(|a, b| a.rel.cmp(&b.rel));
    published.dedup_by(|a, b| a.rel == b.rel);
    if let Mode::Build { cache } = mode {
        let used: std::collections::HashSet<String> = facts
            .values()
            .filter(|f| f.image.is_some())
            .map(|f| format!("{:016x}", f.hash))
            .collect();
        prune(cache, &used);
    }
    site.media = facts;
    Ok(published)
}

/// Removes from the cache the copies of images no event shows any more
/// (and temporary files of killed builds), so it does not grow forever.
/// A file that cannot be removed is left: the cache is only a cache.
fn prune(cache: &Path, used: &std::collections::HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let hash = name.get(..16).unwrap_or("");
        let temporary = name.contains(".tmp.");
        if (temporary || !used.contains(hash)) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The facts of one file, and its resized copies for an image.
fn learn(w: &Wanted, mode: &Mode) -> Result<Learnt, Diagnostic> {
    let shown = w.path.display().to_string();
    let name = w
        .path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let meta = std::fs::metadata(w.path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            "the file is gone: put it back beside the event (or in static/), or remove the item"
        } else {
            "check the file's permissions"
        };
        w.at.diagnostic(format!("cannot read media file `{name}`: {e}"))
            .with_hint(hint)
    })?;
    let mime = crate::content::media::mime_of(&shown);
    if !w.image {
        let facts = FileFacts {
            bytes: meta.len(),
            mime,
            hash: 0,
            image: None,
        };
        return Ok((w.path.to_path_buf(), facts, Vec::new()));
    }
    let (facts, copies) = images::process(w.path, meta.len(), mime, mode).map_err(|why| {
        w.at.diagnostic(format!("cannot read image `{name}`: {why}"))
            .with_hint("save it again as JPEG, PNG, WebP, GIF or SVG; the file may be damaged or not an image")
    })?;
    let copies = copies
        .into_iter()
        .map(|(rel, from)| Published {
            rel,
            from,
            origin: w.at.path.to_path_buf(),
        })
        .collect();
    Ok((w.path.to_path_buf(), facts, copies))
}

/// The files an event publishes in its own output folder: every media
/// file written beside it, and for a page bundle (`<folder>/index.md`)
/// every other file of the folder, Markdown, hidden files and nested
/// bundles left out.
fn beside_files(e: &Event) -> Result<Vec<Published>, Error> {
    let mut out: Vec<Published> = e
        .media()
        .iter()
        .filter_map(|m| match &m.src {
            MediaSrc::Local {
                path,
                place: Place::Beside(rel),
            } => Some(Published {
                rel: crate::urls::event_file(&e.slug, rel),
                from: CopyFrom::Source(path.clone()),
                origin: e.source_path().to_path_buf(),
            }),
            _ => None,
        })
        .collect();
    let Some(folder) = bundle_folder(e.source_path()) else {
        return Ok(out);
    };
    let walk = crate::source::walk::files(folder, folder, |entry| {
        let name = entry.file_name().to_string_lossy();
        let hidden = name.starts_with('.') || name.starts_with('#') || name.ends_with('~');
        let nested = entry.file_type().is_dir()
            && ["index.md", "index.markdown"]
                .iter()
                .any(|i| entry.path().join(i).is_file());
        !hidden && !nested
    })?;
    for path in walk.files {
        if crate::source::load::is_markdown(&path) {
            continue;
        }
        let Ok(rel) = path.strip_prefix(folder) else {
            continue;
        };
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        out.push(Published {
            rel: crate::urls::event_file(&e.slug, &rel.join("/")),
            from: CopyFrom::Source(path),
            origin: e.source_path().to_path_buf(),
        });
    }
    Ok(out)
}

/// The folder of a page bundle: the parent of an `index.md`.
pub fn bundle_folder(source: &Path) -> Option<&Path> {
    let name = source.file_name()?.to_str()?;
    matches!(name, "index.md" | "index.markdown")
        .then(|| source.parent())
        .flatten()
}

/// Writes the published files through `sink`: a cached copy is hard-linked
/// when the sink is a folder on the same disk, and copied otherwise.
/// Returns how many files were written.
pub fn write(files: &[Published], sink: &dyn Sink) -> Result<usize, Error> {
    let cannot = |rel: &str, e| Error::io(format!("cannot write {rel}"), e);
    files.par_iter().try_for_each(|f| -> Result<(), Error> {
        if !crate::output::is_safe_relative(&f.rel) {
            return Ok(());
        }
        match &f.from {
            CopyFrom::Nothing => sink.write(&f.rel, &[]).map_err(|e| cannot(&f.rel, e)),
            CopyFrom::Cache(path) => match sink.link(&f.rel, path) {
                Ok(Some(_)) => Ok(()),
                _ => copy(sink, &f.rel, path).map_err(|e| cannot(&f.rel, e)),
            },
            CopyFrom::Source(path) => copy(sink, &f.rel, path).map_err(|e| cannot(&f.rel, e)),
        }
    })?;
    Ok(files.len())
}

/// Streams the file at `from` into `rel`.
fn copy(sink: &dyn Sink, rel: &str, from: &Path) -> std::io::Result<()> {
    sink.write_with(rel, &mut |w| {
        let mut file = std::fs::File::open(from)?;
        std::io::copy(&mut file, w).map(|_| ())
    })
}
