//! Shared helpers for the integration tests: temporary sites on disk, runs of
//! the real `annals` binary, HTML queries and whole-folder snapshots.
#![allow(dead_code)]

pub mod editions_site;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// A `site.yaml` declaring the kinds, tracks and a country label used by the tests.
pub const SITE_YAML: &str = "\
title: Test Timeline
language: en
description: A timeline used by the integration tests.
kinds:
  meeting: {label: Meeting}
  statement: {label: Statement}
  command-change: {label: Command change}
tracks:
  us-japan: {label: US–Japan}
  us-rok: {label: US–ROK}
";

/// A site in a temporary folder; the folder is deleted on drop.
pub struct TestSite {
    pub dir: TempDir,
    /// The site folder: the temporary folder itself, or a folder inside it.
    root: PathBuf,
}

impl TestSite {
    /// An empty site with the standard `site.yaml`.
    pub fn new() -> TestSite {
        let site = TestSite::bare();
        site.write("site.yaml", SITE_YAML);
        site
    }

    /// An empty folder: no `site.yaml`, no `content/`.
    pub fn bare() -> TestSite {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let root = dir.path().to_path_buf();
        TestSite { dir, root }
    }

    /// A site with the standard `site.yaml` in `<tmp>/site`, so that the
    /// folder holding it is temporary too.
    pub fn nested() -> TestSite {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let root = dir.path().join("site");
        fs::create_dir(&root).expect("create the site folder");
        let site = TestSite { dir, root };
        site.write("site.yaml", SITE_YAML);
        site
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    /// Writes a file relative to the site folder, creating parent folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create parent folders");
        fs::write(&path, bytes).expect("write a site file");
        path
    }

    /// Writes `content/events/<rel>`; returns the path relative to the site.
    pub fn event(&self, rel: &str, bytes: impl AsRef<[u8]>) -> String {
        let rel = format!("content/events/{rel}");
        self.write(&rel, bytes);
        rel
    }

    /// `annals <args…>` run with the site folder as the working directory.
    pub fn cmd(&self) -> Command {
        let mut cmd = annals();
        cmd.current_dir(self.path());
        cmd
    }

    /// `annals build --site <abs path> <extra…>`, returning the process output.
    pub fn build(&self, extra: &[&str]) -> Output {
        annals()
            .arg("build")
            .arg("--site")
            .arg(self.path())
            .args(extra)
            .output()
            .expect("run annals")
    }

    /// `annals build --site .` run from inside the site (paths print as `content/...`).
    pub fn build_here(&self, extra: &[&str]) -> Output {
        self.cmd()
            .args(["build", "--site", "."])
            .args(extra)
            .output()
            .expect("run annals")
    }

    /// `annals check --site .` run from inside the site.
    pub fn check_here(&self) -> Output {
        self.cmd()
            .args(["check", "--site", "."])
            .output()
            .expect("run annals")
    }

    /// Builds and panics with stderr when the build does not succeed.
    pub fn build_ok(&self, extra: &[&str]) -> Output {
        let out = self.build(extra);
        assert_success(&out);
        out
    }

    /// Reads and parses `<public>/<rel>`.
    pub fn page(&self, rel: &str) -> Html {
        read_html(&self.public().join(rel))
    }
}

/// `annals build --site <site> --out <out> <extra…>` at a fixed build time
/// (`SOURCE_DATE_EPOCH`), so two builds' calendars, stamped with it,
/// compare equal; panics with stderr when the build does not succeed.
pub fn build_at_fixed_time(site: &Path, out: &Path, extra: &[&str]) -> Output {
    let output = annals()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .arg("build")
        .arg("--site")
        .arg(site)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run annals");
    assert_success(&output);
    output
}

/// The `annals` binary built by cargo for this test run.
pub fn annals() -> Command {
    Command::cargo_bin("annals").expect("the annals binary is built")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "annals failed with {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
}

/// Asserts the exit code, showing both streams when it differs.
pub fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
        stdout(out),
        stderr(out)
    );
}

pub fn read_html(path: &Path) -> Html {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Html::parse_document(&text)
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// Text content with whitespace runs collapsed to single spaces.
pub fn text_of(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of every element matching `css`.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text_of).collect()
}

/// Values of `attr` on every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr))
        .map(str::to_owned)
        .collect()
}

