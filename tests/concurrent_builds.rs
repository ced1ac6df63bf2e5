//! Builds that run at the same time into one output take turns: the one
//! that comes second waits for the lock and says so, and every build that
//! exits 0 leaves the whole site. `serve` sessions on the same site write
//! nothing into it while a build runs.

#[path = "../benches/support/corpus.rs"]
mod corpus;

mod common;

use common::{snapshot, stderr};
use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const EVENTS: usize = 1_000;

/// Every file below `root`, relative and sorted.
fn files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = snapshot(root).into_keys().collect();
    out.sort();
    out
}

fn build(site: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.args(["build", "--site"])
        .arg(site)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The staging folders beside `public/` while a build runs.
fn staging_folders(site: &Path) -> Vec<String> {
    fs::read_dir(site)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".public.annals-staging"))
                .collect()
        })
        .unwrap_or_default()
}

/// Starts a build and returns once its staging folder exists, so it holds
/// the output lock while the caller starts another.
fn start_and_wait_for_staging(site: &Path) -> Child {
    let child = build(site).spawn().expect("spawn annals build");
    let started = Instant::now();
    while staging_folders(site).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the first build never made a staging folder"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

/// Fails if a hidden file or folder (a lock, a staging folder) is left in
/// `site`, beside the outputs.
fn assert_nothing_hidden_in(site: &Path) {
    let beside: Vec<String> = fs::read_dir(site)
        .expect("read site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        // The site the last swap replaced, kept for the next build: a
        // whole previous site with its manifest, never a half-made one.
        .filter(|n| {
            !(n.ends_with(".annals-retained")
                && site.join(n).join(".annals-manifest/index").is_file())
        })
        // The parse cache, kept for the next build (see `content::cache`).
        .filter(|n| !(n.ends_with(".annals-cache") && site.join(n).is_dir()))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("wait for annals build")
}

fn generated_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    fs::create_dir(&site).expect("mkdir");
    corpus::generate(&site, EVENTS, 11).expect("generate corpus");
    (dir, site)
}

#[test]
fn two_builds_at_once_take_turns_and_publish_the_whole_site() {
    let (_dir, site) = generated_site();
    let out = site.join("public");
    let reference = finish(build(&site).spawn().expect("spawn"));
    assert!(reference.status.success(), "{}", stderr(&reference));
    let whole = files(&out);
    assert!(whole.len() > EVENTS, "the reference site is too small");

    for round in 0..2 {
        let first = start_and_wait_for_staging(&site);
        let second = build(&site).spawn().expect("spawn the second build");
        let (first, second) = (finish(first), finish(second));
        for (name, run) in [("first", &first), ("second", &second)] {
            assert!(
                run.status.success(),
                "round {round}: the {name} build failed:\n{}",
                stderr(run)
            );
        }
        assert!(
            stderr(&second).contains("waiting for it to finish"),
            "round {round}: the second build did not say it waited:\n{}",
            stderr(&second)
        );
        assert_eq!(files(&out), whole, "round {round}: the site is not whole");
        assert!(out.join("index.html").is_file());
        assert!(staging_folders(&site).is_empty(), "staging left behind");
        assert!(site.join(".public.annals-retained").is_dir());
        assert_nothing_hidden_in(&site);
    }
}

/// Three builds started together (no ordering): whichever finishes last,
/// the output is whole and nothing is left beside it.
#[test]
fn three_builds_started_together_leave_a_whole_site() {
    let (_dir, site) = generated_site();
    let out = site.join("public");
    let runs: Vec<Child> = (0..3)
        .map(|_| build(&site).spawn().expect("spawn"))
        .collect();
    for run in runs {
        let run = finish(run);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let after_race = files(&out);
    let clean = finish(build(&site).spawn().expect("spawn"));
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert_eq!(after_race, files(&out), "a raced build left another site");
    assert!(staging_folders(&site).is_empty(), "staging left behind");
}

fn http_get(origin: &str, path: &str) -> u16 {
    let mut stream = TcpStream::connect(origin).expect("connect to serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {origin}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Starts `annals serve` on a free port and returns it with its origin and
/// the site's base path.
fn serve(site: &Path) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--port", "0", "--site"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("annals serve starts");
    let (origin, base) = common::served_at(&mut child);
    (child, origin, base)
}

#[test]
fn serve_sessions_sharing_a_site_write_nothing_into_it() {
    let (_dir, site) = generated_site();
    let sources = snapshot(&site);
    let mut servers: Vec<(Child, String, String)> = (0..2).map(|_| serve(&site)).collect();
    let building = build(&site).spawn().expect("spawn a build beside serve");
    for (_, origin, base) in &servers {
        assert_eq!(http_get(origin, base), 200);
        assert_eq!(http_get(origin, &format!("{base}events.json")), 200);
    }
    let built = finish(building);
    assert!(built.status.success(), "{}", stderr(&built));
    for (child, _, _) in &mut servers {
        let _ = child.kill();
        let _ = child.wait();
    }
    let after: Vec<PathBuf> = snapshot(&site)
        .into_keys()
        // The output and the parse cache beside it (see `content::cache`).
        .filter(|p| !p.starts_with("public") && !p.starts_with(".public.annals-cache"))
        .collect();
    let before: Vec<PathBuf> = sources.into_keys().collect();
    assert_eq!(
        before, after,
        "serve or build wrote into the site's sources"
    );
    assert_nothing_hidden_in(&site);
}

/// Waits up to `limit` for `child` to exit; kills it and returns `None` if
/// it does not.
fn wait_at_most(mut child: Child, limit: Duration) -> Option<Output> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().expect("poll the build").is_some() {
            return Some(finish(child));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// The lock belongs to one output: while a build holds `public`'s lock
/// (here the test holds it, standing in for a long build), a build into
/// another output in the same folder runs at once, and a build into
/// `public` waits, says so, and goes on when the lock is let go. Nothing is
/// left beside the outputs afterwards.
#[test]
fn only_builds_into_the_same_output_wait_for_each_other() {
    let (_dir, site) = generated_site();
    let lock_path = site.join(".public.annals-lock");
    let held = fs::File::create(&lock_path).expect("create the lock file");
    held.lock().expect("hold public's lock");

    let other = build(&site)
        .args(["--out"])
        .arg(site.join("other"))
        .spawn()
        .expect("spawn");
    let other = wait_at_most(other, Duration::from_secs(120))
        .expect("a build into another output waited for public's lock");
    assert!(other.status.success(), "{}", stderr(&other));
    assert!(!stderr(&other).contains("waiting"), "{}", stderr(&other));
    assert!(site.join("other/index.html").is_file());

    let mut same = build(&site).spawn().expect("spawn");
    let mut said = String::new();
    if let Some(err) = same.stderr.as_mut() {
        // The waiting line comes first and alone while the lock is held;
        // it may arrive in pieces, so read up to its end.
        let mut byte = [0u8; 1];
        let mut line = Vec::new();
        while err.read(&mut byte).expect("read the build's stderr") == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        said = String::from_utf8_lossy(&line).into_owned();
    }
    assert!(said.contains("waiting for it to finish"), "said: {said:?}");
    assert!(same.try_wait().expect("poll").is_none(), "it did not wait");
    held.unlock().expect("let go of the lock");
    drop(held);
    let same = wait_at_most(same, Duration::from_secs(120)).expect("it never went on");
    assert!(same.status.success(), "{}", stderr(&same));
    assert!(site.join("public/index.html").is_file());

    assert_nothing_hidden_in(&site);
}
