//! Links written in Markdown bodies: relative addresses made absolute in
//! every export (atom.xml, feed.json, events.json, timelinejs.json), `@/`
//! site links resolved under the base path or failing the build, and links
//! that leave the base path reported at their `.md` line.

mod common;

use common::*;
use scraper::Html;
use std::process::Output;

const SUB_PATH_SITE: &str = "title: Links\nbase_url: https://example.org/timeline/\n";

fn event_with_body(title: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2024-07-28\nkind: meeting\nsummary: A test event.\nsources:\n  - {{title: A source}}\n---\n{body}"
    )
}

fn read_json(site: &TestSite, rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(site.public().join(rel)).expect("read export");
    serde_json::from_str(&text).expect("valid JSON")
}

/// `src` of every image and `href` of every link in a body's HTML.
fn addresses(html: &str) -> (Vec<String>, Vec<String>) {
    let doc = Html::parse_fragment(html);
    (attrs(&doc, "img", "src"), attrs(&doc, "a", "href"))
}

/// The bodies of event `slug` in the four exports that carry its HTML.
fn exported_bodies(site: &TestSite, slug: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let atom = std::fs::read_to_string(site.public().join("atom.xml")).expect("atom.xml");
    let atom = roxmltree::Document::parse(&atom).expect("valid Atom");
    let entry = atom
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .find(|n| {
            n.children().any(|c| {
                c.has_tag_name("id") && c.text().is_some_and(|t| t.ends_with(&format!("/{slug}/")))
            })
        })
        .expect("an Atom entry for the event");
    let content = entry
        .children()
        .find(|c| c.has_tag_name("content"))
        .and_then(|c| c.text())
        .expect("Atom content");
    out.push(("atom.xml", content.to_string()));
    let feed = read_json(site, "feed.json");
    let item = feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            i["url"]
                .as_str()
                .is_some_and(|u| u.ends_with(&format!("/{slug}/")))
        })
        .expect("a feed item");
    out.push((
        "feed.json",
        item["content_html"].as_str().expect("html").into(),
    ));
    let events = read_json(site, "events.json");
    let event = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["slug"] == slug)
        .expect("the event in events.json");
    out.push(("events.json", event["html"].as_str().expect("html").into()));
    let timeline = read_json(site, "timelinejs.json");
    let slide = timeline["events"]
        .as_array()
        .expect("slides")
        .iter()
        .find(|s| s["unique_id"] == slug)
        .expect("the event's slide");
    out.push((
        "timelinejs.json",
        slide["text"]["text"].as_str().expect("text").into(),
    ));
    out
}

const RELATIVE_BODY: &str = "See ![map](../../img/x.png) and [about](about/), [top](#top), [mail](mailto:desk@example.org) and [ext](https://other.example/a?b=1&c=2).\n\nA note[^1] and <img src=\"pic.png\" alt=\"p\">.\n\n[^1]: The note.\n";

#[test]
fn exports_resolve_relative_body_urls_against_the_event_page() {
    let site = TestSite::new();
    site.write("site.yaml", SUB_PATH_SITE);
    site.event("talks.md", event_with_body("Talks", RELATIVE_BODY));
    site.build_ok(&[]);
    let page = "https://example.org/timeline/events/talks/";
    for (export, html) in exported_bodies(&site, "talks") {
        let (srcs, hrefs) = addresses(&html);
        assert_eq!(
            srcs,
            [
                "https://example.org/timeline/img/x.png".to_string(),
                format!("{page}pic.png"),
            ],
            "{export}: {html}"
        );
        // The footnote's link and its link back to the citation.
        for id in ["fn-1", "fnref-1"] {
            let link = hrefs
                .iter()
                .find(|h| h.ends_with(&format!("#{id}")))
                .unwrap_or_else(|| panic!("{export}: no #{id} link in {html}"));
            assert_eq!(link, &format!("{page}#{id}"), "{export}");
        }
        for expected in [
            format!("{page}about/"),
            format!("{page}#top"),
            "mailto:desk@example.org".to_string(),
            "https://other.example/a?b=1&c=2".to_string(),
        ] {
            assert!(
                hrefs.contains(&expected),
                "{export}: {expected} not in {hrefs:?}"
            );
        }
    }
    // The event page itself keeps the relative addresses, which work there.
    let html = site.page("events/talks/index.html");
    assert!(attrs(&html, "img", "src").contains(&"../../img/x.png".to_string()));
}

#[test]
fn exports_resolve_srcset_when_raw_html_is_kept() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{SUB_PATH_SITE}markdown: {{unsafe_html: true}}\n"),
    );
    let body = "<img src=\"a.png\" srcset=\"a.png 1x, ../../big.png 2x\" alt=\"p\">\n";
    site.event("talks.md", event_with_body("Talks", body));
    site.build_ok(&[]);
    let page = "https://example.org/timeline/events/talks/";
    for (export, html) in exported_bodies(&site, "talks") {
        let doc = Html::parse_fragment(&html);
        assert_eq!(
            attrs(&doc, "img", "srcset"),
            [format!(
                "{page}a.png 1x, https://example.org/timeline/big.png 2x"
            )],
            "{export}: {html}"
        );
        assert_eq!(
            attrs(&doc, "img", "src"),
            [format!("{page}a.png")],
            "{export}"
        );
    }
}

