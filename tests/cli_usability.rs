//! The command line as a new user meets it: `annals new` writes a draft
//! whose placeholders cannot be published by mistake, every command run
//! outside a site says so and creates nothing, and `--help` describes
//! every argument with examples and the short flags Hugo and Zola users
//! expect.

mod common;

use common::*;
use std::fs;

/// `annals new TITLE --date DATE` in `site`: the path it printed.
fn new_event(site: &TestSite, title: &str) -> (std::path::PathBuf, String) {
    let out = site
        .cmd()
        .args(["new", title, "--date", "2026-12-02", "-s", "."])
        .output()
        .expect("run annals new");
    assert_success(&out);
    (site.path().join(stdout(&out).trim()), stderr(&out))
}

#[test]
fn a_new_event_is_a_draft_until_its_placeholders_are_replaced() {
    let site = TestSite::new();
    let (path, said) = new_event(&site, "Cyber drill");
    assert!(said.contains("draft"), "{said}");
    let text = fs::read_to_string(&path).expect("the new event");
    assert!(text.contains("\ndraft: true\n"), "{text}");
    // As written, it checks and builds (left out as a draft).
    assert_success(&site.check_here());
    site.build_ok(&[]);
    assert!(!site.public().join("events/2026-12-02-cyber-drill").exists());

    // Published with its placeholders: each is a located error with a hint.
    fs::write(&path, text.replace("draft: true\n", "")).expect("publish");
    for out in [site.check_here(), site.build_here(&[])] {
        assert_code(&out, 1);
        let err = stderr(&out);
        let rel = "content/events/2026/2026-12-02-cyber-drill.md";
        assert!(
            err.contains(&format!("{rel}:11:14: placeholder text")),
            "{err}"
        );
        assert!(
            err.contains(&format!("{rel}:13:1: placeholder text")),
            "{err}"
        );
        assert!(err.contains("help: replace it"), "{err}");
        assert!(err.contains("2 problems"), "{err}");
    }
    // Written for real, it publishes.
    let written = fs::read_to_string(&path)
        .expect("read")
        .replace(
            "Name the source (publisher, title, date; add url only if known)",
            "Joint statement",
        )
        .replace(
            "Describe the event in your own words.",
            "The drill ran two days.",
        );
    fs::write(&path, written).expect("write");
    assert_success(&site.check_here());
    site.build_ok(&[]);
    let page = site.page("events/2026-12-02-cyber-drill/index.html");
    assert_eq!(texts(&page, "h1"), ["Cyber drill"]);
}

#[test]
fn a_draft_may_hold_placeholders_even_when_drafts_are_built() {
    let site = TestSite::new();
    new_event(&site, "Draft with placeholders");
    site.build_ok(&["-D"]);
    assert!(
        site.public()
            .join("events/2026-12-02-draft-with-placeholders/index.html")
            .is_file()
    );
}

/// Each command run in (or pointed at) a folder that is no site.
fn outside_runs(dir: &std::path::Path) -> Vec<(&'static str, Vec<String>)> {
    let d = dir.display().to_string();
    let json = dir.join("timeline.json").display().to_string();
    [
        ("build", vec!["build".into()]),
        ("check", vec!["check".into()]),
        ("serve", vec!["serve".into(), "--port".into(), "0".into()]),
        ("new", vec!["new".into(), "A title".into()]),
        ("import", vec!["import".into(), json]),
        ("deploy", vec!["deploy".into(), format!("file://{d}/dest")]),
    ]
    .into_iter()
    .collect()
}

