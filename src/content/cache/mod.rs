//! The parse cache: what validation made of each event file, kept beside
//! the output (`.public.annals-cache/`, never inside what is published) so
//! a rebuild's load stage neither reads, nor parses, nor walks the
//! Markdown of an event file that has not changed since (its body is still
//! rendered from the file once, for its page and the exports that carry it).
//!
//! A file is unchanged when its [`Stamp`] (size, modification and status
//! change times to the nanosecond, inode and device) is the one recorded.
//! The status change time (`ctime`) is set by the system on every write
//! and cannot be set back by a program, so an edit that keeps the size and
//! puts the modification time back is still seen. A file changed within
//! [`SETTLE`] of the build's start is not recorded at all (its times could
//! not tell a second edit in the same clock tick apart), and the body pass
//! checks each file's hash again as it renders (see `content::body`).
//!
//! The entries are spread over parts by a hash of their path, so an edit
//! rewrites one part of a few hundred entries and the others stay as they
//! are. Each part names the format, the cache key (this binary, the
//! configuration, the site folder: everything validation reads besides the
//! file) and its place, and ends with a checksum; a part that is missing,
//! damaged or from another key is ignored whole, and its files are parsed
//! again. Parts are replaced by rename, so a killed build leaves each one
//! old or new, never half-written.

pub mod bodies;
pub mod decode;
pub mod encode;

/// Both directions of the entries' encoding.
pub mod codec {
    pub use super::decode::decode;
    pub use super::encode::encode;
    pub use crate::content::codec::{Reader, Writer};
}

use crate::content::event::Event;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// First bytes of every part; a part of another format is ignored.
const FORMAT: &[u8] = b"annals-parse-cache 4\n";

/// How recent a change must not be for a file to be recorded: longer
/// than any file system's timestamp granularity (FAT's is two seconds).
pub const SETTLE: Duration = Duration::from_secs(2);

/// About how many entries a part holds.
const PER_PART: usize = 256;

/// The most parts a cache is split into.
const MAX_PARTS: usize = 4096;

/// What identifies a file's contents without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    inode: u64,
    device: u64,
}

