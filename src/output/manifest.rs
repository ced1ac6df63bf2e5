//! The build manifest, the folder `.annals-manifest/` in the output: what
//! each page was made from (its input fingerprint) and the file written for
//! it (size, modification time, inode), under a global fingerprint of
//! everything pages depend on outside their own inputs (binary, templates,
//! configuration, options). The next build into the same folder hard-links
//! a page's previous file into its staging folder when both fingerprints
//! match and the file is untouched since, instead of rendering it again.
//!
//! The entries are split into parts of at most [`PART_BYTES`] each
//! (`part-0000`, …, sorted by path), so no file of the manifest grows with
//! the site; the `index`, written after every part, names the global
//! fingerprint and each part with its entry count and XXH3-128 hash. A
//! manifest whose index is missing or cut short, or any of whose parts is
//! missing, cut short or changed, is refused whole. The manifest is written
//! into the staging folder, so it is swapped in with the site it describes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use xxhash_rust::xxh3::xxh3_128;

/// The manifest's folder in the output folder.
pub const DIR: &str = ".annals-manifest";

/// The index's path relative to the output folder: the file whose presence
/// (and validity) makes a manifest.
pub const INDEX: &str = ".annals-manifest/index";

/// First line of the index; a manifest of another format is ignored (a
/// full build).
const HEADER: &str = "annals-manifest 3";

/// Starts the index's last line, followed by the number of parts: an index
/// cut short anywhere is refused whole.
const END: &str = "end ";

