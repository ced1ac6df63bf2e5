//! `corrections:` on events: the notice on the event page (newest first,
//! a note with its heading), the site-wide `corrections/` page and its
//! Atom feed `corrections.xml` (parsed with a real Atom parser), the
//! updated date raised to the latest correction, and located errors for
//! bad corrections.

mod common;

use common::{TestSite, attrs, hrefs, sel, stderr, text_of, texts};
use std::fs;

fn event(title: &str, date: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nkind: meeting\nsummary: {title}.\nsources: [{{title: S}}]\n{extra}---\nBody.\n"
    )
}

fn corrected_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{}base_url: https://example.org/\n", common::SITE_YAML),
    );
    site.event(
        "alpha-talks.md",
        event(
            "Alpha talks",
            "2024-07-01",
            "updated: 2025-01-01\ncorrections:\n  - {date: 2025-01-05, text: \"The venue was *Tokyo*, not Osaka.\"}\n  - {date: 2025-03-03, text: The date of the second session.}\n",
        ),
    );
    site.event(
        "beta-statement.md",
        event(
            "Beta statement",
            "2024-08-01",
            "corrections: [{date: 2025-02-10, text: A misspelt name.}]\n",
        ),
    );
    site.event("gamma-meeting.md", event("Gamma meeting", "2024-09-01", ""));
    site
}

#[test]
fn the_event_page_shows_its_corrections_newest_first() {
    let site = corrected_site();
    site.build_ok(&[]);
    let page = site.page("events/alpha-talks/index.html");
    let notice = page
        .select(&sel("aside.corrections-notice"))
        .next()
        .expect("a correction notice");
    assert_eq!(notice.value().attr("role"), Some("note"));
    let heading = notice.value().attr("aria-labelledby").expect("labelled");
    let h = page
        .select(&sel(&format!("#{heading}")))
        .next()
        .expect("its heading");
    assert_eq!(text_of(h), "Corrections");
    assert_eq!(
        attrs(&page, ".corrections-notice li time", "datetime"),
        ["2025-03-03", "2025-01-05"]
    );
    assert_eq!(
        texts(&page, ".corrections-notice .correction-text"),
        [
            "The date of the second session.",
            "The venue was Tokyo, not Osaka."
        ]
    );
    // Markdown in the text is rendered.
    assert_eq!(texts(&page, ".corrections-notice em"), ["Tokyo"]);
    assert_eq!(
        attrs(&page, ".corrections-notice li", "id"),
        ["correction-2025-03-03-1", "correction-2025-01-05-1"]
    );
    assert_eq!(hrefs(&page, ".corrections-all a"), ["/corrections/"]);
    // A correction is an update: later than `updated`, it wins.
    assert_eq!(
        attrs(&page, ".event-updated time", "datetime"),
        ["2025-03-03"]
    );
    assert_eq!(texts(&page, ".event-updated a"), ["2 corrections"]);
    // An event without corrections shows no notice.
    let plain = site.page("events/gamma-meeting/index.html");
    assert_eq!(plain.select(&sel(".corrections-notice")).count(), 0);
    assert_eq!(plain.select(&sel(".event-updated")).count(), 0);
    // events.json keeps them as written, and the updated date.
    let alpha = common::events_json_entry(&site, "alpha-talks");
    assert_eq!(alpha["updated"], "2025-03-03");
    assert_eq!(alpha["corrections"][0]["date"], "2025-01-05");
    assert_eq!(
        alpha["corrections"][0]["text"],
        "The venue was *Tokyo*, not Osaka."
    );
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first() {
    let site = corrected_site();
    site.build_ok(&[]);
    let page = site.page("corrections/index.html");
    assert_eq!(texts(&page, "h1"), ["Corrections"]);
    assert_eq!(
        attrs(&page, ".corrections-list li time", "datetime"),
        ["2025-03-03", "2025-02-10", "2025-01-05"]
    );
    assert_eq!(
        texts(&page, ".corrections-list li .correction-date a"),
        ["Alpha talks", "Beta statement", "Alpha talks"]
    );
    assert_eq!(
        hrefs(&page, ".corrections-list li .correction-date a"),
        [
            "/events/alpha-talks/#correction-2025-03-03-1",
            "/events/beta-statement/#correction-2025-02-10-1",
            "/events/alpha-talks/#correction-2025-01-05-1"
        ]
    );
    // The feed is linked from the page and announced in its head.
    let alternate: Vec<String> = page
        .select(&sel("link[rel=alternate][type=\"application/atom+xml\"]"))
        .filter_map(|l| l.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        alternate.contains(&"/corrections.xml".to_string()),
        "{alternate:?}"
    );
    assert!(hrefs(&page, "main a, .lede a").contains(&"/corrections.xml".to_string()));
    // The page is in the sitemap, dated by the newest correction.
    let sitemap = fs::read_to_string(site.public().join("sitemap.xml")).expect("sitemap");
    let doc = roxmltree::Document::parse(&sitemap).expect("XML");
    let entry = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("url")
                && n.children().any(|c| {
                    c.has_tag_name("loc") && c.text() == Some("https://example.org/corrections/")
                })
        })
        .expect("the corrections page in the sitemap");
    let lastmod = entry
        .children()
        .find(|c| c.has_tag_name("lastmod"))
        .and_then(|c| c.text());
    assert_eq!(lastmod, Some("2025-03-03"));
}

