//! Pagination of the list pages (timeline, year, term and compare pages)
//! and the sitemap index, on generated sites built by the real binary:
//! page counts and URLs, `rel="prev"`/`rel="next"`, the page navigation,
//! titles, canonical URLs, `paginate` in `site.yaml` and its diagnostics,
//! and every page in the sitemap.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

/// A site of `n` meetings over two years (half in each), every event in
/// the US–Japan track and every other one also in US–ROK.
fn site_with(n: usize, config: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{SITE_YAML}base_url: https://example.org/tl/\n{config}"),
    );
    for i in 0..n {
        let year = if i < n / 2 { 2020 } else { 2021 };
        let tracks = if i % 2 == 0 {
            "[us-japan, us-rok]"
        } else {
            "[us-japan]"
        };
        site.event(
            &format!("e{i:03}.md"),
            format!(
                "---\ntitle: \"Event {i}\"\ndate: {year}-{:02}-{:02}\nkind: meeting\ntracks: {tracks}\nsummary: A test event.\nsources:\n  - {{title: A source, publisher: Test}}\n---\nBody.\n",
                i % 12 + 1,
                i % 28 + 1
            ),
        );
    }
    site
}

/// The output file of a site-relative URL under `/tl/`.
fn file_of(public: &Path, url: &str) -> std::path::PathBuf {
    let rel = url
        .split('#')
        .next()
        .unwrap_or(url)
        .strip_prefix("/tl/")
        .unwrap_or_else(|| panic!("{url} is not under the base path"));
    public.join(rel).join("index.html")
}

/// Follows `rel="next"` from a list's first page; returns every page's
/// document in order, checking the links that tie them together.
fn walk(site: &TestSite, first: &str) -> Vec<scraper::Html> {
    let public = site.public();
    let mut docs = Vec::new();
    let mut url = first.to_string();
    loop {
        let doc = read_html(&file_of(&public, &url));
        let prev = attrs(&doc, "head link[rel=prev]", "href");
        let next = attrs(&doc, "head link[rel=next]", "href");
        match docs.len() {
            0 => assert!(prev.is_empty(), "the first page has no previous page"),
            _ => assert_eq!(prev.len(), 1, "{url} links its previous page"),
        }
        // The navigation's own previous/next agree with the head.
        assert_eq!(hrefs(&doc, "nav.pagination a[rel=prev]"), prev);
        assert_eq!(hrefs(&doc, "nav.pagination a[rel=next]"), next);
        // Every link of the navigation resolves to a built page.
        for href in hrefs(&doc, "nav.pagination a") {
            assert!(file_of(&public, &href).is_file(), "{href} from {url}");
        }
        assert_eq!(
            hrefs(&doc, "nav.pagination a[aria-current=page]"),
            [url.clone()],
            "the current page is marked on {url}"
        );
        docs.push(doc);
        match next.first() {
            Some(n) => url = n.clone(),
            None => break,
        }
        assert!(docs.len() < 100, "rel=next loops");
    }
    docs
}

fn title(doc: &scraper::Html) -> String {
    texts(doc, "title").concat()
}

