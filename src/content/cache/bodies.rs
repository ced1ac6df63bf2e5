//! The body store: every event's rendered body as the last build made it,
//! kept in the parse cache's folder (`bodies/`) so a rebuild's pass over
//! the bodies reads an unchanged event's HTML and words back instead of
//! reading its file and rendering its Markdown again.
//!
//! A body is stored under its file's path and the hash of the bytes it was
//! validated from, so a stored body is never stale: an edited file has
//! another hash and misses. Everything else a body depends on (the binary,
//! the configuration, the base URL, the site folder) is in the store's key,
//! as it is in the parse cache's. Language editions, whose links depend on
//! which events are translated, render their bodies again.
//!
//! The bodies are spread over parts by a hash of their path. A pass reads
//! each part's index when it starts and decides which parts it rewrites:
//! those where an event misses or that hold bodies no event asks for. Every
//! body of such a part is appended to its new file as the pass renders it
//! (never held in memory), and the files replace the old ones by rename
//! once the pass has been through every event, so a killed build leaves
//! each part old or new. Each body and each index carries a checksum; a
//! part that fails one is ignored, and its bodies are rendered again.
//! Failures to write cost the next build time, never correctness.

use super::codec::{Reader, Writer};
use super::{is_part, part_name, parts_for};
use crate::content::event::{BodyAt, Event};
use crate::content::markdown::Body;
use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// First bytes of every part; a part of another format is ignored.
const FORMAT: &[u8] = b"annals-body-store 2\n";

/// About how many bodies a part holds (about 7 MB of them): an edit
/// rewrites one part.
const PER_PART: usize = 2048;

/// The most parts a store is split into. A pass holds each part open, the
/// old and a new one at once, so this bounds the files it keeps open well
/// below the usual limit of 1,024 a process.
const MAX_PARTS: usize = 128;

/// Where the body store of one output is, and whether a build may read it.
pub struct BodyStore {
    dir: PathBuf,
    key: u128,
    /// False with `--clean`: the store is written, not read.
    read: bool,
    /// The [`path_key`]s of files changed too recently to be kept (see
    /// `SETTLE`): as in the parse cache, a site whose files were all just
    /// written leaves no store.
    unsettled: HashSet<u64>,
}

/// Where a body is in its part: offset and length of its encoding.
type Place = (u64, u64);

/// A part as the previous build left it.
struct OldPart {
    file: File,
    index: HashMap<(u64, u64), Place>,
}

/// A part being written anew.
struct NewPart {
    tmp: PathBuf,
    file: BufWriter<File>,
    written: u64,
    index: Vec<((u64, u64), Place)>,
    failed: bool,
}

/// One pass over the bodies: the parts it reads and the parts it writes.
pub struct Pass<'s> {
    store: &'s BodyStore,
    key: u128,
    parts: usize,
    old: Vec<Option<OldPart>>,
    new: Vec<Option<Mutex<NewPart>>>,
    /// Parts no event falls in any more, removed when the pass is done.
    emptied: Vec<usize>,
    /// Parts a body could not be read back from: removed when the pass is
    /// done (unless written anew), so the next build writes them again.
    damaged: Vec<AtomicBool>,
}

/// The hash of an event file's path (as the event names its source) that
/// its body is stored under.
pub fn path_key(path: &Path) -> u64 {
    xxh3_64(path.as_os_str().as_encoded_bytes())
}

/// What a body is stored under: its file's path and the file's hash.
fn id_of(e: &Event) -> Option<(u64, u64)> {
    match &e.body {
        BodyAt::File { hash, .. } => Some((path_key(e.source_path()), *hash)),
        BodyAt::Kept(_) => None,
    }
}

impl BodyStore {
    /// The store in `dir` for builds under the parse cache's `key`, which
    /// `base_path` and `unsafe_html` (what rendering reads of the
    /// configuration) are added to.
    pub fn new(dir: PathBuf, key: u128, read: bool, unsettled: HashSet<u64>) -> BodyStore {
        BodyStore {
            dir,
            key,
            read,
            unsettled,
        }
    }

