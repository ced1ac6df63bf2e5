//! What the incremental-build tests share: a generated site with two
//! outputs beside it (`inc`, rebuilt again and again, and `clean`), edits
//! of its event files, and comparisons of the two outputs byte for byte.
#![allow(dead_code)]

use crate::common::{self, snapshot, stderr};
use crate::corpus;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Output;

pub const EVENTS: usize = 40;
/// The build manifest's folder and its index (see `output::manifest`).
pub const MANIFEST: &str = ".annals-manifest";
pub const INDEX: &str = ".annals-manifest/index";

/// A generated site in a temporary folder, with two output folders beside
/// it: `inc` (built again and again) and `clean` (built once with `--clean`).
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary folder");
        fs::create_dir(dir.path().join("site")).expect("the site folder");
        corpus::generate(&dir.path().join("site"), EVENTS, 7).expect("generate a site");
        // A build records in its parse cache only files that have not
        // changed for two seconds (see `content::cache::SETTLE`): wait, so
        // that rebuilds take unchanged events from it.
        std::thread::sleep(std::time::Duration::from_millis(2100));
        Fixture { dir }
    }

    pub fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The retained folder of the output `name`: the site its last swap
    /// replaced.
    pub fn retained(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!(".{name}.annals-retained"))
    }

    pub fn build(&self, out: &str, extra: &[&str]) -> Output {
        let extra = [&["--verbose"], extra].concat();
        common::build_at_fixed_time(&self.site(), &self.out(out), &extra)
    }

    /// Event files (relative to the site), sorted.
    pub fn events(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let root = self.site().join("content/events");
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).expect("list events") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    found.push(path);
                }
            }
        }
        found.sort();
        found
    }

    /// An event file whose slug no other event names in a relation, so it
    /// can be renamed or deleted without breaking the site.
    pub fn unreferenced_event(&self) -> PathBuf {
        let all = self.events();
        let texts: Vec<String> = all
            .iter()
            .map(|p| fs::read_to_string(p).expect("read an event"))
            .collect();
        all.iter()
            .find(|p| {
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                let named = format!("event: {stem},");
                !texts.iter().any(|t| t.contains(&named))
            })
            .cloned()
            .expect("an event no other event names")
    }
}

/// `path`'s text with the front-matter line starting with `key:` replaced
/// by `line` (or `line` added after the title when there is none).
pub fn set_field(path: &Path, key: &str, line: &str) {
    let text = fs::read_to_string(path).expect("read an event");
    let prefix = format!("{key}:");
    let mut out = String::new();
    let mut done = false;
    let mut dashes = 0;
    for l in text.lines() {
        if l == "---" {
            dashes += 1;
        }
        if !done && dashes == 1 && l.starts_with(&prefix) {
            out.push_str(line);
            done = true;
        } else {
            out.push_str(l);
        }
        out.push('\n');
        if !done && dashes == 1 && l.starts_with("title:") && key != "title" {
            // Placed right after the title when the field is absent; a
            // later line of the same key would make it a duplicate, so
            // it is only inserted if the file has none.
            if !text.lines().any(|x| x.starts_with(&prefix)) {
                out.push_str(line);
                out.push('\n');
                done = true;
            }
        }
    }
    fs::write(path, out).expect("write an event");
}

/// What the manifest says of each file, without the file identities
/// (modification time and inode differ between any two builds):
/// fingerprint, size and path, sorted (entries are written in the order
/// the files were, which threads decide), after the index's header lines.
/// Every part the index names must exist and hold the count it gives.
pub fn manifest_inputs(out: &Path) -> Vec<String> {
    let index = fs::read_to_string(out.join(INDEX)).expect("a manifest index");
    let mut header = Vec::new();
    let mut entries = Vec::new();
    for line in index.lines() {
        let Some(part) = line.strip_prefix("part ") else {
            if !line.starts_with("end ") {
                header.push(line.to_string());
            }
            continue;
        };
        let fields: Vec<&str> = part.split(' ').collect();
        let text = fs::read_to_string(out.join(MANIFEST).join(fields[0])).expect("a part");
        assert_eq!(
            text.lines().count().to_string(),
            fields[1],
            "entries in {}",
            fields[0]
        );
        for line in text.lines() {
            let fields: Vec<&str> = line.splitn(6, ' ').collect();
            assert_eq!(fields.len(), 6, "a manifest line: {line}");
            entries.push(format!("{} {} {}", fields[0], fields[1], fields[5]));
        }
    }
    entries.sort();
    header.extend(entries);
    header
}

