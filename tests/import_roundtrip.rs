//! A TimelineJS migration that loses nothing: each of TimelineJS3's sample
//! files (tests/fixtures/timelinejs) is imported and built; the site's
//! `timelinejs.json` is imported into a second site and built again; the two
//! exports must be equal, and the first must still hold every slide's
//! headline, dates and media, and every era, of the original file.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs")
        .join(name)
}

/// The export with what only names the file it came from taken out: the
/// `imported_id` an import records (it differs between the two sites by
/// design: each names the file it was imported from).
fn comparable(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("imported_id");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

fn export_of(site: &TestSite) -> Value {
    let text = fs::read_to_string(site.public().join("timelinejs.json")).expect("timelinejs.json");
    serde_json::from_str(&text).expect("timelinejs.json is JSON")
}

/// Imports `file` into a new site, builds it and returns the site.
fn imported(file: &Path) -> TestSite {
    let site = TestSite::new();
    let out = import_into(&site, file, &[]);
    assert_success(&out);
    site.build_ok(&[]);
    site
}

/// `YYYY[-MM[-DD]]` of a TimelineJS date object (numbers or strings).
fn ymd(d: &Value) -> String {
    let part = |k: &str| match &d[k] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    match (part("year"), part("month"), part("day")) {
        (Some(y), Some(m), Some(day)) => format!("{y}-{m}-{day}"),
        (Some(y), Some(m), None) => format!("{y}-{m}"),
        (Some(y), _, _) => format!("{y}"),
        _ => String::new(),
    }
}

fn plain(html: &str) -> String {
    let doc = scraper::Html::parse_fragment(html);
    let text: String = doc.root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn headline(slide: &Value) -> String {
    plain(slide["text"]["headline"].as_str().unwrap_or_default())
}

/// Checks the first export against the original JSON file: every slide
/// with a headline and a year is there with its dates; media annals keeps
/// (an `https` or `//` URL) are there with the same URL, caption, credit
/// and alt text; every era is there with its dates.
fn assert_original_kept(original: &Value, export: &Value, name: &str) {
    let slides = export["events"].as_array().expect("events");
    for s in original["events"].as_array().expect("events") {
        let h = headline(s);
        if h.is_empty() || ymd(&s["start_date"]).is_empty() {
            continue;
        }
        let found = slides
            .iter()
            .find(|e| headline(e) == h && ymd(&e["start_date"]) == ymd(&s["start_date"]))
            .unwrap_or_else(|| {
                panic!(
                    "{name}: slide \"{h}\" ({}) is missing from the export",
                    ymd(&s["start_date"])
                )
            });
        assert_eq!(
            ymd(&found["start_date"]),
            ymd(&s["start_date"]),
            "{name}: {h}"
        );
        if s.get("end_date").is_some_and(|d| !ymd(d).is_empty()) {
            assert_eq!(ymd(&found["end_date"]), ymd(&s["end_date"]), "{name}: {h}");
        }
        let url = s["media"]["url"].as_str().unwrap_or_default().trim();
        let url = match url.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None => url.to_string(),
        };
        if !url.starts_with("https://") {
            continue;
        }
        let kept = found["annals"]["media"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["src"].as_str() == Some(url.as_str()));
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let is_file = [
            ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp4", ".webm", ".mp3", ".ogg",
        ]
        .iter()
        .any(|ext| path.ends_with(ext));
        let Some(kept) = kept else {
            // An embed whose host is off the allow-list is reported as a
            // note at import; an image, video or audio file is always kept.
            assert!(!is_file, "{name}: the media {url} of \"{h}\" was lost");
            continue;
        };
        for (theirs, ours) in [("caption", "caption"), ("credit", "credit"), ("alt", "alt")] {
            let want = plain(s["media"][theirs].as_str().unwrap_or_default());
            if !want.is_empty() {
                assert_eq!(
                    plain(kept[ours].as_str().unwrap_or_default()),
                    want,
                    "{name}: the {theirs} of \"{h}\""
                );
            }
        }
        let exported_url = found["media"]["url"].as_str().unwrap_or_default();
        assert!(
            !exported_url.is_empty(),
            "{name}: \"{h}\" lost its TimelineJS media object"
        );
    }
    let eras: Vec<(String, String, String)> = export["eras"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| (headline(e), ymd(&e["start_date"]), ymd(&e["end_date"])))
        .collect();
    for e in original["eras"].as_array().into_iter().flatten() {
        let want = (headline(e), ymd(&e["start_date"]), ymd(&e["end_date"]));
        assert!(eras.contains(&want), "{name}: era {want:?} not in {eras:?}");
    }
}

fn round_trip(name: &str) {
    let first = imported(&fixture(name));
    let export1 = export_of(&first);
    if name.ends_with(".json") {
        let original: Value =
            serde_json::from_str(&fs::read_to_string(fixture(name)).expect("fixture"))
                .expect("fixture is JSON");
        assert_original_kept(&original, &export1, name);
    }
    let second = imported(&first.public().join("timelinejs.json"));
    let export2 = export_of(&second);
    assert_eq!(
        comparable(export1),
        comparable(export2),
        "{name}: export → import → export changed the TimelineJS file"
    );
}

#[test]
fn all_media_types_round_trips() {
    round_trip("all-media-types.json");
}

#[test]
fn eras_round_trip() {
    round_trip("eras.json");
}

#[test]
fn houston_round_trips() {
    round_trip("houston.json");
}

#[test]
fn the_template_csv_round_trips() {
    round_trip("my-own-timeline.csv");
}

#[test]
fn women_in_computing_round_trips() {
    round_trip("women_in_computing.csv");
}
