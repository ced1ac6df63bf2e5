//! Periods (eras): declared in `site.yaml` and in `content/periods/`,
//! their errors, where the built site shows them (timeline, year and
//! compare pages, event labels, on every page of a paginated list they
//! overlap), their exports (`events.json`, TimelineJS `eras`), and the
//! import of TimelineJS eras and title slides, export → import → export
//! included. Diagnostic snapshots regenerate with
//! `INSTA_UPDATE=always cargo test --test periods`.

mod common;

use common::*;
use scraper::Html;
use std::fs;

/// `SITE_YAML` with two periods: one of a track, one of every track.
const WITH_PERIODS: &str = "\
periods:
  - title: Second round of talks
    start: 2024-03
    end: 2024-06
    track: us-japan
  - title: Crisis
    slug: the-crisis
    start: 2024-05-01
    description: A *tense* time.
";

/// An event of `track` on `date`.
fn tracked_event(title: &str, date: &str, track: &str) -> String {
    simple_event(title, date).replacen(
        "kind: meeting",
        &format!("kind: meeting\ntracks: [{track}]"),
        1,
    )
}

/// A site with the two periods of `WITH_PERIODS`, one period file (a term
/// of office from 2023, still going on) and four events.
fn site_with_periods() -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", format!("{SITE_YAML}{WITH_PERIODS}"));
    site.write(
        "content/periods/term.md",
        "---\ntitle: Term of office\nstart: 2023-01-20\n---\nThe **minister's** term.\n",
    );
    site.event("2023/a.md", tracked_event("Start", "2023-02-01", "us-rok"));
    site.event(
        "2024/b.md",
        tracked_event("Round opens", "2024-03-10", "us-japan"),
    );
    site.event(
        "2024/c.md",
        tracked_event("ROK talk", "2024-05-10", "us-rok"),
    );
    site.event(
        "2024/d.md",
        tracked_event("Round closes", "2024-06-10", "us-japan"),
    );
    site
}

/// The titles of the periods a page lists, in order.
fn period_titles(page: &Html) -> Vec<String> {
    texts(page, "section.periods li.period h3")
}

/// The period labels of the entry `slug` on a list page.
fn labels(page: &Html, slug: &str) -> Vec<String> {
    page.select(&sel(&format!("li#{slug} .badge.period")))
        .map(|b| b.value().attr("data-period").unwrap_or("").to_string())
        .collect()
}

#[test]
fn periods_from_both_sources_show_on_the_timeline_sorted_by_start() {
    let site = site_with_periods();
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert_eq!(
        period_titles(&home),
        ["Term of office", "Second round of talks", "Crisis"]
    );
    // Plain data for themes: slug anchor, machine dates, span, track.
    let term = home
        .select(&sel("li#period-term"))
        .next()
        .expect("the term's entry");
    assert_eq!(term.value().attr("data-start"), Some("2023-01-20"));
    assert_eq!(term.value().attr("data-end"), None, "ongoing");
    assert_eq!(
        texts(&home, "li#period-term .period-when"),
        ["since 20 January 2023"]
    );
    assert_eq!(
        texts(&home, "li#period-term .period-description strong"),
        ["minister's"]
    );
    assert_eq!(
        hrefs(&home, "li#period-term .period-years a"),
        ["/years/2023/", "/years/2024/"]
    );
    assert_eq!(
        texts(&home, "li#period-second-round-of-talks .period-when"),
        ["March–June 2024 · US–Japan"]
    );
    assert_eq!(
        texts(&home, "li#period-the-crisis .period-description em"),
        ["tense"]
    );
    // Labels: a track's period only on that track's events.
    assert_eq!(labels(&home, "a"), ["term"]);
    assert_eq!(labels(&home, "b"), ["term", "second-round-of-talks"]);
    assert_eq!(labels(&home, "c"), ["term", "the-crisis"]);
    assert_eq!(
        labels(&home, "d"),
        ["term", "second-round-of-talks", "the-crisis"]
    );
    // The event page carries them too.
    let event = site.page("events/d/index.html");
    assert_eq!(texts(&event, ".event-status .badge.period").len(), 3);
}

