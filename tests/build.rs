//! Builds a small but complete site and checks what `annals build` renders,
//! plus the `new`, `init` and `check` commands.

mod common;

use common::*;
use std::fs;

const WASHINGTON: &str = "2023-04-26-washington-declaration";
const TWO_PLUS_TWO: &str = "2024-07-28-us-japan-2plus2";
const ROK_US: &str = "2024-07-28-rok-us-defense-ministerial";
const YEAR_ONLY: &str = "2025-defence-reform";
const MONTH_ONLY: &str = "2025-03-jjoc";
const DAY_IN_MARCH: &str = "2025-03-01-early-march-talks";
const DRAFT: &str = "2024-08-draft-exercise";

/// Published events, in the chronological order the site must use.
const CHRONOLOGICAL: [&str; 6] = [WASHINGTON, TWO_PLUS_TWO, ROK_US, YEAR_ONLY, MONTH_ONLY, DAY_IN_MARCH];

fn good_site() -> TestSite {
    let site = TestSite::new();
    site.event(
        &format!("2023/{WASHINGTON}.md"),
        "---\ntitle: Washington Declaration\ndate: 2023-04-26\nkind: statement\ncountries: [US, KR]\n\
         tracks: [us-rok]\ntags: [extended-deterrence]\nsummary: The presidents adopt the Washington Declaration.\n\
         sources:\n  - {title: Washington Declaration, publisher: The White House}\n---\nText.\n",
    );
    // Depth 3 under content/events, a day-precision date, the object form of a participant.
    site.event(
        &format!("2024/07/jp/{TWO_PLUS_TWO}.md"),
        "---\ntitle: 日米安全保障協議委員会\ndate: 2024-07-28\nkind: meeting\nlocation: Tokyo, Japan\n\
         countries: [US, JP]\nparticipants:\n  - {name: Lloyd Austin, role: U.S. Secretary of Defense, country: US}\n\
         \x20 - {name: Minoru Kihara, role: Minister of Defense, country: JP}\ntracks: [us-japan]\n\
         tags: [extended-deterrence, command-structure]\nsummary: The US–Japan 2+2 meets in Tokyo.\nsources:\n\
         \x20 - {title: Joint Statement of the Security Consultative Committee, publisher: U.S. Department of Defense, url: \"https://www.defense.gov/News/\", date: 2024-07-28}\n\
         \x20 - {title: Report on the 2+2, publisher: Reuters}\n\
         \x20 - {title: Report on the joint statement, publisher: Voice of America, archive_url: \"https://web.archive.org/web/2024/https://www.voanews.com/\"}\n\
         quotes:\n  - {text: A test quotation about the alliance., speaker: Minoru Kihara, source: 1}\n---\n\
         The **2+2** met.\n",
    );
    // Depth 3, an RFC 3339 date-time, the string form of the same participant.
    site.event(
        &format!("2024/07/kr/{ROK_US}.md"),
        "---\ntitle: 한미 국방장관 회담\ndate: 2024-07-28T10:00:00+09:00\nkind: meeting\ncountries: [US, KR]\n\
         participants:\n  - Lloyd Austin\n  - {name: Shin Won-sik, role: Minister of National Defense, country: KR}\n\
         tracks: [us-rok]\ntags: [ncg]\nsummary: The ROK and US defence ministers meet.\n\
         sources:\n  - {title: Joint Press Statement, publisher: U.S. Department of Defense}\n\
         related:\n  - {event: 2024-07-28-us-japan-2plus2, relation: references}\n---\nText.\n",
    );
    site.event(&format!("2025/{YEAR_ONLY}.md"), simple_event("Defence reform programme", "2025"));
    // UTF-8 BOM and CRLF line endings; a month-precision date.
    let jjoc = "---\ntitle: Japan launches the Joint Operations Command\ndate: 2025-03\nkind: command-change\n\
                countries:\n  - JP\ntracks: [us-japan]\nsummary: The JSDF set up a permanent joint command.\n\
                sources:\n  - title: Ministry of Defense announcement\n    publisher: Japan Ministry of Defense\n\
                related:\n  - event: 2024-07-28-us-japan-2plus2\n    relation: follows-up\n---\nLine one.\n\nLine two.\n";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(jjoc.replace('\n', "\r\n").as_bytes());
    site.event(&format!("2025/{MONTH_ONLY}.md"), bytes);
    // Sorts before the month event by file name and by title; must come after it.
    site.event(&format!("2025/{DAY_IN_MARCH}.md"), simple_event("A day in early March", "2025-03-01"));
    site.event(
        &format!("2024/{DRAFT}.md"),
        "---\ntitle: Draft exercise\ndate: 2024-08\nkind: meeting\nsummary: Not yet published.\ndraft: true\n---\n",
    );
    site
}