/// Every file under `dir` (recursively) as relative path → bytes. An absent
/// folder is an empty map. Symlinks are not followed: a link is recorded as
/// `-> target`, so a link loop or a link out of `dir` is seen, not walked.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            let rel = path.strip_prefix(root).expect("inside root").to_path_buf();
            if let Ok(target) = fs::read_link(&path) {
                let shown = format!("-> {}", target.display());
                out.insert(rel, shown.into_bytes());
            } else if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(rel, fs::read(&path).expect("read a file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts that two folder snapshots are identical, naming what differs.
pub fn assert_same_tree(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) {
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let changed: Vec<_> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "the output folder changed: added {added:?}, removed {removed:?}, changed {changed:?}"
    );
}

/// Every folder under `dir` (recursively), relative to it; catches empty
/// folders that a file snapshot cannot see.
pub fn folders(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            if path.is_dir() && !is_link {
                out.push(path.strip_prefix(root).expect("inside root").to_path_buf());
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Names of the entries directly inside `dir`.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// [`entries`] without the parse cache beside an output
/// (`.<output>.annals-cache`), which a build writes once the site's event
/// files have been unchanged for a moment, so its presence depends on timing.
pub fn entries_but_cache(dir: &Path) -> Vec<String> {
    let mut names = entries(dir);
    names.retain(|n| !(n.starts_with('.') && n.ends_with(".annals-cache")));
    names
}

/// A minimal valid published event.
pub fn simple_event(title: &str, date: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nkind: meeting\nsummary: A test event.\nsources:\n  - {{title: A source, publisher: Test}}\n---\nBody of {title}.\n"
    )
}

/// Whether an href points at `events/<slug>/` (absolute or root-relative).
pub fn links_to_event(href: &str, slug: &str) -> bool {
    let href = href.split(['#', '?']).next().unwrap_or(href);
    href.ends_with(&format!("/events/{slug}/")) || href == format!("events/{slug}/")
}

/// Hrefs of the elements matching `css`.
pub fn hrefs(doc: &Html, css: &str) -> Vec<String> {
    attrs(doc, css, "href")
}

/// Asserts that `hrefs` link to exactly these events, in this order.
pub fn assert_event_links(hrefs: &[String], slugs: &[&str]) {
    let same =
        hrefs.len() == slugs.len() && hrefs.iter().zip(slugs).all(|(h, s)| links_to_event(h, s));
    assert!(same, "expected links to {slugs:?}, found {hrefs:?}");
}

/// Asserts whether any of `hrefs` links to the event `slug`.
pub fn assert_links_to(hrefs: &[String], slug: &str, expected: bool) {
    let found = hrefs.iter().any(|h| links_to_event(h, slug));
    assert_eq!(
        found, expected,
        "link to {slug} present: {found}, expected {expected}; links: {hrefs:?}"
    );
}

/// Reads the first line a started `annals serve` prints (its stdout must be
/// piped) and returns its URL split into the origin (`127.0.0.1:port`) and
/// the base path (`/`, or `/sub/` for a sub-path site).
pub fn served_at(child: &mut std::process::Child) -> (String, String) {
    use std::io::BufRead;
    let stdout = child.stdout.take().expect("serve's stdout is piped");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a first line");
    let after_scheme = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let slash = after_scheme.find('/').unwrap_or(after_scheme.len());
    let base = format!("{}/", after_scheme[slash..].trim_end_matches('/'));
    (after_scheme[..slash].to_string(), base)
}

/// Runs `annals import FILE --site SITE` with `extra` arguments.
pub fn import_into(site: &TestSite, file: &Path, extra: &[&str]) -> Output {
    annals()
        .arg("import")
        .arg(file)
        .arg("--site")
        .arg(site.path())
        .args(extra)
        .output()
        .expect("run annals")
}

/// The event `slug` of the built site's `events.json`.
pub fn events_json_entry(site: &TestSite, slug: &str) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.public().join("events.json")).expect("events.json"),
    )
    .expect("JSON");
    json["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["slug"] == slug)
        .unwrap_or_else(|| panic!("{slug} in events.json"))
        .clone()
}

/// The name and data of a search-index part, a file written as
/// `annalsIndex(name, data);`.
pub fn search_part(path: &Path) -> (String, serde_json::Value) {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let inner = text
        .trim_end()
        .strip_prefix("annalsIndex(")
        .and_then(|t| t.strip_suffix(");"))
        .unwrap_or_else(|| panic!("{}: not a call to annalsIndex", path.display()));
    let value: serde_json::Value =
        serde_json::from_str(&format!("[{inner}]")).expect("JSON arguments");
    (
        value[0].as_str().unwrap_or_default().to_string(),
        value[1].clone(),
    )
}

/// A list of event numbers in the search index's encoding (see
/// `search_index::encode`): base-32 digits, the last of each number from
/// a second alphabet, each number the gap after the one before.
pub fn decode_list(text: &str) -> Vec<usize> {
    const MORE: &str = "0123456789abcdefghijklmnopqrstuv";
    const LAST: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_.";
    let (mut out, mut next, mut n) = (Vec::new(), 0usize, 0usize);
    for c in text.chars() {
        if let Some(d) = MORE.find(c) {
            n = n * 32 + d;
        } else {
            let v = next + n * 32 + LAST.find(c).expect("a list digit");
            out.push(v);
            next = v + 1;
            n = 0;
        }
    }
    out
}