#[test]
fn year_pages_show_the_periods_overlapping_the_year() {
    let site = site_with_periods();
    site.build_ok(&[]);
    assert_eq!(
        period_titles(&site.page("years/2023/index.html")),
        ["Term of office"]
    );
    assert_eq!(
        period_titles(&site.page("years/2024/index.html")),
        ["Term of office", "Second round of talks", "Crisis"]
    );
}

#[test]
fn compare_pages_put_a_tracks_period_in_its_lane_and_others_across() {
    let site = site_with_periods();
    site.build_ok(&[]);
    let page = site.page("compare/index.html");
    let rows: Vec<(String, bool, Vec<bool>)> = page
        .select(&sel("tr.period-row"))
        .map(|tr| {
            let slug = tr.value().attr("data-period").unwrap_or("").to_string();
            let across = tr.value().classes().any(|c| c == "across");
            let cells = tr
                .select(&sel("td.period-cell"))
                .map(|td| td.select(&sel(".period-name")).next().is_some())
                .collect();
            (slug, across, cells)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("term".to_string(), true, vec![true]),
            (
                "second-round-of-talks".to_string(),
                false,
                vec![true, false]
            ),
            ("the-crisis".to_string(), true, vec![true]),
        ]
    );
    // The period row comes just before the first row it reaches.
    let ids: Vec<String> = page
        .select(&sel("tbody tr"))
        .map(|tr| {
            tr.value()
                .attr("id")
                .or(tr.value().attr("data-period"))
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let at = |id: &str| ids.iter().position(|x| x == id).expect(id);
    assert_eq!(at("second-round-of-talks") + 1, at("d2024-03-10"));
    assert_eq!(at("the-crisis") + 1, at("d2024-05-10"));
    // A pair page of a track without the period leaves it out.
    let pair = site.page("compare/us-japan--us-rok/index.html");
    assert_eq!(pair.select(&sel("tr.period-row")).count(), 3);
}

#[test]
fn a_period_is_on_every_page_of_a_paginated_list_it_overlaps() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!(
            "{SITE_YAML}paginate: 2\nperiods:\n  - {{title: Early, start: 2020-01, end: 2020-02}}\n  - {{title: Long, start: 2020-03, end: 2020-10}}\n  - {{title: Between, start: 2020-11-10, end: 2020-11-12}}\n"
        ),
    );
    for (n, date) in [
        "2020-01-05",
        "2020-04-01",
        "2020-05-01",
        "2020-09-01",
        "2020-11-01",
        "2020-12-01",
    ]
    .iter()
    .enumerate()
    {
        site.event(
            &format!("2020/e{n}.md"),
            simple_event(&format!("E{n}"), date),
        );
    }
    site.build_ok(&[]);
    let on = |rel: &str| period_titles(&site.page(rel));
    // Page 1 holds January and April, page 2 May and September, page 3
    // November and December; "Between" falls between page 3's entries.
    assert_eq!(on("index.html"), ["Early", "Long"]);
    assert_eq!(on("page/2/index.html"), ["Long"]);
    assert_eq!(on("page/3/index.html"), ["Between"]);
    assert_eq!(on("years/2020/page/2/index.html"), ["Long"]);
}

#[test]
fn a_newest_first_site_lists_its_periods_newest_first() {
    let site = site_with_periods();
    let yaml = fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", format!("order: newest-first\n{yaml}"));
    site.build_ok(&[]);
    assert_eq!(
        period_titles(&site.page("index.html")),
        ["Crisis", "Second round of talks", "Term of office"]
    );
}

