//! `annals deploy` against a real S3-compatible server (moto, started by
//! each test on a free port) and against a folder: what is uploaded, with
//! which headers, in which order, what is deleted, and what is refused.
//! Needs `python3` with `moto[server]` (which brings boto3); `scripts/test`
//! installs it, and these tests fail when it is missing.

mod common;

use common::{TestSite, annals, assert_code, assert_success, simple_event, stderr, stdout};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BASE: &str = "https://timeline.example.org/";

/// A moto S3 server on a free local port, stopped on drop.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start() -> Moto {
        let check = Command::new("python3")
            .args(["-c", "import moto.server, boto3"])
            .output()
            .expect("python3 is needed for the deploy tests");
        assert!(
            check.status.success(),
            "the deploy tests need moto[server] (run scripts/test, or `python3 -m pip install 'moto[server]'`): {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("moto exited at start: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto did not start listening"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Runs tests/deploy/s3.py with `args`; its stdout.
    fn s3(&self, args: &[&str]) -> String {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/deploy/s3.py");
        let out = Command::new("python3")
            .arg(script)
            .args(args)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .output()
            .expect("run s3.py");
        assert!(
            out.status.success(),
            "s3.py {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn bucket(&self, name: &str) {
        self.s3(&["create", name]);
    }

    /// Every object of `bucket`: key → {size, etag, content_type,
    /// cache_control, md5}.
    fn dump(&self, bucket: &str) -> BTreeMap<String, Value> {
        serde_json::from_str(&self.s3(&["dump", bucket])).expect("dump JSON")
    }

    /// `annals deploy` with the server's endpoint and test credentials.
    fn deploy_cmd(&self, site: &TestSite, dest: &str, extra: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
        cmd.stdin(Stdio::null())
            .arg("deploy")
            .arg(dest)
            .arg("--site")
            .arg(site.path())
            .args(extra);
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ALLOW_HTTP", "true")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1");
        cmd
    }

    fn deploy(&self, site: &TestSite, dest: &str, extra: &[&str]) -> Output {
        self.deploy_cmd(site, dest, extra)
            .output()
            .expect("run annals deploy")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `upload N, delete M, unchanged K` from a deploy's stdout.
fn plan(out: &Output) -> (usize, usize, usize) {
    let text = stdout(out);
    let line = text
        .lines()
        .find(|l| l.starts_with("upload ") && l.contains(", unchanged "))
        .unwrap_or_else(|| panic!("no plan line in:\n{text}\n{}", stderr(out)));
    let n: Vec<usize> = line
        .split(", ")
        .map(|part| {
            part.rsplit(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a count")
        })
        .collect();
    (n[0], n[1], n[2])
}

/// The files a deploy's stdout lists after `word ` (`upload`, `delete`).
fn listed(out: &Output, word: &str) -> BTreeSet<String> {
    stdout(out)
        .lines()
        .filter(|l| !l.contains(", unchanged "))
        .filter_map(|l| l.strip_prefix(&format!("{word} ")))
        .map(str::to_string)
        .collect()
}

/// The published files of an output folder: path → MD5.
fn published(out: &Path) -> BTreeMap<String, String> {
    common::snapshot(out)
        .into_iter()
        .map(|(p, bytes)| (p.to_string_lossy().replace('\\', "/"), bytes))
        .filter(|(p, _)| !p.split('/').any(|s| s.starts_with(".annals")))
        .map(|(p, bytes)| (p, annals::deploy::local::md5_hex(&bytes)))
        .collect()
}

/// The objects below `prefix/` as path → MD5.
fn remote_under(dump: &BTreeMap<String, Value>, prefix: &str) -> BTreeMap<String, String> {
    dump.iter()
        .filter_map(|(k, v)| {
            let rel = k.strip_prefix(&format!("{prefix}/"))?;
            Some((rel.to_string(), v["md5"].as_str()?.to_string()))
        })
        .collect()
}

fn site_with(events: usize) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{}base_url: {BASE}\n", common::SITE_YAML),
    );
    for i in 0..events {
        site.event(
            &format!("2024/e{i:03}.md"),
            simple_event(
                &format!("Event number {i}"),
                &format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            ),
        );
    }
    site
}

fn header<'v>(dump: &'v BTreeMap<String, Value>, key: &str, field: &str) -> &'v str {
    dump.get(key)
        .unwrap_or_else(|| panic!("{key} not uploaded"))[field]
        .as_str()
        .unwrap_or_else(|| panic!("{key} has no {field}"))
}