pub fn without_manifest(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(out);
    let before = files.len();
    files.retain(|path, _| !path.starts_with(MANIFEST));
    assert!(files.len() < before, "no manifest");
    files
}

/// The first number of the `--verbose` line ending in `ending`.
fn counted(output: &Output, ending: &str) -> usize {
    let err = stderr(output);
    err.lines()
        .find_map(|l| {
            let l = l.trim();
            l.ends_with(ending)
                .then(|| l.split(' ').next()?.parse().ok())
                .flatten()
        })
        .unwrap_or_else(|| panic!("no line ending in \"{ending}\" in: {err}"))
}

/// How many event files the build said it took from the parse cache.
pub fn cached(output: &Output) -> usize {
    counted(output, "events taken from the parse cache")
}

/// How many event bodies the build said it took from the body store.
pub fn stored(output: &Output) -> usize {
    counted(output, "event bodies taken from the body store")
}

/// The parse cache beside the output `name`.
pub fn cache_dir(f: &Fixture, name: &str) -> PathBuf {
    f.dir.path().join(format!(".{name}.annals-cache"))
}

/// How many pages the last build said it reused.
pub fn reused(output: &Output) -> usize {
    counted(output, "pages reused from the previous build")
}

/// Requires the outputs `inc` and `clean` to hold the same files, byte for
/// byte, and manifests made from the same inputs.
pub fn assert_same_files(f: &Fixture, step: &str) {
    let (inc, clean) = (
        without_manifest(&f.out("inc")),
        without_manifest(&f.out("clean")),
    );
    let differ: Vec<_> = clean
        .keys()
        .chain(inc.keys())
        .filter(|k| inc.get(*k) != clean.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{step}: rebuilt output differs from a clean build: {differ:?}"
    );
    assert_eq!(
        manifest_inputs(&f.out("inc")),
        manifest_inputs(&f.out("clean")),
        "{step}: manifests differ"
    );
}

/// Builds, applies `change`, rebuilds into the same output and builds
/// clean into another: the two must be identical. Returns the rebuild's
/// output for further checks.
pub fn same_as_clean(name: &str, change: impl FnOnce(&Fixture)) -> (Fixture, Output) {
    let f = Fixture::new();
    f.build("inc", &[]);
    change(&f);
    let rebuilt = f.build("inc", &[]);
    f.build("clean", &["--clean"]);
    assert_same_files(&f, name);
    (f, rebuilt)
}

pub fn inode(path: &Path) -> u64 {
    fs::metadata(path).expect("a page").ino()
}

pub fn pages(output: &Output) -> usize {
    let err = stderr(output);
    err.lines()
        .find_map(|l| {
            let l = l.trim();
            l.ends_with("pages reused from the previous build")
                .then(|| l.split(' ').nth(2)?.parse().ok())
                .flatten()
        })
        .unwrap_or_else(|| panic!("no reuse line in: {err}"))
}

/// Requires `inc` to equal `clean` (files, folders, the manifest's inputs)
/// and the folder holding them to hold nothing but the site, the two
/// outputs and `inc`'s retained folder: no staging folder, no lock.
pub fn assert_inc_is_clean(f: &Fixture, step: &str) {
    assert_same_files(f, step);
    assert_eq!(
        common::folders(&f.out("inc")),
        common::folders(&f.out("clean")),
        "{step}: the folders differ from a clean build's"
    );
    let mut beside = common::entries_but_cache(f.dir.path());
    beside.sort();
    assert_eq!(
        beside,
        [".inc.annals-retained", "clean", "inc", "site"],
        "{step}: what the builds left beside the outputs"
    );
}

/// Rebuilds `inc` and builds `clean` anew, then requires them to be the
/// same.
pub fn rebuild_and_compare(f: &Fixture, step: &str) -> Output {
    let rebuilt = f.build("inc", &[]);
    f.build("clean", &["--clean"]);
    assert_inc_is_clean(f, step);
    rebuilt
}

pub fn append(path: &Path, text: &str) {
    let mut body = fs::read_to_string(path).expect("read an event");
    body.push_str(text);
    fs::write(path, body).expect("write an event");
}
