//! Browser tests: builds the repository's own site under a sub-path, serves
//! it from a small static server on a free loopback port, and runs
//! `tests/browser/run.mjs` (playwright-core driving headless Chromium).
//! Filters, URL state, the back button, the compare lanes, embeds, the
//! no-JavaScript fallbacks and 390 px layouts are checked there, and
//! screenshots are saved to `target/browser-screens/`. A generated archive
//! larger than the timeline page is checked by `tests/browser/archive.mjs`:
//! search and filters over every event, from the sharded index.
//!
//! Missing tools fail the test with the command that fixes it: a skipped
//! browser test would let a broken theme pass CI.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

const SUB_PATH: &str = "/timeline/";

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

/// Answers one GET with a file under `root` (a folder means its
/// `index.html`); anything outside the sub-path or with `..` is a 404.
fn answer(mut stream: TcpStream, root: &Path) {
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = path
        .strip_prefix(SUB_PATH)
        .filter(|rest| !rest.split('/').any(|s| s == ".."))
        .map(|rest| {
            let rest = percent_decode(rest);
            let f = root.join(&rest);
            if rest.is_empty() || rest.ends_with('/') {
                f.join("index.html")
            } else {
                f
            }
        });
    let (status, body, kind) = match file.as_ref().and_then(|f| std::fs::read(f).ok()) {
        Some(bytes) => ("200 OK", bytes, file.as_deref().map_or("", content_type)),
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    port
}

/// What the browser checks need, checked loudly: Node.js, playwright-core
/// and Chromium. Returns the scripts' folder and Chromium's path.
fn browser_tools() -> (PathBuf, String) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tests_dir = manifest.join("tests/browser");
    let node = std::process::Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "Node.js is required for the browser tests: install it (apt-get install -y nodejs npm)"
    );
    assert!(
        tests_dir.join("node_modules/playwright-core").is_dir(),
        "playwright-core is missing: run `npm ci` in tests/browser"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "Chromium is missing at {chromium}: apt-get install -y chromium (or set CHROMIUM)"
    );
    (tests_dir, chromium)
}

/// Builds `site` into `out` under the test sub-path's base URL.
fn build_site(site: &Path, out: &Path) {
    Command::cargo_bin("annals")
        .expect("the annals binary")
        .args(["build", "--quiet", "--site"])
        .arg(site)
        .arg("--out")
        .arg(out)
        .args(["--base-url", "https://example.org/timeline/"])
        .assert()
        .success();
}

/// Serves `out` and runs `script` (in tests/browser) on it with `args`
/// after the base URL; the script must succeed and print `passed`.
fn run_script(out: PathBuf, script: &str, args: &[&str], passed: &str) {
    let (tests_dir, chromium) = browser_tools();
    let port = serve(out);
    let run = std::process::Command::new("node")
        .current_dir(&tests_dir)
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}{SUB_PATH}"))
        .args(args)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(passed), "{stdout}");
}

fn screens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screens")
}

/// Builds the repository's own site and runs `script` on it with the
/// screenshots' folder, which it returns.
fn run_on_own_site(script: &str, passed: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temporary folder");
    let out = tmp.path().join("public");
    build_site(manifest, &out);
    let screens = screens_dir();
    let shown = screens.to_string_lossy().into_owned();
    run_script(out, script, &[&shown], passed);
    screens
}

#[test]
fn theme_works_in_headless_chromium() {
    let screens = run_on_own_site("run.mjs", "all browser checks passed");
    for shot in [
        "index-1280.png",
        "index-390.png",
        "compare-1280.png",
        "compare-390.png",
    ] {
        assert!(screens.join(shot).is_file(), "screenshot {shot} missing");
    }
}

/// A site of `n` meetings in two tracks, a list page holding `per` events.
fn paginated_site(dir: &Path, n: usize, per: usize) {
    let events = dir.join("content/events");
    std::fs::create_dir_all(&events).expect("create content/events");
    std::fs::write(
        dir.join("site.yaml"),
        format!(
            "title: Paged\ntracks:\n  us-japan: {{label: US–Japan}}\n  us-rok: {{label: US–ROK}}\npaginate: {per}\n"
        ),
    )
    .expect("write site.yaml");
    for i in 0..n {
        let track = if i % 3 == 0 { "us-rok" } else { "us-japan" };
        std::fs::write(
            events.join(format!("e{i:03}.md")),
            format!(
                "---\ntitle: \"Talk number {i} on alliance matters\"\ndate: {}-{:02}-{:02}\nkind: meeting\ntracks: [{track}]\nsummary: A generated event.\nsources:\n  - {{title: A source, publisher: Test}}\n---\nBody.\n",
                2015 + i / 12,
                i % 12 + 1,
                i % 28 + 1
            ),
        )
        .expect("write an event");
    }
}