#[test]
fn deploys_everything_with_types_and_caching_then_only_what_changed() {
    let moto = Moto::start();
    moto.bucket("site");
    let site = site_with(3);
    site.build_ok(&[]);
    let local = published(&site.public());

    let first = moto.deploy(&site, "s3://site/www", &[]);
    assert_success(&first);
    assert_eq!(plan(&first), (local.len(), 0, 0));
    let dump = moto.dump("site");
    assert_eq!(
        remote_under(&dump, "www"),
        local,
        "the bucket holds the site"
    );
    assert!(dump.keys().all(|k| k.starts_with("www/")));
    assert!(!dump.keys().any(|k| k.contains(".annals")));

    // The stylesheet the pages link to is fingerprinted and immutable.
    let home = site.page("index.html");
    let css = common::attrs(&home, "link[rel=stylesheet]", "href");
    assert_eq!(css.len(), 1);
    let css = css[0].trim_start_matches('/');
    assert!(
        css.starts_with("assets/annals.") && css.ends_with(".css") && css != "assets/annals.css"
    );
    let css_key = format!("www/{css}");
    assert_eq!(
        header(&dump, &css_key, "content_type"),
        "text/css; charset=utf-8"
    );
    assert_eq!(
        header(&dump, &css_key, "cache_control"),
        "public, max-age=31536000, immutable"
    );
    for (key, content_type, cache) in [
        (
            "index.html",
            "text/html; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "atom.xml",
            "application/atom+xml; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "feed.json",
            "application/feed+json; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "calendar.ics",
            "text/calendar; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "sitemap.xml",
            "application/xml; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "events.json",
            "application/json; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "search-index.js",
            "text/javascript; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "assets/favicon.svg",
            "image/svg+xml; charset=utf-8",
            "public, max-age=3600",
        ),
        (
            "assets/annals.css",
            "text/css; charset=utf-8",
            "public, max-age=3600",
        ),
    ] {
        let key = format!("www/{key}");
        assert_eq!(header(&dump, &key, "content_type"), content_type, "{key}");
        assert_eq!(header(&dump, &key, "cache_control"), cache, "{key}");
        // A single-part upload: the ETag is the MD5 of the bytes, which is
        // also stored as metadata for stores whose ETag is something else.
        assert_eq!(header(&dump, &key, "etag"), header(&dump, &key, "md5"));
        assert_eq!(
            header(&dump, &key, "stored_md5"),
            header(&dump, &key, "md5")
        );
    }

    let again = moto.deploy(&site, "s3://site/www", &[]);
    assert_success(&again);
    assert_eq!(plan(&again), (0, 0, local.len()));

    // One event edited: exactly the files whose bytes changed go up.
    site.event(
        "2024/e001.md",
        simple_event("Event number 1, retitled", "2024-02-02"),
    );
    site.build_ok(&[]);
    let after = published(&site.public());
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(k, v)| local.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    assert!(changed.contains("events/e001/index.html"), "{changed:?}");
    assert!(changed.len() < after.len(), "{changed:?}");
    assert!(
        !changed.iter().any(|k| k.starts_with("assets/")),
        "{changed:?}"
    );
    let third = moto.deploy(&site, "s3://site/www", &["--verbose"]);
    assert_success(&third);
    assert_eq!(listed(&third, "upload"), changed);
    assert_eq!(
        plan(&third),
        (changed.len(), 0, after.len() - changed.len())
    );
    assert_eq!(remote_under(&moto.dump("site"), "www"), after);
}

