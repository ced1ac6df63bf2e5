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
    assert!(
        stderr.contains(&location),
        "stderr does not contain {location:?}:\n{stderr}"
    );
    // Reports are separated by blank lines; find the one at this location saying all of `says`.
    let block: Vec<&str> = stderr
        .split("\n\n")
        .find(|b| b.contains(&location) && e.says.iter().all(|s| b.contains(s)))
        .unwrap_or_else(|| {
            panic!(
                "no report at {location} says all of {:?}:\n{stderr}",
                e.says
            )
        })
        .lines()
        .skip_while(|l| !l.contains(&location))
        .collect();
    if let Some(shown) = e.shown {
        let source = format!("{} | {shown}", e.line);
        let i = block.iter().position(|l| l.trim_end() == source.trim_end());
        let Some(i) = i else {
            panic!("the line {source:?} is not shown under {location}:\n{stderr}")
        };
        let caret = block.get(i + 1).copied().unwrap_or_default();
        let gutter = e.line.to_string().len();
        let expected = format!("{:gutter$} | {}^", "", " ".repeat(e.column - 1));
        assert!(
            caret.starts_with(&expected),
            "no caret under column {} of {location}: {caret:?}\n{stderr}",
            e.column
        );
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
            site.event(
                rel,
                if crlf {
                    with_bom_and_crlf(bytes)
                } else {
                    bytes.to_vec()
                },
            );
        }
        let out = site.build_here(&[]);
        assert_code(&out, 1);
        let err = stderr(&out);
        for e in expected {
            assert_reported(&err, e);
        }
        assert!(
            !err.contains("content/events/2024/good.md"),
            "the good file was reported:\n{err}"
        );
        assert_same_tree(&before, &snapshot(&site.public()));
        assert_eq!(
            entries(site.path()),
            ["content", "public", "site.yaml"],
            "staging left behind"
        );
    }
}

/// One bad file, one report; `at` is `<file under content/events>:<line>:<column>`.
fn check_one(at: &str, text: &[u8], shown: Option<&str>, says: &[&str]) {
    let mut parts = at.rsplitn(3, ':');
    let column = parts.next().and_then(|c| c.parse().ok()).expect("a column");
    let line = parts.next().and_then(|l| l.parse().ok()).expect("a line");
    let file = parts.next().expect("a file");
    check_bad(
        &[(file, text)],
        &[Expect {
            file,
            line,
            column,
            says,
            shown,
        }],
    );
}

/// A valid event (title, date) with `lines` added after `date:`, from line 4 on.
fn event_with(lines: &str) -> Vec<u8> {
    format!("---\ntitle: T\ndate: 2024-07-28\n{lines}\n{TAIL}").into_bytes()
}

#[test]
fn non_utf8_bytes() {
    let text = b"---\ntitle: Bad bytes\ndate: 2024-07-28\nsummary: caf\xFF au lait\nkind: meeting\nsources:\n  - {title: S}\n---\n";
    let shown = Some("summary: caf\u{FFFD} au lait");
    check_one("2024/07/latin1.md:4:13", text, shown, &["not valid UTF-8"]);
}

#[test]
fn empty_file() {
    // An empty file has no line to show; the location and message still must be there.
    check_one("2024/empty.md:1:1", b"", None, &["empty"]);
}

#[test]
fn front_matter_that_is_a_list() {
    let text = b"---\n- title: A list\n- date: 2024-07-28\n---\nBody.\n";
    let says = &["must be a mapping"];
    check_one("2024/list.md:2:1", text, Some("- title: A list"), says);
}

#[test]
fn unclosed_front_matter() {
    let text = b"---\ntitle: Never closed\ndate: 2024-07-28\nkind: meeting\nsummary: s\n";
    check_one("2024/unclosed.md:1:1", text, Some("---"), &["never closed"]);
}

#[test]
fn yaml_syntax_error() {
    let text =
        b"---\ntitle: Talks\ndate: 2024-07-28\nsummary: Talks: in Tokyo\nkind: meeting\n---\n";
    let shown = Some("summary: Talks: in Tokyo");
    check_one("2024/yaml.md:4:15", text, shown, &["invalid YAML"]);
}

#[test]
fn impossible_date() {
    let text = format!("---\ntitle: Bad date\ndate: 2024-13-45\n{TAIL}");
    let says = &["invalid date", "month 13"];
    check_one(
        "2024/date.md:3:7",
        text.as_bytes(),
        Some("date: 2024-13-45"),
        says,
    );
}

#[test]
fn unknown_key_with_hint() {
    let text = format!("---\ntitel: Typo in a key\ndate: 2024-07-28\n{TAIL}");
    let says = &["unknown key `titel`", "did you mean `title`"];
    check_one(
        "2024/typo.md:2:1",
        text.as_bytes(),
        Some("titel: Typo in a key"),
        says,
    );
}

#[test]
fn unknown_kind_with_hint() {
    let text = format!(
        "---\ntitle: Bad kind\ndate: 2024-07-28\n{}",
        TAIL.replace("meeting", "meting")
    );
    let says = &["unknown kind `meting`", "did you mean `meeting`"];
    check_one(
        "2024/kind.md:4:7",
        text.as_bytes(),
        Some("kind: meting"),
        says,
    );
}