#[test]
fn exports_carry_the_periods() {
    let site = site_with_periods();
    site.build_ok(&[]);
    let data: serde_json::Value =
        serde_json::from_slice(&fs::read(site.public().join("events.json")).expect("events.json"))
            .expect("JSON");
    let periods = data["periods"].as_array().expect("periods");
    let slugs: Vec<&str> = periods.iter().filter_map(|p| p["slug"].as_str()).collect();
    assert_eq!(slugs, ["term", "second-round-of-talks", "the-crisis"]);
    assert_eq!(periods[0]["end"], "ongoing");
    assert_eq!(periods[1]["end"]["value"], "2024-06");
    assert_eq!(periods[1]["track"], "us-japan");
    assert_eq!(periods[2]["description"], "A *tense* time.");
    let schema: serde_json::Value = serde_json::from_slice(
        &fs::read(site.public().join("events.schema.json")).expect("schema"),
    )
    .expect("JSON");
    let required = schema["$defs"]["period"]["required"]
        .as_array()
        .expect("required");
    for key in periods[0].as_object().expect("an object").keys() {
        assert!(required.iter().any(|r| r == key), "{key} undescribed");
    }

    let tl: serde_json::Value =
        serde_json::from_slice(&fs::read(site.public().join("timelinejs.json")).expect("tl"))
            .expect("JSON");
    assert_eq!(tl["title"]["text"]["headline"], "Test Timeline");
    let eras = tl["eras"].as_array().expect("eras");
    let heads: Vec<&str> = eras
        .iter()
        .filter_map(|e| e["text"]["headline"].as_str())
        .collect();
    assert_eq!(heads, ["Term of office", "Second round of talks", "Crisis"]);
    assert_eq!(
        eras[1]["start_date"],
        serde_json::json!({"year": 2024, "month": 3})
    );
    assert_eq!(
        eras[1]["end_date"],
        serde_json::json!({"year": 2024, "month": 6})
    );
    // TimelineJS draws no open era: an ongoing one ends at the last event.
    assert_eq!(
        eras[0]["end_date"],
        serde_json::json!({"year": 2024, "month": 6, "day": 10})
    );
    // A year's file holds that year's periods; a track's, its own and
    // those of every track.
    let year: serde_json::Value = serde_json::from_slice(
        &fs::read(site.public().join("years/2023/timelinejs.json")).expect("year file"),
    )
    .expect("JSON");
    assert_eq!(year["eras"].as_array().map(Vec::len), Some(1));
    let track: serde_json::Value = serde_json::from_slice(
        &fs::read(site.public().join("tracks/us-rok/timelinejs.json")).expect("track file"),
    )
    .expect("JSON");
    assert_eq!(track["eras"].as_array().map(Vec::len), Some(2));
}

/// Builds a site holding `files` (relative paths) from inside it; returns
/// stderr of the failed build.
fn failing_build(site_yaml: &str, files: &[(&str, &str)]) -> String {
    let site = TestSite::new();
    site.write("site.yaml", site_yaml);
    site.event("2024/good.md", simple_event("A good event", "2024-07-01"));
    for (rel, text) in files {
        site.write(rel, text);
    }
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    stderr(&out)
}

#[test]
fn site_yaml_period_errors_are_located_with_hints() {
    let yaml = format!(
        "{SITE_YAML}periods:\n  - title: Round\n    start: 2024-06\n    end: 2024-03\n  - title: Talks\n    start: 2024\n    track: us-jpan\n  - titel: Typo\n    start: 2024\n"
    );
    insta::assert_snapshot!("period_config_errors", failing_build(&yaml, &[]));
}

#[test]
fn period_file_errors_and_duplicate_slugs_are_located() {
    let yaml = format!("{SITE_YAML}periods:\n  - {{title: Round one, slug: round, start: 2024}}\n");
    let out = failing_build(
        &yaml,
        &[
            (
                "content/periods/round.md",
                "---\ntitle: Round\nstart: 2023\n---\n",
            ),
            ("content/periods/nodate.md", "---\ntitle: No date\n---\n"),
            (
                "content/periods/both.md",
                "---\ntitle: Both\nstart: 2024\ndescription: Short.\n---\nAnd a body too.\n",
            ),
            (
                "content/periods/link.md",
                "---\ntitle: Link\nstart: 2024\n---\n\nSee [the talks](@/good).\n",
            ),
            (
                "content/periods/typo.md",
                "---\ntitle: Typo\nstart: 2024\ntrak: us-japan\n---\n",
            ),
        ],
    );
    insta::assert_snapshot!("period_file_errors", out);
}