#[test]
fn deletes_only_with_delete_and_only_below_the_prefix() {
    let moto = Moto::start();
    moto.bucket("bkt");
    let site = site_with(2);
    site.build_ok(&[]);
    assert_success(&moto.deploy(&site, "s3://bkt/pre", &[]));
    moto.s3(&["put", "bkt", "other/keep.txt", "not the site's"]);
    moto.s3(&["put", "bkt", "pre-other/keep.txt", "not the site's either"]);

    std::fs::remove_file(site.path().join("content/events/2024/e001.md")).expect("remove");
    site.build_ok(&[]);
    let local = published(&site.public());
    let before = remote_under(&moto.dump("bkt"), "pre");
    let gone: BTreeSet<String> = before
        .keys()
        .filter(|k| !local.contains_key(*k))
        .cloned()
        .collect();
    assert!(gone.contains("events/e001/index.html"), "{gone:?}");

    let kept = moto.deploy(&site, "s3://bkt/pre", &[]);
    assert_success(&kept);
    assert_eq!(plan(&kept).1, 0);
    let kept_line = match gone.len() {
        1 => "1 remote file not in the site kept".to_string(),
        n => format!("{n} remote files not in the site kept"),
    };
    assert!(stdout(&kept).contains(&kept_line), "{}", stdout(&kept));
    let dump = moto.dump("bkt");
    assert!(gone.iter().all(|k| dump.contains_key(&format!("pre/{k}"))));

    // Without a terminal to confirm on, --delete needs --yes.
    let refused = moto.deploy(&site, "s3://bkt/pre", &["--delete"]);
    assert_code(&refused, 2);
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert_eq!(moto.dump("bkt"), dump);

    let dry = moto.deploy(&site, "s3://bkt/pre", &["--delete", "--dry-run"]);
    assert_success(&dry);
    assert_eq!(listed(&dry, "delete"), gone);
    assert_eq!(moto.dump("bkt"), dump, "--dry-run changes nothing");

    let deleted = moto.deploy(&site, "s3://bkt/pre", &["--delete", "--yes"]);
    assert_success(&deleted);
    assert_eq!(plan(&deleted), (0, gone.len(), local.len()));
    assert_eq!(listed(&deleted, "delete"), gone);
    let dump = moto.dump("bkt");
    assert_eq!(remote_under(&dump, "pre"), local);
    assert!(dump.contains_key("other/keep.txt") && dump.contains_key("pre-other/keep.txt"));
}

