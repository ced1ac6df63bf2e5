//! `annals import` on TimelineJS3's own sample files
//! (tests/fixtures/timelinejs): each imports, or is refused with what was
//! expected; the site builds; every slide's headline and dates are on an
//! event page; the links of a slide's text survive into the page body; the
//! notes come one line per kind.

mod common;

use common::*;
use scraper::Html;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs")
        .join(name)
}

/// Text of an HTML fragment as a reader sees it.
fn plain(html: &str) -> String {
    let doc = Html::parse_fragment(&html.replace("<br", " <br"));
    let text: String = doc.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A slide as the test expects to find it: headline, start and end date
/// (`YYYY[-MM[-DD]]`), and the links of its text.
struct Expected {
    headline: String,
    start: String,
    end: Option<String>,
    links: Vec<String>,
}

fn date(year: &str, month: &str, day: &str) -> String {
    let n = |s: &str| s.trim().parse::<i64>().ok();
    match (n(year), n(month), n(day)) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (Some(y), _, _) => format!("{y:04}"),
        _ => String::new(),
    }
}

fn links(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    doc.select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .map(|h| match h.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None => h.to_string(),
        })
        .filter(|h| h.starts_with("http"))
        .collect()
}

fn expected_json(path: &Path) -> Vec<Expected> {
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).expect("fixture")).expect("JSON");
    let s = |x: &serde_json::Value| match x {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let d = |x: &serde_json::Value| date(&s(&x["year"]), &s(&x["month"]), &s(&x["day"]));
    v["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| Expected {
            headline: plain(e["text"]["headline"].as_str().unwrap_or("")),
            start: d(&e["start_date"]),
            end: e.get("end_date").map(d).filter(|x| !x.is_empty()),
            links: links(e["text"]["text"].as_str().unwrap_or("")),
        })
        .collect()
}

fn expected_csv(path: &Path) -> Vec<Expected> {
    let mut reader = csv::Reader::from_path(path).expect("CSV");
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.expect("row");
        if matches!(&r[15], "title" | "era") {
            continue;
        }
        let end = date(&r[4], &r[5], &r[6]);
        out.push(Expected {
            headline: plain(&r[9]),
            start: date(&r[0], &r[1], &r[2]),
            end: (!end.is_empty()).then_some(end),
            links: links(&r[10]),
        });
    }
    out
}

/// Every event page: (title, start, end, body links).
fn pages(site: &TestSite) -> Vec<(String, String, Option<String>, Vec<String>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(site.public().join("events"))
        .expect("events folder")
        .flatten()
    {
        let page = entry.path().join("index.html");
        if !page.is_file() {
            continue;
        }
        let doc = read_html(&page);
        let times = attrs(&doc, ".event-date time", "datetime");
        out.push((
            texts(&doc, "h1.p-name").join(" "),
            times.first().cloned().unwrap_or_default(),
            // The span is shown once; its end is a `dt-end` data element.
            attrs(&doc, ".event-date data.dt-end", "value")
                .first()
                .cloned(),
            attrs(&doc, ".e-content a", "href"),
        ));
    }
    out
}

fn check_fixture(name: &str, expected: Vec<Expected>) -> String {
    let site = TestSite::new();
    let out = import_into(&site, &fixture(name), &[]);
    assert_success(&out);
    site.build_ok(&[]);
    let pages = pages(&site);
    assert_eq!(pages.len(), expected.len(), "{name}: one page per slide");
    for e in &expected {
        let found = pages.iter().find(|(title, start, end, _)| {
            *title == e.headline
                && *start == e.start
                && (e.end.is_none() || *end == e.end || e.end.as_deref() == Some(start.as_str()))
        });
        let Some((_, _, _, body_links)) = found else {
            panic!(
                "{name}: no page for \"{}\" ({} – {:?})",
                e.headline, e.start, e.end
            );
        };
        for l in &e.links {
            assert!(
                body_links.contains(l),
                "{name}: \"{}\" lost the link {l}: {body_links:?}",
                e.headline
            );
        }
    }
    stderr(&out)
}

#[test]
fn the_template_csv_imports_with_its_links() {
    let err = check_fixture(
        "my-own-timeline.csv",
        expected_csv(&fixture("my-own-timeline.csv")),
    );
    assert!(
        err.contains("the title slide's `title` (\"MY OWN CSV\")"),
        "{err}"
    );
    assert!(err.contains("Imported 10 events"), "{err}");
}