#[test]
fn pagination_works_in_headless_chromium() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = tmp.path().join("site");
    paginated_site(&site, 120, 10);
    let out = tmp.path().join("public");
    build_site(&site, &out);
    let screens = screens_dir();
    let shown = screens.to_string_lossy().into_owned();
    run_script(
        out,
        "pagination.mjs",
        &[&shown],
        "all pagination checks passed",
    );
    assert!(screens.join("term-page-390.png").is_file());
}

/// Search and the timeline's filters on an archive larger than the
/// timeline page: both read the sharded index (tests/browser/archive.mjs).
#[test]
fn search_and_filters_cover_the_whole_archive() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).expect("site folder");
    corpus::generate(&site, 1500, 11).expect("corpus");
    let out = tmp.path().join("public");
    build_site(&site, &out);
    // An event from the middle of the archive, so on no first timeline
    // page whichever the order: its title ends in a number no other title
    // has.
    let chunk = std::fs::read_to_string(out.join("search-index/d/20.js")).expect("documents");
    let inner = chunk
        .trim_end()
        .strip_prefix("annalsIndex(")
        .and_then(|t| t.strip_suffix(");"))
        .expect("a call to annalsIndex");
    let args: serde_json::Value = serde_json::from_str(&format!("[{inner}]")).expect("JSON");
    let first = &args[1][0];
    let word = first[1]
        .as_str()
        .and_then(|t| t.rsplit(' ').next())
        .expect("a title")
        .to_string();
    let path = first[0].as_str().expect("a path").to_string();
    run_script(
        out,
        "archive.mjs",
        &[&word, &path],
        "all archive checks passed",
    );
}

/// The time axis on the repository's own site: marks lead to events in
/// time order from the keyboard, it stays legible on a phone, and a
/// brushed range filters the list through the URL (tests/browser/axis.mjs).
#[test]
fn the_time_axis_works_in_headless_chromium() {
    let screens = run_on_own_site("axis.mjs", "all axis checks passed");
    assert!(screens.join("axis-brushed-1280.png").is_file());
}

/// Japanese and Korean queries on the search page find the events that
/// hold them, whatever part of a word they are (tests/browser/cjk.mjs).
#[test]
fn japanese_and_korean_search_finds_its_events() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = tmp.path().join("site");
    let events = site.join("content/events");
    std::fs::create_dir_all(&events).expect("content/events");
    std::fs::write(site.join("site.yaml"), "title: 同盟\n").expect("site.yaml");
    for (slug, date, title, summary, body, extra) in [
        (
            "ja-alliance",
            "2024-07-28",
            "日米同盟の強化について",
            "日米の閣僚が会談した。",
            "本文です。",
            "",
        ),
        (
            "ja-summit",
            "2024-07-29",
            "首脳会談とサミット",
            "拡大抑止の強化で一致した。",
            "",
            "",
        ),
        (
            "ko-alliance",
            "2024-07-11",
            "한미동맹 강화 합의",
            "윤석열 대통령이 서명했다.",
            "",
            "",
        ),
        (
            "ko-ncg",
            "2024-06-10",
            "핵협의그룹 회의",
            "제3차 회의가 열렸다.",
            "워싱턴에서.",
            "",
        ),
        (
            "en-alliance",
            "2024-05-01",
            "An alliance meeting",
            "Ministers met.",
            "",
            "",
        ),
        // Found by the name in either script (`native`).
        (
            "en-yoon",
            "2024-04-01",
            "A summit in Seoul",
            "Presidents met.",
            "",
            "participants: [{name: Yoon Suk Yeol, native: 윤석열}]\n",
        ),
    ] {
        std::fs::write(
            events.join(format!("{slug}.md")),
            format!(
                "---\ntitle: \"{title}\"\ndate: {date}\nkind: meeting\n{extra}summary: \"{summary}\"\nsources:\n  - {{title: S}}\n---\n{body}\n"
            ),
        )
        .expect("an event");
    }
    let out = tmp.path().join("public");
    build_site(&site, &out);
    run_script(out, "cjk.mjs", &[], "all cjk search checks passed");
}