fn event_page(site: &TestSite, slug: &str) -> scraper::Html {
    site.page(&format!("events/{slug}/index.html"))
}

/// Hrefs of the index entries' title links, in document order.
fn index_event_order(site: &TestSite) -> Vec<String> {
    let index = site.page("index.html");
    let hrefs = attrs(&index, ".entry-title a", "href");
    CHRONOLOGICAL
        .iter()
        .map(|slug| (hrefs.iter().position(|h| links_to_event(h, slug)), slug))
        .filter_map(|(pos, slug)| pos.map(|p| (p, slug.to_string())))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_values()
        .collect()
}

#[test]
fn index_groups_by_year_and_month_and_links_every_event() {
    let site = good_site();
    site.build_ok(&[]);
    let index = site.page("index.html");
    assert_eq!(texts(&index, "section.year > h2 > a"), ["2023", "2024", "2025"]);
    assert_eq!(attrs(&index, "section.year", "id"), ["y2023", "y2024", "y2025"]);
    let months = texts(&index, "section.month h3");
    for m in ["April 2023", "July 2024", "March 2025"] {
        assert!(months.contains(&m.to_string()), "no month heading {m:?} in {months:?}");
    }
    let jump = attrs(&index, "nav.year-jump a", "href");
    for y in ["#y2023", "#y2024", "#y2025"] {
        assert!(jump.iter().any(|h| h.ends_with(y)), "year jump has no link to {y}: {jump:?}");
    }
    let hrefs = attrs(&index, "a", "href");
    for slug in CHRONOLOGICAL {
        assert!(hrefs.iter().any(|h| links_to_event(h, slug)), "index.html does not link {slug}");
    }
    assert!(!hrefs.iter().any(|h| links_to_event(h, DRAFT)), "the draft is linked from the index");
    // A month-precision event sorts before the day events of its month.
    assert_eq!(index_event_order(&site), CHRONOLOGICAL.map(String::from));
}

#[test]
fn event_dates_keep_their_precision() {
    let site = good_site();
    site.build_ok(&[]);
    let cases = [
        (YEAR_ONLY, "2025", "2025"),
        (MONTH_ONLY, "2025-03", "March 2025"),
        (DAY_IN_MARCH, "2025-03-01", "1 March 2025"),
        (ROK_US, "2024-07-28T10:00:00+09:00", "28 July 2024, 10:00 UTC+09:00"),
    ];
    for (slug, machine, shown) in cases {
        let page = event_page(&site, slug);
        let time = page.select(&sel(".event-date time")).next().unwrap_or_else(|| panic!("{slug}: no date"));
        assert_eq!(time.value().attr("datetime"), Some(machine), "{slug}: datetime");
        assert_eq!(text_of(time), shown, "{slug}: shown date");
    }
}

