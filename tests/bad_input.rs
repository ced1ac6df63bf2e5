//! One bad file among good ones: the build must fail with exit code 1, name
//! the file, line and column, show the line with a caret, never panic, and
//! leave the previously built site exactly as it was. Each case is also run
//! with a UTF-8 BOM and CRLF line endings, which must not shift positions.

mod common;

use common::*;

const GOOD: &str = "2024/good.md";

/// Front matter lines 2–7 of a valid event; tests splice a bad line in.
const TAIL: &str = "kind: meeting\nsummary: A test event.\nsources:\n  - {title: A source, publisher: Test}\n---\nBody.\n";

/// What a failing build must report about one file.
struct Expect<'a> {
    /// Path under `content/events/`.
    file: &'a str,
    line: usize,
    column: usize,
    /// Part of the message (and hint) that must appear.
    says: &'a [&'a str],
    /// The offending line as it must be shown, if the file has one.
    shown: Option<&'a str>,
}

fn with_bom_and_crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// A site with one good event, built once into `public/`.
fn built_site() -> TestSite {
    let site = TestSite::new();
    site.event(GOOD, simple_event("A good event", "2024-07-01"));
    assert_success(&site.build_here(&[]));
    assert!(site.public().join("index.html").is_file());
    site
}

/// Checks that `stderr` reports `e` with the line shown and a caret under its column.
fn assert_reported(stderr: &str, e: &Expect) {
    let location = format!("content/events/{}:{}:{}: ", e.file, e.line, e.column);
    assert!(stderr.contains(&location), "stderr does not contain {location:?}:\n{stderr}");
    // Reports are separated by blank lines; find the one at this location saying all of `says`.
    let block: Vec<&str> = stderr
        .split("\n\n")
        .find(|b| b.contains(&location) && e.says.iter().all(|s| b.contains(s)))
        .unwrap_or_else(|| panic!("no report at {location} says all of {:?}:\n{stderr}", e.says))
        .lines()
        .skip_while(|l| !l.contains(&location))
        .collect();
    if let Some(shown) = e.shown {
        let source = format!("{} | {shown}", e.line);
        let i = block.iter().position(|l| l.trim_end() == source.trim_end());
        let Some(i) = i else { panic!("the line {source:?} is not shown under {location}:\n{stderr}") };
        let caret = block.get(i + 1).copied().unwrap_or_default();
        let gutter = e.line.to_string().len();
        let expected = format!("{:gutter$} | {}^", "", " ".repeat(e.column - 1));
        assert!(caret.starts_with(&expected), "no caret under column {} of {location}: {caret:?}\n{stderr}", e.column);
    }
    assert!(!stderr.contains("panicked"), "annals panicked:\n{stderr}");
}

/// Adds the bad files to a built site, rebuilds, and checks the report and
/// that `public/` is untouched. Runs once as written, once with BOM + CRLF.
fn check_bad(files: &[(&str, &[u8])], expected: &[Expect]) {
    for crlf in [false, true] {
        let site = built_site();
        let before = snapshot(&site.public());
        for (rel, bytes) in files {
            site.event(rel, if crlf { with_bom_and_crlf(bytes) } else { bytes.to_vec() });
        }
        let out = site.build_here(&[]);
        assert_code(&out, 1);
        let err = stderr(&out);
        for e in expected {
            assert_reported(&err, e);
        }
        assert!(!err.contains("content/events/2024/good.md"), "the good file was reported:\n{err}");
        assert_same_tree(&before, &snapshot(&site.public()));
        assert_eq!(entries(site.path()), ["content", "public", "site.yaml"], "staging left behind");
    }
}

fn check_one(file: &str, text: &[u8], line: usize, column: usize, says: &[&str], shown: Option<&str>) {
    check_bad(&[(file, text)], &[Expect { file, line, column, says, shown }]);
}

#[test]
fn non_utf8_bytes() {
    let text = b"---\ntitle: Bad bytes\ndate: 2024-07-28\nsummary: caf\xFF au lait\nkind: meeting\nsources:\n  - {title: S}\n---\n";
    check_one("2024/07/latin1.md", text, 4, 13, &["not valid UTF-8"], Some("summary: caf\u{FFFD} au lait"));
}

#[test]
fn empty_file() {
    // An empty file has no line to show; the location and message still must be there.
    check_one("2024/empty.md", b"", 1, 1, &["empty"], None);
}

