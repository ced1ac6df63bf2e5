//! Hostile content: HTML/JS payloads in every front-matter field and in the
//! Markdown body stay inert in every output, checked with real parsers; huge
//! or nasty inputs end in a clean error or a bounded build.

mod common;

use common::{TestSite, assert_code, assert_success, stderr};
use scraper::{Html, Selector};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const MARK: &str = "PWNED";

fn hostile_event() -> String {
    let x = "<script>alert('PWNED')</script><img src=x onerror=alert('PWNED')>";
    format!(
        r#"---
title: "Title {x} </script><script>alert('PWNED')</script>"
date: 2024-07-28
kind: meeting
location: "<svg onload=alert('PWNED')>"
participants:
  - {{name: "Name {x}", role: "Role <a href='javascript:alert(1)'>PWNED</a>", country: US}}
  - "\"><script>alert('PWNED')</script>"
tags: ["<script>PWNED</script>", "javascript:alert('PWNED')"]
tracks: [us-japan]
summary: "Summary </script><script>alert('PWNED')</script> {x} <!-- -->"
sources:
  - {{title: "Src {x}", publisher: "<style>body{{display:none}}</style>PWNED", url: "https://example.org/?q=</script><script>alert('PWNED')</script>"}}
quotes:
  - {{text: "</script><script>alert('PWNED')</script>", speaker: "<b onmouseover=alert('PWNED')>x</b>", source: 0}}
---
Body {x}

[link](javascript:alert('PWNED')) [data](data:text/html;base64,UFdORUQ=) [vb](vbscript:msgbox("PWNED"))
[spaced]( javascript:alert('PWNED') ) [tab](java&#9;script:alert('PWNED'))

![img](javascript:alert('PWNED')) ![img2](data:image/svg+xml,<svg/onload=alert('PWNED')>)

<a href="javascript:alert('PWNED')">raw</a> <a href="JaVaScRiPt:alert('PWNED')">raw2</a>
<img src="data:text/html,PWNED" onerror="alert('PWNED')">
<iframe src="https://evil.example/PWNED"></iframe>
<object data="x.swf">PWNED</object>
<div style="background:url(javascript:alert('PWNED'))" onclick="alert('PWNED')">styled</div>
<form action="javascript:alert('PWNED')"><input type="text" onfocus="alert('PWNED')" autofocus></form>
<svg><script>alert('PWNED')</script></svg>
<math><mtext><table><mglyph><style><img src=x onerror=alert('PWNED')>

| a | b |
|:-:|---|
| <td style="position:fixed;top:0;background:url(https://evil.example/PWNED)">x</td> | y |

<script>alert('PWNED')</script>
"#
    )
}

fn files(root: &Path) -> Vec<std::path::PathBuf> {
    walk(root)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn check_html(path: &Path, text: &str) {
    let doc = Html::parse_document(text);
    let all = Selector::parse("*").expect("selector");
    for el in doc.select(&all) {
        let name = el.value().name();
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "base"),
            "{}: <{name}> survived",
            path.display()
        );
        if name == "script" && el.value().attr("type") == Some("application/ld+json") {
            // A data block, never run: it must be one JSON value whose
            // strings cannot close the element.
            let data: String = el.text().collect();
            assert!(
                serde_json::from_str::<serde_json::Value>(&data).is_ok() && !data.contains('<'),
                "{}: JSON-LD block {data:?}",
                path.display()
            );
            continue;
        }
        if name == "script" {
            let src = el.value().attr("src").unwrap_or("");
            assert!(
                src.starts_with("/assets/") || src.starts_with("/search-index.js"),
                "{}: script with src {src:?}",
                path.display()
            );
            assert!(
                el.text().collect::<String>().trim().is_empty(),
                "{}: inline script",
                path.display()
            );
        }
        if name == "style" {
            assert!(
                !el.text().collect::<String>().contains(MARK),
                "{}: style element",
                path.display()
            );
        }
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{}: {attr} on <{name}>",
                path.display()
            );
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                attr,
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "data"
                    | "xlink:href"
                    | "srcset"
                    | "poster"
            ) {
                for bad in ["javascript:", "data:", "vbscript:"] {
                    assert!(!v.starts_with(bad), "{}: {attr}={value:?}", path.display());
                }
            }
            if attr == "style" {
                assert!(
                    !v.contains("url(") && !v.contains("position"),
                    "{}: style={value:?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn payloads_stay_inert_in_every_output() {
    let site = TestSite::new();
    site.event("content/events/hostile.md", hostile_event());
    site.event(
        "content/events/plain.md",
        "---\ntitle: Plain\ndate: 2024-07-01\nkind: meeting\nsummary: S.\nsources: [{title: A}]\n---\nbody\n",
    );
    let out = site.build(&[]);
    assert_success(&out);
    let mut seen = 0;
    for path in files(&site.public()) {
        let text = fs::read_to_string(&path).unwrap_or_default();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "html" => check_html(&path, &text),
            "json" => {
                serde_json::from_str::<serde_json::Value>(&text).expect("JSON parses");
            }
            "xml" => {
                roxmltree::Document::parse(&text).expect("XML parses");
            }
            "ics" => {
                let parser = ical::IcalParser::new(text.as_bytes());
                for cal in parser {
                    cal.expect("ICS parses");
                }
            }
            _ => {}
        }
        // Scripts never hold a raw `</script` (they stay safe to inline);
        // pages hold no inline script at all (checked above). Standalone
        // JSON is data, parsed above, where `</script>` is just text.
        if matches!(ext, "js" | "json" | "html") && text.contains(MARK) {
            let lower = text.to_ascii_lowercase();
            if ext == "js" {
                assert!(
                    !lower.contains("</script"),
                    "{}: raw </script",
                    path.display()
                );
            }
            seen += 1;
        }
    }
    assert!(
        seen >= 4,
        "payload text reached pages, feeds, data and search ({seen})"
    );
}

