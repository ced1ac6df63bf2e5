//! Machine-readable outputs, each parsed with a real parser: Atom and the
//! sitemap with roxmltree, JSON Feed / events.json / timelinejs.json with
//! serde_json, calendar.ics with the `ical` crate.

mod common;

use common::*;
use serde_json::Value;
use std::fs;

const A: &str = "---
title: US–Japan 2+2 in Tokyo
date: 2024-07-28
end_date: 2024-07-29
kind: meeting
status: planned
location: Tokyo, Japan; Minato
countries: [US, JP]
participants:
  - {name: Lloyd Austin, role: U.S. Secretary of Defense, country: US}
tracks: [us-japan]
tags: [china]
summary: Ministers met; they agreed, in short, on a joint force headquarters.
sources:
  - {title: Joint Statement, publisher: U.S. Department of Defense, url: \"https://example.com/statement\"}
related:
  - {event: b, relation: references}
---
한국어 본문은 여러 줄로 접혀야 하며 UTF-8 문자가 중간에서 잘리면 안 됩니다. 한국어 본문은 여러 줄로 접혀야 합니다.
";

const B: &str = "---
title: Joint operations command stands up
date: 2025-03
kind: statement
status: cancelled
countries: [JP]
tracks: [us-japan]
summary: A month-precision event.
sources:
  - {title: Report}
---
Body of B.
";

const C: &str = "---
title: Timed press conference
date: 2024-07-28T10:00:00+09:00
end_date: 2024-07-28T12:30:00+09:00
kind: meeting
tracks: [us-rok]
summary: A timed event.
sources:
  - {title: Transcript}
---
";

const D: &str = "---
title: Talks of uncertain date
date: 2023
end_date: ongoing
approximate: true
kind: meeting
summary: A year-precision, approximate, ongoing event.
sources:
  - {title: Memoir}
---
";

fn site(extra_yaml: &str) -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", format!("{SITE_YAML}{extra_yaml}"));
    site.event("a.md", A);
    site.event("b.md", B);
    site.event("c.md", C);
    site.event("d.md", D);
    site
}

const BASE: &str = "https://example.org/sub/";

fn built(extra_yaml: &str) -> TestSite {
    let site = site(extra_yaml);
    site.build_ok(&["--base-url", BASE]);
    site
}

