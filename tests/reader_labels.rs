//! What a reader sees of an event's span, its tags and its footnotes, on
//! every page and export that shows them: a span once ("2–3 December
//! 2026", never followed by "(until …)"), tags by their labels (from
//! site.yaml `tags`, else made readable), and footnotes with valid, unique
//! ids and a named link back to each place they are cited.

mod common;

use common::*;
use std::collections::HashSet;

const SPAN: &str = "---\ntitle: Cyber drill\ndate: 2026-12-02\nend_date: 2026-12-03\nkind: meeting\ntags: [cyber-readiness, nuclear_deterrence, NATO, china]\nsummary: A two-day drill.\nsources:\n  - {title: A source}\n---\nBody.\n";

fn span_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!(
            "{SITE_YAML}base_url: https://example.org/\ntags:\n  nuclear-deterrence: {{label: Nuclear deterrence (extended), description: Umbrella talks.}}\n"
        ),
    );
    site.event("2026/drill.md", SPAN);
    site.event(
        "2026/month.md",
        "---\ntitle: Long exercise\ndate: 2025-03\nend_date: 2025-05\nkind: meeting\nsummary: Three months.\nsources:\n  - {title: A source}\n---\n",
    );
    site.build_ok(&[]);
    site
}

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.public().join(rel)).expect(rel)
}

#[test]
fn a_span_is_shown_once_on_every_page_and_export() {
    let site = span_site();
    let page = site.page("events/drill/index.html");
    assert_eq!(texts(&page, ".event-date"), ["2–3 December 2026"]);
    assert_eq!(attrs(&page, ".event-date time", "datetime"), ["2026-12-02"]);
    assert_eq!(
        attrs(&page, ".event-date data.dt-end", "value"),
        ["2026-12-03"]
    );
    let timeline = site.page("index.html");
    let dates = texts(&timeline, "#drill .entry-date time");
    assert_eq!(dates, ["2–3 December 2026"]);
    let year = site.page("years/2026/index.html");
    assert_eq!(
        texts(&year, "#drill .entry-date time"),
        ["2–3 December 2026"]
    );
    // No page, feed or export anywhere repeats the end.
    for rel in [
        "events/drill/index.html",
        "index.html",
        "atom.xml",
        "feed.json",
        "calendar.ics",
    ] {
        let text = read(&site, rel);
        assert!(!text.contains("until"), "{rel} repeats the end:\n{text}");
    }
    // The calendar's note names a month span once, as the pages do.
    let ics = read(&site, "calendar.ics").replace("\r\n ", "");
    assert!(
        ics.contains("Date known to the month only (March–May 2025): shown as whole months."),
        "{ics}"
    );
}

#[test]
fn tags_are_shown_by_their_labels_everywhere() {
    let site = span_site();
    let want = [
        "China",
        "Cyber readiness",
        "NATO",
        "Nuclear deterrence (extended)",
    ];
    let page = site.page("events/drill/index.html");
    let mut on_page = texts(&page, ".facts dd a[href*='/tags/']");
    on_page.sort();
    assert_eq!(on_page, want);
    let index = site.page("tags/index.html");
    let mut listed = texts(&index, "main a[href*='/tags/']");
    listed.retain(|t| !t.is_empty());
    for label in want {
        assert!(
            listed.iter().any(|l| l.starts_with(label)),
            "{label} in {listed:?}"
        );
    }
    let term = site.page("tags/cyber-readiness/index.html");
    assert!(texts(&term, "h1").concat().contains("Cyber readiness"));
    let described = site.page("tags/nuclear-deterrence/index.html");
    assert!(
        texts(&described, "main p")
            .iter()
            .any(|p| p.contains("Umbrella talks.")),
        "the description from site.yaml is shown"
    );
    // The timeline's tag filter offers the labels, keyed by slug.
    let timeline = site.page("index.html");
    let options: Vec<String> = texts(&timeline, "#filter-tags option")
        .into_iter()
        .skip(1)
        .collect();
    assert!(
        options.iter().any(|o| o.starts_with("Cyber readiness (")),
        "{options:?}"
    );
    assert!(attrs(&timeline, "#filter-tags option", "value").contains(&"cyber-readiness".into()));
    // Feed categories carry the slug as term and the label as label.
    let atom = read(&site, "atom.xml");
    assert!(
        atom.contains(r#"term="cyber-readiness""#) && atom.contains(r#"label="Cyber readiness""#),
        "{atom}"
    );
    let feed: serde_json::Value = serde_json::from_str(&read(&site, "feed.json")).expect("json");
    let tags = &feed["items"][0]["tags"];
    assert!(
        tags.as_array()
            .is_some_and(|t| t.iter().any(|v| v == "Cyber readiness")),
        "{tags}"
    );
    // The data keeps the tags as written.
    let data: serde_json::Value = serde_json::from_str(&read(&site, "events.json")).expect("json");
    let written = data["events"]
        .as_array()
        .and_then(|events| events.iter().find(|e| e["slug"] == "drill"))
        .map(|e| e["tags"].clone())
        .expect("the drill in events.json");
    assert_eq!(written[0], "cyber-readiness");
}

#[test]
fn a_tags_key_in_site_yaml_is_checked() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{SITE_YAML}tags:\n  cyber-readiness: {{label: Cyber, lable: typo}}\n"),
    );
    site.event("a.md", simple_event("A", "2024-01-02"));
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("site.yaml:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("lable"), "{}", stderr(&out));
}

