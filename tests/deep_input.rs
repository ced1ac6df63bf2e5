//! Inputs whose shape, not only size, made work grow faster than the
//! input: deeply nested bodies, TimelineJS files of many entries, huge
//! front-matter scalars. Each must end in a located diagnostic or in
//! the same output as a small input would give.

mod common;

use common::*;
use serde_json::Value;
use std::fs;

/// Front matter of eight lines: a body starts on line 9.
const FRONT: &str = "---\ntitle: Deep\ndate: 2024-01-01\nkind: meeting\nsummary: S\nsources:\n  - {title: Src}\n---\n";

/// `(line, column, message)` of each `content/…:L:C: message` line.
fn located(stderr: &str, file: &str) -> Vec<(usize, usize, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(file)?.strip_prefix(':')?;
            let mut parts = rest.splitn(3, ':');
            let line = parts.next()?.parse().ok()?;
            let column = parts.next()?.parse().ok()?;
            Some((line, column, parts.next()?.trim().to_string()))
        })
        .collect()
}

#[test]
fn bodies_nested_past_the_limit_are_located_errors() {
    let nested_list: String = (0..200)
        .map(|k| format!("{}- x\n", "  ".repeat(k)))
        .collect();
    // (body, line, column) of the element that passes 256 levels.
    let cases = [
        // Raw HTML block: the 257th `<div>`.
        (
            format!(
                "Intro.\n\n{}x{}\n",
                "<div>".repeat(300),
                "</div>".repeat(300)
            ),
            11,
            256 * 5 + 1,
        ),
        // Inline HTML inside a paragraph (one level): the 256th `<span>`.
        (format!("a {}x\n", "<span>".repeat(300)), 9, 2 + 255 * 6 + 1),
        // Unclosed formatting tags count as open.
        (
            format!("Intro.\n\nb {}\n", "<b>".repeat(300)),
            11,
            2 + 255 * 3 + 1,
        ),
        // Markdown quotes: the 257th `>`.
        (format!("{}x\n", "> ".repeat(300)), 9, 256 * 2 + 1),
        // Markdown lists: two levels (list, item) per indent; the 129th list.
        (nested_list, 9 + 128, 128 * 2 + 1),
    ];
    for (body, line, column) in cases {
        let site = TestSite::new();
        site.event("deep.md", format!("{FRONT}{body}"));
        let out = site.build_here(&[]);
        assert_code(&out, 1);
        let errors = located(&stderr(&out), "content/events/deep.md");
        assert_eq!(
            errors,
            vec![(
                line,
                column,
                "the body nests elements deeper than 256 levels".to_string()
            )],
            "{}",
            stderr(&out)
        );
        assert!(!site.public().join("events/deep").exists());
    }
    // Pages are bodies too.
    let site = TestSite::new();
    site.write(
        "content/pages/about.md",
        format!("---\ntitle: About\n---\n{}\n", "<ul><li>".repeat(300)),
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let errors = located(&stderr(&out), "content/pages/about.md");
    assert_eq!(errors.len(), 1, "{}", stderr(&out));
    assert_eq!((errors[0].0, errors[0].1), (4, 256 * 8 + 1));
}

#[test]
fn bodies_nested_within_the_limit_keep_their_structure() {
    let site = TestSite::new();
    let body = format!("{}deepest{}\n", "<div>".repeat(250), "</div>".repeat(250));
    site.event(
        "deep.md",
        format!("{FRONT}{body}\n{}", "<p>a</p>".repeat(2000)),
    );
    site.build_ok(&[]);
    let page = site.page("events/deep/index.html");
    let deepest = page
        .select(&sel("div"))
        .find(|d| {
            d.children()
                .any(|c| c.value().as_text().is_some_and(|t| t.contains("deepest")))
        })
        .expect("the innermost div");
    let nested_divs = deepest
        .ancestors()
        .filter(|a| a.value().as_element().is_some_and(|e| e.name() == "div"))
        .count();
    // 249 body divs around it, plus the theme's body container at least.
    assert!(nested_divs >= 249, "{nested_divs}");
    assert_eq!(texts(&page, "p").iter().filter(|t| *t == "a").count(), 2000);
}

/// A TimelineJS file of `n` entries, one a line after a title slide that
/// repeats entry 2's id; entries from 3 on write their id and headline with
/// JSON escapes. Returns the text and the line of each entry.
fn timeline(n: usize) -> (String, Vec<usize>) {
    let mut text = String::from(
        "{\"title\": {\"text\": {\"headline\": \"entry-2\", \"text\": \"Entry 2\"}},\n\"events\": [\n",
    );
    let mut lines = Vec::new();
    for i in 1..=n {
        let id = if i >= 3 {
            format!("entry\\u002d{i}")
        } else {
            format!("entry-{i}")
        };
        lines.push(i + 2);
        text.push_str(&format!(
            "{{\"unique_id\": \"{id}\", \"start_date\": {{\"year\": \"{}\", \"month\": \"3\"}}, \"text\": {{\"headline\": \"Caf\\u00e9 talks {i}\", \"text\": \"<p>Talks {i}.</p>\"}}}}{}\n",
            2000 + i % 20,
            if i < n { "," } else { "" }
        ));
    }
    text.push_str("]}\n");
    (text, lines)
}

#[test]
fn import_of_many_entries_writes_each_once_and_locates_each() {
    const N: usize = 300;
    let site = TestSite::new();
    let (json, lines) = timeline(N);
    let input = site.write("timeline.json", &json);
    let run = || {
        annals()
            .arg("import")
            .arg(&input)
            .arg("--site")
            .arg(site.path())
            .output()
            .expect("run annals")
    };
    assert_success(&run());
    let mut slugs: Vec<String> = walk_md(&site.path().join("content/events"));
    slugs.sort();
    let mut expected: Vec<String> = (1..=N).map(|i| format!("entry-{i}")).collect();
    expected.sort();
    assert_eq!(slugs, expected);
    site.build_ok(&[]);
    let events: Value = serde_json::from_str(
        &fs::read_to_string(site.public().join("events.json")).expect("events.json"),
    )
    .expect("JSON");
    assert_eq!(events["events"].as_array().map(Vec::len), Some(N));

    // Importing again skips every entry: each is recognised by its id.
    let before = snapshot(&site.path().join("content"));
    let again = run();
    assert_success(&again);
    assert!(stderr(&again).contains(&format!("{N} events already imported and skipped")));
    assert_same_tree(&before, &snapshot(&site.path().join("content")));

    // Once the ids are gone, every entry's slug is taken by an event the
    // import cannot claim: every entry is reported at its own line.
    for path in walk_paths(&site.path().join("content/events")) {
        let text = fs::read_to_string(&path).expect("event");
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("imported_id:"))
            .collect();
        fs::write(&path, kept.join("\n") + "\n").expect("rewrite");
    }
    let again = run();
    assert_code(&again, 1);
    let problems = located(&stderr(&again), &input.display().to_string());
    assert_eq!(problems.len(), N, "{}", stderr(&again));
    for (i, (line, column, message)) in problems.iter().enumerate() {
        assert_eq!((*line, *column), (lines[i], 1), "{message}");
        assert!(
            message.starts_with(&format!("\"Café talks {}\": ", i + 1)),
            "{message}"
        );
    }
}