    /// Starts a pass over `events`, the site's events in order, rendered
    /// under `base_path` and `unsafe_html`.
    pub fn pass(&self, events: &[Arc<Event>], base_path: &str, unsafe_html: bool) -> Pass<'_> {
        use rayon::prelude::*;
        let key = pass_key(self.key, base_path, unsafe_html);
        let ids: Vec<(u64, u64)> = events
            .iter()
            .filter_map(|e| id_of(e))
            .filter(|(path, _)| !self.unsettled.contains(path))
            .collect();
        let parts = parts_for(ids.len(), PER_PART, MAX_PARTS);
        let readable = self.read && fs::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir());
        let old: Vec<Option<OldPart>> = if readable {
            (0..parts)
                .into_par_iter()
                .map(|n| open_part(&self.dir.join(part_name(parts, n)), key, parts, n))
                .collect()
        } else {
            (0..parts).map(|_| None).collect()
        };
        let mut wanted = vec![0usize; parts];
        let mut missed = vec![false; parts];
        for id in &ids {
            let n = part_of(id.0, parts);
            wanted[n] += 1;
            if !old[n].as_ref().is_some_and(|p| p.index.contains_key(id)) {
                missed[n] = true;
            }
        }
        let mut emptied = Vec::new();
        let mut rewrite = vec![false; parts];
        for n in 0..parts {
            let held = old[n].as_ref().map_or(0, |p| p.index.len());
            if wanted[n] == 0 {
                emptied.push(n);
            } else {
                rewrite[n] = missed[n] || held != wanted[n];
            }
        }
        let ready = rewrite.iter().any(|&r| r) && make_dir(&self.dir);
        let new = rewrite
            .iter()
            .enumerate()
            .map(|(n, &rewrite)| {
                if !rewrite || !ready {
                    return None;
                }
                start_part(&self.dir, key, parts, n).ok().map(Mutex::new)
            })
            .collect();
        Pass {
            store: self,
            key,
            parts,
            old,
            new,
            emptied,
            damaged: (0..parts).map(|_| AtomicBool::new(false)).collect(),
        }
    }
}

/// The key of a pass's parts: the store's, with what rendering reads of
/// the configuration.
fn pass_key(key: u128, base_path: &str, unsafe_html: bool) -> u128 {
    let mut h = Xxh3::new();
    h.update(&key.to_le_bytes());
    h.update(&(base_path.len() as u64).to_le_bytes());
    h.update(base_path.as_bytes());
    h.update(&[u8::from(unsafe_html)]);
    h.digest128()
}

/// Makes `dir` a folder of its own: a file or symbolic link under its
/// name is removed, never followed.
fn make_dir(dir: &Path) -> bool {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => fs::remove_file(dir).is_ok() && fs::create_dir_all(dir).is_ok(),
        Err(_) => fs::create_dir_all(dir).is_ok(),
    }
}

fn part_of(path_hash: u64, parts: usize) -> usize {
    // `parts` is a power of two.
    (path_hash as usize) & (parts - 1)
}

impl Pass<'_> {
    /// The body stored for `e`, when its file is the one it was made from.
    pub fn get(&self, e: &Event) -> Option<Body> {
        self.get_with_extra(e).map(|(body, _)| body)
    }

    /// [`Pass::get`] with the bytes stored beside the body (see
    /// [`Pass::put`]).
    pub fn get_with_extra(&self, e: &Event) -> Option<(Body, Vec<u8>)> {
        let id = id_of(e)?;
        let n = part_of(id.0, self.parts);
        let part = self.old[n].as_ref()?;
        let &(offset, len) = part.index.get(&id)?;
        let body = read_body(&part.file, offset, len);
        if body.is_none() {
            self.damaged[n].store(true, Ordering::Relaxed);
        }
        body
    }

    /// Whether any part is being written anew (see [`Pass::put`]).
    pub fn writes(&self) -> bool {
        self.new.iter().any(Option::is_some)
    }

    /// Keeps `body`, the body of `e`, when its part is being written anew,
    /// with `extra`: what a later stage works out from the body and the
    /// event's own file alone (the search index's words), kept under the
    /// same key, so it is never stale either.
    pub fn put(&self, e: &Event, body: &Body, extra: &[u8]) {
        let Some(id) = id_of(e).filter(|(path, _)| !self.store.unsettled.contains(path)) else {
            return;
        };
        let Some(part) = &self.new[part_of(id.0, self.parts)] else {
            return;
        };
        let mut bytes = Vec::with_capacity(body.html.len() + body.words.len() + extra.len() + 24);
        encode(body, extra, &mut bytes);
        let sum = xxh3_64(&bytes);
        let Ok(mut part) = part.lock() else { return };
        if part.failed {
            return;
        }
        let place = (part.written, bytes.len() as u64);
        let wrote = part
            .file
            .write_all(&bytes)
            .and_then(|()| part.file.write_all(&sum.to_le_bytes()));
        match wrote {
            Ok(()) => {
                part.written += bytes.len() as u64 + 8;
                part.index.push((id, place));
            }
            Err(_) => part.failed = true,
        }
    }

    /// Puts the parts written anew in place of the old ones, once every
    /// event of the site has been through [`Pass::put`].
    pub fn finish(mut self) {
        use rayon::prelude::*;
        let (dir, key, parts) = (&self.store.dir, self.key, self.parts);
        let rewritten: Vec<bool> = self.new.iter().map(Option::is_some).collect();
        self.new.par_iter_mut().enumerate().for_each(|(n, part)| {
            let Some(Ok(part)) = part.take().map(Mutex::into_inner) else {
                return;
            };
            let tmp = part.tmp.clone();
            if close_part(part, key, parts, n)
                .and_then(|()| fs::rename(&tmp, dir.join(part_name(parts, n))))
                .is_err()
            {
                let _ = fs::remove_file(&tmp);
            }
        });
        let damaged = (0..parts).filter(|&n| self.damaged[n].load(Ordering::Relaxed));
        for n in self.emptied.iter().copied().chain(damaged) {
            if !rewritten[n] {
                let _ = fs::remove_file(dir.join(part_name(parts, n)));
            }
        }
        self.remove_foreign();
    }

    /// Removes what the folder holds besides this split's parts (parts of
    /// another split, leftovers of killed builds).
    fn remove_foreign(&self) {
        let prefix = format!("part-{}-", self.parts);
        super::remove_all_but(&self.store.dir, &|name| is_part(name, &prefix, self.parts));
    }
}

