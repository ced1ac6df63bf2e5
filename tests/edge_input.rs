//! Values at the edge of what the outputs can carry: base URLs a browser
//! would read as another host, values a hand-written snippet must escape,
//! and control characters that no XML, HTML or iCalendar output can hold.

mod common;

use common::{TestSite, assert_code, read_html, sel, stderr};
use scraper::Html;
use std::fs;
use std::path::{Path, PathBuf};

/// Control characters no output can carry (tab, LF and CR are allowed).
fn forbidden_chars() -> Vec<char> {
    (0u8..0x20)
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .chain([0x7f])
        .map(char::from)
        .collect()
}

/// Positions (`line:col`) of diagnostics in stderr for `file`.
fn diagnostic_lines(err: &str, file: &str) -> Vec<String> {
    err.lines()
        .filter_map(|l| l.strip_prefix(file)?.strip_prefix(':'))
        .map(str::to_owned)
        .collect()
}

// Item 8: base URLs.

#[test]
fn base_url_that_reads_as_another_host_is_refused_at_its_line() {
    let hostile = [
        r#""/\\evil.example/""#,
        r#""//evil.example/""#,
        r#""https://example.org//evil.example/""#,
        r#""https://example.org@evil.example/""#,
        r#""/a\"onload=alert(1)/""#,
        r#""/a b/""#,
        r#""/a<b/""#,
        r#""/x/\u0007/""#,
        r#""javascript:alert(1)""#,
    ];
    for value in hostile {
        let site = TestSite::new();
        site.write(
            "site.yaml",
            format!("title: T\nbase_url: {value}\nlanguage: en\n"),
        );
        site.event("a.md", common::simple_event("A", "2024-01-01"));
        let out = site.build_here(&[]);
        assert_code(&out, 1);
        let at = diagnostic_lines(&stderr(&out), "site.yaml");
        assert!(
            at.iter().any(|l| l.starts_with("2:11: ")),
            "base_url {value} not reported at site.yaml:2:11: {}",
            stderr(&out)
        );
        assert!(!site.public().exists(), "a refused base_url wrote a site");
    }
    for value in [
        "/\\evil.example/",
        "//evil.example/",
        "https://u:p@example.org/",
    ] {
        let site = TestSite::new();
        site.event("a.md", common::simple_event("A", "2024-01-01"));
        let out = site.build(&["--base-url", value]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("--base-url"), "{}", stderr(&out));
    }
}

#[test]
fn accepted_base_path_prefixes_every_page_resource() {
    let site = TestSite::new();
    site.event("a.md", common::simple_event("A", "2024-01-01"));
    common::assert_success(&site.build(&["--base-url", "/sub&x(1)/"]));
    let page = site.page("index.html");
    let mut seen = 0;
    for (css, attr) in [("script[src]", "src"), ("link[href]", "href")] {
        for url in common::attrs(&page, css, attr) {
            seen += 1;
            assert!(url.starts_with("/sub&x(1)/"), "{css} {url}");
        }
    }
    assert!(seen > 0, "the page loads no script or stylesheet");
}

// Item 9: the embed snippet.

const HOSTILE_TITLE: &str = r#"R&amp;D "quotes" <b>bold</b> it's"#;
const HOSTILE_LABEL: &str = r#"US "&" <Japan> 'lane'"#;

#[test]
fn embed_snippets_parse_back_to_one_iframe_with_the_intended_values() {
    let site = TestSite::new();
    let yaml = format!(
        "title: '{}'\nbase_url: \"https://example.org/a&b(c)/\"\ntracks:\n  us-japan: {{label: '{}'}}\n  us-rok: {{label: Plain}}\n",
        HOSTILE_TITLE.replace('\'', "''"),
        HOSTILE_LABEL.replace('\'', "''"),
    );
    site.write("site.yaml", yaml);
    for (file, track) in [("a.md", "us-japan"), ("b.md", "us-rok")] {
        let text = common::simple_event(file, "2024-01-01").replace(
            "kind: meeting\n",
            &format!("kind: meeting\ntracks: [{track}]\n"),
        );
        site.event(file, text);
    }
    site.build_ok(&[]);
    let page = site.page("compare/index.html");
    let snippets: Vec<String> = page
        .select(&sel("pre.snippet code"))
        .map(|c| c.text().collect())
        .collect();
    let expected = [
        ("https://example.org/a&b(c)/embed/", "All events"),
        ("https://example.org/a&b(c)/embed/us-japan/", HOSTILE_LABEL),
        ("https://example.org/a&b(c)/embed/us-rok/", "Plain"),
    ];
    assert_eq!(snippets.len(), expected.len(), "{snippets:?}");
    for (snippet, (src, label)) in snippets.iter().zip(expected) {
        let frag = Html::parse_fragment(snippet);
        let frames: Vec<_> = frag.select(&sel("iframe")).collect();
        assert_eq!(frames.len(), 1, "{snippet}");
        let mut names: Vec<&str> = frames[0].value().attrs().map(|(n, _)| n).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["height", "loading", "src", "style", "title", "width"],
            "{snippet}"
        );
        assert_eq!(frames[0].value().attr("src"), Some(src), "{snippet}");
        let title = format!("{HOSTILE_TITLE}: {label}");
        assert_eq!(frames[0].value().attr("title"), Some(title.as_str()));
        assert_eq!(frag.select(&sel("b")).count(), 0, "{snippet}");
    }
}