#[test]
fn unknown_track() {
    let line = "tracks: [us-japan, us-japn]";
    let says = &["unknown track `us-japn`", "did you mean `us-japan`"];
    check_one("2024/track.md:4:20", &event_with(line), Some(line), says);
}

#[test]
fn unknown_country() {
    let line = "countries: [US, XX]";
    let says = &["unknown country code `XX`"];
    check_one("2024/country.md:4:17", &event_with(line), Some(line), says);
}

#[test]
fn javascript_source_url() {
    let text = b"---\ntitle: Bad link\ndate: 2024-07-28\nkind: meeting\nsummary: s\nsources:\n  - title: A source\n    url: \"javascript:alert(1)\"\n---\n";
    let shown = Some("    url: \"javascript:alert(1)\"");
    check_one("2024/url.md:8:10", text, shown, &["must be an http(s) URL"]);
}

#[test]
fn quote_source_out_of_range() {
    let line = "quotes:\n  - {text: Hello, speaker: Someone, source: 1}";
    let shown = Some("  - {text: Hello, speaker: Someone, source: 1}");
    let says = &["quote source 1 does not exist", "the only source is 0"];
    check_one("2024/quote.md:5:45", &event_with(line), shown, says);
}

#[test]
fn end_date_before_date() {
    let line = "end_date: 2024-07-01";
    let says = &["is before `date`"];
    check_one(
        "2024/backwards.md:4:11",
        &event_with(line),
        Some(line),
        says,
    );
}

#[test]
fn dangling_relation() {
    let line = "related:\n  - {event: no-such-event, relation: references}";
    let shown = Some("  - {event: no-such-event, relation: references}");
    let says = &["related event `no-such-event` does not exist"];
    check_one("2024/dangling.md:5:13", &event_with(line), shown, says);
}

#[test]
fn duplicate_slugs_name_both_files() {
    let a = format!("---\ntitle: First\ndate: 2024-07-28\nslug: same-slug\n{TAIL}");
    let b = format!("---\ntitle: Second\ndate: 2024-07-29\nslug: same-slug\n{TAIL}");
    check_bad(
        &[
            ("2024/a-first.md", a.as_bytes()),
            ("2024/b-second.md", b.as_bytes()),
        ],
        &[Expect {
            file: "2024/b-second.md",
            line: 4,
            column: 7,
            says: &[
                "duplicate event slug `same-slug`",
                "content/events/2024/a-first.md:4:7",
            ],
            shown: Some("slug: same-slug"),
        }],
    );
}

#[test]
fn duplicate_slugs_from_file_names_point_at_the_files() {
    // No `slug:` in either file: the clash comes from the file names, so the
    // report must not point at an unrelated line such as `title:`.
    let text = format!("---\ntitle: Same name\ndate: 2024-07-28\n{TAIL}");
    check_bad(
        &[
            ("2024/same.md", text.as_bytes()),
            ("2025/same.md", text.as_bytes()),
        ],
        &[Expect {
            file: "2025/same.md",
            line: 1,
            column: 1,
            says: &["duplicate event slug `same`", "content/events/2024/same.md"],
            shown: Some("---"),
        }],
    );
}