#[test]
fn outside_a_site_every_command_says_so_and_creates_nothing() {
    let site = TestSite::bare();
    site.write("timeline.json", r#"{"events": []}"#);
    site.write("notes.txt", "not a site\n");
    let before = snapshot(site.path());
    for (name, args) in outside_runs(site.path()) {
        // Run from inside the folder, and pointed at it with --site.
        let here = site.cmd().args(&args).output().expect("run annals");
        let there = annals()
            .args(&args)
            .arg("--site")
            .arg(site.path())
            .output()
            .expect("run annals");
        for out in [here, there] {
            assert_code(&out, 2);
            let err = stderr(&out);
            assert!(err.contains("is not an annals site"), "{name}: {err}");
            assert!(err.contains("annals init"), "{name}: {err}");
        }
        assert_same_tree(&before, &snapshot(site.path()));
        assert_eq!(
            entries(site.path()),
            ["notes.txt", "timeline.json"],
            "{name}"
        );
    }
}

#[test]
fn a_missing_site_folder_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nowhere");
    let out = annals()
        .args(["build", "-s"])
        .arg(&missing)
        .output()
        .expect("run annals");
    assert_code(&out, 2);
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(!missing.exists());
}

#[test]
fn a_folder_with_only_site_yaml_is_a_site() {
    let site = TestSite::new();
    let out = site.build_here(&[]);
    assert_success(&out);
    assert!(stderr(&out).contains("Built 0 events"), "{}", stderr(&out));
}

/// `annals [COMMAND] --help`.
fn help(command: &[&str]) -> String {
    let out = annals()
        .args(command)
        .arg("--help")
        .output()
        .expect("run annals");
    assert_success(&out);
    stdout(&out)
}

#[test]
fn help_describes_every_argument_and_shows_examples() {
    let top = help(&[]);
    assert!(top.contains("Examples:"), "{top}");
    for command in ["build", "check", "serve", "new", "init", "import", "deploy"] {
        let text = help(&[command]);
        assert!(text.contains("Examples:\n  annals "), "{command}:\n{text}");
        // Every line naming an argument carries a description after it.
        let section = text
            .split("Examples:")
            .next()
            .expect("the part before the examples");
        let mut described = true;
        let mut arguments = 0;
        let lines: Vec<&str> = section.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let is_argument =
                line.starts_with("  ") && (trimmed.starts_with('-') || trimmed.starts_with('<'));
            if !is_argument {
                continue;
            }
            arguments += 1;
            // `--flag <X>  Description`, or the description on the next line.
            let inline = trimmed.split("  ").filter(|p| !p.trim().is_empty()).count() > 1;
            let below = lines
                .get(i + 1)
                .is_some_and(|next| next.starts_with("          ") && !next.trim().is_empty());
            if !inline && !below {
                described = false;
                eprintln!("{command}: no description for `{trimmed}`");
            }
        }
        assert!(arguments > 0, "{command}:\n{text}");
        assert!(described, "{command}:\n{text}");
    }
    let build = help(&["build"]);
    for flag in ["-s, --site <DIR>", "-o, --out <DIR>", "-D, --drafts"] {
        assert!(build.contains(flag), "{flag}:\n{build}");
    }
    assert!(help(&["serve"]).contains("-p, --port <PORT>"));
    assert!(help(&["check"]).contains("-D, --drafts"));
    assert!(help(&["new"]).contains("<TITLE>  Title of the event"));
    assert!(help(&["init"]).contains("<DIR>  Folder to create the site in"));
}

#[test]
fn short_flags_work_like_the_long_ones() {
    let site = TestSite::new();
    site.event("a.md", simple_event("Short flags", "2024-01-02"));
    site.write(
        "content/events/b.md",
        simple_event("Drafted", "2024-01-03").replace("---\nBody", "draft: true\n---\nBody"),
    );
    let out_dir = site.dir.path().join("elsewhere");
    let out = annals()
        .args(["build", "-q", "-D", "-s"])
        .arg(site.path())
        .arg("-o")
        .arg(&out_dir)
        .output()
        .expect("run annals");
    assert_success(&out);
    assert!(out_dir.join("events/a/index.html").is_file());
    assert!(
        out_dir.join("events/b/index.html").is_file(),
        "-D builds drafts"
    );
    let checked = annals()
        .args(["check", "-D", "-s"])
        .arg(site.path())
        .output()
        .expect("run annals");
    assert_success(&checked);
}