#[test]
fn event_page_shows_sources_quotes_relations_and_neighbours() {
    let site = good_site();
    site.build_ok(&[]);
    let jp = event_page(&site, TWO_PLUS_TWO);
    assert_eq!(texts(&jp, "h1"), ["日米安全保障協議委員会"]);
    assert_eq!(jp.select(&sel("ol.sources > li")).count(), 3);
    assert_eq!(attrs(&jp, "ol.sources > li a", "href")[0], "https://www.defense.gov/News/");
    let quote = texts(&jp, ".quotes figcaption");
    assert!(quote.len() == 1 && quote[0].contains("Minoru Kihara"), "speaker not shown: {quote:?}");
    assert!(quote[0].contains("source 2"), "quote source not shown: {quote:?}");
    assert_eq!(texts(&jp, ".quotes blockquote"), ["A test quotation about the alliance."]);
    assert_eq!(texts(&jp, ".body strong"), ["2+2"]);

    // One relation declared in each of two files, shown on both ends.
    let rel = texts(&jp, ".relations h3");
    assert!(rel.contains(&"Referenced by".into()) && rel.contains(&"Followed up by".into()), "{rel:?}");
    let jp_rel_links = attrs(&jp, ".relations a", "href");
    assert!(jp_rel_links.iter().any(|h| links_to_event(h, ROK_US)), "{jp_rel_links:?}");
    assert!(jp_rel_links.iter().any(|h| links_to_event(h, MONTH_ONLY)), "{jp_rel_links:?}");
    let kr = event_page(&site, ROK_US);
    assert_eq!(texts(&kr, ".relations h3"), ["References"]);
    assert!(attrs(&kr, ".relations a", "href").iter().any(|h| links_to_event(h, TWO_PLUS_TWO)));
    assert_eq!(texts(&event_page(&site, MONTH_ONLY), ".relations h3"), ["Follows up"]);

    // Previous / next follow the chronology; the ends have only one side.
    for (i, slug) in CHRONOLOGICAL.iter().enumerate() {
        let page = event_page(&site, slug);
        let prev = attrs(&page, "a[rel=prev]", "href");
        let next = attrs(&page, "a[rel=next]", "href");
        match i.checked_sub(1) {
            Some(p) => assert!(prev.len() == 1 && links_to_event(&prev[0], CHRONOLOGICAL[p]), "{slug} prev {prev:?}"),
            None => assert!(prev.is_empty(), "{slug} has a previous link {prev:?}"),
        }
        match CHRONOLOGICAL.get(i + 1) {
            Some(n) => assert!(next.len() == 1 && links_to_event(&next[0], n), "{slug} next {next:?}"),
            None => assert!(next.is_empty(), "{slug} has a next link {next:?}"),
        }
    }
}

#[test]
fn unicode_titles_bom_and_crlf_are_rendered_intact() {
    let site = good_site();
    site.build_ok(&[]);
    let kr = event_page(&site, ROK_US);
    assert_eq!(texts(&kr, "h1"), ["한미 국방장관 회담"]);
    assert!(texts(&kr, "title")[0].starts_with("한미 국방장관 회담"));
    let raw = fs::read_to_string(site.public().join(format!("events/{ROK_US}/index.html"))).unwrap();
    assert!(raw.contains("한미 국방장관 회담"), "the Korean title is not written as UTF-8 text");
    let index = site.page("index.html");
    let titles = texts(&index, ".entry-title a");
    assert!(titles.contains(&"한미 국방장관 회담".into()) && titles.contains(&"日米安全保障協議委員会".into()));

    let jjoc = event_page(&site, MONTH_ONLY);
    assert_eq!(texts(&jjoc, "h1"), ["Japan launches the Joint Operations Command"]);
    assert_eq!(texts(&jjoc, ".summary"), ["The JSDF set up a permanent joint command."]);
    assert_eq!(texts(&jjoc, ".body p"), ["Line one.", "Line two."]);
    let raw = fs::read(site.public().join(format!("events/{MONTH_ONLY}/index.html"))).unwrap();
    assert!(!raw.windows(3).any(|w| w == b"\xEF\xBB\xBF"), "a BOM leaked into the page");
    assert!(!raw.contains(&b'\r'), "a carriage return leaked into the page");
}