#[test]
fn front_matter_that_is_a_list() {
    let text = b"---\n- title: A list\n- date: 2024-07-28\n---\nBody.\n";
    check_one("2024/list.md", text, 2, 1, &["must be a mapping"], Some("- title: A list"));
}

#[test]
fn unclosed_front_matter() {
    let text = b"---\ntitle: Never closed\ndate: 2024-07-28\nkind: meeting\nsummary: s\n";
    check_one("2024/unclosed.md", text, 1, 1, &["never closed"], Some("---"));
}

#[test]
fn yaml_syntax_error() {
    let text = format!("---\ntitle: Talks\ndate: 2024-07-28\nsummary: Talks: in Tokyo\n{TAIL}").replace("summary: A test event.\n", "");
    check_one("2024/yaml.md", text.as_bytes(), 4, 15, &["invalid YAML"], Some("summary: Talks: in Tokyo"));
}

#[test]
fn impossible_date() {
    let text = format!("---\ntitle: Bad date\ndate: 2024-13-45\n{TAIL}");
    check_one("2024/date.md", text.as_bytes(), 3, 7, &["invalid date", "month 13"], Some("date: 2024-13-45"));
}

#[test]
fn unknown_key_with_hint() {
    let text = format!("---\ntitel: Typo in a key\ndate: 2024-07-28\n{TAIL}");
    let says = &["unknown key `titel`", "did you mean `title`"];
    check_one("2024/typo.md", text.as_bytes(), 2, 1, says, Some("titel: Typo in a key"));
}

#[test]
fn unknown_kind_with_hint() {
    let text = format!("---\ntitle: Bad kind\ndate: 2024-07-28\n{TAIL}").replace("kind: meeting", "kind: meting");
    check_one("2024/kind.md", text.as_bytes(), 4, 7, &["unknown kind `meting`", "did you mean `meeting`"], Some("kind: meting"));
}

#[test]
fn unknown_track() {
    let text = format!("---\ntitle: Bad track\ndate: 2024-07-28\ntracks: [us-japan, us-japn]\n{TAIL}");
    let says = &["unknown track `us-japn`", "did you mean `us-japan`"];
    check_one("2024/track.md", text.as_bytes(), 4, 20, says, Some("tracks: [us-japan, us-japn]"));
}

#[test]
fn unknown_country() {
    let text = format!("---\ntitle: Bad country\ndate: 2024-07-28\ncountries: [US, XX]\n{TAIL}");
    check_one("2024/country.md", text.as_bytes(), 4, 17, &["unknown country code `XX`"], Some("countries: [US, XX]"));
}

#[test]
fn javascript_source_url() {
    let text = b"---\ntitle: Bad link\ndate: 2024-07-28\nkind: meeting\nsummary: s\nsources:\n  - title: A source\n    url: \"javascript:alert(1)\"\n---\n";
    let says = &["must be an http(s) URL"];
    check_one("2024/url.md", text, 8, 10, says, Some("    url: \"javascript:alert(1)\""));
}

#[test]
fn quote_source_out_of_range() {
    let text = format!("---\ntitle: Bad quote\ndate: 2024-07-28\n{TAIL}").replace(
        "---\nBody.",
        "quotes:\n  - {text: Hello, speaker: Someone, source: 1}\n---\nBody.",
    );
    let shown = "  - {text: Hello, speaker: Someone, source: 1}";
    check_one("2024/quote.md", text.as_bytes(), 9, 45, &["quote source 1 does not exist", "the only source is 0"], Some(shown));
}

#[test]
fn end_date_before_date() {
    let text = format!("---\ntitle: Backwards\ndate: 2024-07-28\nend_date: 2024-07-01\n{TAIL}");
    check_one("2024/backwards.md", text.as_bytes(), 4, 11, &["is before `date`"], Some("end_date: 2024-07-01"));
}

#[test]
fn dangling_relation() {
    let text = format!("---\ntitle: Dangling\ndate: 2024-07-28\n{TAIL}")
        .replace("---\nBody.", "related:\n  - {event: no-such-event, relation: references}\n---\nBody.");
    let shown = "  - {event: no-such-event, relation: references}";
    check_one("2024/dangling.md", text.as_bytes(), 9, 13, &["related event `no-such-event` does not exist"], Some(shown));
}

