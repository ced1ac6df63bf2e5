//! Crash safety: a 5,000-event build killed with SIGKILL at random moments,
//! ten times in a row, always leaves the output folder holding the complete
//! old site or the complete new one, never a mix; the next build cleans up.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const EVENTS: usize = 5_000;
const KILLS: usize = 10;

fn list(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).expect("read output").flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                out.push(
                    p.strip_prefix(root)
                        .expect("inside")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Which version (A or B) a complete output is, and hashes of a sample of
/// its files: every page of the sample must name the same version.
fn fingerprint(out: &Path, files: &[String]) -> (char, Vec<u64>) {
    let step = (files.len() / 60).max(1);
    // The build manifest records when and where each file was written
    // (mtime, inode): two complete builds of one site differ there.
    let mut sample: Vec<&String> = files
        .iter()
        .filter(|f| !f.starts_with(".annals-manifest/"))
        .step_by(step)
        .collect();
    for fixed in [
        "index.html",
        "events.json",
        "calendar.ics",
        "atom.xml",
        "search-index.js",
        "events/kill-marker/index.html",
    ] {
        sample.extend(files.iter().filter(|f| f.as_str() == fixed));
    }
    let mut version = None;
    let mut hashes = Vec::new();
    for rel in sample {
        let bytes = fs::read(out.join(rel)).expect("read output file");
        let text = String::from_utf8_lossy(&bytes);
        if rel.ends_with(".html") && !rel.starts_with("assets") {
            let v = match (text.contains("Kill Site A"), text.contains("Kill Site B")) {
                (true, false) => 'A',
                (false, true) => 'B',
                other => panic!("{rel} names versions {other:?}"),
            };
            assert!(
                version.is_none_or(|seen| seen == v),
                "mixed output: {rel} is {v}"
            );
            version = Some(v);
        }
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        hashes.push(h.finish());
    }
    let marker =
        fs::read_to_string(out.join("events/kill-marker/index.html")).expect("marker page");
    let v = version.expect("sample has pages");
    assert!(
        marker.contains(&format!("Marker event {v}")),
        "marker page disagrees with {v}"
    );
    (v, hashes)
}

fn set_version(site: &Path, v: char) {
    let yaml = fs::read_to_string(site.join("site.yaml")).expect("site.yaml");
    let body: Vec<&str> = yaml.lines().filter(|l| !l.starts_with("title:")).collect();
    fs::write(
        site.join("site.yaml"),
        format!("title: Kill Site {v}\n{}\n", body.join("\n")),
    )
    .expect("write");
    fs::write(
        site.join("content/events/kill-marker.md"),
        format!("---\ntitle: Marker event {v}\ndate: 2024-07-28\nkind: meeting\nsummary: Marker {v}.\nsources: [{{title: S}}]\n---\nMarker body {v}.\n"),
    )
    .expect("write marker");
}

fn annals(site: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.args(["build", "--quiet", "--site"])
        .arg(site)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A small deterministic generator, so a failure can be replayed.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn temp_root() -> PathBuf {
    // tmpfs when there is one: the test is about rename order, not the disk.
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

#[test]
fn sigkill_never_leaves_a_mixed_site() {
    let started = Instant::now();
    let dir = tempfile::tempdir_in(temp_root()).expect("temp dir");
    let site = dir.path().join("site");
    fs::create_dir(&site).expect("mkdir");
    corpus::generate(&site, EVENTS, 7).expect("generate corpus");
    let out = site.join("public");

    set_version(&site, 'A');
    let t0 = Instant::now();
    assert!(annals(&site).status().expect("run").success());
    let full = t0.elapsed();
    let files = list(&out);
    let (v, hash_a) = fingerprint(&out, &files);
    assert_eq!(v, 'A');
    let mut hash_b: Option<Vec<u64>> = None;

    let mut seed = 0x5eed_u64 ^ u64::from(std::process::id());
    let mut outcomes = Vec::new();
    for i in 0..KILLS {
        // Alternate the version built, so a kill can always mix two sites.
        set_version(&site, if i % 2 == 0 { 'B' } else { 'A' });
        // Most kills land in the last third, where pages are written and swapped.
        let frac = if i % 3 == 0 {
            next(&mut seed) % 1000
        } else {
            600 + next(&mut seed) % 450
        };
        let delay = full.mul_f64(frac as f64 / 1000.0);
        let mut child = annals(&site).spawn().expect("spawn");
        std::thread::sleep(delay);
        let finished = child.try_wait().expect("poll").is_some();
        child.kill().ok(); // SIGKILL on Unix
        child.wait().expect("reap");
        let now = list(&out);
        assert_eq!(
            now, files,
            "kill {i} after {delay:?}: output file list changed"
        );
        let (v, hashes) = fingerprint(&out, &files);
        match v {
            'A' => assert_eq!(hashes, hash_a, "kill {i}: A differs from the complete A"),
            _ => match &hash_b {
                Some(b) => assert_eq!(&hashes, b, "kill {i}: B differs from the complete B"),
                None => hash_b = Some(hashes),
            },
        }
        outcomes.push(format!(
            "{delay:.1?}{}→{v}",
            if finished { "(done)" } else { "" }
        ));
    }

    // The next build succeeds and leaves nothing behind.
    set_version(&site, 'B');
    assert!(annals(&site).status().expect("run").success());
    let (v, hashes) = fingerprint(&out, &list(&out));
    assert_eq!(v, 'B');
    if let Some(b) = hash_b {
        assert_eq!(hashes, b);
    }
    let leftovers: Vec<String> = fs::read_dir(&site)
        .expect("read the site folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.annals-"))
        // The parse cache: parts replaced by rename, so never half-written.
        .filter(|n| n != ".public.annals-cache")
        .collect();
    // Only the site this build replaced, whole and with its manifest.
    assert!(
        leftovers.is_empty()
            || (leftovers == [".public.annals-retained"]
                && site
                    .join(&leftovers[0])
                    .join(".annals-manifest/index")
                    .is_file()),
        "left behind: {leftovers:?}"
    );
    eprintln!(
        "crash safety: full build {full:.1?}, {KILLS} kills [{}], total {:.1?}",
        outcomes.join(", "),
        started.elapsed()
    );
}
