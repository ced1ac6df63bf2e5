//! What an embed, a calendar client or a script loads stays small whatever
//! the size of the archive: `timelinejs.json` and the embeds hold the
//! newest `embed_limit` events, and every year has its share of
//! `events.json`, `calendar.ics` and TimelineJS (in parts of at most
//! `embed_limit`), linked from the year's page. Checked on a generated
//! site with a small limit, with serde_json, ical and an HTML parser.

mod common;

use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;

/// 7 events in 2023 (5 on US–Japan), 3 in 2024, 1 in 2025.
fn site(limit: usize) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{SITE_YAML}base_url: https://example.org/\nembed_limit: {limit}\n"),
    );
    let dates = [
        "2023-01-05",
        "2023-02-05",
        "2023-03-05",
        "2023-04-05",
        "2023-05-05",
        "2023-06-05",
        "2023-07-05",
        "2024-01-10",
        "2024-02-10",
        "2024-03-10",
        "2025-05-01",
    ];
    for (n, date) in dates.iter().enumerate() {
        let track = if n < 5 { "us-japan" } else { "us-rok" };
        site.event(
            &format!("e{n:02}.md"),
            format!(
                "---\ntitle: Event {n:02}\ndate: {date}\nkind: meeting\ntracks: [{track}]\nsummary: Summary {n}.\nsources:\n  - {{title: A source, publisher: Test}}\n---\nBody of event {n}.\n"
            ),
        );
    }
    site.build_ok(&[]);
    site
}