impl Stamp {
    /// The stamp of the file at `path` (following a symbolic link, as
    /// reading it does); `None` where the system gives no inode numbers
    /// (then nothing is cached).
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(path).ok()?;
        meta.is_file().then(|| Stamp {
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &Path) -> Option<Stamp> {
        None
    }

    /// Whether the file last changed at least [`SETTLE`] before `start`.
    pub fn settled(&self, start: SystemTime) -> bool {
        let Ok(start) = start.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let limit = start.saturating_sub(SETTLE);
        let before = |(s, ns): (i64, i64)| {
            u64::try_from(s)
                .is_ok_and(|s| Duration::new(s, u32::try_from(ns).unwrap_or(u32::MAX)) < limit)
        };
        before(self.mtime) && before(self.ctime)
    }

    fn write(&self, w: &mut codec::Writer) {
        w.u64(self.size);
        w.i64(self.mtime.0);
        w.i64(self.mtime.1);
        w.i64(self.ctime.0);
        w.i64(self.ctime.1);
        w.u64(self.inode);
        w.u64(self.device);
    }

    fn read(r: &mut codec::Reader) -> Option<Stamp> {
        Some(Stamp {
            size: r.u64()?,
            mtime: (r.i64()?, r.i64()?),
            ctime: (r.i64()?, r.i64()?),
            inode: r.u64()?,
            device: r.u64()?,
        })
    }
}

/// The running binary's identity (version, size and modification time of
/// the executable); `None` when it cannot be found, and then nothing built
/// by it is cached or reused.
pub fn binary_identity() -> Option<Vec<u8>> {
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(exe).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?;
    let mut id = Vec::new();
    for field in [
        env!("CARGO_PKG_VERSION").as_bytes(),
        &meta.len().to_le_bytes(),
        &mtime.as_nanos().to_le_bytes(),
    ] {
        id.extend_from_slice(&(field.len() as u64).to_le_bytes());
        id.extend_from_slice(field);
    }
    Some(id)
}

/// One event file as this build found it, for [`Cache::store`].
pub struct Record {
    /// Its path relative to the site folder.
    pub rel: String,
    /// Its stamp, taken before it was read.
    pub stamp: Option<Stamp>,
    /// The event it validated to; `None` when it did not (not recorded).
    pub event: Option<Arc<Event>>,
    /// Whether the event came from this cache.
    pub hit: bool,
}

/// An entry read from the previous cache.
struct Cached {
    stamp: Stamp,
    event: Event,
}

/// The parse cache of one output: the entries read from its folder, and
/// what this build needs to write back.
pub struct Cache {
    dir: PathBuf,
    key: u128,
    parts: usize,
    entries: HashMap<String, Cached>,
    /// How many entries each part held, for the parts that were read.
    counts: Vec<Option<usize>>,
}

/// The body store's folder in the cache's (see [`bodies`]).
pub const BODIES: &str = "bodies";

/// How many parts `files` entries are split into, about `per_part` each:
/// a power of two, so it changes only when the site doubles or halves.
fn parts_for(files: usize, per_part: usize, max_parts: usize) -> usize {
    (files / per_part).next_power_of_two().clamp(1, max_parts)
}

fn part_of(rel: &str, parts: usize) -> usize {
    // `parts` is a power of two.
    (xxh3_64(rel.as_bytes()) as usize) & (parts - 1)
}

fn part_name(parts: usize, n: usize) -> String {
    format!("part-{parts}-{n}")
}

impl Cache {
    /// The cache in `dir` under `key`, for a site of `files` event files;
    /// with `read` false (`--clean`) nothing in it is used, and this build
    /// writes it anew.
    pub fn open(dir: &Path, key: u128, files: usize, read: bool) -> Cache {
        use rayon::prelude::*;
        let parts = parts_for(files, PER_PART, MAX_PARTS);
        let readable = read && fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
        let loaded: Vec<Option<Vec<(String, Cached)>>> = if readable {
            (0..parts)
                .into_par_iter()
                .map(|n| read_part(&dir.join(part_name(parts, n)), key, parts, n))
                .collect()
        } else {
            (0..parts).map(|_| None).collect()
        };
        let counts = loaded.iter().map(|p| p.as_ref().map(Vec::len)).collect();
        let entries = loaded.into_iter().flatten().flatten().collect();
        Cache {
            dir: dir.to_path_buf(),
            key,
            parts,
            entries,
            counts,
        }
    }

    /// The event recorded for `rel` when the file still has `stamp`.
    pub fn take(&mut self, rel: &str, stamp: Option<Stamp>) -> Option<Event> {
        let cached = self.entries.remove(rel)?;
        (Some(cached.stamp) == stamp).then_some(cached.event)
    }

    /// Writes back the parts whose entries changed, given every event file
    /// of the site. Files changed since `start` − [`SETTLE`] are left out.
    /// A cache that cannot be written costs the next build time, never
    /// correctness, so failures are ignored.
    pub fn store(mut self, records: Vec<Record>, start: SystemTime) {
        use rayon::prelude::*;
        // What no file asked for (deleted or changed files) is not needed.
        self.entries = HashMap::new();
        let mut by_part: Vec<Vec<(&str, Stamp, &Event)>> = vec![Vec::new(); self.parts];
        let mut fresh = vec![false; self.parts];
        for r in &records {
            let n = part_of(&r.rel, self.parts);
            let stamp = r.stamp.filter(|s| s.settled(start));
            if let (Some(stamp), Some(event)) = (stamp, &r.event) {
                by_part[n].push((&r.rel, stamp, event));
            }
            if !r.hit || stamp.is_none() {
                fresh[n] = true;
            }
        }
        if fs::symlink_metadata(&self.dir).is_ok_and(|m| !m.is_dir()) {
            // Not ours: a symbolic link or file under the name is removed,
            // never followed.
            let _ = fs::remove_file(&self.dir);
        }
        if by_part.iter().all(Vec::is_empty) {
            // Nothing to keep (a new site, or every file just changed):
            // no folder, rather than an empty one, unless the body store
            // is in it.
            self.remove_all_but_bodies(false);
            let _ = fs::remove_dir(&self.dir);
            return;
        }
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // A part is kept as it is when every entry it should hold came
        // from it and it holds no others.
        let keep: Vec<bool> = (0..self.parts)
            .map(|n| !fresh[n] && self.counts[n] == Some(by_part[n].len()))
            .collect();
        by_part
            .par_iter_mut()
            .enumerate()
            .filter(|(n, _)| !keep[*n])
            .for_each(|(n, entries)| {
                let name = part_name(self.parts, n);
                if entries.is_empty() {
                    let _ = fs::remove_file(self.dir.join(name));
                    return;
                }
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let bytes = encode_part(self.key, self.parts, n, entries);
                let _ = replace(&self.dir, &name, &bytes);
            });
        self.remove_all_but_bodies(true);
    }

