//! Load stage: finds the site's content files and reads their bytes.
//! Nothing here interprets the text; decoding and parsing come next.

use crate::urls::SitePaths;
use std::path::{Path, PathBuf};

/// One content file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site folder, e.g. `content/events/2024/x.md`.
    pub rel: PathBuf,
    /// Path as shown in diagnostics (site folder joined with `rel`).
    pub shown: PathBuf,
    pub bytes: Vec<u8>,
}

/// Which folder of `content/` a file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Events,
    Pages,
    Periods,
}

impl Section {
    pub fn folder(self) -> &'static str {
        match self {
            Section::Events => SitePaths::EVENTS,
            Section::Pages => SitePaths::PAGES,
            Section::Periods => SitePaths::PERIODS,
        }
    }
}

pub fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md") | Some("markdown")
    )
}

fn is_hidden(name: &str) -> bool {
    // Editor lock and swap files (`.#x.md`, `.x.md.swp`) must never be read.
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// The Markdown files of a section (paths relative to the site, sorted so
/// runs are reproducible) and the symbolic links skipped on the way: only
/// files inside the site folder are ever listed. A missing folder is empty.
pub fn list(
    site: &Path,
    section: Section,
) -> Result<(Vec<PathBuf>, Vec<String>), crate::error::Error> {
    let root = site.join(section.folder());
    let walk = crate::source::walk::files(&root, site, |e| {
        !is_hidden(&e.file_name().to_string_lossy())
    })?;
    let files = walk
        .files
        .into_iter()
        .filter(|path| is_markdown(path))
        .map(|path| {
            path.strip_prefix(site)
                .map(Path::to_path_buf)
                .unwrap_or(path)
        })
        .collect();
    Ok((files, walk.skipped))
}

/// Largest content file read, in bytes. Reading stops one byte past it,
/// so a huge file costs no memory; `parse` turns it into a diagnostic.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Reads one file (at most [`MAX_FILE_BYTES`] + 1 bytes). I/O failures are
/// I/O errors (exit 2), not diagnostics.
pub fn read(site: &Path, rel: &Path) -> Result<SourceFile, crate::error::Error> {
    let path = site.join(rel);
    let bytes = read_bytes(&path)?;
    Ok(SourceFile {
        rel: rel.to_path_buf(),
        shown: path,
        bytes,
    })
}

/// The bytes of the file at `path`, at most one byte past
/// [`MAX_FILE_BYTES`] (enough for the parser to refuse a larger file).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, crate::error::Error> {
    use std::io::Read;
    let limit = MAX_FILE_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            // Sized from the file's length, so a file is read in one call
            // rather than in chunks doubling from 32 bytes.
            let length = f.metadata().map_or(0, |m| m.len().min(limit));
            bytes.reserve_exact(usize::try_from(length).unwrap_or(0));
            f.take(limit).read_to_end(&mut bytes)
        })
        .map_err(|e| crate::error::Error::io(format!("cannot read {}", path.display()), e))?;
    Ok(bytes)
}
