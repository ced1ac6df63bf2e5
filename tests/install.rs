//! What an installed binary needs: `--version` names the commit it was
//! built from (when built from a git checkout), and a copy of the binary
//! alone, away from the source and build folders, creates and builds a
//! site (the theme is embedded in it).

mod common;

use common::*;
use std::fs;
use std::path::Path;
use std::process::Command;

/// What `git ARGS` prints in the package folder, if git answers.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn version_names_the_commit_of_a_git_checkout() {
    let out = annals().arg("--version").output().expect("run annals");
    assert_success(&out);
    let version = env!("CARGO_PKG_VERSION");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize();
    let checkout = git(&["rev-parse", "--show-toplevel"])
        .and_then(|top| Path::new(&top).canonicalize().ok())
        .is_some_and(|top| manifest.is_ok_and(|m| m == top));
    let expected = if checkout {
        let commit = git(&["log", "-1", "--format=%h %cs"]).expect("git log");
        format!("annals {version} ({commit})\n")
    } else {
        format!("annals {version}\n")
    };
    assert_eq!(stdout(&out), expected);
}

#[test]
fn a_copied_binary_creates_and_builds_a_site_on_its_own() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let bin = tmp.path().join("bin");
    let home = tmp.path().join("home");
    let elsewhere = tmp.path().join("elsewhere");
    for dir in [&bin, &home, &elsewhere] {
        fs::create_dir_all(dir).expect("mkdir");
    }
    let annals = bin.join("annals");
    fs::copy(env!("CARGO_BIN_EXE_annals"), &annals).expect("copy the binary");
    let site = tmp.path().join("site");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(&annals)
            .args(args)
            .current_dir(&elsewhere)
            .env_clear()
            .env("HOME", &home)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .expect("run the copied annals")
    };
    assert_success(&run(&["init".as_ref(), site.as_os_str()]));
    let out = run(&[
        "build".as_ref(),
        "--site".as_ref(),
        site.as_os_str(),
        "--base-url".as_ref(),
        "https://example.org/timeline/".as_ref(),
    ]);
    assert_success(&out);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let index = read_html(&site.join("public/index.html"));
    let sheets = attrs(&index, "link[rel=stylesheet]", "href");
    assert!(!sheets.is_empty(), "no stylesheet linked");
    for href in sheets {
        let rel = href
            .strip_prefix("/timeline/")
            .unwrap_or_else(|| panic!("{href} is not under the base path"));
        let rel = rel.split(['?', '#']).next().unwrap_or(rel);
        let css = site.join("public").join(rel);
        assert!(
            fs::metadata(&css).is_ok_and(|m| m.len() > 0),
            "{} missing or empty",
            css.display()
        );
    }
    assert!(
        index.select(&sel(".entry-title a")).count() >= 1,
        "no example event"
    );
    // Nothing was written where the command ran, nor into HOME.
    assert!(entries(&elsewhere).is_empty() && entries(&home).is_empty());
}
