//! The time axis: an inline SVG on the timeline, year, compare and embed
//! pages, checked on built sites with an HTML parser.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;

use common::*;
use scraper::Html;
use std::collections::HashSet;

fn event(site: &TestSite, slug: &str, front: &str) {
    site.write(
        &format!("content/events/{slug}.md"),
        format!(
            "---\n{front}\nkind: meeting\nsummary: A test event.\nsources:\n  - {{title: A source, publisher: Test}}\n---\nBody.\n"
        ),
    );
}

/// A site with every kind of mark: precisions, statuses, tracks, a period.
fn varied_site() -> TestSite {
    let site = TestSite::new();
    event(
        &site,
        "a-day",
        "title: Day talk\ndate: 2024-03-05\ntracks: [us-japan]",
    );
    event(
        &site,
        "b-month",
        "title: Month talk\ndate: 2024-06\ntracks: [us-japan]",
    );
    event(
        &site,
        "c-planned",
        "title: Planned talk\ndate: 2024-09-10\nstatus: planned\ntracks: [us-rok]",
    );
    event(
        &site,
        "d-cancelled",
        "title: Cancelled talk\ndate: 2024-10-01\nstatus: cancelled\ntracks: [us-rok]",
    );
    event(
        &site,
        "e-joint",
        "title: Joint talk\ndate: 2024-11-20\ntracks: [us-japan, us-rok]",
    );
    event(
        &site,
        "f-approx",
        "title: Rough talk\ndate: 2023-05\napproximate: true",
    );
    site.write(
        "content/periods/thaw.md",
        "---\ntitle: Thaw\nstart: 2024-02\nend: 2024-08\n---\nA calmer stretch.\n",
    );
    site.build_ok(&[]);
    site
}

