//! `annals::Error` as a standard error: its message, its exit code and the
//! OS error it keeps as its source, through the library and the binary.

mod common;

use common::*;
use std::error::Error as _;
use std::fs;
use std::io;
use std::path::Path;

/// The `io::Error` an error carries as its source, if any.
fn io_source(err: &annals::Error) -> Option<&io::Error> {
    err.source().and_then(|s| s.downcast_ref::<io::Error>())
}

#[test]
fn a_read_failure_keeps_the_os_error_as_its_source() {
    let site = TestSite::new();
    // A folder named like a content file: opening works, reading does not.
    fs::create_dir_all(site.path().join("content/events/folder.md")).expect("folder");
    let err = annals::stages::read(site.path(), Path::new("content/events/folder.md"))
        .expect_err("reading a folder fails");
    let source = io_source(&err).expect("the OS error is the source");
    assert_eq!(source.kind(), io::ErrorKind::IsADirectory);
    let shown = site.path().join("content/events/folder.md");
    assert_eq!(
        err.to_string(),
        format!("cannot read {}: {source}", shown.display())
    );
    assert_eq!(err.exit_code(), 2);
    assert!(err.diagnostics().is_empty());
}

#[test]
fn init_in_a_file_says_what_failed_and_why() {
    let dir = tempfile::tempdir().expect("temp folder");
    let file = dir.path().join("not-a-folder");
    fs::write(&file, "x").expect("write");
    let err = annals::init(&file, None).expect_err("a file is no site folder");
    let source = io_source(&err).expect("the OS error is the source");
    assert_eq!(source.kind(), io::ErrorKind::NotADirectory);
    assert_eq!(
        err.to_string(),
        format!("cannot read {}: {source}", file.display())
    );
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn a_build_into_a_path_below_a_file_is_an_io_error_with_its_cause() {
    let site = TestSite::new();
    site.event("2024/a.md", simple_event("A", "2024-01-01"));
    let blocker = site.dir.path().join("blocker");
    fs::write(&blocker, "x").expect("write");
    let out = blocker.join("out");
    let mut options = annals::BuildOptions::new(site.path());
    options.out = Some(out.clone());
    let err = annals::build(&options).expect_err("cannot write below a file");
    let source = io_source(&err).expect("the OS error is the source");
    assert!(matches!(err, annals::Error::Io { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("cannot lock the output folder {}: {source}", out.display())
    );
    assert_eq!(err.exit_code(), 2);

    // The binary prints the same message after `error: `, once, and exits 2.
    let run = site.build(&["--out", &out.to_string_lossy()]);
    assert_code(&run, 2);
    let lines: Vec<String> = stderr(&run).lines().map(str::to_string).collect();
    assert_eq!(lines, [format!("error: {err}")]);
}

#[test]
fn content_problems_count_themselves_and_have_no_source() {
    let site = TestSite::new();
    site.event("2024/a.md", "---\ntitle: A\n---\n");
    site.event("2024/b.md", "---\ntitle: B\n---\n");
    let err = annals::check(&annals::BuildOptions::new(site.path())).expect_err("invalid");
    let n = err.diagnostics().len();
    assert!(n >= 2, "{err:?}");
    assert_eq!(err.to_string(), format!("{n} problems found"));
    assert!(err.source().is_none());
    assert_eq!(err.exit_code(), 1);

    // The binary lists each diagnostic, then that message as the last line.
    let run = annals()
        .args(["check", "--site"])
        .arg(site.path())
        .output()
        .expect("run annals");
    assert_code(&run, 1);
    let mut expected: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    expected.push(format!("error: {n} problems found"));
    assert_eq!(stderr(&run), format!("{}\n", expected.join("\n")));
}

#[test]
fn one_content_problem_is_singular() {
    let site = TestSite::new();
    site.event(
        "2024/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nkind: nonsense\nsummary: S.\nsources: [{title: T}]\n---\n",
    );
    let err = annals::check(&annals::BuildOptions::new(site.path())).expect_err("invalid");
    assert_eq!(err.diagnostics().len(), 1, "{err:?}");
    assert_eq!(err.to_string(), "1 problem found");
}