#[test]
fn duplicate_slugs_name_both_files() {
    let a = format!("---\ntitle: First\ndate: 2024-07-28\nslug: same-slug\n{TAIL}");
    let b = format!("---\ntitle: Second\ndate: 2024-07-29\nslug: same-slug\n{TAIL}");
    check_bad(
        &[("2024/a-first.md", a.as_bytes()), ("2024/b-second.md", b.as_bytes())],
        &[Expect {
            file: "2024/b-second.md",
            line: 4,
            column: 7,
            says: &["duplicate event slug `same-slug`", "content/events/2024/a-first.md:4:7"],
            shown: Some("slug: same-slug"),
        }],
    );
}

#[test]
fn missing_required_fields() {
    let text = b"---\ntitle: Only a title\nsources:\n  - {title: S}\n---\n";
    let file = "2024/missing.md";
    let missing = |says| Expect { file, line: 1, column: 1, says, shown: Some("---") };
    check_bad(
        &[(file, text)],
        &[
            missing(&["missing required field `date`"]),
            missing(&["missing required field `kind`"]),
            missing(&["missing required field `summary`"]),
        ],
    );
}

#[test]
fn published_event_without_sources() {
    let text = b"---\ntitle: No sources\ndate: 2024-07-28\nkind: meeting\nsummary: s\n---\n";
    check_one("2024/nosource.md", text, 1, 1, &["needs at least one source", "draft: true"], Some("---"));
}

#[test]
fn slug_that_escapes_the_output() {
    let text = format!("---\ntitle: Escape\ndate: 2024-07-28\nslug: \"../etc\"\n{TAIL}");
    check_one("2024/escape.md", text.as_bytes(), 4, 7, &["invalid slug `../etc`"], Some("slug: \"../etc\""));
}

#[test]
fn all_bad_files_at_once_are_all_reported() {
    let site = built_site();
    let before = snapshot(&site.public());
    let with = |line: &str| format!("---\ntitle: T\ndate: 2024-07-28\n{line}\n{TAIL}");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("bad/utf8.md", b"---\ntitle: x\ndate: 2024\nsummary: caf\xFF\n---\n".to_vec()),
        ("bad/empty.md", Vec::new()),
        ("bad/list.md", b"---\n- a\n- b\n---\n".to_vec()),
        ("bad/unclosed.md", b"---\ntitle: x\n".to_vec()),
        ("bad/yaml.md", with("location: a: b").into_bytes()),
        ("bad/date.md", format!("---\ntitle: T\ndate: 2024-13-45\n{TAIL}").into_bytes()),
        ("bad/typo.md", with("titel: x").into_bytes()),
        ("bad/kind.md", with("status: held").replace("kind: meeting", "kind: meting").into_bytes()),
        ("bad/track.md", with("tracks: [nope]").into_bytes()),
        ("bad/country.md", with("countries: [XX]").into_bytes()),
        ("bad/url.md", with("status: held").replace("publisher: Test", "url: \"javascript:x\"").into_bytes()),
        ("bad/quote.md", with("quotes: [{text: a, speaker: b, source: 5}]").into_bytes()),
        ("bad/end.md", with("end_date: 2020").into_bytes()),
        ("bad/dangling.md", with("related: [{event: nowhere}]").into_bytes()),
        ("bad/dup-1.md", with("slug: twin").into_bytes()),
        ("bad/dup-2.md", with("slug: twin").into_bytes()),
        ("bad/missing.md", b"---\ntitle: x\n---\n".to_vec()),
        ("bad/nosource.md", b"---\ntitle: x\ndate: 2024\nkind: meeting\nsummary: s\n---\n".to_vec()),
        ("bad/escape.md", with("slug: \"../etc\"").into_bytes()),
    ];
    for (rel, bytes) in &files {
        site.event(rel, bytes);
    }
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    for (rel, _) in &files {
        assert!(err.contains(&format!("content/events/{rel}:")), "{rel} is not reported:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_same_tree(&before, &snapshot(&site.public()));
}

#[test]
fn unknown_key_in_site_yaml() {
    let site = built_site();
    let before = snapshot(&site.public());
    site.write("site.yaml", format!("{SITE_YAML}serch: true\n").replace("language: en\n", "language: en\nlangauge: en\n"));
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    for (line, key, hint) in [(3, "langauge", "language"), (12, "serch", "search")] {
        let location = format!("site.yaml:{line}:1: unknown key `{key}`");
        assert!(err.contains(&location), "no {location:?} in:\n{err}");
        assert!(err.contains(&format!("{line} | {key}:")), "the line is not shown:\n{err}");
        assert!(err.contains(&format!("did you mean `{hint}`")), "no hint for {key}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_same_tree(&before, &snapshot(&site.public()));
}