fn marks(doc: &Html) -> Vec<(String, String, String)> {
    doc.select(&sel("svg.axis-svg a"))
        .map(|a| {
            let rect = a.select(&sel("rect")).next().expect("a mark's rect");
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                a.value().attr("aria-label").unwrap_or_default().to_string(),
                rect.value().attr("class").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn rect_width(doc: &Html, slug: &str) -> f64 {
    doc.select(&sel("svg.axis-svg a"))
        .find(|a| links_to_event(a.value().attr("href").unwrap_or_default(), slug))
        .and_then(|a| a.select(&sel("rect")).next())
        .and_then(|r| r.value().attr("width")?.parse().ok())
        .unwrap_or_else(|| panic!("no mark for {slug}"))
}

#[test]
fn timeline_axis_is_labelled_linked_and_in_time_order() {
    let site = varied_site();
    let doc = site.page("index.html");
    let svg = doc.select(&sel("svg.axis-svg")).next().expect("an axis");
    assert_eq!(svg.value().attr("role"), Some("group"));
    let title = doc
        .select(&sel("svg.axis-svg > title"))
        .next()
        .expect("title");
    let desc = doc
        .select(&sel("svg.axis-svg > desc"))
        .next()
        .expect("desc");
    assert!(text_of(title).contains("Test Timeline"));
    assert!(
        text_of(desc).contains("6 events from 2023 to 2024"),
        "{}",
        text_of(desc)
    );
    let labelled = svg.value().attr("aria-labelledby").unwrap_or_default();
    for id in labelled.split(' ') {
        assert!(doc.select(&sel(&format!("#{id}"))).next().is_some(), "{id}");
    }
    // The scroll container is focusable and named; the list follows it.
    let scroll = doc.select(&sel(".axis-scroll")).next().expect("scroll box");
    assert_eq!(scroll.value().attr("tabindex"), Some("0"));
    assert!(
        scroll
            .value()
            .attr("aria-label")
            .is_some_and(|l| !l.is_empty())
    );
    assert!(
        doc.select(&sel(".axis + * , .axis ~ .timeline"))
            .next()
            .is_some()
    );

    let marks = marks(&doc);
    // The joint event is in both track lanes.
    let slugs = [
        "f-approx",
        "a-day",
        "b-month",
        "c-planned",
        "d-cancelled",
        "e-joint",
        "e-joint",
    ];
    let hrefs: Vec<String> = marks.iter().map(|m| m.0.clone()).collect();
    assert_event_links(&hrefs, &slugs);
    for (href, _, _) in &marks {
        let rel = href.trim_start_matches('/');
        assert!(
            site.public().join(rel).join("index.html").is_file(),
            "{href}"
        );
    }
    let day = &marks[1];
    assert_eq!(day.1, "5 March 2024: Day talk (Meeting, US–Japan)");
    assert!(marks[3].1.contains("planned"), "{}", marks[3].1);
    assert!(marks[3].2.contains("s-planned"));
    assert!(marks[4].2.contains("s-cancelled"));
    assert!(marks[4].1.contains("cancelled"));
    assert!(marks[0].2.contains("approx"));
    assert!(marks[0].1.starts_with("c. May 2023"), "{}", marks[0].1);
    assert_ne!(marks[3].2, marks[1].2, "planned drawn like held");
    // Periods are shaded, named by their title.
    let band = doc
        .select(&sel("rect.axis-period > title"))
        .next()
        .expect("band");
    assert_eq!(text_of(band), "Thaw");
}

#[test]
fn year_axis_draws_precision_as_width_and_marks_joint_dates_on_compare() {
    let site = varied_site();
    let doc = site.page("years/2024/index.html");
    assert!(rect_width(&doc, "b-month") > 3.0 * rect_width(&doc, "a-day") - 0.1);
    assert!(rect_width(&doc, "b-month") > 40.0, "a month on a year axis");
    // Ticks adapt: a single year is labelled by months.
    let ticks = texts(&doc, "text.axis-tick-label");
    assert!(ticks.iter().any(|t| t == "Jul"), "{ticks:?}");
    let compare = site.page("compare/index.html");
    let joint: Vec<_> = marks(&compare)
        .into_iter()
        .filter(|m| m.2.contains("joint"))
        .collect();
    assert_eq!(joint.len(), 2, "the joint event in both lanes");
    assert!(compare.select(&sel("line.axis-joint")).next().is_some());
    // A short span fills its page's column: the compare pages' is wider.
    let svg_width = |doc: &Html| -> f64 {
        attrs(doc, "svg.axis-svg", "width")
            .first()
            .and_then(|w| w.parse().ok())
            .expect("the axis's width")
    };
    assert_eq!(svg_width(&doc), 700.0, "the year axis fits the column");
    assert!(
        svg_width(&compare) > 1100.0,
        "the compare axis fills the compare column: {}",
        svg_width(&compare)
    );
    let embed = site.page("embed/index.html");
    let links = embed.select(&sel("svg.axis-svg a")).count();
    assert_eq!(links, 6);
    assert!(
        attrs(&embed, "svg.axis-svg a", "target")
            .iter()
            .all(|t| t == "_blank")
    );
}

#[test]
fn dense_archive_is_bucketed_small_and_links_to_real_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).expect("site dir");
    corpus::generate(&root, 10_000, 11).expect("corpus");
    let out = dir.path().join("out");
    let built = annals()
        .args(["build", "-q", "--site"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run annals");
    assert_success(&built);
    let mut years: Vec<_> = std::fs::read_dir(out.join("years"))
        .expect("years")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.parse::<i32>().is_ok())
        .collect();
    years.sort();
    let busiest = years
        .iter()
        .max_by_key(|y| {
            std::fs::metadata(out.join("years").join(y).join("index.html")).map_or(0, |m| m.len())
        })
        .expect("a year");
    for page in [
        "index.html".to_string(),
        format!("years/{busiest}/index.html"),
        "compare/index.html".into(),
        "embed/index.html".into(),
    ] {
        let doc = read_html(&out.join(&page));
        let svg = doc
            .select(&sel("svg.axis-svg"))
            .next()
            .unwrap_or_else(|| panic!("axis on {page}"));
        let size = svg.html().len();
        assert!(size < 150_000, "{page}: {size} bytes of SVG");
        let links = marks(&doc);
        assert!(
            !links.is_empty() && links.len() <= 400,
            "{page}: {} links",
            links.len()
        );
        let mut seen = HashSet::new();
        for (href, label, _) in &links {
            let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
            let rel = path.trim_start_matches("/timeline/");
            let target = out.join(rel).join("index.html");
            assert!(target.is_file(), "{page}: {href}");
            // Anchors are checked on a sample of pages, each once.
            if !anchor.is_empty() && seen.len() < 12 && seen.insert(href.clone()) {
                let doc = read_html(&target);
                assert!(
                    doc.select(&sel(&format!("#{anchor}"))).next().is_some(),
                    "{href}"
                );
            }
            assert!(!label.is_empty());
        }
    }
    let index = read_html(&out.join("index.html"));
    let labels = attrs(&index, "svg.axis-svg a", "aria-label");
    assert!(
        labels
            .iter()
            .all(|l| l.contains(" events in ") || l.contains(" event in ")),
        "{labels:?}"
    );
    assert!(index.select(&sel("rect.axis-bucket")).next().is_some());
}

/// A year too busy to draw event by event: its axis counts the events per
/// month, and every month bar leads to the page of the year's list where
/// that month's section starts, to the section itself.
#[test]
fn month_bars_of_a_busy_year_lead_to_their_month_sections() {
    let site = TestSite::new();
    for month in 1..=12 {
        for day in 1..=28 {
            site.write(
                &format!("content/events/e{month:02}-{day:02}.md"),
                simple_event(
                    &format!("Talk {month}-{day}"),
                    &format!("2024-{month:02}-{day:02}"),
                ),
            );
        }
    }
    site.build_ok(&[]);
    let year = site.page("years/2024/index.html");
    let hrefs = attrs(&year, "svg.axis-svg a", "href");
    assert!(
        year.select(&sel("svg.axis-svg rect.axis-bucket"))
            .next()
            .is_some(),
        "336 events in a year are drawn as month bars"
    );
    let months: HashSet<&String> = hrefs.iter().filter(|h| h.contains('#')).collect();
    assert_eq!(months.len(), 12, "one link per month: {hrefs:?}");
    for href in months {
        let (path, anchor) = href.split_once('#').expect("an anchor");
        let rel = path.trim_start_matches('/');
        let target = site.public().join(rel).join("index.html");
        assert!(target.is_file(), "{href}: no page");
        let doc = read_html(&target);
        let section = doc
            .select(&sel(&format!("section.month#{anchor}")))
            .next()
            .unwrap_or_else(|| panic!("{href}: no month section with that id"));
        assert!(
            section.select(&sel("h3")).next().is_some(),
            "{href}: the section is headed by its month"
        );
    }
    let check = site.check_here();
    assert_success(&check);
}
