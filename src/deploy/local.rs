//! What the last complete build holds: every published file of the output
//! folder with its MD5 (the hash S3 and compatible stores give as the
//! ETag of a single-part upload). annals's own files (`.annals-output`,
//! `.annals-manifest`, anything named `.annals…`) are never published,
//! nor anything a symbolic link would lead to.

use crate::error::Error;
use md5::{Digest, Md5};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One file to publish.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// Its path in the output, with `/` separators: the remote key below
    /// the destination's prefix.
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    /// Lower-case hex MD5 of its bytes.
    pub md5: String,
}

/// Whether a path's segment names one of annals's own files, which stay
/// out of the published site (and out of a destination's listing).
pub fn is_internal(rel: &str) -> bool {
    rel.split('/').any(|s| s.starts_with(".annals"))
}

/// Lower-case hex MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every published file of the output folder `out`, sorted by path, each
/// read once and hashed (in parallel).
pub fn scan(out: &Path) -> Result<Vec<LocalFile>, Error> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(out).display().to_string();
            Error::io(format!("cannot read {path}"), e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(out) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if is_internal(&rel) {
            continue;
        }
        found.push((rel, entry.into_path()));
    }
    found
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = std::fs::read(&path)
                .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
            Ok(LocalFile {
                md5: md5_hex(&bytes),
                size: bytes.len() as u64,
                rel,
                path,
            })
        })
        .collect()
}