#[test]
fn term_pages_split_into_linked_pages_with_numbered_titles() {
    let site = site_with(23, "paginate: 5\n");
    site.build_ok(&[]);
    let docs = walk(&site, "/tl/kinds/meeting/");
    assert_eq!(docs.len(), 5);
    let public = site.public();
    assert!(public.join("kinds/meeting/page/5/index.html").is_file());
    assert!(!public.join("kinds/meeting/page/6").exists());
    assert!(!public.join("kinds/meeting/page/1").exists());
    for (n, doc) in docs.iter().enumerate() {
        let n = n + 1;
        assert_eq!(
            title(doc),
            format!("Meeting — page {n} of 5 · Test Timeline")
        );
        let expected = if n == 1 {
            "https://example.org/tl/kinds/meeting/".to_string()
        } else {
            format!("https://example.org/tl/kinds/meeting/page/{n}/")
        };
        assert_eq!(attrs(doc, "link[rel=canonical]", "href"), [expected]);
        assert!(
            hrefs(doc, "link[rel=alternate]").contains(&"/tl/kinds/meeting/atom.xml".to_string()),
            "page {n} offers the term's feed"
        );
        let shown = texts(doc, ".timeline .entry").len();
        assert_eq!(shown, if n == 5 { 3 } else { 5 });
    }
    // The pages together list every event once, oldest first as before.
    let ids: Vec<String> = docs
        .iter()
        .flat_map(|d| attrs(d, ".timeline .entry", "id"))
        .collect();
    assert_eq!(ids.len(), 23);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 23);
    let dates: Vec<String> = docs
        .iter()
        .flat_map(|d| attrs(d, ".timeline .entry time", "datetime"))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    // Page numbers with an ellipsis: 1 2 … 5 on page 1; on page 2 the
    // one number left out is shown instead of an ellipsis.
    let numbers = |doc: &scraper::Html| -> Vec<String> {
        texts(doc, "nav.pagination li")
            .iter()
            .map(|t| t.replace("Page ", "").trim().to_string())
            .collect()
    };
    assert_eq!(numbers(&docs[0]), ["1", "2", "…", "5", "Next page →"]);
    let numbers: Vec<String> = texts(&docs[1], "nav.pagination li")
        .iter()
        .map(|t| t.replace("Page ", "").trim().to_string())
        .collect();
    assert_eq!(
        numbers,
        ["← Previous page", "1", "2", "3", "4", "5", "Next page →"]
    );
}

#[test]
fn a_year_heading_says_it_continues_from_the_page_before() {
    let site = site_with(20, "paginate: {terms: 4}\n");
    site.build_ok(&[]);
    let docs = walk(&site, "/tl/tracks/us-japan/");
    assert_eq!(docs.len(), 5);
    let continued: Vec<usize> = docs
        .iter()
        .map(|d| texts(d, ".timeline h2 .continued").len())
        .collect();
    // 10 events a year, 4 a page: every page after the first opens inside
    // a year (2020 on pages 2 and 3, 2021 on pages 4 and 5).
    assert_eq!(continued, [0, 1, 1, 1, 1]);
    assert_eq!(texts(&docs[2], ".timeline h2").len(), 2);
}

#[test]
fn the_timeline_years_and_compare_pages_are_paginated() {
    let site = site_with(
        12,
        "paginate: {default: 4, timeline: 5, years: 3}\norder: newest-first\n",
    );
    site.build_ok(&[]);
    let timeline = walk(&site, "/tl/");
    assert_eq!(timeline.len(), 3);
    assert_eq!(title(&timeline[1]), "Test Timeline — page 2 of 3");
    // Newest first: page 1 opens with the newest event.
    let first = attrs(&timeline[0], "#timeline .entry time", "datetime");
    let last = attrs(&timeline[2], "#timeline .entry time", "datetime");
    assert!(first[0] > last[last.len() - 1]);
    assert_eq!(
        texts(&timeline[0], "#filter-count"),
        ["Events 1–5 of 12, page 1 of 3"]
    );
    // An event's way back to the timeline is the page showing it.
    let oldest = attrs(&timeline[2], "#timeline .entry", "id");
    let event = site.page(&format!("events/{}/index.html", oldest[oldest.len() - 1]));
    let back = hrefs(&event, ".prev-next .back a");
    assert_eq!(back.len(), 1);
    assert!(back[0].starts_with("/tl/page/3/#"), "{back:?}");
    assert_eq!(walk(&site, "/tl/years/2020/").len(), 2);
    assert_eq!(walk(&site, "/tl/kinds/meeting/").len(), 3);
    // Compare pages hold `default` events each, across their rows.
    for first in ["/tl/compare/", "/tl/compare/us-japan--us-rok/"] {
        let pages = walk(&site, first);
        assert_eq!(pages.len(), 3, "{first}");
        let events: usize = pages
            .iter()
            .map(|p| {
                attrs(p, "table.compare td a", "href")
                    .into_iter()
                    .collect::<BTreeSet<_>>()
                    .len()
            })
            .sum();
        assert_eq!(events, 12, "{first}");
    }
}