/// A part is closed once it holds this many bytes (an entry is about 100
/// bytes, so a part holds about 7,000 pages).
pub const PART_BYTES: usize = 700 * 1024;

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
    /// Reads `out`'s manifest; `None` when there is none, any file of it
    /// cannot be read or parsed, or it was written under another global
    /// fingerprint.
    pub fn read(out: &Path, global: Fingerprint) -> Option<Previous> {
        Previous::read_at(out, out, global)
    }

    /// The manifest in the folder `from`, describing the files under
    /// `root` (where that folder will be by the time they are used);
    /// `None` as in [`Previous::read`].
    pub fn read_at(from: &Path, root: &Path, global: Fingerprint) -> Option<Previous> {
        let index = fs::read_to_string(from.join(INDEX)).ok()?;
        let parts = parse_index(&index, global)?;
        let mut entries = HashMap::new();
        for part in parts {
            let bytes = fs::read(from.join(DIR).join(&part.name)).ok()?;
            if xxh3_128(&bytes) != part.hash {
                return None;
            }
            let before = entries.len();
            parse_part(std::str::from_utf8(&bytes).ok()?, &mut entries)?;
            if entries.len() - before != part.count {
                return None;
            }
        }
        Some(Previous {
            root: root.to_path_buf(),
            entries,
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

/// One part as the index names it.
struct Part {
    name: String,
    count: usize,
    hash: u128,
}

fn parse_index(text: &str, global: Fingerprint) -> Option<Vec<Part>> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let recorded = lines.next()?.strip_prefix("global ")?;
    if Fingerprint::from_str_radix(recorded, 16).ok()? != global {
        return None;
    }
    let mut parts = Vec::new();
    for line in lines.by_ref() {
        if let Some(count) = line.strip_prefix(END) {
            if count.parse::<usize>().ok()? != parts.len() {
                return None;
            }
            // Nothing may follow the end line.
            return lines.next().is_none().then_some(parts);
        }
        let mut fields = line.split(' ');
        let (Some("part"), Some(name), Some(count), Some(hash), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return None;
        };
        // Parts are named by the writer; anything else could lead a read
        // out of the manifest's folder.
        if name.len() <= 5
            || !name.starts_with("part-")
            || !name[5..].bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        parts.push(Part {
            name: name.to_string(),
            count: count.parse().ok()?,
            hash: u128::from_str_radix(hash, 16).ok()?,
        });
    }
    None
}

fn parse_part(text: &str, entries: &mut HashMap<String, Entry>) -> Option<()> {
    for line in text.lines() {
        // The path comes last: it is the only field that could hold a space.
        let mut fields = line.splitn(6, ' ');
        let fingerprint = Fingerprint::from_str_radix(fields.next()?, 16).ok()?;
        let size = fields.next()?.parse().ok()?;
        let mtime_s = fields.next()?.parse().ok()?;
        let mtime_ns = fields.next()?.parse().ok()?;
        let inode = fields.next()?.parse().ok()?;
        let rel = fields.next()?;
        let entry = Entry {
            fingerprint,
            file: FileId {
                size,
                mtime_s,
                mtime_ns,
                inode,
            },
        };
        if entries.insert(rel.to_string(), entry).is_some() {
            // Each path once: a duplicate is damage, whatever the counts say.
            return None;
        }
    }
    Some(())
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

    /// The manifest's files, as (path relative to the output, bytes): the
    /// parts, then the index, in the order they must be written. Entries
    /// are sorted by path, so equal builds differ only in the file
    /// identities.
    pub fn finish(self, global: Fingerprint) -> Vec<(String, Vec<u8>)> {
        let mut entries = self.entries.into_inner().unwrap_or_default();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut parts: Vec<(String, usize)> = Vec::new();
        let mut part = String::new();
        let mut count = 0;
        let mut files = Vec::new();
        let mut close = |part: &mut String, count: &mut usize| {
            let name = format!("part-{:04}", files.len());
            parts.push((name.clone(), *count));
            files.push((format!("{DIR}/{name}"), std::mem::take(part).into_bytes()));
            *count = 0;
        };
        for (rel, e) in entries {
            // Paths with a line break cannot be read back: leave them out
            // (their pages are simply rendered every time).
            if rel.contains(['\n', '\r']) {
                continue;
            }
            let f = e.file;
            let _ = writeln!(
                part,
                "{:032x} {} {} {} {} {rel}",
                e.fingerprint, f.size, f.mtime_s, f.mtime_ns, f.inode
            );
            count += 1;
            if part.len() >= PART_BYTES {
                close(&mut part, &mut count);
            }
        }
        if count > 0 {
            close(&mut part, &mut count);
        }
        let mut index = format!("{HEADER}\nglobal {global:032x}\n");
        for ((name, count), (_, bytes)) in parts.iter().zip(&files) {
            let _ = writeln!(index, "part {name} {count} {:032x}", xxh3_128(bytes));
        }
        let _ = writeln!(index, "{END}{}", parts.len());
        files.push((INDEX.to_string(), index.into_bytes()));
        files
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

    fn entry(n: u64) -> Entry {
        Entry {
            fingerprint: 0xabc + u128::from(n),
            file: FileId {
                size: 10,
                mtime_s: -5,
                mtime_ns: 7,
                inode: 99 + n,
            },
        }
    }

    fn write(dir: &Path, files: &[(String, Vec<u8>)]) {
        for (rel, bytes) in files {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            fs::write(path, bytes).expect("write");
        }
    }

    #[test]
    fn a_manifest_reads_back_in_parts_and_any_damage_refuses_it_whole() {
        let dir = tempfile::tempdir().expect("tmp");
        let recorder = Recorder::default();
        for n in 0..20_000 {
            recorder.record(&format!("events/a b {n}/index.html"), entry(n));
        }
        let files = recorder.finish(42);
        assert!(files.len() > 3, "several parts");
        assert!(files.iter().all(|(_, b)| b.len() < 1024 * 1024));
        assert_eq!(files.last().map(|f| f.0.as_str()), Some(INDEX));
        write(dir.path(), &files);
        let read = Previous::read(dir.path(), 42).expect("reads");
        assert_eq!(read.entries.len(), 20_000);
        assert_eq!(read.entries.get("events/a b 7/index.html"), Some(&entry(7)));
        assert!(Previous::read(dir.path(), 43).is_none(), "another global");

        let part = dir.path().join(DIR).join("part-0001");
        let bytes = fs::read(&part).expect("a part");
        fs::write(&part, &bytes[..bytes.len() - 1]).expect("cut");
        assert!(Previous::read(dir.path(), 42).is_none(), "a part cut short");
        fs::remove_file(&part).expect("remove");
        assert!(Previous::read(dir.path(), 42).is_none(), "a part missing");
        fs::write(&part, &bytes).expect("restore");
        assert!(Previous::read(dir.path(), 42).is_some());

        let index = fs::read_to_string(dir.path().join(INDEX)).expect("index");
        let cut = index.trim_end().rsplit_once('\n').map(|(head, _)| head);
        fs::write(dir.path().join(INDEX), cut.unwrap_or_default()).expect("cut");
        assert!(Previous::read(dir.path(), 42).is_none(), "no end line");
        fs::write(dir.path().join(INDEX), "junk").expect("junk");
        assert!(Previous::read(dir.path(), 42).is_none());
        let escape = index.replacen("part-0000", "../x", 1);
        fs::write(dir.path().join(INDEX), escape).expect("escape");
        assert!(
            Previous::read(dir.path(), 42).is_none(),
            "a foreign part name"
        );
    }

    #[test]
    fn an_empty_manifest_has_an_index_and_no_part() {
        let files = Recorder::default().finish(1);
        assert_eq!(files.len(), 1);
        assert!(parse_index(std::str::from_utf8(&files[0].1).expect("utf-8"), 1).is_some());
    }
}
