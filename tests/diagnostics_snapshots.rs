//! The exact text a user sees for representative content errors. Runs from
//! inside the site with `--site .`, so paths print as `content/events/...`.
//! Regenerate with `INSTA_UPDATE=always cargo test --test diagnostics_snapshots`
//! and read every changed `.snap` before accepting it.

mod common;

use common::*;

const TAIL: &str = "kind: meeting\nsummary: A test event.\nsources:\n  - {title: A source, publisher: Test}\n---\nBody.\n";

/// Builds a site holding one good event plus `files`; returns stderr of the failed build.
fn failing_build(files: &[(&str, String)]) -> String {
    let site = TestSite::new();
    site.event(
        "2024/2024-07-01-good.md",
        simple_event("A good event", "2024-07-01"),
    );
    for (rel, text) in files {
        site.event(rel, text);
    }
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    assert!(
        stdout(&out).is_empty(),
        "errors must go to stderr only: {}",
        stdout(&out)
    );
    stderr(&out)
}

#[test]
fn unknown_key_with_hint() {
    let text = format!("---\ntitel: US–Japan 2+2 in Tokyo\ndate: 2024-07-28\n{TAIL}");
    insta::assert_snapshot!(
        "unknown_key_with_hint",
        failing_build(&[("2024/2024-07-28-2plus2.md", text)])
    );
}

#[test]
fn impossible_date() {
    let text = format!("---\ntitle: US–Japan 2+2 in Tokyo\ndate: 2024-13-45\n{TAIL}");
    insta::assert_snapshot!(
        "impossible_date",
        failing_build(&[("2024/2024-07-28-2plus2.md", text)])
    );
}

#[test]
fn yaml_syntax_error() {
    let text = format!("---\ntitle: Ministers meet: a new era\ndate: 2024-07-28\n{TAIL}");
    insta::assert_snapshot!(
        "yaml_syntax_error",
        failing_build(&[("2024/2024-07-28-2plus2.md", text)])
    );
}

#[test]
fn duplicate_slug() {
    let first = format!(
        "---\ntitle: US–Japan 2+2 in Tokyo\ndate: 2024-07-28\nslug: us-japan-2plus2\n{TAIL}"
    );
    let second = format!(
        "---\ntitle: US–Japan 2+2 joint statement\ndate: 2024-07-28\nslug: us-japan-2plus2\n{TAIL}"
    );
    let stderr = failing_build(&[
        ("2024/2024-07-28-meeting.md", first),
        ("2024/2024-07-28-statement.md", second),
    ]);
    insta::assert_snapshot!("duplicate_slug", stderr);
}

#[test]
fn dangling_relation() {
    let text = format!("---\ntitle: ROK–US defence ministerial\ndate: 2024-07-28\n{TAIL}").replace(
        "---\nBody.",
        "related:\n  - {event: 2024-07-28-us-japan-2plus3, relation: references}\n---\nBody.",
    );
    let target = simple_event("US–Japan 2+2 in Tokyo", "2024-07-28");
    let files = [
        ("2024/2024-07-28-rok-us.md", text),
        ("2024/2024-07-28-us-japan-2plus2.md", target),
    ];
    insta::assert_snapshot!("dangling_relation", failing_build(&files));
}

#[test]
fn placeholder_text_in_a_published_event() {
    let text = "---\ntitle: \"Cyber drill\"\ndate: 2026-12-02\nkind: meeting\nsummary: \"Cyber drill.\"\nsources:\n  - {title: \"Name the source (publisher, title, date; add url only if known)\"}\n---\nDescribe the event in your own words.\n";
    insta::assert_snapshot!(
        "placeholder_text",
        failing_build(&[("2026/2026-12-02-cyber-drill.md", text.to_string())])
    );
}
