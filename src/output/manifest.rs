//! The build manifest, the folder `.annals-manifest/` in the output: what
//! each page was made from (its input fingerprint) and the file written for
//! it (size, modification time, inode), under a global fingerprint of
//! everything pages depend on outside their own inputs (binary, templates,
//! configuration, options). The next build into the same folder hard-links
//! a page's previous file into its staging folder when both fingerprints
//! match and the file is untouched since, instead of rendering it again.
//!
//! The entries are split into parts of at most [`PART_BYTES`] each
//! (`part-0000`, …, in the order the files were written), each written as
//! soon as it is full, so neither a file of the manifest nor the memory a
//! build holds for it grows with the site; the `index`, written after
//! every part, names the global
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
    pub fn of(path: &Path) -> Option<FileId> {
        FileId::from_metadata(&fs::symlink_metadata(path).ok()?)
    }

    /// The identity in `meta`, when it is a regular file's.
    #[cfg(unix)]
    pub fn from_metadata(meta: &fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        meta.file_type().is_file().then(|| FileId {
            size: meta.size(),
            mtime_s: meta.mtime(),
            mtime_ns: meta.mtime_nsec(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    pub fn from_metadata(_: &fs::Metadata) -> Option<FileId> {
        None
    }
}

/// The manifest of the output being replaced, when it applies to this
/// build (same format, same global fingerprint).
pub struct Previous {
    root: PathBuf,
    /// Keyed by [`path_key`] rather than the path: a rebuild holds one or
    /// two of these maps, with an entry for every file of the site.
    entries: PathMap<Entry>,
    /// Whether every entry's file was found as recorded by a walk of the
    /// folder (see [`Previous::keep_intact`]), so a file need not be looked
    /// up again when it is reused.
    verified: bool,
}

/// A path as [`Previous`] keys it: its XXH3-128 hash. Two of a site's
/// paths meeting by accident is out of reach, and even then a file is
/// reused only if its fingerprint and its identity on disk both match.
pub(crate) type PathKey = u128;

pub(crate) fn path_key(rel: &str) -> PathKey {
    xxh3_128(rel.as_bytes())
}

/// A map keyed by [`PathKey`]: the keys are hashes already, so a fast
/// hasher does (a rebuild makes a million lookups and more in these).
pub(crate) type PathMap<V> = HashMap<PathKey, V, ahash::RandomState>;

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
        use rayon::prelude::*;
        let index = fs::read_to_string(from.join(INDEX)).ok()?;
        let parts = parse_index(&index, global)?;
        // Parts are read and parsed on every core: at archive scale a
        // manifest holds hundreds of thousands of lines, and a rebuild
        // reads two (the retained folder's and the output's).
        let parsed = parts
            .par_iter()
            .map(|part| {
                let bytes = fs::read(from.join(DIR).join(&part.name)).ok()?;
                if xxh3_128(&bytes) != part.hash {
                    return None;
                }
                let entries = parse_part(std::str::from_utf8(&bytes).ok()?)?;
                (entries.len() == part.count).then_some(entries)
            })
            .collect::<Option<Vec<_>>>()?;
        let mut entries = PathMap::with_capacity_and_hasher(
            parsed.iter().map(Vec::len).sum(),
            Default::default(),
        );
        for (key, entry) in parsed.into_iter().flatten() {
            if entries.insert(key, entry).is_some() {
                // Each path once: a duplicate is damage, whatever the counts say.
                return None;
            }
        }
        Some(Previous {
            root: root.to_path_buf(),
            entries,
            verified: false,
        })
    }

    /// The entry of `rel`'s previous file (at [`Previous::path`]) when it
    /// was made from `fingerprint` and is still exactly as written (so a
    /// hand-edited file is never reused).
    pub fn reusable(&self, rel: &str, fingerprint: Fingerprint) -> Option<Entry> {
        let entry = self.entries.get(&path_key(rel))?;
        if entry.fingerprint != fingerprint {
            return None;
        }
        // A verified folder's files were all looked at by its walk: no
        // path is made for the most frequent answer of a rebuild.
        (self.verified || FileId::of(&self.path(rel))? == entry.file).then_some(*entry)
    }

    /// Where the previous file of `rel` is.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The recorded identity of the file whose [`path_key`] is `key`, if
    /// the manifest has one.
    pub fn recorded(&self, key: PathKey) -> Option<FileId> {
        self.entries.get(&key).map(|e| e.file)
    }

    /// Keeps only the entries whose files are in `intact` (by [`path_key`]),
    /// found as recorded by a walk of the folder, and from then on trusts
    /// them without looking each up again: at archive scale those lookups,
    /// a whole path each, were a twentieth of a rebuild.
    pub fn keep_intact(&mut self, intact: Vec<PathKey>) {
        let mut kept = PathMap::with_capacity_and_hasher(intact.len(), Default::default());
        for key in intact {
            if let Some(entry) = self.entries.remove(&key) {
                kept.insert(key, entry);
            }
        }
        self.entries = kept;
        self.verified = true;
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

/// A part's entries, in its order; `None` when any line is not one.
fn parse_part(text: &str) -> Option<Vec<(PathKey, Entry)>> {
    let mut entries = Vec::with_capacity(text.len() / 96);
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
        entries.push((path_key(rel), entry));
    }
    Some(entries)
}

/// The manifest being built: entries come from every thread as pages are
/// written, and each part is written into the staging folder as soon as it
/// is full, so no build holds its manifest whole (at a million events it
/// names four million files). The index, written by [`Recorder::finish`]
/// once everything else is, is what makes the parts a manifest.
pub struct Recorder<'a> {
    /// `None`: nothing is recorded (no later build could use it).
    sink: Option<&'a dyn super::Sink>,
    spill: Mutex<Spill>,
}

/// The part being filled and what the index will say of those written.
#[derive(Default)]
struct Spill {
    part: String,
    count: usize,
    /// The index's lines for the parts written so far.
    lines: String,
    parts: usize,
    /// The first failure to write a part: the build fails at the end.
    error: Option<io::Error>,
}

impl Spill {
    fn close(&mut self, sink: &dyn super::Sink) {
        if self.error.is_none() {
            let name = format!("part-{:04}", self.parts);
            match sink.write(&format!("{DIR}/{name}"), self.part.as_bytes()) {
                Ok(()) => {
                    let hash = xxh3_128(self.part.as_bytes());
                    let _ = writeln!(self.lines, "part {name} {} {hash:032x}", self.count);
                    self.parts += 1;
                }
                Err(e) => self.error = Some(e),
            }
        }
        self.part.clear();
        self.count = 0;
    }
}

impl<'a> Recorder<'a> {
    /// A manifest whose files are written through `sink` (the staging
    /// folder), under the paths in [`DIR`]; with `None`, one that records
    /// and writes nothing.
    pub fn new(sink: Option<&'a dyn super::Sink>) -> Recorder<'a> {
        Recorder {
            sink,
            spill: Mutex::default(),
        }
    }

    pub fn record(&self, rel: &str, entry: Entry) {
        let Some(sink) = self.sink else {
            return;
        };
        // Paths with a line break cannot be read back: leave them out
        // (their pages are simply rendered every time).
        if rel.contains(['\n', '\r']) {
            return;
        }
        let Ok(mut spill) = self.spill.lock() else {
            return;
        };
        let f = entry.file;
        let _ = writeln!(
            spill.part,
            "{:032x} {} {} {} {} {rel}",
            entry.fingerprint, f.size, f.mtime_s, f.mtime_ns, f.inode
        );
        spill.count += 1;
        if spill.part.len() >= PART_BYTES {
            spill.close(sink);
        }
    }

    /// Writes the last part and then the index, naming `global` and every
    /// part; an error if any part could not be written.
    pub fn finish(self, global: Fingerprint) -> io::Result<()> {
        let Some(sink) = self.sink else {
            return Ok(());
        };
        let mut spill = self
            .spill
            .into_inner()
            .map_err(|_| io::Error::other("a thread failed while recording the manifest"))?;
        if spill.count > 0 {
            spill.close(sink);
        }
        if let Some(e) = spill.error {
            return Err(e);
        }
        let index = format!(
            "{HEADER}\nglobal {global:032x}\n{}{END}{}\n",
            spill.lines, spill.parts
        );
        sink.write(INDEX, index.as_bytes())
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

    /// Keeps what is written, in order.
    #[derive(Default)]
    struct Collect(Mutex<Vec<(String, Vec<u8>)>>);

    impl crate::output::Sink for Collect {
        fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
            let mut files = self.0.lock().map_err(|_| io::Error::other("poisoned"))?;
            files.push((rel.to_string(), bytes.to_vec()));
            Ok(())
        }
    }

    impl Collect {
        fn files(self) -> Vec<(String, Vec<u8>)> {
            self.0.into_inner().expect("not poisoned")
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
        let sink = Collect::default();
        let recorder = Recorder::new(Some(&sink));
        for n in 0..20_000 {
            recorder.record(&format!("events/a b {n}/index.html"), entry(n));
        }
        recorder.record("events/line\nbreak/index.html", entry(1));
        recorder.finish(42).expect("written");
        let files = sink.files();
        assert!(files.len() > 3, "several parts");
        assert!(files.iter().all(|(_, b)| b.len() < 1024 * 1024));
        assert_eq!(files.last().map(|f| f.0.as_str()), Some(INDEX));
        write(dir.path(), &files);
        let read = Previous::read(dir.path(), 42).expect("reads");
        assert_eq!(read.entries.len(), 20_000);
        assert_eq!(
            read.entries.get(&path_key("events/a b 7/index.html")),
            Some(&entry(7))
        );
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
        let sink = Collect::default();
        Recorder::new(Some(&sink)).finish(1).expect("written");
        let files = sink.files();
        assert_eq!(files.len(), 1);
        assert!(parse_index(std::str::from_utf8(&files[0].1).expect("utf-8"), 1).is_some());
    }
}