#[test]
fn the_eras_sample_imports_and_builds_with_its_eras_and_title() {
    let site = TestSite::bare();
    site.write(
        "site.yaml",
        "# Imported timeline\nlanguage: en # kept as is\n",
    );
    let eras = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs/eras.json");
    // A dry run lists the period files and the site.yaml lines, writes nothing.
    let dry = import_into(&site, &eras, &["--dry-run"]);
    assert_success(&dry);
    let listed = stdout(&dry);
    assert!(
        listed.contains("create period: content/periods/era-test-600-650.md"),
        "{listed}"
    );
    assert!(
        listed.contains("add to site.yaml: title: \"Eras Test\""),
        "{listed}"
    );
    assert!(!site.path().join("content").exists());

    assert_success(&import_into(&site, &eras, &[]));
    let yaml = fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    assert!(
        yaml.starts_with("# Imported timeline\nlanguage: en # kept as is\ntitle: \"Eras Test\"\ndescription: \"Events in the 7th century"),
        "{yaml}"
    );
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert_eq!(
        period_titles(&home),
        ["Era Test 600-650", "Era Test 650-700", "Era Test 700-720"]
    );
    assert_eq!(texts(&home, "h1"), ["Eras Test"]);
    assert_eq!(
        period_titles(&site.page("years/0663/index.html")),
        ["Era Test 650-700"]
    );

    // A re-run finds every era (and event) present and writes nothing.
    let before = snapshot(site.path());
    let again = import_into(&site, &eras, &[]);
    assert_success(&again);
    assert!(
        stderr(&again).contains("3 eras already present and skipped"),
        "{}",
        stderr(&again)
    );
    let after = snapshot(site.path());
    let sources = |t: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        t.iter()
            .filter(|(p, _)| !p.starts_with("public"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(sources(&before), sources(&after));
}

#[test]
fn csv_era_rows_become_periods_and_a_set_title_is_kept_with_a_note() {
    let site = TestSite::new();
    let csv = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background
,,,,,,,,,Another title,,,,,,title,,
2024,3,,,2024,6,,,,Round of talks,<p>The <b>second</b> round.</p>,,,,,era,,
2024,4,2,,,,,,,Talks,They met.,,,,,,,
";
    let file = site.write("sheet.csv", csv);
    let out = import_into(&site, &file, &[]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("the title slide's `title` (\"Another title\") was not imported: site.yaml already sets it"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml"),
        SITE_YAML
    );
    let period = fs::read_to_string(site.path().join("content/periods/round-of-talks.md"))
        .expect("period file");
    assert!(
        period.contains("start: \"2024-03\"\nend: \"2024-06\""),
        "{period}"
    );
    assert!(period.contains("The **second** round."), "{period}");
    site.build_ok(&[]);
    let home = site.page("index.html");
    let talk = home
        .select(&sel("li.entry"))
        .find(|li| {
            li.value()
                .attr("id")
                .is_some_and(|id| id.ends_with("talks"))
        })
        .expect("the imported event");
    let on_talk: Vec<&str> = talk
        .select(&sel(".badge.period"))
        .filter_map(|b| b.value().attr("data-period"))
        .collect();
    assert_eq!(on_talk, ["round-of-talks"]);
}

#[test]
fn export_import_export_keeps_eras_and_the_title_slide() {
    let first = site_with_periods();
    first.build_ok(&[]);
    let exported = first.public().join("timelinejs.json");
    let second = TestSite::bare();
    second.write(
        "site.yaml",
        "kinds:\n  meeting: {label: Meeting}\ntracks:\n  us-japan: {label: US–Japan}\n  us-rok: {label: US–ROK}\n",
    );
    assert_success(&import_into(&second, &exported, &[]));
    second.build_ok(&[]);
    let read = |site: &TestSite| -> serde_json::Value {
        serde_json::from_slice(&fs::read(site.public().join("timelinejs.json")).expect("tl"))
            .expect("JSON")
    };
    let (a, b) = (read(&first), read(&second));
    assert_eq!(a["eras"], b["eras"]);
    assert_eq!(a["title"], b["title"]);
    let events_json = |site: &TestSite| -> serde_json::Value {
        let v: serde_json::Value =
            serde_json::from_slice(&fs::read(site.public().join("events.json")).expect("data"))
                .expect("JSON");
        v["periods"].clone()
    };
    assert_eq!(events_json(&first), events_json(&second));
}