#[test]
fn javascript_source_urls_are_refused() {
    let site = TestSite::new();
    site.event(
        "content/events/a.md",
        "---\ntitle: T\ndate: 2024-07-01\nkind: meeting\nsummary: S.\nsources: [{title: A, url: \"javascript:alert(1)\"}]\n---\n",
    );
    assert_code(&site.build(&[]), 1);
}

fn bounded(site: &TestSite, want: i32, needle: &str) -> String {
    let start = Instant::now();
    let out = site.build(&[]);
    let took = start.elapsed();
    assert_code(&out, want);
    let err = stderr(&out);
    assert!(err.contains(needle), "{err}");
    assert!(took < Duration::from_secs(60), "took {took:?}");
    err
}

const HEAD: &str =
    "---\ntitle: T\ndate: 2024-01-01\nkind: meeting\nsummary: S\nsources: [{title: x}]\n";

#[test]
fn a_50_mb_event_file_is_refused_without_reading_it() {
    let site = TestSite::new();
    let mut text = String::from(HEAD);
    text.push_str("---\n");
    let para = "lorem ipsum dolor sit amet ".repeat(40) + "\n\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&para);
    }
    site.write("content/events/big.md", text);
    bounded(&site, 1, "big.md:1:1: the file is larger than 4 MiB");
}

#[test]
fn ten_thousand_participants_are_refused() {
    let site = TestSite::new();
    let mut text = format!("{HEAD}participants:\n");
    for i in 0..10_000 {
        text.push_str(&format!("  - {{name: Person {i}, role: R, country: US}}\n"));
    }
    text.push_str("---\nb\n");
    site.write("content/events/p.md", text);
    bounded(
        &site,
        1,
        "p.md:8:3: `participants` has 10000 items; an event may list at most 1000",
    );
}

#[test]
fn yaml_alias_bombs_and_deep_nesting_end_in_errors() {
    let site = TestSite::new();
    let mut bomb =
        String::from("---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
        ("h", "g"),
        ("i", "h"),
    ] {
        let items = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    bomb.push_str("---\n");
    site.write("content/events/bomb.md", bomb);
    let err = bounded(
        &site,
        1,
        "bomb.md:2:1: invalid YAML in front matter: repetition limit exceeded",
    );
    assert!(err.contains("help:"), "{err}");

    let site = TestSite::new();
    let mut deep = format!("{HEAD}tags: ");
    deep.push_str(&"[".repeat(100_000));
    deep.push_str(&"]".repeat(100_000));
    deep.push_str("\n---\n");
    site.write("content/events/deep.md", deep);
    bounded(
        &site,
        1,
        "deep.md:7:71: invalid YAML in front matter: lists and mappings nest deeper than 64 levels",
    );

    let site = TestSite::new();
    let mut block = format!("{HEAD}tags:\n");
    for i in 0..300 {
        block.push_str(&format!("{}- \n", " ".repeat(i * 2)));
    }
    block.push_str("---\n");
    site.write("content/events/block.md", block);
    bounded(&site, 1, "recursion limit exceeded");
}

#[test]
fn a_mapping_of_150_000_keys_ends_in_an_error_within_bounds() {
    // Each key is checked against those before it: in a set, not one by one
    // (which took over a minute here).
    let site = TestSite::new();
    let mut text = format!("{HEAD}extra:\n");
    for i in 0..150_000 {
        text.push_str(&format!("  k{i}: {i}\n"));
    }
    text.push_str("---\nb\n");
    site.write("content/events/keys.md", text);
    bounded(
        &site,
        1,
        "keys.md:7:1: unknown key `extra` in event front matter",
    );
}

#[test]
fn many_files_and_long_lines_build_within_bounds() {
    let site = TestSite::new();
    for i in 0..10_000 {
        site.write(
            &format!("content/events/e{i}.md"),
            format!("{HEAD}---\nb\n"),
        );
    }
    site.write(
        "content/events/long.md",
        format!("{HEAD}---\n{}\n", "x".repeat(3 * 1024 * 1024)),
    );
    // Every file gets the slug it was named for; the site builds.
    let start = Instant::now();
    let out = site.build(&["--quiet"]);
    assert_success(&out);
    assert!(start.elapsed() < Duration::from_secs(120));
    assert!(site.public().join("events/e9999/index.html").is_file());
}