#[test]
fn the_corrections_feed_is_valid_atom() {
    let site = corrected_site();
    site.build_ok(&[]);
    let file = fs::File::open(site.public().join("corrections.xml")).expect("corrections.xml");
    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(file))
        .expect("a valid Atom feed");
    assert_eq!(feed.id(), "https://example.org/corrections.xml");
    assert!(feed.title().as_str().starts_with("Corrections"));
    assert_eq!(feed.updated().to_rfc3339(), "2025-03-03T00:00:00+00:00");
    let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        [
            "https://example.org/events/alpha-talks/#correction-2025-03-03-1",
            "https://example.org/events/beta-statement/#correction-2025-02-10-1",
            "https://example.org/events/alpha-talks/#correction-2025-01-05-1"
        ]
    );
    let first = &feed.entries()[0];
    assert_eq!(first.title().as_str(), "Correction: Alpha talks");
    assert_eq!(first.updated().to_rfc3339(), "2025-03-03T00:00:00+00:00");
    let content = first
        .content()
        .and_then(|c| c.value())
        .expect("the correction's text");
    assert!(content.contains("The date of the second session."));
    let rels: Vec<&str> = feed.links().iter().map(|l| l.rel()).collect();
    assert_eq!(rels, ["self", "alternate"]);
}

#[test]
fn without_atom_feeds_there_is_no_corrections_feed() {
    let site = corrected_site();
    site.write(
        "site.yaml",
        format!("{}feeds: {{atom: false}}\n", common::SITE_YAML),
    );
    site.build_ok(&[]);
    assert!(!site.public().join("corrections.xml").exists());
    let page = site.page("corrections/index.html");
    assert!(!hrefs(&page, "a").contains(&"/corrections.xml".to_string()));
}

#[test]
fn a_site_without_corrections_says_so() {
    let site = TestSite::new();
    site.event("a.md", event("Alpha", "2024-01-01", ""));
    site.build_ok(&[]);
    let page = site.page("corrections/index.html");
    assert_eq!(page.select(&sel(".corrections-list")).count(), 0);
    assert!(
        texts(&page, "main p")
            .iter()
            .any(|t| t == "No event has been corrected.")
    );
    let file = fs::File::open(site.public().join("corrections.xml")).expect("corrections.xml");
    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(file))
        .expect("a valid Atom feed");
    assert!(feed.entries().is_empty());
}

#[test]
fn bad_corrections_are_located_errors() {
    let site = TestSite::new();
    site.event(
        "a.md",
        event(
            "Alpha",
            "2024-01-01",
            "corrections:\n  - {text: No date here.}\n  - {date: 2025-13-01, text: Bad month.}\n  - {date: 2025-01-01}\n  - {date: 2025-01-02, text: T, by: me}\n  - just text\n",
        ),
    );
    let out = site.build_here(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for (place, message) in [
        ("content/events/a.md:8:5:", "correction without a `date`"),
        ("content/events/a.md:9:12:", "month 13"),
        ("content/events/a.md:10:5:", "correction without a `text`"),
        ("content/events/a.md:11:33:", "unknown key `by`"),
        (
            "content/events/a.md:12:5:",
            "a correction must be a mapping",
        ),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(place) && l.contains(message)),
            "expected `{place} … {message}` in:\n{err}"
        );
    }
    assert!(err.contains("help:"), "errors carry hints: {err}");
}

#[test]
fn the_corrections_page_takes_a_reserved_name() {
    let site = TestSite::new();
    site.event("a.md", event("Alpha", "2024-01-01", ""));
    site.write(
        "content/pages/corrections.md",
        "---\ntitle: Corrections\n---\nMine.\n",
    );
    let out = site.build(&[]);
    assert!(!out.status.success(), "a page may not take corrections/");
    assert!(stderr(&out).contains("corrections"));
}