#[test]
fn year_and_taxonomy_pages() {
    let site = good_site();
    site.build_ok(&[]);
    let y2024 = site.page("years/2024/index.html");
    assert_eq!(texts(&y2024, "h1"), ["2024"]);
    let links = attrs(&y2024, ".entry-title a", "href");
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links_to_event(&links[0], TWO_PLUS_TWO) && links_to_event(&links[1], ROK_US));

    for tax in ["kinds", "countries", "tracks", "participants", "tags"] {
        let page = site.page(&format!("{tax}/index.html"));
        assert!(page.select(&sel(".term-list li a")).next().is_some(), "{tax}/ lists no terms");
    }
    let kinds = texts(&site.page("kinds/index.html"), ".term-list a");
    assert_eq!(kinds, ["Meeting", "Statement", "Command change"]);
    let meeting = site.page("kinds/meeting/index.html");
    assert_eq!(texts(&meeting, "h1"), ["Meeting"]);
    assert_eq!(meeting.select(&sel(".entry-title a")).count(), 4);

    let countries = texts(&site.page("countries/index.html"), ".term-list a");
    assert_eq!(countries, ["Japan", "South Korea", "United States"]);
    let kr = site.page("countries/kr/index.html");
    assert_eq!(texts(&kr, "h1"), ["South Korea"]);
    let kr_links = attrs(&kr, ".entry-title a", "href");
    assert_eq!(kr_links.len(), 2);
    assert!(links_to_event(&kr_links[0], WASHINGTON) && links_to_event(&kr_links[1], ROK_US));

    let tracks = texts(&site.page("tracks/index.html"), ".term-list a");
    assert_eq!(tracks, ["US–Japan", "US–ROK"]);
    let us_japan = site.page("tracks/us-japan/index.html");
    assert_eq!(texts(&us_japan, "h1"), ["US–Japan"]);
    assert_eq!(us_japan.select(&sel(".entry-title a")).count(), 2);

    let tag = site.page("tags/extended-deterrence/index.html");
    assert_eq!(texts(&tag, "h1"), ["extended-deterrence"]);
    assert_eq!(tag.select(&sel(".entry-title a")).count(), 2);
}

#[test]
fn a_participant_written_two_ways_has_one_page() {
    let site = good_site();
    site.build_ok(&[]);
    let names = texts(&site.page("participants/index.html"), ".term-list a");
    assert_eq!(names, ["Lloyd Austin", "Minoru Kihara", "Shin Won-sik"]);
    let austin_pages: Vec<String> =
        entries(&site.public().join("participants")).into_iter().filter(|n| n.contains("austin")).collect();
    assert_eq!(austin_pages, ["lloyd-austin"]);
    let austin = site.page("participants/lloyd-austin/index.html");
    assert_eq!(texts(&austin, "h1"), ["Lloyd Austin"]);
    assert_eq!(texts(&austin, ".roles"), ["U.S. Secretary of Defense"]);
    let links = attrs(&austin, ".entry-title a", "href");
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links_to_event(&links[0], TWO_PLUS_TWO) && links_to_event(&links[1], ROK_US));
    // Both event pages link the same participant page.
    for slug in [TWO_PLUS_TWO, ROK_US] {
        let hrefs = attrs(&event_page(&site, slug), ".participants a", "href");
        assert!(hrefs.iter().any(|h| h.ends_with("/participants/lloyd-austin/")), "{slug}: {hrefs:?}");
    }
}

#[test]
fn drafts_only_with_the_drafts_flag() {
    let site = good_site();
    site.build_ok(&[]);
    let draft_page = site.public().join(format!("events/{DRAFT}/index.html"));
    assert!(!draft_page.exists(), "a draft was published without --drafts");
    let y2024 = attrs(&site.page("years/2024/index.html"), "a", "href");
    assert!(!y2024.iter().any(|h| links_to_event(h, DRAFT)), "years/2024 links the draft");
    site.build_ok(&["--drafts"]);
    assert!(draft_page.exists(), "--drafts did not publish the draft");
    let page = event_page(&site, DRAFT);
    assert_eq!(texts(&page, "h1"), ["Draft exercise"]);
    assert!(texts(&page, ".badge.draft").len() == 1, "the draft is not marked as one");
    assert!(attrs(&site.page("index.html"), "a", "href").iter().any(|h| links_to_event(h, DRAFT)));
}

