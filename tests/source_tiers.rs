//! Source reliability tiers: the badge beside each source on the event
//! page (text, not colour alone), the timeline's source filter and the
//! tiers on each entry it matches, the search index facet that filters
//! beyond one page, `events.json`, the TimelineJS `annals` object, the
//! labels `site.yaml` may rename, and located errors with "did you mean".

mod common;

use common::{TestSite, attrs, sel, stderr, texts};
use std::fs;

fn event(title: &str, sources: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2024-07-01\nkind: meeting\nsummary: {title}.\nsources:\n{sources}---\nBody.\n"
    )
}

fn tiered_site(extra_yaml: &str) -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", format!("{}{extra_yaml}", common::SITE_YAML));
    site.event(
        "alpha.md",
        event(
            "Alpha",
            "  - {title: Joint statement, reliability: primary}\n  - {title: Readout, reliability: official}\n  - {title: Newspaper, reliability: press}\n",
        ),
    );
    site.event(
        "beta.md",
        event(
            "Beta",
            "  - {title: Think tank, reliability: analysis}\n  - {title: Plain}\n",
        ),
    );
    site.event("gamma.md", event("Gamma", "  - {title: Untiered}\n"));
    site
}

#[test]
fn each_source_shows_its_tier_as_text() {
    let site = tiered_site("");
    site.build_ok(&[]);
    let page = site.page("events/alpha/index.html");
    assert_eq!(
        texts(&page, ".sources li .badge.tier"),
        [
            "Reliability: Primary document",
            "Reliability: Official statement",
            "Reliability: Press report"
        ]
    );
    // The words are visible; the prefix is for screen readers.
    assert_eq!(
        texts(&page, ".sources li .badge.tier .visually-hidden"),
        ["Reliability:", "Reliability:", "Reliability:"]
    );
    let beta = site.page("events/beta/index.html");
    assert_eq!(
        texts(&beta, ".sources li .badge.tier"),
        ["Reliability: Analysis"]
    );
    assert_eq!(beta.select(&sel(".sources li")).count(), 2);
}

#[test]
fn the_timeline_filters_by_source_tier() {
    let site = tiered_site("");
    site.build_ok(&[]);
    let index = site.page("index.html");
    let select = index
        .select(&sel("form.filter-form select#filter-source[name=source]"))
        .next()
        .expect("a source filter");
    let label = index
        .select(&sel("label[for=filter-source]"))
        .next()
        .expect("labelled");
    assert_eq!(common::text_of(label), "Source");
    let options: Vec<(String, String)> = select
        .select(&sel("option"))
        .map(|o| {
            (
                o.value().attr("value").unwrap_or_default().to_string(),
                common::text_of(o),
            )
        })
        .collect();
    assert_eq!(
        options,
        [
            ("".into(), "All".into()),
            ("primary".into(), "Primary document (1)".into()),
            ("official".into(), "Official statement (1)".into()),
            ("press".into(), "Press report (1)".into()),
            ("analysis".into(), "Analysis (1)".into()),
        ]
    );
    // Each entry says which tiers its sources have, for the script.
    let mut by_entry: Vec<(String, String)> = index
        .select(&sel("#timeline .entry"))
        .map(|li| {
            (
                li.value().attr("id").unwrap_or_default().to_string(),
                li.value()
                    .attr("data-sources")
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            )
        })
        .collect();
    by_entry.sort();
    assert_eq!(
        by_entry,
        [
            ("alpha".into(), "primary official press".into()),
            ("beta".into(), "analysis".into()),
            ("gamma".into(), "".into()),
        ]
    );
    // The script keeps the filter in the URL like the others.
    let script = fs::read_to_string(site.public().join("assets/annals.js")).unwrap_or_else(|_| {
        let assets = fs::read_dir(site.public().join("assets")).expect("assets");
        let name = assets
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("annals.") && n.ends_with(".js"))
            })
            .expect("the timeline script");
        fs::read_to_string(name).expect("read it")
    });
    assert!(script.contains("\"source\""), "the script knows the filter");
    assert!(script.contains("source: \"sources\""));
}

#[test]
fn a_site_without_tiers_has_no_source_filter() {
    let site = TestSite::new();
    site.event("c.md", event("Gamma", "  - {title: Untiered}\n"));
    site.build_ok(&[]);
    let index = site.page("index.html");
    assert_eq!(index.select(&sel("#filter-source")).count(), 0);
}

#[test]
fn tiers_reach_the_exports_and_the_search_index() {
    let site = tiered_site("");
    site.build_ok(&[]);
    let alpha = common::events_json_entry(&site, "alpha");
    let tiers: Vec<&str> = alpha["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s["reliability"].as_str())
        .collect();
    assert_eq!(tiers, ["primary", "official", "press"]);
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(site.public().join("events.schema.json")).expect("schema"),
    )
    .expect("JSON");
    let enumerated = &schema["$defs"]["event"]["properties"]["sources"]["items"]["properties"]["reliability"]
        ["enum"];
    assert!(
        enumerated.as_array().is_some_and(|e| e.len() == 5),
        "{enumerated}"
    );
    let timeline: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(site.public().join("timelinejs.json")).expect("timelinejs"),
    )
    .expect("JSON");
    let slide = timeline["events"]
        .as_array()
        .expect("slides")
        .iter()
        .find(|s| s["unique_id"] == "beta")
        .expect("a slide");
    assert_eq!(slide["annals"]["sources"][0]["reliability"], "analysis");
    assert!(slide["annals"]["sources"][1].get("reliability").is_none());
    // The facet the filter reads when the timeline is split into pages.
    for tier in ["primary", "official", "press", "analysis"] {
        assert!(
            site.public()
                .join(format!("search-index/f/source/{tier}.js"))
                .is_file(),
            "facet of {tier}"
        );
    }
}

#[test]
fn site_yaml_renames_the_labels() {
    let site = tiered_site("reliability:\n  press: News report\n  primary: Original document\n");
    site.build_ok(&[]);
    let page = site.page("events/alpha/index.html");
    assert_eq!(
        texts(&page, ".sources li .badge.tier"),
        [
            "Reliability: Original document",
            "Reliability: Official statement",
            "Reliability: News report"
        ]
    );
    let index = site.page("index.html");
    assert!(texts(&index, "#filter-source option").contains(&"News report (1)".to_string()));
    assert_eq!(attrs(&index, "#filter-source option", "value")[3], "press");
}

#[test]
fn an_unknown_tier_is_a_located_error_with_a_suggestion() {
    let site = TestSite::new();
    site.event(
        "a.md",
        event("Alpha", "  - {title: Statement, reliability: oficial}\n"),
    );
    let out = site.build_here(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("content/events/a.md:7:37:")
                && l.contains("unknown source reliability `oficial`")),
        "{err}"
    );
    assert!(err.contains("did you mean `official`?"), "{err}");
}

#[test]
fn an_unknown_label_key_in_site_yaml_is_a_located_error() {
    let site = tiered_site("reliability:\n  rumour: Hearsay\n");
    let out = site.build_here(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("site.yaml:"), "{err}");
    assert!(err.contains("rumour"), "{err}");
}
