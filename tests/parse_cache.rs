//! The parse cache beside the output: a rebuild takes every unchanged
//! event file from it instead of reading and parsing it, sees every kind
//! of change to a file (even one that keeps its size and modification
//! time), never trusts a damaged part, and stays byte-identical to a clean
//! build throughout.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;
mod incremental_support;

use common::{read_html, sel, text_of};
use incremental_support::*;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn slug_of(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

fn title_of(f: &Fixture, path: &Path) -> String {
    let page = read_html(
        &f.out("inc")
            .join(format!("events/{}/index.html", slug_of(path))),
    );
    page.select(&sel("h1"))
        .next()
        .map(text_of)
        .unwrap_or_default()
}

#[test]
fn a_rebuild_takes_every_unchanged_event_from_the_cache() {
    let f = Fixture::new();
    let first = f.build("inc", &[]);
    assert_eq!(cached(&first), 0, "no cache before the first build");
    assert!(
        cache_dir(&f, "inc").is_dir(),
        "the cache is beside the output"
    );
    assert!(
        !f.out("inc").join(".annals-cache").exists()
            && common::snapshot(&f.out("inc"))
                .keys()
                .all(|p| !p.to_string_lossy().contains("cache")),
        "nothing of the cache is inside the output"
    );
    let again = f.build("inc", &[]);
    assert_eq!(cached(&again), EVENTS, "every event file from the cache");
    // --clean reads nothing from it.
    let clean = f.build("clean", &["--clean"]);
    assert_eq!(cached(&clean), 0);
    let clean_again = f.build("inc", &["--clean"]);
    assert_eq!(cached(&clean_again), 0, "--clean ignores the cache");
    assert_same_files(&f, "rebuilt from the cache");
}

#[test]
fn an_edited_event_is_parsed_again_and_the_others_are_not() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let edited = &f.events()[4];
    set_field(
        edited,
        "title",
        "title: \"A title set since the cache was written\"",
    );
    let rebuilt = f.build("inc", &[]);
    assert_eq!(cached(&rebuilt), EVENTS - 1);
    assert_eq!(
        title_of(&f, edited),
        "A title set since the cache was written"
    );
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "one event edited");
}

#[test]
fn touching_a_file_without_changing_it_parses_it_again_with_the_same_result() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let touched = &f.events()[2];
    let file = fs::File::options()
        .write(true)
        .open(touched)
        .expect("open an event");
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set its modification time");
    drop(file);
    let rebuilt = f.build("inc", &[]);
    assert_eq!(cached(&rebuilt), EVENTS - 1, "the touched file is parsed");
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "touched without change");
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_seen() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let edited = &f.events()[5];
    let before = fs::metadata(edited).expect("an event");
    let text = fs::read_to_string(edited).expect("read");
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title: "))
        .expect("a title line")
        .to_string();
    // The same number of bytes: only the status change time can tell.
    let same_size = format!("title: \"{}\"", "Z".repeat(title_line.len() - 9));
    assert_eq!(same_size.len(), title_line.len());
    fs::write(edited, text.replacen(&title_line, &same_size, 1)).expect("write");
    let file = fs::File::options().write(true).open(edited).expect("open");
    file.set_modified(before.modified().expect("mtime"))
        .expect("put the modification time back");
    drop(file);
    let after = fs::metadata(edited).expect("an event");
    assert_eq!(
        (after.len(), after.modified().ok()),
        (before.len(), before.modified().ok())
    );
    let rebuilt = f.build("inc", &[]);
    assert_eq!(cached(&rebuilt), EVENTS - 1, "the edited file is parsed");
    assert_eq!(title_of(&f, edited), "Z".repeat(title_line.len() - 9));
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "same size and time");
}

#[test]
fn a_damaged_or_foreign_part_is_ignored() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let dir = cache_dir(&f, "inc");
    // The body store's folder is beside the parts (see tests/body_store.rs),
    // and so is the citations' cut (see tests/citation.rs).
    let mut parts: Vec<_> = fs::read_dir(&dir)
        .expect("the cache")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("part-"))
        })
        .collect();
    parts.sort();
    assert!(!parts.is_empty());
    // One byte changed in the middle of a part: its checksum fails.
    let mut bytes = fs::read(&parts[0]).expect("a part");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    fs::write(&parts[0], &bytes).expect("damage");
    let rebuilt = f.build("inc", &[]);
    let damaged = cached(&rebuilt);
    assert!(damaged < EVENTS, "the damaged part's events are parsed");
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "a damaged part");
    // The build wrote the part anew; junk in every part is ignored too.
    assert_eq!(cached(&f.build("inc", &[])), EVENTS);
    for part in &parts {
        fs::write(part, b"annals-parse-cache 2\njunk").expect("junk");
    }
    fs::write(dir.join("part-1-0-extra"), b"stray").expect("a stray file");
    assert_eq!(cached(&f.build("inc", &[])), 0);
    assert!(!dir.join("part-1-0-extra").exists(), "strays are removed");
    assert_same_files(&f, "junk parts");
    // A site configuration change parses every file again.
    let config = f.site().join("site.yaml");
    let text = fs::read_to_string(&config).expect("site.yaml");
    fs::write(&config, format!("{text}\n# a comment\n")).expect("write");
    assert_eq!(cached(&f.build("inc", &[])), 0, "another configuration");
}

#[test]
fn a_file_changed_just_before_the_build_is_not_recorded() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let edited = &f.events()[1];
    append(edited, "\nJust written.\n");
    // Written within the settling time: parsed now, and again next time
    // (it could still change within the same clock tick).
    assert_eq!(cached(&f.build("inc", &[])), EVENTS - 1);
    assert_eq!(cached(&f.build("inc", &[])), EVENTS - 1);
    std::thread::sleep(Duration::from_millis(2100));
    f.build("inc", &[]);
    assert_eq!(cached(&f.build("inc", &[])), EVENTS);
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "settled");
}