fn read(site: &TestSite, rel: &str) -> String {
    fs::read_to_string(site.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(site: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&read(site, rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// (id, title, published, categories) of each entry, in feed order.
fn atom_entries(xml: &str) -> Vec<(String, String, String, Vec<String>)> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed Atom");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(root.tag_name().namespace(), Some(ATOM));
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    for required in ["id", "title", "updated"] {
        assert!(!child(root, required).is_empty(), "feed has no {required}");
    }
    root.children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|e| {
            let cats = e
                .children()
                .filter(|c| c.has_tag_name((ATOM, "category")))
                .filter_map(|c| c.attribute("term").map(str::to_string))
                .collect();
            (
                child(e, "id"),
                child(e, "title"),
                child(e, "published"),
                cats,
            )
        })
        .collect()
}

#[test]
fn atom_feeds_site_and_terms() {
    let site = built("");
    let entries = atom_entries(&read(&site, "atom.xml"));
    let ids: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    // Newest first; ids are the absolute event URLs under the sub-path.
    assert_eq!(
        ids,
        [
            "https://example.org/sub/events/b/",
            "https://example.org/sub/events/c/",
            "https://example.org/sub/events/a/",
            "https://example.org/sub/events/d/",
        ]
    );
    // Dates are the first instant of the written period, never shifted.
    assert_eq!(entries[0].2, "2025-03-01T00:00:00+00:00");
    assert_eq!(entries[1].2, "2024-07-28T10:00:00+09:00");
    assert_eq!(entries[2].2, "2024-07-28T00:00:00+00:00");
    assert_eq!(entries[3].2, "2023-01-01T00:00:00+00:00");
    assert_eq!(entries[2].1, "US–Japan 2+2 in Tokyo");
    assert_eq!(entries[2].3, ["meeting", "us", "jp", "us-japan", "china"]);
    let xml = read(&site, "atom.xml");
    assert!(
        xml.contains("한국어 본문은"),
        "rendered content is in the entry"
    );

    let term_xml = read(&site, "tracks/us-japan/atom.xml");
    let term_doc = roxmltree::Document::parse(&term_xml).expect("term feed parses");
    let term_entries: Vec<_> = term_doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert!(
        term_entries.iter().all(|e| {
            e.children().any(|c| c.has_tag_name("summary"))
                && !e.children().any(|c| c.has_tag_name("content"))
        }),
        "term feeds carry the summary and the link, not the whole text"
    );
    let term = atom_entries(&term_xml);
    let term_ids: Vec<&str> = term.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        term_ids,
        [
            "https://example.org/sub/events/b/",
            "https://example.org/sub/events/a/"
        ]
    );
    for path in [
        "kinds/statement/atom.xml",
        "countries/jp/atom.xml",
        "tags/china/atom.xml",
    ] {
        assert!(!atom_entries(&read(&site, path)).is_empty(), "{path}");
    }
    // Each page links its feeds in the head, under the base path.
    let page = site.page("tracks/us-japan/index.html");
    let links = attrs(
        &page,
        "head link[rel=alternate][type='application/atom+xml']",
        "href",
    );
    assert_eq!(links, ["/sub/tracks/us-japan/atom.xml", "/sub/atom.xml"]);
    let home = site.page("index.html");
    assert_eq!(
        attrs(
            &home,
            "head link[rel=alternate][type='application/feed+json']",
            "href"
        ),
        ["/sub/feed.json"]
    );
}

#[test]
fn feeds_hold_the_newest_limit_entries() {
    let site = built("feeds: {limit: 2}\n");
    let ids: Vec<String> = atom_entries(&read(&site, "atom.xml"))
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        ids,
        [format!("{BASE}events/b/"), format!("{BASE}events/c/")]
    );
    assert_eq!(
        json(&site, "feed.json")["items"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn json_feed_items() {
    let site = built("");
    let feed = json(&site, "feed.json");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], format!("{BASE}feed.json"));
    let items = feed["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    let b = &items[0];
    assert_eq!(b["id"], format!("{BASE}events/b/"));
    assert_eq!(b["date_published"], "2025-03-01T00:00:00+00:00");
    assert_eq!(b["_annals"]["precision"], "month");
    assert_eq!(b["_annals"]["date"], "2025-03");
    assert!(
        b["content_html"]
            .as_str()
            .is_some_and(|h| h.contains("Body of B"))
    );
    assert_eq!(items[3]["_annals"]["end_date"], "ongoing");
}

/// Unfolded properties of each VEVENT: name → (params, raw value).
fn ics_events(text: &str) -> Vec<Vec<(String, String, String)>> {
    let reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let mut out = Vec::new();
    for cal in reader {
        let cal = cal.expect("calendar parses");
        for ev in cal.events {
            out.push(
                ev.properties
                    .into_iter()
                    .map(|p| {
                        let params = p
                            .params
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(k, v)| format!("{k}={}", v.join(",")))
                            .collect::<Vec<_>>()
                            .join(";");
                        (p.name, params, p.value.unwrap_or_default())
                    })
                    .collect(),
            );
        }
    }
    out
}

fn prop<'e>(ev: &'e [(String, String, String)], name: &str) -> (&'e str, &'e str) {
    ev.iter()
        .find(|p| p.0 == name)
        .map(|p| (p.1.as_str(), p.2.as_str()))
        .unwrap_or_else(|| panic!("no {name} in {ev:?}"))
}

#[test]
fn calendar_is_rfc5545() {
    let site = built("");
    let bytes = fs::read(site.public().join("calendar.ics")).expect("calendar.ics");
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    // CRLF everywhere, lines of at most 75 octets, folds on char boundaries
    // (every physical line is valid UTF-8 on its own).
    assert!(text.ends_with("\r\n"));
    for line in bytes.split(|&b| b == b'\n') {
        assert!(line.is_empty() || line.ends_with(b"\r"), "bare LF");
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(line.len() <= 75, "line of {} octets", line.len());
        assert!(std::str::from_utf8(line).is_ok(), "fold splits a character");
    }
    assert!(
        text.lines().any(|l| l.starts_with(' ')),
        "long lines are folded"
    );
    let events = ics_events(&text);
    assert_eq!(events.len(), 4);
    let by_uid = |slug: &str| {
        events
            .iter()
            .find(|e| prop(e, "UID").1 == format!("{slug}@example.org"))
            .unwrap_or_else(|| panic!("no event {slug}"))
    };
    let a = by_uid("a");
    assert_eq!(prop(a, "DTSTART"), ("VALUE=DATE", "20240728"));
    assert_eq!(prop(a, "DTEND"), ("VALUE=DATE", "20240730"));
    assert_eq!(prop(a, "STATUS").1, "TENTATIVE");
    assert_eq!(prop(a, "LOCATION").1, "Tokyo\\, Japan\\; Minato");
    assert_eq!(prop(a, "URL").1, format!("{BASE}events/a/"));
    assert!(prop(a, "SUMMARY").1.contains("US–Japan 2+2"));
    assert!(
        prop(a, "DESCRIPTION")
            .1
            .starts_with("Ministers met\\; they agreed\\, in short")
    );
    assert!(prop(a, "DTSTAMP").1.ends_with('Z'));
    let b = by_uid("b");
    assert_eq!(prop(b, "DTSTART").1, "20250301");
    assert_eq!(prop(b, "DTEND").1, "20250401");
    assert_eq!(prop(b, "STATUS").1, "CANCELLED");
    assert!(prop(b, "DESCRIPTION").1.contains("month only"));
    let c = by_uid("c");
    assert_eq!(prop(c, "DTSTART"), ("", "20240728T010000Z"));
    assert_eq!(prop(c, "DTEND"), ("", "20240728T033000Z"));
    let d = by_uid("d");
    assert_eq!(prop(d, "DTSTART").1, "20230101");
    assert_eq!(prop(d, "DTEND").1, "20240101");
    assert!(prop(d, "DESCRIPTION").1.contains("year only"));
}