#[test]
fn all_media_types_imports_with_grouped_notes() {
    let err = check_fixture(
        "all-media-types.json",
        expected_json(&fixture("all-media-types.json")),
    );
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note: ")).collect();
    assert!(
        notes.iter().any(|n| n.starts_with("note: 28 events name a group that is not a track of site.yaml (e.g. \"Video\", \"Social Media\", \"Audio\", …)")),
        "{err}"
    );
    // One line per kind of note, none naming entries by number.
    assert!(notes.len() <= 10, "{err}");
    assert!(!err.contains("event 1"), "{err}");
}

#[test]
fn eras_and_houston_import() {
    let err = check_fixture("eras.json", expected_json(&fixture("eras.json")));
    assert!(err.contains("3 periods from eras"), "{err}");
    check_fixture("houston.json", expected_json(&fixture("houston.json")));
}

#[test]
fn welcome_json_is_refused_with_what_was_expected() {
    let site = TestSite::new();
    let out = import_into(&site, &fixture("welcome.json"), &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("expected a TimelineJS3 JSON file: an object with an `events` list"),
        "{err}"
    );
    assert!(!err.contains("Imported"), "{err}");
    assert!(!site.path().join("content/events").exists());
}

#[test]
fn the_body_keeps_the_text_once_without_spaces_before_punctuation() {
    let site = TestSite::new();
    assert_success(&import_into(&site, &fixture("my-own-timeline.csv"), &[]));
    let ada = fs::read_to_string(
        site.path()
            .join("content/events/1815/1815-12-10-ada-lovelace.md"),
    )
    .expect("Ada");
    assert!(
        ada.contains("summary: \"Women have been programming since before it was a thing.\""),
        "{ada}"
    );
    assert!(
        ada.contains("Take [Ada Lovelace](https://en.wikipedia.org/wiki/Ada_Lovelace): Daughter"),
        "{ada}"
    );
    assert_eq!(ada.matches("Daughter of Lord Byron").count(), 1, "{ada}");
    assert!(
        ada.contains("imported_id: \"1815-12-10-ada-lovelace\""),
        "{ada}"
    );
}

/// Whether annals keeps a slide's media (`url` as read): an https file of
/// a known kind, or a page of a built-in embed host.
fn kept(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_lowercase());
    let known = [
        "jpg", "jpeg", "png", "gif", "webp", "svg", "mp4", "webm", "mp3", "ogg", "wav",
    ];
    let hosts = [
        "youtube.com",
        "youtu.be",
        "vimeo.com",
        "soundcloud.com",
        "twitter.com",
    ];
    ext.is_some_and(|e| known.contains(&e.as_str()))
        || hosts
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

#[test]
fn slide_media_reach_the_event_pages_with_caption_credit_and_alt() {
    for name in ["houston.json", "all-media-types.json"] {
        let site = TestSite::new();
        assert_success(&import_into(&site, &fixture(name), &[]));
        site.build_ok(&[]);
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(fixture(name)).expect("fixture"))
                .expect("JSON");
        let mut pages = std::collections::HashMap::new();
        for entry in fs::read_dir(site.public().join("events"))
            .expect("events")
            .flatten()
        {
            let page = entry.path().join("index.html");
            if page.is_file() {
                let doc = read_html(&page);
                pages.insert(texts(&doc, "h1.p-name").join(" "), doc);
            }
        }
        let mut checked = 0;
        for slide in v["events"].as_array().expect("events") {
            let m = &slide["media"];
            let url = m["url"].as_str().unwrap_or("").trim();
            let url = match url.strip_prefix("//") {
                Some(rest) => format!("https://{rest}"),
                None => url.to_string(),
            };
            if !kept(&url) {
                continue;
            }
            let headline = plain(slide["text"]["headline"].as_str().unwrap_or(""));
            let doc = pages
                .get(&headline)
                .unwrap_or_else(|| panic!("{name}: no page for {headline}"));
            let figures: Vec<_> = doc.select(&sel("figure.media")).collect();
            let figure = figures
                .first()
                .unwrap_or_else(|| panic!("{name}: \"{headline}\" has no media"));
            let caption = texts(doc, "figure.media figcaption").join(" ");
            for part in [&m["caption"], &m["credit"]] {
                let text = plain(part.as_str().unwrap_or(""));
                assert!(
                    caption.contains(&text),
                    "{name}: \"{headline}\": `{text}` not in `{caption}`"
                );
            }
            if let Some(img) = figure.select(&sel("img")).next() {
                assert!(
                    img.value().attr("alt").is_some_and(|a| !a.is_empty()),
                    "{name}: \"{headline}\": an image without alt"
                );
            }
            checked += 1;
        }
        assert!(
            checked >= 5,
            "{name}: only {checked} slides with media checked"
        );
    }
}