// Item 10: control characters.

#[test]
fn control_characters_in_front_matter_and_site_yaml_are_refused_at_the_value() {
    let site = TestSite::new();
    let chars = forbidden_chars();
    let fields = ["title", "summary", "location", "participants", "sources"];
    for (i, c) in chars.iter().enumerate() {
        let escaped = format!("\\x{:02X}", u32::from(*c));
        let field = fields[i % fields.len()];
        let (title, summary, location, participant, source) = {
            let pick = |f: &str| {
                if f == field {
                    format!("Bad {escaped} value")
                } else {
                    "Fine".to_string()
                }
            };
            (
                pick("title"),
                pick("summary"),
                pick("location"),
                pick("participants"),
                pick("sources"),
            )
        };
        let text = format!(
            "---\ntitle: \"{title}\"\ndate: 2024-01-01\nkind: meeting\nsummary: \"{summary}\"\nlocation: \"{location}\"\nparticipants:\n  - {{name: \"{participant}\", role: Minister}}\nsources:\n  - {{title: \"{source}\", publisher: Test}}\n---\nBody.\n"
        );
        site.event(&format!("e{i:02}.md"), text);
    }
    site.write(
        "site.yaml",
        "title: T\ntracks:\n  us-japan: {label: \"US\\x1BJapan\"}\n",
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    // Line and column of the value in each file, by the field that holds it.
    let value_at = |field: &str| match field {
        "title" => "2:8",
        "summary" => "5:10",
        "location" => "6:11",
        "participants" => "8:12",
        _ => "10:13",
    };
    for (i, c) in chars.iter().enumerate() {
        let file = format!("content/events/e{i:02}.md");
        let at = diagnostic_lines(&err, &file);
        let name = format!("U+{:04X}", u32::from(*c));
        let pos = value_at(fields[i % fields.len()]);
        assert!(
            at.iter()
                .any(|l| l.starts_with(&format!("{pos}: ")) && l.contains(&name)),
            "{file}: no diagnostic at {pos} naming {name}: {at:?}\n{err}"
        );
    }
    let at = diagnostic_lines(&err, "site.yaml");
    assert!(
        at.iter()
            .any(|l| l.starts_with("3:21: ") && l.contains("U+001B ESCAPE")),
        "site.yaml label not refused: {at:?}"
    );
    assert!(err.contains("is not allowed; remove it"), "no hint: {err}");
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read output folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn control_characters_in_bodies_leave_every_output_well_formed() {
    let site = TestSite::new();
    let mut body = String::from("Body with");
    for c in forbidden_chars() {
        body.push_str(&format!(" [{c}]"));
    }
    body.push_str("\n\n*emph\u{1b}asis* and `co\u{7f}de` and a tab\there.\n");
    let mut text = common::simple_event("Control", "2024-01-01");
    text = text.replace(
        "kind: meeting\n",
        "kind: meeting\ntracks: [us-japan]\ntags: [t]\n",
    );
    text = text.replace("Body of Control.\n", &body);
    site.event("a.md", text);
    site.build_ok(&["--base-url", "https://example.org/"]);
    let mut checked = 0;
    for path in files_under(&site.public()) {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let text = fs::read_to_string(&path).expect("outputs are UTF-8");
        let shown = path.display();
        match ext {
            "xml" => {
                roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("{shown} is not well-formed: {e}"));
            }
            "json" => {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{shown}: {e}"));
            }
            "ics" => {
                for cal in ical::IcalParser::new(text.as_bytes()) {
                    cal.unwrap_or_else(|e| panic!("{shown}: {e}"));
                }
            }
            "html" => {
                read_html(&path);
            }
            _ => continue,
        }
        let bad: Vec<char> = text
            .chars()
            .filter(|c| forbidden_chars().contains(c))
            .collect();
        assert!(bad.is_empty(), "{shown} holds {bad:?}");
        checked += 1;
    }
    assert!(checked > 10, "only {checked} outputs checked");
    let page = site.page("events/a/index.html");
    let body: String = page.select(&sel(".body")).flat_map(|b| b.text()).collect();
    assert!(body.contains("[\u{FFFD}]"), "replacement missing: {body}");
    assert!(body.contains("tab\there"), "tab lost: {body}");
}