fn walk_paths(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk_paths(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Slugs (file stems) of the Markdown files under `dir`.
fn walk_md(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk_md(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(
                path.file_stem()
                    .expect("stem")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out
}

/// Undoes RFC 5545 TEXT escaping.
fn unescape_ics(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_huge_front_matter_scalar_round_trips_through_every_export() {
    let unit = "Talks, \"quoted\"; back\\slash é 한 — ";
    let summary = unit.repeat(2 * 1024 * 1024 / unit.len()) + "end.";
    let yaml_summary = summary.replace('\\', "\\\\").replace('"', "\\\"");
    let title = "Long title ".repeat(50_000);
    let site = TestSite::new();
    site.event(
        "big.md",
        format!(
            "---\ntitle: {title}\ndate: 2024-01-01\nkind: meeting\nsummary: \"{yaml_summary}\"\nlocation: Tokyo; Japan, Kantō\nsources:\n  - {{title: Src}}\n---\nBody.\n"
        ),
    );
    site.build_ok(&[]);
    let events: Value = serde_json::from_str(
        &fs::read_to_string(site.public().join("events.json")).expect("events.json"),
    )
    .expect("JSON");
    // Compared without printing: the values are megabytes long.
    let exported = events["events"][0]["summary"].as_str().unwrap_or_default();
    assert!(exported == summary, "summary of {} bytes", exported.len());

    let bytes = fs::read(site.public().join("calendar.ics")).expect("calendar.ics");
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(line.len() <= 75, "line of {} octets", line.len());
        assert!(std::str::from_utf8(line).is_ok(), "fold splits a character");
    }
    let text = String::from_utf8(bytes).expect("UTF-8");
    let reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendars: Vec<_> = reader.collect::<Result<_, _>>().expect("calendar parses");
    assert_eq!(calendars.len(), 1);
    let event = &calendars[0].events[0];
    let prop = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.as_deref())
            .map(unescape_ics)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let summary_prop = prop("SUMMARY");
    assert!(
        summary_prop == title.trim_end(),
        "title of {} bytes",
        summary_prop.len()
    );
    assert_eq!(prop("LOCATION"), "Tokyo; Japan, Kantō");
    let description = prop("DESCRIPTION");
    assert!(description.starts_with(&format!("{summary}\n\n")));
    assert!(
        description.ends_with("/events/big/"),
        "{}",
        &description[description.len() - 80..]
    );
    assert!(prop("UID").starts_with("big@"));
    assert_eq!(
        event.properties.iter().filter(|p| p.name == "UID").count(),
        1
    );
    assert!(prop("URL").ends_with("/events/big/"));
    assert!(!prop("DTSTART").is_empty());
}