#[test]
fn a_deploy_killed_midway_leaves_pages_after_assets_and_the_next_one_finishes() {
    let moto = Moto::start();
    moto.bucket("killed");
    let site = site_with(60);
    site.build_ok(&[]);
    let local = published(&site.public());
    let first_round: BTreeSet<&String> = local
        .keys()
        .filter(|k| !annals::deploy::headers::goes_last(k))
        .collect();

    let stop_at = first_round.len() + 10;
    let mut child = moto
        .deploy_cmd(&site, "s3://killed", &[])
        .env(annals::deploy::PAUSE_ENV, stop_at.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start deploy");
    let started = Instant::now();
    let at_kill = loop {
        let dump = moto.dump("killed");
        if dump.len() >= stop_at {
            break dump;
        }
        assert!(
            child.try_wait().expect("poll").is_none(),
            "the deploy ended before pausing"
        );
        assert!(started.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(200));
    };
    child.kill().expect("SIGKILL the deploy");
    child.wait().expect("reap");
    assert!(at_kill.len() < local.len(), "killed before the end");
    // Pages went up only after every asset and data file.
    assert!(
        at_kill
            .keys()
            .any(|k| annals::deploy::headers::goes_last(k))
    );
    for k in &first_round {
        assert!(
            at_kill.contains_key(*k),
            "{k} missing when pages were uploaded"
        );
    }

    let rerun = moto.deploy(&site, "s3://killed", &[]);
    assert_success(&rerun);
    let (upload, delete, unchanged) = plan(&rerun);
    assert_eq!(delete, 0);
    assert_eq!(upload + unchanged, local.len());
    assert!(unchanged >= stop_at, "{unchanged}");
    assert_eq!(remote_under_root(&moto.dump("killed")), local);
}

fn remote_under_root(dump: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    dump.iter()
        .map(|(k, v)| (k.clone(), v["md5"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn refuses_localhost_builds_and_outputs_without_a_record() {
    let moto = Moto::start();
    moto.bucket("refused");
    let site = TestSite::new();
    site.event("2024/a.md", simple_event("A", "2024-01-01"));
    // No output yet: deploy builds first, then refuses what it built.
    let out = moto.deploy(&site, "s3://refused", &[]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("base_url") && err.contains("--base-url"),
        "{err}"
    );
    assert!(site.public().join("index.html").is_file(), "it built first");
    assert!(moto.dump("refused").is_empty());

    site.build_ok(&["--base-url", BASE]);
    let marker = site.public().join(".annals-output");
    let text = std::fs::read_to_string(&marker).expect("marker");
    assert!(text.starts_with("built by annals "), "{text}");
    std::fs::write(&marker, "built by annals 0.0.1\n").expect("old marker");
    let old = moto.deploy(&site, "s3://refused", &[]);
    assert_code(&old, 2);
    assert!(stderr(&old).contains("rebuild"), "{}", stderr(&old));
    assert!(moto.dump("refused").is_empty());

    let bad = moto.deploy(&site, "ftp://refused", &[]);
    assert_code(&bad, 2);

    // A remote error is exit 2 with what failed.
    site.build_ok(&["--base-url", BASE]);
    let missing = moto.deploy(&site, "s3://no-such-bucket", &[]);
    assert_code(&missing, 2);
    assert!(
        stderr(&missing).contains("cannot list"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn a_folder_destination_writes_only_what_changed_and_deletes_only_with_delete() {
    let site = site_with(3);
    site.build_ok(&[]);
    let www_dir = tempfile::tempdir().expect("temp");
    let www = www_dir.path().join("www");
    std::fs::create_dir(&www).expect("www");
    std::fs::write(www.join("extra.txt"), "the server's own").expect("extra");
    let dest = format!("file://{}", www.display());
    let deploy = |extra: &[&str]| {
        annals()
            .arg("deploy")
            .arg(&dest)
            .arg("--site")
            .arg(site.path())
            .args(extra)
            .output()
            .expect("run deploy")
    };
    let local = published(&site.public());
    let dry = deploy(&["--dry-run"]);
    assert_success(&dry);
    assert_eq!(plan(&dry), (local.len(), 0, 0));
    assert_eq!(common::entries(&www), ["extra.txt"]);

    assert_success(&deploy(&[]));
    let mut expected = local.clone();
    expected.insert(
        "extra.txt".into(),
        annals::deploy::local::md5_hex(b"the server's own"),
    );
    assert_eq!(published(&www), expected);
    assert!(
        common::snapshot(&www)
            .keys()
            .all(|p| !p.to_string_lossy().contains(".annals"))
    );

    let inode =
        |p: &PathBuf| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).expect("meta"));
    let before = inode(&www.join("index.html"));
    let again = deploy(&[]);
    assert_success(&again);
    assert_eq!(plan(&again), (0, 0, local.len()));
    assert!(stdout(&again).contains("1 remote file not in the site kept"));
    assert_eq!(
        inode(&www.join("index.html")),
        before,
        "an unchanged file is not written"
    );

    let deleted = deploy(&["--delete", "--yes"]);
    assert_success(&deleted);
    assert_eq!(plan(&deleted), (0, 1, local.len()));
    assert_eq!(published(&www), local);

    // A file that cannot be written stops the deploy, named, with exit 2.
    let blocked = www_dir.path().join("blocked");
    std::fs::create_dir(&blocked).expect("blocked");
    std::fs::write(blocked.join("events"), "a file where a folder goes").expect("events");
    let out = annals()
        .arg("deploy")
        .arg(format!("file://{}", blocked.display()))
        .arg("--site")
        .arg(site.path())
        .output()
        .expect("run deploy");
    assert_code(&out, 2);
    assert!(stderr(&out).contains("/events/"), "{}", stderr(&out));

    // Never into the output itself, nor around it.
    for inside in [
        site.public(),
        site.public().join("mirror"),
        site.path().to_path_buf(),
    ] {
        let out = annals()
            .arg("deploy")
            .arg(format!("file://{}", inside.display()))
            .arg("--site")
            .arg(site.path())
            .output()
            .expect("run deploy");
        assert_code(&out, 2);
    }
}