#[test]
fn lists_that_fit_on_one_page_show_no_controls() {
    let site = site_with(6, "");
    site.build_ok(&[]);
    for page in [
        "index.html",
        "kinds/meeting/index.html",
        "years/2020/index.html",
        "compare/index.html",
    ] {
        let doc = site.page(page);
        assert!(
            texts(&doc, ".pagination, .page-status").is_empty(),
            "{page}"
        );
        assert!(attrs(&doc, "link[rel=prev], link[rel=next]", "href").is_empty());
        assert!(!title(&doc).contains("page"), "{page}");
    }
    assert!(!site.public().join("page").exists());
    assert!(!site.public().join("kinds/meeting/page").exists());
}

#[test]
fn every_page_is_in_the_sitemap() {
    let site = site_with(15, "paginate: 2\n");
    site.build_ok(&[]);
    let public = site.public();
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).expect("sitemap.xml");
    let locs = locs(&sitemap);
    let mut pages = Vec::new();
    collect_pages(&public, &public, &mut pages);
    assert!(pages.iter().any(|p| p == "kinds/meeting/page/8/"));
    assert!(pages.iter().any(|p| p == "page/8/"));
    for p in &pages {
        let loc = format!("https://example.org/tl/{p}");
        assert!(locs.contains(&loc), "{loc} is not in the sitemap");
    }
    assert_eq!(locs.len(), pages.len());
}

/// Folders holding an `index.html` under `dir`, as page paths.
fn collect_pages(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read the output").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_pages(root, &path, out);
        } else if path.file_name().is_some_and(|n| n == "index.html") {
            let rel = path
                .parent()
                .and_then(|p| p.strip_prefix(root).ok())
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(if rel.is_empty() {
                rel
            } else {
                format!("{rel}/")
            });
        }
    }
}

/// The `<loc>` values of a sitemap or sitemap index, in order.
fn locs(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => in_loc = e.name().as_ref() == b"loc",
            quick_xml::events::Event::Text(t) if in_loc => {
                out.push(String::from_utf8_lossy(t.as_ref()).into_owned());
            }
            quick_xml::events::Event::End(_) => in_loc = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The root element's name.
fn root(xml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                return String::from_utf8_lossy(e.name().as_ref()).into_owned();
            }
            quick_xml::events::Event::Eof => return String::new(),
            _ => {}
        }
    }
}

#[test]
fn a_sitemap_over_the_limits_becomes_an_index_of_parts() {
    use annals::stages::{SitemapLimits, sitemap_files};
    let pages: Vec<String> = (0..7).map(|i| format!("events/e{i}/")).collect();
    let base = "https://example.org/tl/";
    let one = sitemap_files(base, &pages, SitemapLimits::PROTOCOL).expect("sitemap");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].0, "sitemap.xml");
    assert_eq!(root(&String::from_utf8_lossy(&one[0].1)), "urlset");

    let limits = SitemapLimits {
        urls: 3,
        bytes: SitemapLimits::PROTOCOL.bytes,
    };
    let split = sitemap_files(base, &pages, limits).expect("sitemap");
    let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "sitemap.xml",
            "sitemap-1.xml",
            "sitemap-2.xml",
            "sitemap-3.xml"
        ]
    );
    let index = String::from_utf8_lossy(&split[0].1).into_owned();
    assert_eq!(root(&index), "sitemapindex");
    assert_eq!(
        locs(&index),
        [
            "https://example.org/tl/sitemap-1.xml",
            "https://example.org/tl/sitemap-2.xml",
            "https://example.org/tl/sitemap-3.xml"
        ]
    );
    let mut all = Vec::new();
    for (_, xml) in &split[1..] {
        let xml = String::from_utf8_lossy(xml);
        assert_eq!(root(&xml), "urlset");
        let l = locs(&xml);
        assert!(l.len() <= 3);
        all.extend(l);
    }
    let expected: Vec<String> = pages.iter().map(|p| format!("{base}{p}")).collect();
    assert_eq!(all, expected);

    // The byte limit splits too, and no part exceeds it.
    let limits = SitemapLimits {
        urls: 50_000,
        bytes: 600,
    };
    let split = sitemap_files(base, &pages, limits).expect("sitemap");
    assert!(split.len() > 2);
    for (name, xml) in &split[1..] {
        assert!(xml.len() <= 600, "{name} has {} bytes", xml.len());
    }
}

