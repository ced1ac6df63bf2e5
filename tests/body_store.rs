//! The body store in the parse cache's folder: a rebuild takes every
//! unchanged event's rendered body from it instead of rendering the
//! Markdown again, renders an edited body afresh, never trusts a damaged
//! body or part, and stays byte-identical to a clean build throughout.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;
mod incremental_support;

use common::{read_html, sel, text_of};
use incremental_support::*;
use std::fs;
use std::path::{Path, PathBuf};

/// The store's part files, sorted.
fn parts(f: &Fixture) -> Vec<PathBuf> {
    let dir = cache_dir(f, "inc").join("bodies");
    let mut parts: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("an entry").path())
        .collect();
    parts.sort();
    parts
}

fn body_text(f: &Fixture, event: &Path) -> String {
    let slug = event.file_stem().and_then(|s| s.to_str()).expect("a slug");
    let page = read_html(&f.out("inc").join(format!("events/{slug}/index.html")));
    page.select(&sel("main"))
        .next()
        .map(text_of)
        .unwrap_or_default()
}

fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2100));
}

#[test]
fn a_file_changed_just_before_the_build_is_not_stored() {
    let f = Fixture::new();
    let edited = &f.events()[2];
    append(edited, "\nJust written.\n");
    f.build("inc", &[]);
    assert_eq!(stored(&f.build("inc", &[])), EVENTS - 1, "not stored yet");
    settle();
    f.build("inc", &[]);
    assert_eq!(stored(&f.build("inc", &[])), EVENTS);
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "settled");
}

#[test]
fn a_site_of_files_just_written_leaves_no_store() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = dir.path().join("site");
    fs::create_dir(&site).expect("the site folder");
    corpus::generate(&site, 5, 3).expect("generate a site");
    let out = dir.path().join("out");
    let build = common::annals()
        .args(["build", "--site"])
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run annals");
    assert!(build.status.success());
    assert!(
        !dir.path().join(".out.annals-cache").exists(),
        "nothing kept of files that could still change within the clock's tick"
    );
}

#[test]
fn a_rebuild_takes_every_unchanged_body_from_the_store_and_renders_an_edited_one() {
    let f = Fixture::new();
    assert_eq!(stored(&f.build("inc", &[])), 0, "nothing stored yet");
    assert!(!parts(&f).is_empty(), "the first build stores its bodies");
    assert_eq!(stored(&f.build("inc", &[])), EVENTS, "every body stored");
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "every body from the store");

    // An edit to one body: that body is rendered from the file (and
    // stored, once the file has not changed for two seconds: see
    // `content::cache::SETTLE`).
    let edited = &f.events()[3];
    append(edited, "\nA sentence added since the store was written.\n");
    settle();
    assert_eq!(stored(&f.build("inc", &[])), EVENTS - 1);
    assert!(
        body_text(&f, edited).contains("A sentence added since the store was written."),
        "the edited body is shown"
    );
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "one body edited");
    assert_eq!(stored(&f.build("inc", &[])), EVENTS, "and stored in turn");

    // Deleted and added events.
    let gone = f.unreferenced_event();
    fs::remove_file(&gone).expect("delete an event");
    let added = f.site().join("content/events/added-since.md");
    let text = fs::read_to_string(&f.events()[0]).expect("an event");
    fs::write(&added, text.replacen("title:", "title: Added since -", 1)).expect("add");
    settle();
    assert_eq!(stored(&f.build("inc", &[])), EVENTS - 1);
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "an event deleted and one added");
    assert_eq!(stored(&f.build("inc", &[])), EVENTS);

    // --clean reads nothing from the store, and writes it anew.
    assert_eq!(stored(&f.build("inc", &["--clean"])), 0);
    assert_eq!(stored(&f.build("inc", &[])), EVENTS);
}

#[test]
fn a_configuration_change_renders_every_body_again() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let config = f.site().join("site.yaml");
    let text = fs::read_to_string(&config).expect("site.yaml");
    fs::write(&config, format!("{text}\n# a comment\n")).expect("write");
    assert_eq!(stored(&f.build("inc", &[])), 0, "another configuration");
    // Links in bodies depend on the base URL.
    let url = ["--base-url", "https://example.org/sub/"];
    assert_eq!(stored(&f.build("inc", &url)), 0, "another base URL");
    assert_eq!(stored(&f.build("inc", &url)), EVENTS);
    f.build(
        "clean",
        &["--clean", "--base-url", "https://example.org/sub/"],
    );
    assert_same_files(&f, "under another base URL");
}

#[test]
fn a_damaged_body_or_part_is_never_used_and_is_written_again() {
    let f = Fixture::new();
    f.build("inc", &[]);
    f.build("clean", &["--clean"]);
    let found = parts(&f);
    // One byte changed inside the bodies of a part: the bodies around it
    // fail their checksum and are rendered again.
    let mut bytes = fs::read(&found[0]).expect("a part");
    let mid = bytes.len() / 3;
    bytes[mid] ^= 0x20;
    fs::write(&found[0], &bytes).expect("damage");
    let damaged = stored(&f.build("inc", &[]));
    assert!(damaged < EVENTS, "a damaged body is not used ({damaged})");
    assert_same_files(&f, "a damaged body");
    // The damaged part was dropped; the next build writes it again.
    f.build("inc", &[]);
    assert_eq!(stored(&f.build("inc", &[])), EVENTS);

    // Every part cut short, or replaced with junk, and stray files.
    let found = parts(&f);
    for (n, part) in found.iter().enumerate() {
        let bytes = fs::read(part).expect("a part");
        let cut = if n % 2 == 0 { bytes.len() - 9 } else { 30 };
        fs::write(part, &bytes[..cut]).expect("cut");
    }
    let dir = cache_dir(&f, "inc").join("bodies");
    fs::write(dir.join("part-1-0-extra"), b"stray").expect("a stray file");
    fs::write(dir.join(".tmp-1-part-1-0"), b"a killed build's").expect("a leftover");
    assert_eq!(stored(&f.build("inc", &[])), 0);
    assert_same_files(&f, "parts cut short");
    assert!(!dir.join("part-1-0-extra").exists(), "strays are removed");
    assert!(
        !dir.join(".tmp-1-part-1-0").exists(),
        "leftovers are removed"
    );
    assert_eq!(stored(&f.build("inc", &[])), EVENTS);
}

#[test]
fn the_store_is_never_followed_out_through_a_symbolic_link() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let dir = cache_dir(&f, "inc").join("bodies");
    fs::remove_dir_all(&dir).expect("remove the store");
    let elsewhere = f.dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("a folder");
    std::os::unix::fs::symlink(&elsewhere, &dir).expect("a link");
    assert_eq!(stored(&f.build("inc", &[])), 0);
    assert!(
        fs::read_dir(&elsewhere)
            .expect("the folder")
            .next()
            .is_none(),
        "nothing written through the link"
    );
    assert!(dir.is_dir() && !dir.is_symlink(), "a folder of its own now");
    assert_eq!(stored(&f.build("inc", &[])), EVENTS);
}
