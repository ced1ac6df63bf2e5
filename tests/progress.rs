//! Progress reports: the library tells an observer each stage with its
//! total and counts every item of it; the command line draws nothing of
//! that when stderr is not a terminal.

#[path = "../benches/support/corpus.rs"]
mod corpus;

mod common;

use annals::{BuildOptions, Observer, Stage};
use common::stderr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

// Enough for a debug build to take well over the second after which a
// terminal would show progress.
const EVENTS: usize = 400;

/// Records each stage with its total, and how many items were counted in it.
#[derive(Default)]
struct Recorder {
    stages: Mutex<Vec<(Stage, Option<usize>, usize)>>,
    current: AtomicUsize,
    waited: AtomicUsize,
}

impl Recorder {
    fn close_stage(&self) {
        let mut stages = self.stages.lock().expect("lock");
        if let Some(last) = stages.last_mut() {
            last.2 = self.current.swap(0, Ordering::Relaxed);
        }
    }

    /// Every stage as (stage, total, counted), once the run is over.
    fn finished(&self) -> Vec<(Stage, Option<usize>, usize)> {
        self.close_stage();
        self.stages.lock().expect("lock").clone()
    }
}

impl Observer for Recorder {
    fn waiting(&self, _out: &Path) {
        self.waited.fetch_add(1, Ordering::Relaxed);
    }

    fn stage(&self, stage: Stage, total: Option<usize>) {
        self.close_stage();
        self.stages.lock().expect("lock").push((stage, total, 0));
    }

    fn advance(&self, n: usize) {
        self.current.fetch_add(n, Ordering::Relaxed);
    }
}

fn generated_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir(&site).expect("mkdir");
    corpus::generate(&site, EVENTS, 3).expect("generate corpus");
    (dir, site)
}

/// Files below `root`.
fn count_files(root: &Path) -> usize {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

#[test]
fn a_build_reports_every_stage_with_counts_that_add_up() {
    let (dir, site) = generated_site();
    let mut options = BuildOptions::new(&site);
    options.out = Some(dir.path().join("out"));
    let recorder = Recorder::default();
    let report = annals::build_notifying(&options, &recorder).expect("build");
    let stages = recorder.finished();

    let names: Vec<Stage> = stages.iter().map(|s| s.0).collect();
    assert_eq!(
        names,
        [Stage::Read, Stage::Render, Stage::Static, Stage::Swap]
    );
    // Every stage with a total counts exactly that many items.
    for (stage, total, counted) in &stages {
        if let Some(total) = total {
            assert_eq!(counted, total, "{stage:?} counted {counted} of {total}");
        }
    }
    let content_files = count_files(&site.join("content"));
    assert_eq!(
        stages[0].1,
        Some(content_files),
        "one item per content file"
    );
    // Pages, exports and static files are all the output holds (with the
    // marker that says annals wrote it and the build manifest's index and
    // parts); the render
    // stage counts the pages and the exports, the search index's parts as
    // one with its manifest.
    let written = count_files(&dir.path().join("out"));
    let parts = count_files(&dir.path().join("out/search-index"));
    assert!(parts > 0, "the search index has parts");
    let rendered = stages[1].1.expect("pages and exports are counted");
    let manifest = count_files(&dir.path().join("out/.annals-manifest"));
    assert!(manifest >= 2, "the manifest has an index and a part");
    assert_eq!(
        rendered + report.static_files + 1 + manifest + parts,
        written
    );
    assert!(
        rendered >= report.pages + 5,
        "events.json, schema, TimelineJS, sitemap, robots beside the pages"
    );
    assert_eq!(recorder.waited.load(Ordering::Relaxed), 0);
}

#[test]
fn check_reports_the_same_stages_but_the_swap() {
    let (_dir, site) = generated_site();
    let recorder = Recorder::default();
    let report = annals::check_notifying(&BuildOptions::new(&site), &recorder).expect("check");
    let stages = recorder.finished();
    let names: Vec<Stage> = stages.iter().map(|s| s.0).collect();
    assert_eq!(names, [Stage::Read, Stage::Render, Stage::Static]);
    let rendered = stages[1].1.expect("pages and exports are counted");
    assert!(
        rendered >= report.pages + 5,
        "{rendered} for {} pages",
        report.pages
    );
    for (stage, total, counted) in &stages {
        if let Some(total) = total {
            assert_eq!(counted, total, "{stage:?} counted {counted} of {total}");
        }
    }
}

/// Piped stderr is not a terminal: a build long enough to show progress
/// on one prints its last line and nothing else, and no control sequence.
#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    let (dir, site) = generated_site();
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    let built = common::annals()
        .args(["build", "--site"])
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run annals build");
    let took = started.elapsed();
    common::assert_success(&built);
    let text = stderr(&built);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\r'),
        "control sequences in {text:?}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one line after {took:?}: {text:?}");
    assert!(lines[0].starts_with(&format!("Built {EVENTS} events into ")));

    let checked = common::annals()
        .args(["check", "--site"])
        .arg(&site)
        .output()
        .expect("run annals check");
    common::assert_success(&checked);
    let text = stderr(&checked);
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
    assert_eq!(text.lines().count(), 1, "{text:?}");
    assert!(text.starts_with(&format!("Checked {EVENTS} events and ")));

    let quiet = common::annals()
        .args(["build", "--quiet", "--site"])
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run annals build --quiet");
    common::assert_success(&quiet);
    assert_eq!(stderr(&quiet), "");
}