const FOOTNOTES: &str = "---\ntitle: Noted\ndate: 2024-01-02\nkind: meeting\nsummary: With notes.\nsources:\n  - {title: A source}\n---\n[^Early]: Defined before it is cited.\n\nFirst claim[^a b]. Second claim[^early]. Again[^a b], and once more[^A B].\n\n[^a b]: Cited three times.\n\n[^unused]: Never cited.\n";

#[test]
fn footnotes_link_back_to_every_citation_with_valid_unique_ids() {
    let site = TestSite::new();
    site.event("noted.md", FOOTNOTES);
    site.build_ok(&[]);
    let page = site.page("events/noted/index.html");
    let ids = attrs(&page, "[id]", "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    for id in &ids {
        assert!(
            !id.is_empty() && !id.contains(char::is_whitespace),
            "invalid id {id:?}"
        );
    }
    // References in order of first use, each with its own id.
    let refs = attrs(&page, ".body sup.footnote-reference a", "href");
    let ref_ids = attrs(&page, ".body sup.footnote-reference a", "id");
    assert_eq!(refs, ["#fn-2", "#fn-1", "#fn-2", "#fn-2"]);
    assert_eq!(ref_ids, ["fnref-2", "fnref-1", "fnref-2-2", "fnref-2-3"]);
    // Every reference's target exists, and every back link's too.
    for href in refs
        .iter()
        .chain(&attrs(&page, ".footnote-backref", "href"))
    {
        let id = href.trim_start_matches('#');
        assert!(ids.iter().any(|i| i == id), "{href} points nowhere");
    }
    let back = |n: &str| {
        let def = sel(&format!(".footnote-definition[id='fn-{n}']"));
        let el = page.select(&def).next().expect("the definition");
        let link = sel("a.footnote-backref");
        el.select(&link)
            .map(|a| {
                (
                    a.value().attr("href").unwrap_or("").to_string(),
                    a.value().attr("aria-label").unwrap_or("").to_string(),
                    text_of(a),
                )
            })
            .collect::<Vec<_>>()
    };
    // Defined before its reference: the link back still finds it.
    assert_eq!(
        back("1"),
        [(
            "#fnref-1".to_string(),
            "Back to reference 1".to_string(),
            "↩".to_string()
        )]
    );
    let three = back("2");
    assert_eq!(
        three.iter().map(|b| b.0.as_str()).collect::<Vec<_>>(),
        ["#fnref-2", "#fnref-2-2", "#fnref-2-3"]
    );
    assert_eq!(three[2].1, "Back to reference 2, citation 3 of 3");
    assert!(three.iter().all(|b| b.2.starts_with('↩')));
    assert!(back("3").is_empty(), "an unused note has no link back");
}

#[test]
fn footnote_back_links_survive_the_sanitiser() {
    let site = TestSite::new();
    site.event(
        "raw.md",
        FOOTNOTES.replace("First claim", "<em onclick=\"x()\">First</em> claim"),
    );
    site.build_ok(&[]);
    let page = site.page("events/raw/index.html");
    assert!(attrs(&page, "em", "onclick").is_empty(), "sanitised");
    assert_eq!(
        attrs(&page, ".footnote-backref", "aria-label")[0],
        "Back to reference 1"
    );
}
