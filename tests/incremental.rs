//! Incremental builds: after each kind of change, a rebuild into the
//! previous output (linking unchanged pages from it) must equal a clean
//! build byte for byte; unchanged pages really are linked, changed and
//! hand-edited ones are not. Successive rebuilds, which take over the
//! retained previous generation, stay equal to clean builds; a retained
//! folder whose manifest is missing or damaged is never trusted.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;

use common::{assert_success, read_html, sel, snapshot, stderr, text_of};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Output;

const EVENTS: usize = 40;
/// The build manifest's folder and its index (see `output::manifest`).
const MANIFEST: &str = ".annals-manifest";
const INDEX: &str = ".annals-manifest/index";

/// A generated site in a temporary folder, with two output folders beside
/// it: `inc` (built again and again) and `clean` (built once with `--clean`).
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary folder");
        fs::create_dir(dir.path().join("site")).expect("the site folder");
        corpus::generate(&dir.path().join("site"), EVENTS, 7).expect("generate a site");
        Fixture { dir }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The retained folder of the output `name`: the site its last swap
    /// replaced.
    fn retained(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!(".{name}.annals-retained"))
    }

    fn build(&self, out: &str, extra: &[&str]) -> Output {
        let output = common::annals()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .arg("build")
            .arg("--site")
            .arg(self.site())
            .arg("--out")
            .arg(self.out(out))
            .arg("--verbose")
            .args(extra)
            .output()
            .expect("run annals");
        assert_success(&output);
        output
    }

    /// Event files (relative to the site), sorted.
    fn events(&self) -> Vec<PathBuf> {
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
    fn unreferenced_event(&self) -> PathBuf {
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
fn set_field(path: &Path, key: &str, line: &str) {
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

/// The manifest's lines without the file identities (modification time
/// and inode differ between any two builds): fingerprint, size, path, part
/// by part; the index's part hashes cover the identities and are left out.
fn manifest_inputs(out: &Path) -> Vec<String> {
    let index = fs::read_to_string(out.join(INDEX)).expect("a manifest index");
    let mut lines = Vec::new();
    for line in index.lines() {
        let Some(part) = line.strip_prefix("part ") else {
            lines.push(line.to_string());
            continue;
        };
        let fields: Vec<&str> = part.split(' ').collect();
        lines.push(format!("part {} {}", fields[0], fields[1]));
        let text = fs::read_to_string(out.join(MANIFEST).join(fields[0])).expect("a part");
        for line in text.lines() {
            let fields: Vec<&str> = line.splitn(6, ' ').collect();
            assert_eq!(fields.len(), 6, "a manifest line: {line}");
            lines.push(format!("{} {} {}", fields[0], fields[1], fields[5]));
        }
    }
    lines
}

fn without_manifest(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(out);
    let before = files.len();
    files.retain(|path, _| !path.starts_with(MANIFEST));
    assert!(files.len() < before, "no manifest");
    files
}

/// How many pages the last build said it reused.
fn reused(output: &Output) -> usize {
    let err = stderr(output);
    err.lines()
        .find_map(|l| {
            let l = l.trim();
            l.ends_with("pages reused from the previous build")
                .then(|| l.split(' ').next()?.parse().ok())
                .flatten()
        })
        .unwrap_or_else(|| panic!("no reuse line in: {err}"))
}

/// Requires the outputs `inc` and `clean` to hold the same files, byte for
/// byte, and manifests made from the same inputs.
fn assert_same_files(f: &Fixture, step: &str) {
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
fn same_as_clean(name: &str, change: impl FnOnce(&Fixture)) -> (Fixture, Output) {
    let f = Fixture::new();
    f.build("inc", &[]);
    change(&f);
    let rebuilt = f.build("inc", &[]);
    f.build("clean", &["--clean"]);
    assert_same_files(&f, name);
    (f, rebuilt)
}

#[test]
fn body_edit() {
    let (f, rebuilt) = same_as_clean("body edit", |f| {
        let path = &f.events()[3];
        let mut text = fs::read_to_string(path).expect("read");
        text.push_str("\nA paragraph added since the last build.\n");
        fs::write(path, text).expect("write");
    });
    let slug = f.events()[3]
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let page = read_html(&f.out("inc").join(format!("events/{slug}/index.html")));
    assert!(
        page.select(&sel("p"))
            .any(|p| text_of(p) == "A paragraph added since the last build."),
        "the edited event page shows the new paragraph"
    );
    // A body edit leaves every other page's inputs alone.
    let reused = reused(&rebuilt);
    assert!(reused > EVENTS / 2, "only {reused} pages reused");
}

#[test]
fn event_added() {
    same_as_clean("add", |f| {
        let from = &f.events()[0];
        let text = fs::read_to_string(from).expect("read");
        let text = text.replacen("title: \"", "title: \"Added ", 1);
        fs::write(from.with_file_name("added-event.md"), text).expect("write");
    });
}

#[test]
fn event_deleted() {
    same_as_clean("delete", |f| {
        fs::remove_file(f.unreferenced_event()).expect("delete");
    });
}

#[test]
fn event_file_renamed() {
    same_as_clean("rename", |f| {
        let from = f.unreferenced_event();
        fs::rename(&from, from.with_file_name("renamed-event.md")).expect("rename");
    });
}

#[test]
fn slug_changed() {
    same_as_clean("slug change", |f| {
        set_field(&f.unreferenced_event(), "slug", "slug: a-new-slug");
    });
}

#[test]
fn date_moved_across_years() {
    same_as_clean("date move", |f| {
        set_field(&f.events()[5], "date", "date: 1971-03-04");
    });
}

#[test]
fn track_changed() {
    same_as_clean("track change", |f| {
        set_field(&f.events()[6], "tracks", "tracks: [quad, us-rok]");
    });
}

#[test]
fn template_overridden() {
    let (f, rebuilt) = same_as_clean("template edit", |f| {
        let theme =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/year.html");
        let text = fs::read_to_string(theme).expect("the theme's year.html");
        let dir = f.site().join("templates");
        fs::create_dir_all(&dir).expect("templates folder");
        let edited = text.replacen(
            "{% endblock content %}",
            "<p class=\"edited-mark\">edited</p>{% endblock content %}",
            1,
        );
        assert_ne!(edited, text, "year.html has a content block");
        fs::write(dir.join("year.html"), edited).expect("write");
    });
    assert_eq!(reused(&rebuilt), 0, "a template change rebuilds every page");
    let year = fs::read_dir(f.out("inc").join("years"))
        .expect("the years folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("a year page");
    let page = read_html(&year.join("index.html"));
    assert_eq!(
        page.select(&sel("p.edited-mark")).count(),
        1,
        "the override is used"
    );
}

#[test]
fn config_changed() {
    let (f, rebuilt) = same_as_clean("config change", |f| {
        let path = f.site().join("site.yaml");
        let text = fs::read_to_string(&path).expect("site.yaml");
        fs::write(&path, text.replacen("title: ", "title: Renamed ", 1)).expect("write");
    });
    assert_eq!(
        reused(&rebuilt),
        0,
        "a configuration change rebuilds every page"
    );
    let home = read_html(&f.out("inc").join("index.html"));
    let title = home
        .select(&sel("title"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    assert!(title.contains("Renamed"), "the new title is shown: {title}");
}

fn inode(path: &Path) -> u64 {
    fs::metadata(path).expect("a page").ino()
}

#[test]
fn unchanged_pages_are_linked_and_changed_ones_written_anew() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let events = f.events();
    let slug = |p: &PathBuf| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string()
    };
    let page = |p: &PathBuf| f.out("inc").join(format!("events/{}/index.html", slug(p)));
    let (edited, untouched) = (&events[3], &events[events.len() - 1]);
    let before = (inode(&page(edited)), inode(&page(untouched)));
    let mut text = fs::read_to_string(edited).expect("read");
    text.push_str("\nMore.\n");
    fs::write(edited, text).expect("write");
    let rebuilt = f.build("inc", &[]);
    assert!(reused(&rebuilt) > 0);
    assert_eq!(
        inode(&page(untouched)),
        before.1,
        "an unchanged page is linked"
    );
    assert_ne!(
        inode(&page(edited)),
        before.0,
        "a changed page is written anew"
    );
    // The linked file is the previous build's, unchanged: its other name
    // is in the old site, kept as the retained folder.
    assert_eq!(fs::metadata(page(untouched)).expect("page").nlink(), 2);
    let retained = f.retained("inc");
    let old = retained.join(format!("events/{}/index.html", slug(untouched)));
    assert_eq!(inode(&old), before.1);

    // `--clean` links nothing, and deletes the retained folder and the
    // site it replaces.
    let clean = f.build("inc", &["--clean"]);
    assert_eq!(reused(&clean), 0);
    assert_ne!(
        inode(&page(untouched)),
        before.1,
        "--clean writes every page"
    );
    assert!(!retained.exists(), "--clean leaves no retained folder");
    assert_eq!(fs::metadata(page(untouched)).expect("page").nlink(), 1);
}

#[test]
fn a_hand_edited_output_page_is_not_reused() {
    let f = Fixture::new();
    f.build("inc", &[]);
    f.build("clean", &[]);
    let rel = Path::new("years/index.html");
    let path = f.out("inc").join(rel);
    let mut text = fs::read_to_string(&path).expect("read");
    text.push_str("<p>edited by hand</p>");
    fs::write(&path, text).expect("edit in place");
    let rebuilt = f.build("inc", &[]);
    assert!(reused(&rebuilt) > 0, "other pages are still reused");
    let doc = read_html(&path);
    assert!(
        !doc.select(&sel("p"))
            .any(|p| text_of(p) == "edited by hand"),
        "the hand edit is gone"
    );
    assert_eq!(
        fs::read(&path).expect("read"),
        fs::read(f.out("clean").join(rel)).expect("read"),
        "the page is rendered again"
    );
}

#[test]
fn a_damaged_manifest_means_a_full_build() {
    let f = Fixture::new();
    f.build("inc", &[]);
    fs::write(f.out("inc").join(INDEX), "annals-manifest 1\nglobal zz\n").expect("damage");
    let rebuilt = f.build("inc", &[]);
    assert_eq!(reused(&rebuilt), 0);
    f.build("clean", &["--clean"]);
    assert_eq!(
        manifest_inputs(&f.out("inc")),
        manifest_inputs(&f.out("clean"))
    );
}

/// The pages' total as the build reports it.
fn pages(output: &Output) -> usize {
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

#[test]
fn a_rebuild_without_changes_reuses_every_page() {
    let f = Fixture::new();
    let first = f.build("inc", &[]);
    assert_eq!(reused(&first), 0, "nothing to reuse in a new folder");
    let again = f.build("inc", &[]);
    // Every page kind has a fingerprint: none is rendered again for nothing.
    assert_eq!(reused(&again), pages(&again));
    assert!(pages(&again) > EVENTS);
}

/// Requires `inc` to equal `clean` (files, folders, the manifest's inputs)
/// and the folder holding them to hold nothing but the site, the two
/// outputs and `inc`'s retained folder: no staging folder, no lock.
fn assert_inc_is_clean(f: &Fixture, step: &str) {
    assert_same_files(f, step);
    assert_eq!(
        common::folders(&f.out("inc")),
        common::folders(&f.out("clean")),
        "{step}: the folders differ from a clean build's"
    );
    let mut beside = common::entries(f.dir.path());
    beside.sort();
    assert_eq!(
        beside,
        [".inc.annals-retained", "clean", "inc", "site"],
        "{step}: what the builds left beside the outputs"
    );
}

/// Rebuilds `inc` and builds `clean` anew, then requires them to be the
/// same.
fn rebuild_and_compare(f: &Fixture, step: &str) -> Output {
    let rebuilt = f.build("inc", &[]);
    f.build("clean", &["--clean"]);
    assert_inc_is_clean(f, step);
    rebuilt
}

fn append(path: &Path, text: &str) {
    let mut body = fs::read_to_string(path).expect("read an event");
    body.push_str(text);
    fs::write(path, body).expect("write an event");
}

#[test]
fn successive_rebuilds_through_the_retained_folder_equal_clean_builds() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let events = f.events();
    let (a, b) = (events[3].clone(), events[events.len() / 2].clone());
    let gone = f.unreferenced_event();
    let gone_text = fs::read_to_string(&gone).expect("read");
    let a_text = fs::read_to_string(&a).expect("read");

    append(&a, "\nFirst edit.\n");
    let first = rebuild_and_compare(&f, "1: an edit (the old site becomes the retained folder)");
    assert!(reused(&first) > EVENTS / 2);
    assert!(f.retained("inc").join(INDEX).is_file());

    fs::remove_file(&gone).expect("delete");
    // The event count on every page changes: every page is written again.
    rebuild_and_compare(&f, "2: a deletion");

    // The retained folder is the site of step 1: it still has the deleted
    // event's page, and the first edit; a stray file planted in it must
    // not survive either.
    fs::write(f.retained("inc").join("stray.html"), "<p>stray</p>").expect("plant");
    let stem = gone
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let gone_page = format!("events/{stem}/index.html");
    let retained_inode = inode(&f.retained("inc").join(&gone_page));
    fs::write(&gone, &gone_text).expect("re-add");
    append(&b, "\nSecond edit.\n");
    let third = rebuild_and_compare(&f, "3: the deleted event back, another edit");
    assert!(reused(&third) > EVENTS / 2);
    assert_eq!(
        inode(&f.out("inc").join(&gone_page)),
        retained_inode,
        "the re-added event's page is the retained folder's file, kept"
    );

    // Back to the text of two builds ago: neither the retained folder (step
    // 2, first edit) nor the live site holds that page any more.
    fs::write(&a, &a_text).expect("revert");
    rebuild_and_compare(&f, "4: an edit of two builds ago undone");

    let fifth = rebuild_and_compare(&f, "5: no change");
    assert_eq!(reused(&fifth), pages(&fifth));
}

/// Builds `inc` twice (so that its retained folder holds the first site),
/// then, in that folder, rewrites the page of an edited event in place
/// with bytes of the same length and its old modification time, so that
/// only the retained folder's manifest could vouch for it. Returns the
/// page's path in the output.
fn plant_a_forgery(f: &Fixture) -> PathBuf {
    let event = f.events()[3].clone();
    let original = fs::read_to_string(&event).expect("read");
    f.build("inc", &[]);
    append(&event, "\nAn edit undone later.\n");
    f.build("inc", &[]);
    fs::write(&event, original).expect("undo the edit");
    let slug = event
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let rel = format!("events/{slug}/index.html");
    let old = f.retained("inc").join(&rel);
    let bytes = fs::read(&old).expect("the first site's page");
    let mtime = fs::metadata(&old)
        .and_then(|m| m.modified())
        .expect("mtime");
    let forged = String::from_utf8_lossy(&bytes).replacen("<title>", "<title>X", 1);
    let forged = forged.replacen("</title>", "</titl>", 1);
    assert_eq!(forged.len(), bytes.len());
    let file = fs::OpenOptions::new()
        .write(true)
        .open(&old)
        .expect("open in place");
    std::io::Write::write_all(&mut &file, forged.as_bytes()).expect("forge");
    file.set_modified(mtime).expect("restore the time");
    f.out("inc").join(rel)
}

#[test]
fn a_retained_folder_with_a_damaged_or_missing_manifest_is_never_trusted() {
    for damage in ["missing", "damaged", "truncated"] {
        let f = Fixture::new();
        let page = plant_a_forgery(&f);
        let manifest = f.retained("inc").join(INDEX);
        let text = fs::read_to_string(&manifest).expect("a retained manifest");
        match damage {
            "missing" => fs::remove_file(&manifest).expect("delete"),
            "damaged" => {
                fs::write(&manifest, text.replacen("global ", "global zz", 1)).expect("damage")
            }
            _ => fs::write(&manifest, &text[..text.len() / 2]).expect("truncate"),
        }
        let rebuilt = f.build("inc", &[]);
        assert!(
            reused(&rebuilt) > 0,
            "{damage}: the live site is still used"
        );
        f.build("clean", &["--clean"]);
        assert_inc_is_clean(&f, damage);
        let title = read_html(&page)
            .select(&sel("title"))
            .next()
            .map(text_of)
            .unwrap_or_default();
        assert!(!title.starts_with('X'), "{damage}: the forgery was kept");
    }
}

#[test]
fn a_valid_retained_manifest_is_what_vouches_for_its_files() {
    // The counterpart of the test above: the same forgery, under an intact
    // manifest, is kept, which shows that the test above reaches the
    // retained folder at all.
    let f = Fixture::new();
    let page = plant_a_forgery(&f);
    f.build("inc", &[]);
    let title = read_html(&page)
        .select(&sel("title"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    assert!(
        title.starts_with('X'),
        "the retained file was kept: {title}"
    );
}

#[test]
fn clean_deletes_the_retained_folder() {
    let f = Fixture::new();
    f.build("inc", &[]);
    f.build("inc", &[]);
    assert!(f.retained("inc").join(INDEX).is_file());
    let clean = f.build("inc", &["--clean"]);
    assert_eq!(reused(&clean), 0);
    assert!(!f.retained("inc").exists());
    let mut beside = common::entries(f.dir.path());
    beside.sort();
    assert_eq!(beside, ["inc", "site"]);
}