#[test]
fn base_url_sub_path_prefixes_every_internal_link() {
    let site = good_site();
    site.build_ok(&["--base-url", "https://example.org/sub/"]);
    let files = snapshot(&site.public());
    let mut checked = 0;
    for (rel, bytes) in files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")) {
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        let links = attrs(&doc, "[href]", "href").into_iter().chain(attrs(&doc, "[src]", "src"));
        for link in links {
            checked += 1;
            let external = link.starts_with("https://") && !link.starts_with("https://example.org");
            let ok = link.starts_with('#') || external || link.starts_with("/sub/") || link.starts_with("https://example.org/sub/");
            assert!(ok, "{}: link {link:?} ignores the base URL's sub-path", rel.display());
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    let canonical = attrs(&event_page(&site, ROK_US), "link[rel=canonical]", "href");
    assert_eq!(canonical, [format!("https://example.org/sub/events/{ROK_US}/")]);
}

#[test]
fn a_folder_with_only_content_builds_with_the_built_in_theme() {
    let site = TestSite::bare();
    site.event("first.md", simple_event("Only content here", "2024-07-28"));
    let out = site.build_here(&[]);
    assert_success(&out);
    assert!(!site.path().join("themes").exists());
    assert_eq!(texts(&site.page("events/first/index.html"), "h1"), ["Only content here"]);
    assert!(site.public().join("assets/annals.css").is_file(), "the built-in stylesheet is missing");
    let index = site.page("index.html");
    assert!(attrs(&index, "a", "href").iter().any(|h| links_to_event(h, "first")));
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = good_site();
    site.write(
        "templates/event.html",
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ event.title }}</title></head>\n\
         <body><main><p id=\"custom-override\">Custom: {{ event.title }} ({{ event.date.machine }})</p></main></body></html>\n",
    );
    site.build_ok(&[]);
    let page = event_page(&site, ROK_US);
    assert_eq!(texts(&page, "#custom-override"), ["Custom: 한미 국방장관 회담 (2024-07-28T10:00:00+09:00)"]);
    assert!(page.select(&sel(".event-date")).next().is_none(), "the theme's event template was used");
    // Other templates still come from the theme.
    assert_eq!(site.page("index.html").select(&sel("section.year")).count(), 3);
}

#[test]
fn new_creates_an_event_that_builds_and_never_overwrites() {
    let site = TestSite::new();
    site.event("2024/seed.md", simple_event("Seed event", "2024-07-01"));
    let run = || {
        annals()
            .args(["new", "Trilateral Freedom Edge exercise", "--date", "2024-07-28", "--kind", "meeting", "--site"])
            .arg(site.path())
            .output()
            .expect("run annals new")
    };
    let out = run();
    assert_success(&out);
    let printed = stdout(&out).trim().to_string();
    assert!(printed.ends_with(".md"), "new printed {printed:?}");
    let path = std::path::PathBuf::from(&printed);
    assert!(path.is_file(), "{printed} does not exist");
    assert!(path.starts_with(site.path().join("content/events")), "{printed} is not under content/events");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("Trilateral Freedom Edge exercise") && text.contains("2024-07-28"), "{text}");

    site.build_ok(&[]);
    let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
    let page = event_page(&site, &slug);
    assert_eq!(texts(&page, "h1"), ["Trilateral Freedom Edge exercise"]);
    assert_eq!(attrs(&page, ".event-date time", "datetime"), ["2024-07-28"]);

    fs::write(&path, format!("{text}\nEdited by hand.\n")).unwrap();
    let again = run();
    assert_code(&again, 2);
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    assert!(fs::read_to_string(&path).unwrap().ends_with("Edited by hand.\n"), "new overwrote the file");
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_non_empty_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mysite");
    let out = annals().arg("init").arg(&dir).output().unwrap();
    assert_success(&out);
    assert!(dir.join("site.yaml").is_file() && dir.join("content/events").is_dir());
    let built = annals().arg("build").arg("--site").arg(&dir).output().unwrap();
    assert_success(&built);
    let index = read_html(&dir.join("public/index.html"));
    assert!(index.select(&sel(".entry-title a")).count() >= 1, "the example site has no event");

    let busy = tmp.path().join("busy");
    fs::create_dir_all(&busy).unwrap();
    fs::write(busy.join("notes.txt"), "keep me").unwrap();
    let refused = annals().arg("init").arg(&busy).output().unwrap();
    assert_code(&refused, 2);
    assert!(stderr(&refused).contains("not empty"), "{}", stderr(&refused));
    assert_eq!(entries(&busy), ["notes.txt"]);
    assert_eq!(fs::read_to_string(busy.join("notes.txt")).unwrap(), "keep me");
}

#[test]
fn check_passes_a_good_site_and_writes_nothing() {
    let site = good_site();
    let before = snapshot(site.path());
    let out = site.cmd().args(["check", "--site", "."]).output().unwrap();
    assert_success(&out);
    assert!(stderr(&out).contains("no problems"), "{}", stderr(&out));
    assert!(!site.public().exists(), "check wrote public/");
    assert_same_tree(&before, &snapshot(site.path()));
    assert_eq!(entries(site.path()), ["content", "site.yaml"]);
}
