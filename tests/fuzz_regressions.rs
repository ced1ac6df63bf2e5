//! Every input the fuzz targets in `fuzz/` found (crashes, hangs, blow-ups)
//! is kept under `tests/fuzz-regressions/<target>/` and replayed here
//! through the same entry point, so a fixed bug stays fixed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// Each input must finish well inside the fuzzers' 10 s hang limit.
fn timed(path: &Path, run: impl FnOnce()) {
    let start = Instant::now();
    run();
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "{} took {took:?}",
        path.display()
    );
}

#[test]
fn date_inputs() {
    let files = inputs("dates");
    assert!(!files.is_empty(), "the date regressions are kept");
    for path in files {
        let bytes = fs::read(&path).expect("read input");
        let text = String::from_utf8_lossy(&bytes);
        timed(&path, || {
            if let Ok(date) = annals::dates::EventDate::parse(&text) {
                let again = annals::dates::EventDate::parse(&date.machine()).expect("round trip");
                assert_eq!(again.machine(), date.machine(), "{}", path.display());
                let _ = date.display();
            }
        });
    }
}

fn front_matter(path: &Path, bytes: Vec<u8>) {
    let file = annals::stages::SourceFile {
        rel: PathBuf::from("content/events/a.md"),
        shown: PathBuf::from("content/events/a.md"),
        bytes,
    };
    timed(path, || match annals::stages::parse(&file) {
        Ok(doc) => {
            let config = annals::Config::default();
            let _ = annals::stages::validate_event(&doc, &file.shown, &config);
        }
        Err(d) => assert!(d.pos.line >= 1 && d.pos.column >= 1, "{d}"),
    });
}

#[test]
fn front_matter_inputs() {
    for path in inputs("front_matter") {
        let bytes = fs::read(&path).expect("read input");
        front_matter(&path, bytes);
    }
}

#[test]
fn whole_build_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("content/events");
    fs::create_dir_all(&events).expect("mkdir");
    for path in inputs("build_one") {
        let bytes = fs::read(&path).expect("read input");
        fs::write(events.join("a.md"), &bytes).expect("write");
        let mut options = annals::BuildOptions::new(dir.path());
        options.out = Some(dir.path().join("public"));
        timed(&path, || match annals::build(&options) {
            Ok(_) | Err(annals::Error::Content(_)) => {}
            Err(other) => panic!("{}: {other:?}", path.display()),
        });
    }
}

/// Inputs written by hand for the blow-ups the fuzzers pointed at.
#[test]
fn deep_flow_nesting_is_refused_quickly() {
    let mut text = String::from("---\ntitle: T\ntags: ");
    text.push_str(&"[".repeat(100_000));
    text.push_str(&"]".repeat(100_000));
    text.push_str("\n---\n");
    let file = annals::stages::SourceFile {
        rel: PathBuf::from("a.md"),
        shown: PathBuf::from("a.md"),
        bytes: text.into_bytes(),
    };
    let start = Instant::now();
    let err = annals::stages::parse(&file).expect_err("refused");
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(err.message.contains("nest deeper than"), "{err}");
    assert_eq!((err.pos.line, err.pos.column), (3, 71));
}