#[test]
fn events_json_has_everything() {
    let site = built("");
    let data = json(&site, "events.json");
    let events = data["events"].as_array().expect("events");
    assert_eq!(events.len(), 4);
    let find = |slug: &str| {
        events
            .iter()
            .find(|e| e["slug"] == slug)
            .unwrap_or_else(|| panic!("no {slug}"))
    };
    let a = find("a");
    assert_eq!(a["url"], format!("{BASE}events/a/"));
    assert_eq!(a["date"]["precision"], "day");
    assert_eq!(a["end_date"]["value"], "2024-07-29");
    assert_eq!(a["location"], "Tokyo, Japan; Minato");
    assert_eq!(a["participants"][0]["role"], "U.S. Secretary of Defense");
    assert_eq!(a["sources"][0]["url"], "https://example.com/statement");
    assert_eq!(a["related"][0]["event"], "b");
    assert_eq!(a["relations"][0]["label"], "References");
    assert_eq!(a["relations"][0]["events"][0], "b");
    assert!(a["html"].as_str().is_some_and(|h| h.contains("<p>한국어")));
    let b = find("b");
    assert_eq!(b["date"]["value"], "2025-03");
    assert_eq!(b["date"]["precision"], "month");
    assert_eq!(b["relations"][0]["label"], "Referenced by");
    assert_eq!(find("d")["end_date"], "ongoing");
    // The schema ships beside it and names every field an event has.
    let schema = json(&site, "events.schema.json");
    let required = schema["$defs"]["event"]["required"]
        .as_array()
        .expect("required");
    let keys: Vec<&String> = a.as_object().expect("object").keys().collect();
    assert_eq!(required.len(), keys.len());
    for k in keys {
        assert!(
            required.iter().any(|r| r == k.as_str()),
            "{k} not in the schema"
        );
    }
}

#[test]
fn timelinejs_export() {
    let site = built("");
    let tl = json(&site, "timelinejs.json");
    let events = tl["events"].as_array().expect("events");
    assert_eq!(events.len(), 4);
    let find = |id: &str| events.iter().find(|e| e["unique_id"] == id).expect("event");
    let a = find("a");
    assert_eq!(a["start_date"]["year"], 2024);
    assert_eq!(a["start_date"]["day"], 28);
    assert_eq!(a["end_date"]["day"], 29);
    assert_eq!(a["group"], "US–Japan");
    assert_eq!(a["text"]["headline"], "US–Japan 2+2 in Tokyo");
    assert_eq!(a["media"]["url"], "https://example.com/statement");
    let b = find("b");
    assert_eq!(b["start_date"]["month"], 3);
    assert!(b["start_date"].get("day").is_none(), "month precision kept");
    assert_eq!(find("c")["start_date"]["hour"], 10);
    assert_eq!(find("d")["display_date"], "since c. 2023");
    assert_eq!(tl["title"]["text"]["headline"], "Test Timeline");
}