#[test]
fn robots_txt_names_the_sitemap_index() {
    let site = site_with(3, "");
    site.build_ok(&[]);
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).expect("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://example.org/tl/sitemap.xml")
    );
}

#[test]
fn paginate_is_checked_with_located_diagnostics() {
    for (config, line, says) in [
        (
            "paginate: 0\n",
            12,
            "a page size must be a whole number from 1 up, found 0",
        ),
        (
            "paginate: many\n",
            12,
            "a page size must be a whole number from 1 up",
        ),
        ("paginate:\n  timeline: 5\n  terms: -2\n", 14, "found -2"),
        // Past 64 bits: still a number, refused here, not the whole file.
        (
            "paginate: 18446744073709551616\n",
            12,
            "a page size must be a whole number from 1 up, found a number",
        ),
        (
            "paginate:\n  timelines: 5\n",
            13,
            "unknown key `timelines` in `paginate`",
        ),
    ] {
        let site = site_with(2, config);
        let out = site.build(&[]);
        assert!(!out.status.success(), "{config}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("site.yaml:{line}:")),
            "{config}: {err}"
        );
        assert!(err.contains(says), "{config}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let site = site_with(2, "paginate: 18446744073709551616\n");
    let err = stderr(&site.build(&[]));
    assert!(err.contains("error: 1 problem found"), "{err}");
    let site = site_with(2, "paginate:\n  timelines: 5\n");
    let err = stderr(&site.build(&[]));
    assert!(
        err.contains("timeline"),
        "a suggestion names the key: {err}"
    );
}

#[test]
fn compare_pages_count_joint_dates_and_gaps_across_the_whole_comparison() {
    // Every even event is in both tracks: 6 joint dates over 3 pages.
    let site = site_with(12, "paginate: {compare: 4}\n");
    site.build_ok(&[]);
    let pages = walk(&site, "/tl/compare/us-japan--us-rok/");
    assert_eq!(pages.len(), 3);
    let highlighted: usize = pages
        .iter()
        .map(|p| texts(p, "table.compare tr.together").len())
        .sum();
    assert_eq!(highlighted, 6);
    for page in &pages {
        let key = texts(page, ".compare-key").concat();
        assert!(key.contains("(6 dates)"), "{key}");
    }

    // A quiet stretch between two pages is marked above the later page's
    // first row.
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{SITE_YAML}base_url: https://example.org/tl/\npaginate: {{compare: 2}}\n"),
    );
    for (i, date) in ["2020-01-05", "2020-01-06", "2020-09-01", "2020-09-02"]
        .iter()
        .enumerate()
    {
        site.event(
            &format!("e{i}.md"),
            format!(
                "---\ntitle: \"Event {i}\"\ndate: {date}\nkind: meeting\ntracks: [us-japan, us-rok]\nsummary: A test event.\nsources:\n  - {{title: A source, publisher: Test}}\n---\nBody.\n"
            ),
        );
    }
    site.build_ok(&[]);
    let pages = walk(&site, "/tl/compare/us-japan--us-rok/");
    assert_eq!(pages.len(), 2);
    assert!(texts(&pages[0], "table.compare tr.gap").is_empty());
    assert_eq!(
        texts(&pages[1], "table.compare tr.gap"),
        ["No events for 7 months"]
    );
}