fn json(site: &TestSite, rel: &str) -> Value {
    let text = fs::read_to_string(site.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `unique_id`s of a TimelineJS file's slides, in order.
fn slides(tl: &Value) -> Vec<String> {
    tl["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|s| s["unique_id"].as_str().expect("unique_id").to_string())
        .collect()
}

fn slugs(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|n| format!("e{n:02}")).collect()
}

#[test]
fn timelinejs_holds_the_newest_and_every_year_in_parts() {
    let site = site(3);
    let newest = json(&site, "timelinejs.json");
    assert_eq!(slides(&newest), slugs(8..11));
    assert_eq!(newest["title"]["text"]["headline"], "Test Timeline");
    assert_eq!(newest["scale"], "human");

    // 2023 has 7 events: parts of 3, 3 and 1, in date order.
    let parts: Vec<Value> = ["timelinejs.json", "timelinejs-2.json", "timelinejs-3.json"]
        .iter()
        .map(|f| json(&site, &format!("years/2023/{f}")))
        .collect();
    let sizes: Vec<usize> = parts.iter().map(|p| slides(p).len()).collect();
    assert_eq!(sizes, [3, 3, 1]);
    let joined: Vec<String> = parts.iter().flat_map(slides).collect();
    assert_eq!(joined, slugs(0..7));
    assert_eq!(
        parts[1]["title"]["text"]["headline"],
        "Test Timeline — 2023 (2 of 3)"
    );
    assert!(!site.public().join("years/2023/timelinejs-4.json").exists());
    assert_eq!(
        slides(&json(&site, "years/2024/timelinejs.json")),
        slugs(7..10)
    );
    assert!(!site.public().join("years/2024/timelinejs-2.json").exists());
    assert_eq!(
        json(&site, "years/2025/timelinejs.json")["title"]["text"]["headline"],
        "Test Timeline — 2025"
    );

    // A track's file holds its newest events.
    let japan = json(&site, "tracks/us-japan/timelinejs.json");
    assert_eq!(slides(&japan), slugs(2..5));
    assert_eq!(
        japan["title"]["text"]["headline"],
        "Test Timeline — US–Japan"
    );
    assert_eq!(
        slides(&json(&site, "tracks/us-rok/timelinejs.json")),
        slugs(8..11)
    );

    // A slide is the same in every file that holds it.
    let in_year = &json(&site, "years/2024/timelinejs.json")["events"][2];
    let in_newest = &newest["events"][1];
    assert_eq!(in_year, in_newest);
}

#[test]
fn every_year_has_its_share_of_events_json_and_the_calendar() {
    let site = site(3);
    let whole = json(&site, "events.json");
    let records: BTreeMap<String, &Value> = whole["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["slug"].as_str().expect("slug").to_string(), e))
        .collect();
    let mut seen = BTreeSet::new();
    for (year, expected) in [
        ("2023", slugs(0..7)),
        ("2024", slugs(7..10)),
        ("2025", slugs(10..11)),
    ] {
        let share = json(&site, &format!("years/{year}/events.json"));
        for key in ["$schema", "version", "generator", "site"] {
            assert_eq!(share[key], whole[key], "{year}: {key}");
        }
        let events = share["events"].as_array().expect("events");
        let got: Vec<String> = events
            .iter()
            .map(|e| e["slug"].as_str().expect("slug").to_string())
            .collect();
        assert_eq!(got, expected, "{year}");
        for e in events {
            let slug = e["slug"].as_str().expect("slug");
            assert_eq!(
                Some(&e),
                records.get(slug),
                "{slug}: same record as events.json"
            );
            seen.insert(slug.to_string());
        }

        let ics = fs::read_to_string(site.public().join(format!("years/{year}/calendar.ics")))
            .expect("year calendar");
        let mut uids = Vec::new();
        let mut names = Vec::new();
        for cal in ical::IcalParser::new(ics.as_bytes()) {
            let cal = cal.expect("a valid calendar");
            names.extend(
                cal.properties
                    .iter()
                    .filter(|p| p.name == "X-WR-CALNAME")
                    .filter_map(|p| p.value.clone()),
            );
            for ev in cal.events {
                for p in ev.properties.iter().filter(|p| p.name == "UID") {
                    uids.push(p.value.clone().unwrap_or_default());
                }
            }
        }
        let expected_uids: Vec<String> = expected
            .iter()
            .map(|s| format!("{s}@example.org"))
            .collect();
        assert_eq!(uids, expected_uids, "{year}");
        assert_eq!(names, [format!("Test Timeline — {year}")]);
    }
    assert_eq!(
        seen.len(),
        records.len(),
        "every event is in one year's share"
    );
}

#[test]
fn year_pages_link_their_files_and_embeds_keep_the_newest() {
    let site = site(3);
    let page = site.page("years/2023/index.html");
    let links = hrefs(&page, ".downloads a");
    assert_eq!(
        links,
        [
            "/years/2023/events.json",
            "/years/2023/calendar.ics",
            "/years/2023/timelinejs.json",
            "/years/2023/timelinejs-2.json",
            "/years/2023/timelinejs-3.json",
        ]
    );
    for link in &links {
        assert!(
            site.public().join(link.trim_start_matches('/')).is_file(),
            "{link}"
        );
    }
    assert_eq!(
        texts(&page, ".downloads a")[2..],
        [
            "TimelineJS (part 1 of 3)",
            "TimelineJS (part 2 of 3)",
            "TimelineJS (part 3 of 3)"
        ]
    );
    let one = site.page("years/2025/index.html");
    assert_eq!(texts(&one, ".downloads a")[2], "TimelineJS");

    let embed = site.page("embed/index.html");
    assert_eq!(attrs(&embed, ".entry", "id").len(), 3);
    let track = site.page("embed/us-japan/index.html");
    let mut shown = attrs(&track, ".entry", "id");
    shown.sort();
    assert_eq!(shown, slugs(2..5));
}

#[test]
fn the_default_limit_keeps_small_sites_whole() {
    let site = site(1000);
    assert_eq!(slides(&json(&site, "timelinejs.json")), slugs(0..11));
    assert_eq!(
        slides(&json(&site, "years/2023/timelinejs.json")),
        slugs(0..7)
    );
    assert!(!site.public().join("years/2023/timelinejs-2.json").exists());
    assert_eq!(
        attrs(&site.page("embed/index.html"), ".entry", "id").len(),
        11
    );
}

#[test]
fn embed_limit_must_be_a_positive_whole_number() {
    for bad in ["0", "-3", "many", "2.5"] {
        let site = TestSite::new();
        site.write("site.yaml", format!("{SITE_YAML}embed_limit: {bad}\n"));
        site.event("a.md", simple_event("A", "2024-01-01"));
        let out = site.build(&[]);
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(
            err.contains("site.yaml:")
                && err.contains("`embed_limit` must be a positive whole number"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn a_rebuild_writes_again_only_the_timelinejs_parts_an_edit_changes() {
    let site = site(3);
    // e04 is the second of 2023's parts (e03–e05): only that part is new.
    let changed = ["years/2023/timelinejs-2.json"];
    let kept = [
        "years/2023/timelinejs.json",
        "years/2023/timelinejs-3.json",
        "years/2024/timelinejs.json",
        "years/2025/timelinejs.json",
    ];
    let edit = ("e04.md", "Body of event 4.", "Body of event 4, edited.");
    edit_writes_again_only(&site, edit, &changed, &kept);
    let edited = json(&site, "years/2023/timelinejs-2.json");
    assert_eq!(slides(&edited), slugs(3..6));
    assert!(
        edited["events"][1]["text"]["text"]
            .as_str()
            .expect("text")
            .contains("Body of event 4, edited.")
    );
    // The rebuild's files are a clean build's.
    let files = changed
        .iter()
        .chain(&kept)
        .chain(&["timelinejs.json", "tracks/us-japan/timelinejs.json"]);
    assert_as_clean(&site, files);
}

#[test]
fn a_title_edit_writes_again_only_its_year_s_files_and_the_pages_that_show_the_title() {
    let site = site(3);
    // e08 (2024-02-10) is renamed: its page, its neighbours' pages (their
    // previous and next links), 2024's files and its citation files change.
    let changed = [
        "events/e08/index.html",
        "events/e08/cite.bib",
        "events/e07/index.html",
        "events/e09/index.html",
        "years/2024/events.json",
        "years/2024/calendar.ics",
    ];
    let kept = [
        "events/e00/index.html",
        "events/e06/index.html",
        "events/e06/cite.bib",
        "events/e10/index.html",
        "years/2023/events.json",
        "years/2023/calendar.ics",
        "years/2025/events.json",
        "years/2025/calendar.ics",
    ];
    let edit = ("e08.md", "title: Event 08", "title: Event 08 renamed");
    edit_writes_again_only(&site, edit, &changed, &kept);
    for neighbour in ["events/e07/index.html", "events/e09/index.html"] {
        let links = texts(&site.page(neighbour), "a");
        assert!(
            links.iter().any(|l| l.contains("Event 08 renamed")),
            "{neighbour} links the new title: {links:?}"
        );
    }
    let year = json(&site, "years/2024/events.json");
    let titles: Vec<&str> = year["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["Event 07", "Event 08 renamed", "Event 09"]);
    let calendar = fs::read_to_string(site.public().join("years/2024/calendar.ics")).expect("read");
    let summaries: Vec<&str> = calendar
        .lines()
        .filter_map(|l| l.strip_prefix("SUMMARY:"))
        .collect();
    assert_eq!(summaries, ["Event 07", "Event 08 renamed", "Event 09"]);
    // The rebuild's files are a clean build's (the calendars but their
    // DTSTAMP, the time of the build that wrote them).
    let files = changed
        .iter()
        .chain(&kept)
        .chain(&["events.json", "citations.json", "citations.bib"])
        .filter(|rel| !rel.ends_with(".ics"));
    assert_as_clean(&site, files);
}

fn inode(site: &TestSite, rel: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(site.public().join(rel)).expect(rel).ino()
}

/// Replaces `from` with `to` in event file `name`, builds again, and
/// asserts that of the output files, `changed` were written anew and
/// `kept` are the previous build's (the same inodes).
fn edit_writes_again_only(
    site: &TestSite,
    (name, from, to): (&str, &str, &str),
    changed: &[&str],
    kept: &[&str],
) {
    let inodes = |files: &[&str]| files.iter().map(|rel| inode(site, rel)).collect::<Vec<_>>();
    let before = (inodes(changed), inodes(kept));
    let path = site.path().join("content/events").join(name);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{name} holds {from}");
    fs::write(&path, text.replace(from, to)).expect("write");
    site.build_ok(&[]);
    for (rel, ino) in changed.iter().zip(before.0) {
        assert_ne!(inode(site, rel), ino, "{rel} written anew");
    }
    for (rel, ino) in kept.iter().zip(before.1) {
        assert_eq!(inode(site, rel), ino, "{rel} kept from the build before");
    }
}

/// Asserts that each of `files` is as a clean build writes it.
fn assert_as_clean<'a>(site: &TestSite, files: impl Iterator<Item = &'a &'a str>) {
    let clean = site.dir.path().join("clean");
    site.build_ok(&["--clean", "--out", clean.to_str().expect("utf-8")]);
    for rel in files {
        assert_eq!(
            fs::read(site.public().join(rel)).expect(rel),
            fs::read(clean.join(rel)).expect(rel),
            "{rel}"
        );
    }
}