    /// Removes what the folder holds besides the body store's folder (it
    /// has its own key and keeps itself in order: see [`bodies`]) and,
    /// with `parts`, this split's parts and the citations' cut: parts of
    /// another split and leftovers of killed builds go.
    fn remove_all_but_bodies(&self, parts: bool) {
        let prefix = format!("part-{}-", self.parts);
        remove_all_but(&self.dir, &|name| {
            name == BODIES || parts && (name == CITATION_CUT || is_part(name, &prefix, self.parts))
        });
    }
}

/// The file in the cache's folder where a build notes how the site-wide
/// citations were cut (see `exports::citation::cut`), kept with the parts.
pub const CITATION_CUT: &str = "citation-cut";

/// Whether `name` is a part of the split into `parts` named by `prefix`.
fn is_part(name: &str, prefix: &str, parts: usize) -> bool {
    name.strip_prefix(prefix)
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|n| n < parts)
}

/// Removes every entry of `dir` whose name `keep` refuses (a name that is
/// not UTF-8 included).
fn remove_all_but(dir: &Path, keep: &dyn Fn(&str) -> bool) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    for entry in listing.flatten() {
        if !entry.file_name().to_str().is_some_and(keep) {
            let path = entry.path();
            let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
        }
    }
}

fn encode_part(key: u128, parts: usize, n: usize, entries: &[(&str, Stamp, &Event)]) -> Vec<u8> {
    // An event that cannot be encoded is left out: its file is parsed
    // every time.
    let mut encoded = Vec::new();
    for (rel, stamp, e) in entries {
        let mut bytes = Vec::new();
        if codec::encode(e, &mut bytes).is_some() {
            encoded.push((rel, stamp, bytes));
        }
    }
    let mut out = FORMAT.to_vec();
    out.extend_from_slice(&key.to_le_bytes());
    let mut w = codec::Writer(&mut out);
    w.u64(parts as u64);
    w.u64(n as u64);
    w.u64(encoded.len() as u64);
    for (rel, stamp, event) in &encoded {
        w.str(rel);
        stamp.write(&mut w);
        w.bytes(event);
    }
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// The entries of one part; `None` when it is missing, damaged, of
/// another format or key, or not part `n` of `parts`.
fn read_part(path: &Path, key: u128, parts: usize, n: usize) -> Option<Vec<(String, Cached)>> {
    let bytes = fs::read(path).ok()?;
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if xxh3_64(body).to_le_bytes() != sum {
        return None;
    }
    let rest = body.strip_prefix(FORMAT)?;
    let (recorded, rest) = rest.split_at_checked(16)?;
    if u128::from_le_bytes(recorded.try_into().ok()?) != key {
        return None;
    }
    let mut r = codec::Reader::new(rest);
    if r.u64()? != parts as u64 || r.u64()? != n as u64 {
        return None;
    }
    let count = usize::try_from(r.u64()?).ok()?;
    let mut entries = Vec::with_capacity(count.min(rest.len()));
    for _ in 0..count {
        let rel = r.str()?;
        let stamp = Stamp::read(&mut r)?;
        let event = r.bytes()?;
        entries.push((
            rel,
            Cached {
                stamp,
                event: codec::decode(event)?,
            },
        ));
    }
    r.is_empty().then_some(entries)
}

/// Replaces `dir/name` with `bytes` by writing a temporary file and
/// renaming it over, so the part is never seen half-written.
fn replace(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(format!(".tmp-{}-{name}", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, dir.join(name)).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// The cache key: everything validation reads besides the event file.
pub fn key(binary: &[u8], config: &[u8], base_url: Option<&str>, site: &Path) -> u128 {
    let mut h = Xxh3::new();
    for field in [
        FORMAT,
        binary,
        config,
        base_url.unwrap_or("\0none").as_bytes(),
        site.as_os_str().as_encoded_bytes(),
    ] {
        h.update(&(field.len() as u64).to_le_bytes());
        h.update(field);
    }
    h.digest128()
}

#[cfg(test)]
mod tests {

    const EVENT: &str = "---\ntitle: A \"title\"\ndate: 2024-07-28T10:30:00+09:00\nend_date: ongoing\nkind: meeting\nstatus: planned\nlocation: Tokyo\ncountries: [US, JP]\nparticipants:\n  - {name: Lloyd  Austin, role: Secretary, country: US}\n  - {name: Minoru Kihara}\ntags: [Extended Deterrence, missiles]\nsummary: S\nsources:\n  - {title: T, publisher: P, url: 'https://example.org/a', date: 2024-07}\n  - {title: U}\nquotes:\n  - {text: Q, speaker: Z, source: 1}\nmedia:\n  - {src: 'https://example.org/m.jpg', alt: A map, caption: C, credit: K}\n  - {src: /img/x.png, alt: X}\n  - {src: 'https://www.youtube.com/watch?v=abc'}\nrelated:\n  - {event: b, relation: follows-up}\n---\nSee [b](@/events/b), [home](@/) and [x](/elsewhere/y).\n";

    fn parsed(site: &std::path::Path) -> crate::content::event::Event {
        (*crate::content::body::test_event(site, false)).clone()
    }

    #[test]
    fn an_event_reads_back_as_it_was_and_no_damaged_copy_reads_at_all() {
        let site = crate::content::body::test_site(EVENT);
        std::fs::create_dir_all(site.path().join("static/img")).expect("mkdir");
        std::fs::write(site.path().join("static/img/x.png"), b"png").expect("write");
        let event = parsed(site.path());
        assert_eq!(event.media().len(), 3, "{:?}", event.media());
        let mut bytes = Vec::new();
        super::codec::encode(&event, &mut bytes).expect("encodable");
        let back = super::codec::decode(&bytes).expect("decodes");
        assert_eq!(format!("{back:?}"), format!("{event:?}"));
        // Every shorter copy is refused, never half-read or a panic.
        for cut in 0..bytes.len() {
            assert!(
                super::codec::decode(&bytes[..cut]).is_none(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(super::codec::decode(&longer).is_none());
        // A changed byte either is refused or reads as some event: the
        // part's checksum is what refuses it (see `read_part`).
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0xff;
            let _ = super::codec::decode(&changed);
        }
    }

    #[test]
    fn a_part_reads_back_and_a_changed_byte_refuses_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = dir.path().join("site");
        let events = site.join("content/events");
        std::fs::create_dir_all(&events).expect("mkdir");
        std::fs::write(events.join("a.md"), EVENT).expect("write");
        std::fs::create_dir_all(site.join("static/img")).expect("mkdir");
        std::fs::write(site.join("static/img/x.png"), b"png").expect("write");
        let event = parsed(&site);
        let stamp = super::Stamp::of(&events.join("a.md")).expect("a stamp");
        let bytes = super::encode_part(7, 2, 1, &[("content/events/a.md", stamp, &event)]);
        let path = dir.path().join("part");
        std::fs::write(&path, &bytes).expect("write");
        let read = super::read_part(&path, 7, 2, 1).expect("reads");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].0, "content/events/a.md");
        assert_eq!(read[0].1.stamp, stamp);
        assert!(super::read_part(&path, 8, 2, 1).is_none(), "another key");
        assert!(super::read_part(&path, 7, 4, 1).is_none(), "another split");
        assert!(super::read_part(&path, 7, 2, 0).is_none(), "another place");
        for at in [0, bytes.len() / 2, bytes.len() - 1] {
            let mut changed = bytes.clone();
            changed[at] ^= 1;
            std::fs::write(&path, &changed).expect("write");
            assert!(super::read_part(&path, 7, 2, 1).is_none(), "byte {at}");
        }
    }
}