impl Drop for Pass<'_> {
    /// A pass that stopped early leaves the old parts as they were.
    fn drop(&mut self) {
        // After `finish` no part is left here.
        for part in self.new.iter().flatten() {
            if let Ok(part) = part.lock() {
                let _ = fs::remove_file(&part.tmp);
            }
        }
    }
}

/// The body encoded at `offset` (`len` bytes and their checksum), with
/// the bytes stored beside it.
fn read_body(file: &File, offset: u64, len: u64) -> Option<(Body, Vec<u8>)> {
    let mut bytes = vec![0; usize::try_from(len).ok()?.checked_add(8)?];
    read_at(file, &mut bytes, offset).ok()?;
    let (encoded, sum) = bytes.split_at(bytes.len() - 8);
    if xxh3_64(encoded).to_le_bytes() != sum {
        return None;
    }
    decode(encoded)
}

fn encode(body: &Body, extra: &[u8], out: &mut Vec<u8>) {
    let mut w = Writer(out);
    w.str(&body.html);
    w.str(&body.words);
    w.u64(u64::from(body.has_relative_urls));
    w.bytes(extra);
}

fn decode(bytes: &[u8]) -> Option<(Body, Vec<u8>)> {
    let mut r = Reader::new(bytes);
    let body = Body {
        html: r.str()?,
        words: r.str()?,
        has_relative_urls: match r.u64()? {
            0 => false,
            1 => true,
            _ => return None,
        },
    };
    let extra = r.bytes()?.to_vec();
    r.is_empty().then_some((body, extra))
}

fn header(key: u128, parts: usize, n: usize) -> Vec<u8> {
    let mut out = FORMAT.to_vec();
    out.extend_from_slice(&key.to_le_bytes());
    out.extend_from_slice(&(parts as u64).to_le_bytes());
    out.extend_from_slice(&(n as u64).to_le_bytes());
    out
}

fn start_part(dir: &Path, key: u128, parts: usize, n: usize) -> io::Result<NewPart> {
    let tmp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        part_name(parts, n)
    ));
    let mut file = BufWriter::new(File::create(&tmp)?);
    let head = header(key, parts, n);
    file.write_all(&head)?;
    Ok(NewPart {
        tmp,
        file,
        written: head.len() as u64,
        index: Vec::new(),
        failed: false,
    })
}

