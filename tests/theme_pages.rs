//! The compare pages, the embeds and the timeline page at scale, checked in
//! the built HTML (the browser tests check the same pages in Chromium).

mod common;
use common::*;

const THREE_TRACKS: &str = "\
title: Three tracks
base_url: https://example.org/timeline/
tracks:
  us-japan: {label: US–Japan}
  us-rok: {label: US–ROK}
  quad: {label: Quad}
";

fn tracked(title: &str, date: &str, tracks: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nkind: meeting\ntracks: [{tracks}]\nsummary: A test event.\nsources:\n  - {{title: A source}}\n---\n"
    )
}

#[test]
fn compare_lines_up_tracks_and_every_pair_has_a_page() {
    let site = TestSite::bare();
    site.write("site.yaml", THREE_TRACKS);
    site.event("a.md", tracked("Tokyo talks", "2024-07-28", "us-japan"));
    site.event("b.md", tracked("Seoul talks", "2024-07-28", "us-rok"));
    site.event("c.md", tracked("Quad call", "2024-03", "quad"));
    site.event("d.md", tracked("Old talks", "2023-01-10", "us-japan"));
    site.build_ok(&[]);

    let compare = site.page("compare/index.html");
    assert_eq!(texts(&compare, "table.compare thead th a").len(), 3);
    let row = texts(&compare, "tr#d2024-07-28 td a");
    assert_eq!(row, ["Tokyo talks", "Seoul talks"]);
    // Together means every lane: the Quad had nothing that day.
    assert!(attrs(&compare, "tr.together", "id").is_empty());
    let pair = site.page("compare/us-japan--us-rok/index.html");
    assert_eq!(attrs(&pair, "tr.together", "id"), ["d2024-07-28"]);
    // Month precision stays a month, and the quiet months show.
    assert_eq!(texts(&compare, "tr#d2024-03 th"), ["March 2024"]);
    assert!(
        texts(&compare, "tr.gap td")
            .iter()
            .any(|g| g == "No events for 1 year and 1 month")
    );
    for pair in ["us-japan--us-rok", "us-japan--quad", "us-rok--quad"] {
        let page = site.page(&format!("compare/{pair}/index.html"));
        assert_eq!(texts(&page, "table.compare thead th a").len(), 2, "{pair}");
    }
    let snippets = texts(&compare, "pre.snippet");
    assert!(
        snippets
            .iter()
            .any(|s| s.contains("<iframe src=\"https://example.org/timeline/embed/us-japan/\"")),
        "{snippets:?}"
    );

    let embed = site.page("embed/us-japan/index.html");
    assert!(texts(&embed, "header, nav, script").is_empty());
    assert_eq!(attrs(&embed, ".entry", "id"), ["d", "a"]);
    assert!(site.public().join("embed/index.html").is_file());
}

#[test]
fn a_site_without_tracks_explains_the_compare_page() {
    let site = TestSite::bare();
    site.write("site.yaml", "title: No tracks\n");
    site.event("a.md", simple_event("Alone", "2024-01-02"));
    site.build_ok(&[]);
    let compare = site.page("compare/index.html");
    assert!(texts(&compare, "table").is_empty());
    assert!(
        texts(&compare, "p")
            .iter()
            .any(|p| p.contains("No tracks are declared"))
    );
    assert!(site.public().join("embed/index.html").is_file());
}

#[test]
fn a_large_timeline_is_paginated_and_events_link_back_to_their_page() {
    let site = TestSite::new();
    for n in 0..1100 {
        let year = if n < 600 { 2000 } else { 2001 };
        site.event(
            &format!("e{n}.md"),
            simple_event(
                &format!("Event {n}"),
                &format!("{year}-05-{:02}", n % 28 + 1),
            ),
        );
    }
    site.build_ok(&[]);
    let index = site.page("index.html");
    assert_eq!(texts(&index, "#timeline .entry").len(), 100);
    assert!(texts(&index, ".earlier-years").is_empty());
    // Years not on this page are jumped to on their own pages.
    assert!(hrefs(&index, ".year-jump a").contains(&"/years/2001/".to_string()));
    assert!(hrefs(&index, ".year-jump a").contains(&"#y2000".to_string()));
    let old = site.page("events/e0/index.html");
    let back = hrefs(&old, ".prev-next .back a");
    assert_eq!(back.len(), 1);
    let (page, anchor) = back[0].split_once('#').expect("an anchor");
    assert_eq!(anchor, "e0");
    let timeline = site.page(&format!("{}index.html", page.trim_start_matches('/')));
    assert_eq!(attrs(&timeline, "#timeline .entry#e0", "id"), ["e0"]);
}

#[test]
fn a_year_page_links_to_its_section_of_the_timeline_for_any_year() {
    let site = TestSite::new();
    site.event("0650/siege.md", simple_event("Siege", "0650-05-01"));
    site.event("2024/talks.md", simple_event("Talks", "2024-05-01"));
    site.build_ok(&[]);
    let home = site.page("index.html");
    for year in ["0650", "2024"] {
        let page = site.page(&format!("years/{year}/index.html"));
        let target = attrs(&page, "a", "href")
            .into_iter()
            .find(|h| h.contains("#y"))
            .expect("a link to the timeline");
        let anchor = target.rsplit('#').next().unwrap_or_default().to_string();
        assert_eq!(anchor, format!("y{year}"));
        assert!(
            home.select(&sel(&format!("[id='{anchor}']")))
                .next()
                .is_some(),
            "no #{anchor} on the timeline"
        );
    }
}
