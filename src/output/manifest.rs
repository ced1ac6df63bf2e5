//! The build manifest, `.annals-manifest` in the output folder: what each
//! page was made from (its input fingerprint) and the file written for it
//! (size, modification time, inode), under a global fingerprint of
//! everything pages depend on outside their own inputs (binary, templates,
//! configuration, options). The next build into the same folder hard-links
//! a page's previous file into its staging folder when both fingerprints
//! match and the file is untouched since, instead of rendering it again.
//! The manifest is written into the staging folder, so it is swapped in
//! with the site it describes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The manifest's file name in the output folder.
pub const FILE: &str = ".annals-manifest";

/// First line; a manifest of another format is ignored (a full build).
const HEADER: &str = "annals-manifest 2";

/// Starts the last line, followed by the number of entries: a manifest cut
/// short anywhere is refused whole.
const END: &str = "end ";

/// A fingerprint: 128 bits, so an accidental collision among a site's
/// pages is out of reach.
pub type Fingerprint = u128;

/// One output file: what it was made from and what was on disk after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: Fingerprint,
    pub file: FileId,
}

/// What identifies a file's contents as written: a file edited or
/// replaced since has another size, modification time or inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    pub size: u64,
    pub mtime_s: i64,
    pub mtime_ns: i64,
    pub inode: u64,
}

impl FileId {
    /// The identity of the regular file at `path` (not following a
    /// symbolic link); `None` for anything else or where the system gives
    /// no inode numbers (then nothing is reused).
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::symlink_metadata(path).ok()?;
        meta.file_type().is_file().then(|| FileId {
            size: meta.size(),
            mtime_s: meta.mtime(),
            mtime_ns: meta.mtime_nsec(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &Path) -> Option<FileId> {
        None
    }
}

/// The manifest of the output being replaced, when it applies to this
/// build (same format, same global fingerprint).
pub struct Previous {
    root: PathBuf,
    entries: HashMap<String, Entry>,
}

impl Previous {
    /// Reads `out`'s manifest; `None` when there is none, it cannot be
    /// read or parsed, or it was written under another global fingerprint.
    pub fn read(out: &Path, global: Fingerprint) -> Option<Previous> {
        let text = fs::read_to_string(out.join(FILE)).ok()?;
        let entries = parse(&text, global)?;
        Some(Previous {
            root: out.to_path_buf(),
            entries,
        })
    }

    /// A manifest's `text`, describing the files under `root`; `None` as
    /// in [`Previous::read`].
    pub fn parse_at(root: &Path, text: &str, global: Fingerprint) -> Option<Previous> {
        Some(Previous {
            root: root.to_path_buf(),
            entries: parse(text, global)?,
        })
    }

    /// The previous file of `rel` when it was made from `fingerprint` and
    /// is still exactly as written (so a hand-edited file is never reused).
    pub fn reusable(&self, rel: &str, fingerprint: Fingerprint) -> Option<(PathBuf, Entry)> {
        let entry = self.entries.get(rel)?;
        if entry.fingerprint != fingerprint {
            return None;
        }
        let path = self.root.join(rel);
        (FileId::of(&path)? == entry.file).then_some((path, *entry))
    }
}

fn parse(text: &str, global: Fingerprint) -> Option<HashMap<String, Entry>> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let recorded = lines.next()?.strip_prefix("global ")?;
    if Fingerprint::from_str_radix(recorded, 16).ok()? != global {
        return None;
    }
    let mut entries = HashMap::new();
    let mut ended = false;
    for line in lines {
        if ended {
            return None;
        }
        if let Some(count) = line.strip_prefix(END) {
            ended = count.parse::<usize>().ok()? == entries.len();
            if !ended {
                return None;
            }
            continue;
        }
        // The path comes last: it is the only field that could hold a space.
        let mut fields = line.splitn(6, ' ');
        let fingerprint = Fingerprint::from_str_radix(fields.next()?, 16).ok()?;
        let size = fields.next()?.parse().ok()?;
        let mtime_s = fields.next()?.parse().ok()?;
        let mtime_ns = fields.next()?.parse().ok()?;
        let inode = fields.next()?.parse().ok()?;
        let rel = fields.next()?;
        entries.insert(
            rel.to_string(),
            Entry {
                fingerprint,
                file: FileId {
                    size,
                    mtime_s,
                    mtime_ns,
                    inode,
                },
            },
        );
    }
    ended.then_some(entries)
}

/// The entries of the manifest being built, collected from every thread.
#[derive(Default)]
pub struct Recorder {
    entries: Mutex<Vec<(String, Entry)>>,
}

impl Recorder {
    pub fn record(&self, rel: &str, entry: Entry) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.push((rel.to_string(), entry));
        }
    }

    /// The manifest's text, entries sorted by path so that equal builds
    /// differ only in the file identities.
    pub fn finish(self, global: Fingerprint) -> String {
        let mut entries = self.entries.into_inner().unwrap_or_default();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = format!("{HEADER}\nglobal {global:032x}\n");
        let mut count = 0;
        for (rel, e) in entries {
            // Paths with a line break cannot be read back: leave them out
            // (their pages are simply rendered every time).
            if rel.contains(['\n', '\r']) {
                continue;
            }
            let f = e.file;
            let _ = writeln!(
                text,
                "{:032x} {} {} {} {} {rel}",
                e.fingerprint, f.size, f.mtime_s, f.mtime_ns, f.inode
            );
            count += 1;
        }
        let _ = writeln!(text, "{END}{count}");
        text
    }
}

/// Hard-links `from` to `to` (whose folder exists). An error (another file
/// system, too many links, no hard links at all) means the caller writes
/// the file instead.
pub fn link(from: &Path, to: &Path) -> io::Result<()> {
    fs::hard_link(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_and_another_global_fingerprint_is_ignored() {
        let recorder = Recorder::default();
        let entry = Entry {
            fingerprint: 0xabc,
            file: FileId {
                size: 10,
                mtime_s: -5,
                mtime_ns: 7,
                inode: 99,
            },
        };
        recorder.record("events/a b/index.html", entry);
        let text = recorder.finish(42);
        let entries = parse(&text, 42).expect("parses");
        assert_eq!(entries.get("events/a b/index.html"), Some(&entry));
        assert!(parse(&text, 43).is_none());
        assert!(parse("junk", 42).is_none());
        assert!(parse(&text.replace(" 99 ", " x "), 42).is_none());
        let cut = text.trim_end().rsplit_once('\n').map(|(head, _)| head);
        assert!(parse(cut.unwrap_or_default(), 42).is_none(), "no end line");
    }
}