/// Ends a part with its index: the entries, their checksum (with the
/// header's), and where the index starts.
fn close_part(part: NewPart, key: u128, parts: usize, n: usize) -> io::Result<()> {
    if part.failed {
        return Err(io::Error::other("a body could not be written"));
    }
    let mut index = Vec::with_capacity(part.index.len() * 32 + 8);
    index.extend_from_slice(&(part.index.len() as u64).to_le_bytes());
    for ((path, hash), (offset, len)) in &part.index {
        for v in [path, hash, offset, len] {
            index.extend_from_slice(&v.to_le_bytes());
        }
    }
    let mut sum = Xxh3::new();
    sum.update(&header(key, parts, n));
    sum.update(&index);
    let mut file = part.file;
    file.write_all(&index)?;
    file.write_all(&sum.digest().to_le_bytes())?;
    file.write_all(&part.written.to_le_bytes())?;
    // No sync: a part cut short by a crash fails its checksums.
    file.flush()
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// Part `n` of `parts` at `path` with its index; `None` when it is
/// missing, damaged, of another format or key, or another part.
fn open_part(path: &Path, key: u128, parts: usize, n: usize) -> Option<OldPart> {
    let file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let head = header(key, parts, n);
    let mut found = vec![0; head.len()];
    read_at(&file, &mut found, 0).ok()?;
    if found != head {
        return None;
    }
    let mut tail = [0; 16];
    read_at(&file, &mut tail, len.checked_sub(16)?).ok()?;
    let (sum, start) = (u64_at(&tail, 0)?, u64_at(&tail, 8)?);
    let index_len = len.checked_sub(16)?.checked_sub(start)?;
    if start < head.len() as u64 || index_len < 8 {
        return None;
    }
    let mut index = vec![0; usize::try_from(index_len).ok()?];
    read_at(&file, &mut index, start).ok()?;
    let mut check = Xxh3::new();
    check.update(&head);
    check.update(&index);
    if check.digest() != sum {
        return None;
    }
    let count = usize::try_from(u64_at(&index, 0)?).ok()?;
    if count.checked_mul(32)?.checked_add(8)? != index.len() {
        return None;
    }
    let mut entries = HashMap::with_capacity(count);
    for k in 0..count {
        let at = 8 + k * 32;
        let (path, hash) = (u64_at(&index, at)?, u64_at(&index, at + 8)?);
        let (offset, len) = (u64_at(&index, at + 16)?, u64_at(&index, at + 24)?);
        // Every body lies between the header and the index.
        if offset < head.len() as u64 || offset.checked_add(len)?.checked_add(8)? > start {
            return None;
        }
        entries.insert((path, hash), (offset, len));
    }
    Some(OldPart {
        file,
        index: entries,
    })
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    const EVENT: &str = "---\ntitle: A\ndate: 2024-01-02\nkind: meeting\nsummary: S\nsources: [{title: T}]\n---\nSee [b](@/events/b), *this* and ![i](/i.png).\n";

    fn event(site: &Path) -> Arc<Event> {
        crate::content::body::test_event(site, false)
    }

    #[test]
    fn a_stored_body_reads_back_only_under_its_key_and_no_cut_part_reads_at_all() {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content/events")).expect("mkdir");
        std::fs::write(site.join("content/events/a.md"), EVENT).expect("write");
        let events = [event(&site)];
        let config = Config::default();
        let body = crate::content::body::of(&events[0], &config, None).expect("a body");
        let store = BodyStore::new(dir.path().join("bodies"), 7, true, HashSet::new());
        let first = store.pass(&events, "/", false);
        assert!(first.get(&events[0]).is_none(), "nothing stored yet");
        first.put(&events[0], &body, b"words\0and more");
        first.finish();
        let same = |b: &Body| (b.html.clone(), b.words.clone(), b.has_relative_urls);
        let again = store.pass(&events, "/", false);
        let (back, extra) = again.get_with_extra(&events[0]).expect("stored");
        assert_eq!(same(&back), same(&body));
        assert_eq!(extra, b"words\0and more");
        drop(again);
        for other in [
            store.pass(&events, "/sub/", false),
            store.pass(&events, "/", true),
            BodyStore::new(dir.path().join("bodies"), 8, true, HashSet::new())
                .pass(&events, "/", false),
            BodyStore::new(dir.path().join("bodies"), 7, false, HashSet::new())
                .pass(&events, "/", false),
        ] {
            assert!(other.get(&events[0]).is_none(), "another key");
        }
        // The passes above wrote nothing, so the part is the first one.
        let path = dir.path().join("bodies").join(part_name(1, 0));
        let bytes = std::fs::read(&path).expect("the part");
        let key = pass_key(7, "/", false);
        assert!(open_part(&path, key, 1, 0).is_some());
        for cut in 0..bytes.len() {
            std::fs::write(&path, &bytes[..cut]).expect("write");
            assert!(open_part(&path, key, 1, 0).is_none(), "cut at {cut}");
        }
    }
}