/// Terminal cells taken by `text`: Hangul and CJK ideographs take two.
fn display_width(text: &str) -> usize {
    let wide = |c: char| matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

#[test]
fn caret_is_aligned_under_korean_and_japanese_text() {
    let site = built_site();
    let kr = "participants: [신원식, {name: 한미, country: KRR}]";
    let jp = "title: 日米安全保障協議委員会: 会談";
    site.event(
        "2024/kr.md",
        format!("---\ntitle: T\ndate: 2024-07-28\n{kr}\n{TAIL}"),
    );
    site.event("2024/jp.md", format!("---\n{jp}\ndate: 2024-07-28\n{TAIL}"));
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    // Columns count characters (as editors do); the caret must sit under the
    // character in a terminal, where each of these characters takes two cells.
    for (file, line, column, source) in [("kr", 4, 41, kr), ("jp", 2, 19, jp)] {
        let location = format!("content/events/2024/{file}.md:{line}:{column}: ");
        assert!(err.contains(&location), "no {location:?} in:\n{err}");
        let lines: Vec<&str> = err.lines().collect();
        let i = lines
            .iter()
            .position(|l| *l == format!("{line} | {source}"))
            .expect("the line is shown");
        let caret = lines[i + 1]
            .split_once(" | ")
            .map(|(_, c)| c)
            .unwrap_or_default();
        let cells_before: String = source.chars().take(column - 1).collect();
        assert_eq!(
            caret.find('^'),
            Some(display_width(&cells_before)),
            "{file}.md: the caret is not under column {column} ({:?}):\n{}\n{}",
            source.chars().nth(column - 1).unwrap_or(' '),
            lines[i],
            lines[i + 1]
        );
    }
}

#[test]
fn missing_required_fields() {
    let text = b"---\ntitle: Only a title\nsources:\n  - {title: S}\n---\n";
    let file = "2024/missing.md";
    let missing = |says| Expect {
        file,
        line: 1,
        column: 1,
        says,
        shown: Some("---"),
    };
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
    let says = &["needs at least one source", "draft: true"];
    check_one("2024/nosource.md:1:1", text, Some("---"), says);
}

#[test]
fn slug_that_escapes_the_output() {
    let line = "slug: \"../etc\"";
    let says = &["invalid slug `../etc`", "use `etc`"];
    check_one("2024/escape.md:4:7", &event_with(line), Some(line), says);
}

#[test]
fn all_bad_files_at_once_are_all_reported() {
    let site = built_site();
    let before = snapshot(&site.public());
    let with = |line: &str| String::from_utf8(event_with(line)).unwrap();
    let dated = |date: &str, tail: &str| format!("---\ntitle: T\ndate: {date}\n{tail}");
    // (file, text, what its report must say)
    #[rustfmt::skip]
    let files: Vec<(&str, String, &str)> = vec![
        ("bad/empty.md", String::new(), "the file is empty"),
        ("bad/list.md", "---\n- a\n- b\n---\n".into(), "must be a mapping"),
        ("bad/unclosed.md", "---\ntitle: x\n".into(), "never closed"),
        ("bad/yaml.md", with("location: a: b"), "invalid YAML"),
        ("bad/date.md", dated("2024-13-45", TAIL), "invalid date"),
        ("bad/typo.md", with("titel: x"), "unknown key `titel`"),
        ("bad/kind.md", dated("2024", &TAIL.replace("meeting", "meting")), "unknown kind `meting`"),
        ("bad/track.md", with("tracks: [nope]"), "unknown track `nope`"),
        ("bad/country.md", with("countries: [XX]"), "unknown country code `XX`"),
        ("bad/url.md", dated("2024", &TAIL.replace("publisher: Test", "url: \"javascript:x\"")), "http(s) URL"),
        ("bad/quote.md", with("quotes: [{text: a, speaker: b, source: 5}]"), "quote source 5"),
        ("bad/end.md", with("end_date: 2020"), "is before `date`"),
        ("bad/dangling.md", with("related: [{event: nowhere}]"), "`nowhere` does not exist"),
        ("bad/dup-1.md", with("slug: twin"), ""),
        ("bad/dup-2.md", with("slug: twin"), "duplicate event slug `twin`"),
        ("bad/missing.md", "---\ntitle: x\n---\n".into(), "missing required field `date`"),
        ("bad/nosource.md", dated("2024", "kind: meeting\nsummary: s\n---\n"), "at least one source"),
        ("bad/escape.md", with("slug: \"../etc\""), "invalid slug"),
    ];
    site.event(
        "bad/utf8.md",
        b"---\ntitle: x\ndate: 2024\nsummary: caf\xFF\n---\n",
    );
    for (rel, text, _) in &files {
        site.event(rel, text);
    }
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    let reported = |err: &str, rel: &str, says: &str| {
        let at = format!("content/events/{rel}:");
        err.split("\n\n")
            .any(|b| b.contains(&at) && b.contains(says))
    };
    assert!(reported(&err, "bad/utf8.md", "not valid UTF-8"), "{err}");
    for (rel, _, says) in &files {
        assert!(
            reported(&err, rel, says),
            "{rel} is not reported with {says:?}:\n{err}"
        );
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_same_tree(&before, &snapshot(&site.public()));
    // `check` reports the same problems and writes nothing either.
    let checked = site.check_here();
    assert_code(&checked, 1);
    let check_err = stderr(&checked);
    for (rel, _, says) in &files {
        assert!(
            reported(&check_err, rel, says),
            "check missed {rel}:\n{check_err}"
        );
    }
    assert_same_tree(&before, &snapshot(&site.public()));
}

#[test]
fn unknown_key_in_site_yaml() {
    let yaml = format!("{SITE_YAML}serch: true\n")
        .replace("language: en\n", "language: en\nlangauge: en\n");
    for bytes in [yaml.as_bytes().to_vec(), with_bom_and_crlf(yaml.as_bytes())] {
        let site = built_site();
        let before = snapshot(&site.public());
        site.write("site.yaml", bytes);
        let out = site.build_here(&[]);
        assert_code(&out, 1);
        let err = stderr(&out);
        for (line, key, hint) in [(3, "langauge", "language"), (12, "serch", "search")] {
            let location = format!("site.yaml:{line}:1: unknown key `{key}`");
            let block = err.split("\n\n").find(|b| b.starts_with(&location));
            let block = block.unwrap_or_else(|| panic!("no {location:?} in:\n{err}"));
            let shown = format!("{line} | {key}:");
            assert!(
                block.lines().any(|l| l.starts_with(&shown)),
                "line not shown:\n{err}"
            );
            assert!(
                block.contains(&format!("did you mean `{hint}`")),
                "no hint:\n{err}"
            );
        }
        assert!(!err.contains("panicked"), "{err}");
        assert_same_tree(&before, &snapshot(&site.public()));
    }
}