#[test]
fn exports_without_absolute_base_url_resolve_against_localhost() {
    let site = TestSite::new();
    site.event(
        "talks.md",
        event_with_body("Talks", "![map](../../img/x.png)\n"),
    );
    site.build_ok(&[]);
    for (export, html) in exported_bodies(&site, "talks") {
        let (srcs, _) = addresses(&html);
        assert_eq!(srcs, ["http://localhost/img/x.png"], "{export}");
    }
}

/// `path:line:column` of each report in stderr, with whether it is a warning.
fn reports(out: &Output) -> Vec<(String, usize, usize, bool)> {
    stderr(out)
        .lines()
        .filter_map(|line| {
            let (location, message) = line.split_once(": ")?;
            let mut parts = location.rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let line_no = parts.next()?.parse().ok()?;
            let path = parts.next()?.to_string();
            Some((path, line_no, column, message.starts_with("warning: ")))
        })
        .collect()
}

#[test]
fn links_leaving_the_base_path_warn_in_build_and_fail_check_at_the_md_line() {
    let site = TestSite::new();
    site.write("site.yaml", SUB_PATH_SITE);
    // Body starts on line 9; the link address is at column 13 of line 10.
    site.event(
        "talks.md",
        event_with_body("Talks", "Intro.\nA map: ![m](/img/map.png) here.\n"),
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n[home](/other/)\n",
    );
    let built = site.build_here(&[]);
    assert_success(&built);
    let found = reports(&built);
    assert!(
        found.contains(&("content/events/talks.md".into(), 10, 13, true)),
        "{found:?}\n{}",
        stderr(&built)
    );
    assert!(
        found.contains(&("content/pages/about.md".into(), 4, 8, true)),
        "{found:?}"
    );
    assert!(stderr(&built).contains("@/"), "the hint names the @/ form");

    let checked = site.check_here();
    assert_code(&checked, 1);
    let found = reports(&checked);
    assert!(
        found.contains(&("content/events/talks.md".into(), 10, 13, false)),
        "{found:?}\n{}",
        stderr(&checked)
    );
    assert!(
        found.contains(&("content/pages/about.md".into(), 4, 8, false)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .all(|(path, ..)| !path.starts_with("(rendered)")),
        "body links are reported at their source: {found:?}"
    );
}

#[test]
fn check_reports_broken_relative_body_links_at_the_md_line() {
    let site = TestSite::new();
    site.event(
        "talks.md",
        event_with_body(
            "Talks",
            "\n\nSee [gone](../nowhere/) please.\n\n<p><a href=\"../also-gone/\">x</a></p>\n",
        ),
    );
    let checked = site.check_here();
    assert_code(&checked, 1);
    assert_eq!(
        reports(&checked),
        [
            ("content/events/talks.md".to_string(), 11, 12, false),
            ("content/events/talks.md".to_string(), 13, 13, false),
        ],
        "{}",
        stderr(&checked)
    );
}

const SITE_LINKS_BODY: &str =
    "[next](@/events/second) [frag](@/events/second/#main) [about](@/about) [home](@/)\n";

fn site_with_site_links() -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", SUB_PATH_SITE);
    site.event("first.md", event_with_body("First", SITE_LINKS_BODY));
    site.event("second.md", event_with_body("Second", "Body.\n"));
    site.write("content/pages/about.md", "---\ntitle: About\n---\nHi.\n");
    site
}

#[test]
fn site_links_follow_the_base_path_and_a_changed_base_url() {
    let site = site_with_site_links();
    site.build_ok(&[]);
    let page = site.page("events/first/index.html");
    let wanted = |base: &str| {
        vec![
            format!("{base}events/second/"),
            format!("{base}events/second/#main"),
            format!("{base}about/"),
            base.to_string(),
        ]
    };
    let body_links: Vec<String> = attrs(&page, "a", "href")
        .into_iter()
        .filter(|h| wanted("/timeline/").contains(h))
        .collect();
    for w in wanted("/timeline/") {
        assert!(body_links.contains(&w), "{w} not in {body_links:?}");
    }
    let check = site.check_here();
    assert_success(&check);

    site.build_ok(&["--base-url", "https://other.example/news/"]);
    let events = read_json(&site, "events.json");
    let first = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["slug"] == "first")
        .expect("first");
    let (_, hrefs) = addresses(first["html"].as_str().expect("html"));
    assert_eq!(hrefs, wanted("https://other.example/news/"));
    let page = site.page("events/first/index.html");
    let all = attrs(&page, "a", "href");
    for w in wanted("/news/") {
        assert!(all.contains(&w), "{w} not in {all:?}");
    }
}

#[test]
fn site_links_to_missing_targets_fail_the_build_at_the_md_line() {
    let site = site_with_site_links();
    site.build_ok(&[]);
    let before = snapshot(&site.public());
    site.event(
        "third.md",
        event_with_body(
            "Third",
            "Text.\n\n  [x](@/events/secnod) and [y](@/abuot/#a)\n",
        ),
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    assert_eq!(
        reports(&out),
        [
            ("content/events/third.md".to_string(), 11, 7, false),
            ("content/events/third.md".to_string(), 11, 32, false),
        ],
        "{}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("did you mean `second`?"), "{err}");
    assert!(err.contains("did you mean `about`?"), "{err}");
    assert_same_tree(&before, &snapshot(&site.public()));
    let checked = site.check_here();
    assert_code(&checked, 1);
}
