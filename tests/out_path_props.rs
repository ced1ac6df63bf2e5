//! Property test over whole sites with symlinks and odd `--out` paths: on a
//! small real site beside a foreign folder, random symlinks (loops, links
//! to the site, its sources, the root, missing targets) and a random
//! `--out` made of `..`, `.`, missing folders and those links, a build
//! either succeeds into a folder that then holds the whole new site, or
//! fails; in both cases no source file and no foreign file is changed or
//! lost, nothing is left beside the output, nothing outside the site folder
//! is published (links to an outside event are planted too), and nothing
//! panics.
//!
//! `PROPTEST_CASES=N cargo test --release --test out_path_props` runs a
//! longer campaign.

mod common;

use common::snapshot;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// Places where a symlink may be planted, relative to the outer folder.
const LINK_PLACES: [&str; 8] = [
    "l1",
    "site/l2",
    "site/content/l3",
    "site/content/events/l6.md",
    "site/content/pages/l7",
    "site/static/l4",
    "other/l5",
    "site/public",
];

/// What a symlink may point at (relative targets are from the link's folder).
const LINK_TARGETS: [&str; 18] = [
    "../secret",
    "../../secret",
    "../../secret/leak.md",
    "../../../secret",
    ".",
    "..",
    "../..",
    "site",
    "../site",
    "content",
    "../content",
    "/",
    "nothere",
    "nothere/deeper",
    "l1",
    "../other",
    "static/..",
    "public",
];

/// Pieces an `--out` path is made of.
const OUT_PIECES: [&str; 14] = [
    "..", ".", "nothere", "deeper", "site", "content", "static", "public", "other", "l1", "l2",
    "l3", "events", "www",
];

/// Cases change the process's working folder: one at a time.
static WORKING_FOLDER: std::sync::Mutex<()> = std::sync::Mutex::new(());

const EVENT: &str = "---\ntitle: Linked event\ndate: 2024-07-28\nkind: meeting\nsummary: A meeting.\nsources: [{title: A source}]\n---\nBody.\n";

fn plant_site(outer: &Path) {
    let site = outer.join("site");
    fs::create_dir_all(site.join("content/events")).expect("mkdir");
    fs::create_dir_all(site.join("content/pages")).expect("mkdir");
    fs::create_dir_all(site.join("static")).expect("mkdir");
    fs::create_dir_all(outer.join("other")).expect("mkdir");
    fs::write(site.join("site.yaml"), "title: Props\n").expect("write");
    fs::write(site.join("content/events/first.md"), EVENT).expect("write");
    fs::write(
        site.join("content/pages/about.md"),
        "---\ntitle: About\n---\nAbout.\n",
    )
    .expect("write");
    fs::write(site.join("static/robots-extra.txt"), "static file").expect("write");
    fs::write(outer.join("other/keep.txt"), "a foreign file").expect("write");
    fs::create_dir_all(outer.join("secret")).expect("mkdir");
    fs::write(
        outer.join("secret/leak.md"),
        EVENT.replace("Linked event", "Secret outside event"),
    )
    .expect("write");
}

/// Files that must survive any build: the site's sources and the foreign
/// folder (read without following links, so link loops are fine).
fn precious(outer: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = snapshot(outer);
    all.retain(|p, _| {
        let s = p.to_string_lossy();
        s.starts_with("site/content")
            || s.starts_with("site/static")
            || s == "site/site.yaml"
            || s.starts_with("other/")
    });
    all
}

fn case(
    links: &[(usize, usize)],
    pieces: &[usize],
    absolute: bool,
    from_site: bool,
) -> Result<(), TestCaseError> {
    let _one_at_a_time = WORKING_FOLDER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    // Deep enough that no run of `..` pieces climbs out of this case's own
    // temporary folder: an output written above it would outlive the case
    // and meet the next one.
    let outer = dir.path().join("1/2/3/4/5/6/7");
    fs::create_dir_all(&outer).expect("mkdir");
    let outer = outer.canonicalize().expect("canonical temp dir");
    plant_site(&outer);
    for &(place, target) in links {
        let place = outer.join(LINK_PLACES[place]);
        if fs::symlink_metadata(&place).is_err() {
            symlink(LINK_TARGETS[target], &place).expect("plant a symlink");
        }
    }
    let before = precious(&outer);
    let out: PathBuf = pieces.iter().map(|&i| OUT_PIECES[i]).collect();
    let cwd = if from_site {
        outer.join("site")
    } else {
        outer.clone()
    };
    let out = if absolute { cwd.join(&out) } else { out };
    std::env::set_current_dir(&cwd).expect("cd");
    let site = if from_site {
        PathBuf::from(".")
    } else {
        PathBuf::from("site")
    };
    let mut options = annals::BuildOptions::new(site);
    options.out = Some(out.clone());
    let result = annals::build(&options);

    let after = precious(&outer);
    let lost: Vec<&PathBuf> = before
        .iter()
        .filter(|(path, bytes)| after.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    prop_assert!(
        lost.is_empty(),
        "--out {} from {} changed or lost {:?} ({:?})",
        out.display(),
        cwd.display(),
        lost,
        result.as_ref().err()
    );
    let real = annals::stages::resolve_out_dir(&cwd.join(&out)).ok();
    let added: Vec<&PathBuf> = after
        .keys()
        .filter(|p| !before.contains_key(*p))
        .filter(|p| !real.as_ref().is_some_and(|r| outer.join(p).starts_with(r)))
        .collect();
    prop_assert!(
        added.is_empty(),
        "--out {} wrote outside its output: {:?}",
        out.display(),
        added
    );
    if result.is_ok() {
        let real = real.expect("a built output resolves");
        prop_assert!(
            real.join("index.html").is_file(),
            "no index.html in {}",
            real.display()
        );
        prop_assert!(
            real.join("events/linked-event/index.html").is_file()
                || real.join("events/first/index.html").is_file()
        );
        if let (Some(parent), Some(name)) = (real.parent(), real.file_name()) {
            let prefix = format!(".{}.annals-", name.to_string_lossy());
            let left: Vec<String> = fs::read_dir(parent)
                .expect("read the output's folder")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(&prefix))
                .collect();
            prop_assert!(left.is_empty(), "left beside the output: {:?}", left);
        }
    }
    Ok(())
}

proptest! {
    // The test changes its working folder, so failures are not persisted
    // to a file; proptest prints the minimal input instead.
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_out_path_or_symlink_loses_a_source(
        links in prop::collection::vec((0..LINK_PLACES.len(), 0..LINK_TARGETS.len()), 0..4),
        pieces in prop::collection::vec(0..OUT_PIECES.len(), 1..6),
        absolute in any::<bool>(),
        from_site in any::<bool>(),
    ) {
        case(&links, &pieces, absolute, from_site)?;
    }
}

/// The inputs that lost a site before `--out` was resolved, kept as fixed
/// cases so they run on every test run whatever the random seed.
#[test]
fn known_bad_out_paths_lose_nothing() {
    let at = |s: &str| OUT_PIECES.iter().position(|p| *p == s).expect("a piece");
    for (pieces, from_site) in [
        (vec!["nothere", "..", "site"], false),
        (vec!["nothere", "..", "site", "content"], false),
        (vec!["nothere", ".."], true),
        (vec!["nothere", "deeper", "..", "..", "static"], true),
    ] {
        let pieces: Vec<usize> = pieces.iter().map(|p| at(p)).collect();
        case(&[], &pieces, false, from_site).expect("no source lost");
        case(&[], &pieces, true, from_site).expect("no source lost");
    }
}