#[test]
fn sitemap_robots_and_search() {
    let site = built("");
    let xml = read(&site, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed sitemap");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for expected in [
        "",
        "events/a/",
        "tracks/us-japan/",
        "years/2025/",
        "search/",
    ] {
        assert!(
            locs.contains(&format!("{BASE}{expected}").as_str()),
            "{expected} missing"
        );
    }
    assert!(
        locs.iter()
            .all(|l| l.starts_with(BASE) && !l.contains("404"))
    );
    assert!(read(&site, "robots.txt").contains(&format!("Sitemap: {BASE}sitemap.xml")));
    assert!(site.public().join("404.html").is_file());
    // The search page loads the index reader and finds the index's
    // manifest under the base path; the rest loads as queries need it.
    let page = site.page("search/index.html");
    let scripts = attrs(&page, "script", "src");
    // Under fingerprinted names (`archive.1a2b3c4d.js`), published beside
    // the plain ones.
    assert_eq!(scripts.len(), 2, "{scripts:?}");
    for (src, stem) in scripts.iter().zip(["archive", "search"]) {
        let hash = src
            .strip_prefix(&format!("/sub/assets/{stem}."))
            .and_then(|r| r.strip_suffix(".js"))
            .unwrap_or_else(|| panic!("{src}"));
        assert!(
            hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{src}"
        );
        let published = site.public().join(src.trim_start_matches("/sub/"));
        let plain = site.public().join(format!("assets/{stem}.js"));
        assert_eq!(
            std::fs::read(published).ok(),
            std::fs::read(plain).ok(),
            "{src}"
        );
    }
    assert_eq!(attrs(&page, "form", "data-index"), ["/sub/search-index.js"]);
    let meta = index_part(&site, "search-index.js");
    let shards = meta["shards"].as_array().expect("shards");
    let n = (0..meta["count"].as_u64().expect("count") as usize)
        .find(|n| {
            index_part(&site, &format!("search-index/d/{}.js", n / 32))[n % 32][0] == "events/a/"
        })
        .expect("doc for a");
    let doc = &index_part(&site, &format!("search-index/d/{}.js", n / 32))[n % 32];
    assert_eq!(doc[1], "US–Japan 2+2 in Tokyo");
    // Keywords (participants, location, body) are words of the index with
    // the event in their third list.
    // Hangul is indexed by pairs of characters and a run's last one.
    for word in ["lloyd", "minato", "한국", "국어", "어"] {
        let folded: String = unicode_normalization::UnicodeNormalization::nfc(word).collect();
        let lists = (0..shards.len())
            .find_map(|i| {
                index_part(&site, &format!("search-index/t/{i}.js"))
                    .get(&folded)
                    .and_then(Value::as_str)
                    .map(String::from)
            })
            .unwrap_or_else(|| panic!("{word} is indexed"));
        let keywords = lists.split(' ').nth(2).expect("three lists");
        assert!(!keywords.is_empty(), "{word} lists its events");
    }
}

/// The data of the search-index part `rel` of the built site.
fn index_part(site: &TestSite, rel: &str) -> Value {
    search_part(&site.public().join(rel)).1
}

#[test]
fn outputs_can_be_turned_off() {
    let site = built("feeds: {atom: false, json: false, ics: false}\nsearch: false\n");
    for gone in [
        "atom.xml",
        "feed.json",
        "calendar.ics",
        "search/index.html",
        "search-index.js",
        "search-index",
        "kinds/meeting/atom.xml",
    ] {
        assert!(!site.public().join(gone).exists(), "{gone} written");
    }
    let home = site.page("index.html");
    assert!(attrs(&home, "link[rel=alternate]", "href").is_empty());
    assert!(!hrefs(&home, "nav a").iter().any(|h| h.contains("search")));
}

#[test]
fn without_base_url_absolute_outputs_fall_back_to_localhost() {
    let site = site("");
    // Said once, without --verbose: a site built so must not be published.
    let out = site.build(&[]);
    assert_success(&out);
    let warnings: Vec<String> = stderr(&out)
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(String::from)
        .collect();
    assert_eq!(warnings.len(), 1, "{}", stderr(&out));
    assert!(
        warnings[0].contains("no absolute base_url")
            && warnings[0].contains("http://localhost/")
            && warnings[0].contains("--base-url"),
        "{}",
        warnings[0]
    );
    assert_eq!(stderr(&site.build(&["--quiet"])), "");
    let entries = atom_entries(&read(&site, "atom.xml"));
    assert_eq!(entries[0].0, "http://localhost/events/b/");
    assert!(read(&site, "robots.txt").contains("Sitemap: http://localhost/sitemap.xml"));
}

#[test]
fn an_absolute_base_url_builds_without_the_localhost_warning() {
    let site = site("base_url: https://example.org/timeline/\n");
    let out = site.build(&[]);
    assert_success(&out);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    // A base path alone still leaves the absolute URLs on localhost.
    let out = site.build(&["--base-url", "/timeline/"]);
    assert!(
        stderr(&out).contains("warning: --base-url /timeline/ names no host")
            && stderr(&out).contains("use http://localhost/timeline/"),
        "{}",
        stderr(&out)
    );
    let out = site.build(&["--base-url", "https://example.org/"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}
