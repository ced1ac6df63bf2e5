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
#[rustfmt::skip]
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
    site.event(
        &format!("2025/{YEAR_ONLY}.md"),
        simple_event("Defence reform programme", "2025"),
    );
    // UTF-8 BOM and CRLF line endings; a month-precision date.
    let jjoc = "---\ntitle: Japan launches the Joint Operations Command\ndate: 2025-03\nkind: command-change\n\
                countries:\n  - JP\ntracks: [us-japan]\nsummary: The JSDF set up a permanent joint command.\n\
                sources:\n  - title: Ministry of Defense announcement\n    publisher: Japan Ministry of Defense\n\
                related:\n  - event: 2024-07-28-us-japan-2plus2\n    relation: follows-up\n---\nLine one.\n\nLine two.\n";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(jjoc.replace('\n', "\r\n").as_bytes());
    site.event(&format!("2025/{MONTH_ONLY}.md"), bytes);
    // Sorts before the month event by file name and by title; must come after it.
    site.event(
        &format!("2025/{DAY_IN_MARCH}.md"),
        simple_event("A day in early March", "2025-03-01"),
    );
    site.event(
        &format!("2024/{DRAFT}.md"),
        "---\ntitle: Draft exercise\ndate: 2024-08\nkind: meeting\nsummary: Not yet published.\ndraft: true\n---\n",
    );
    site
}

fn event_page(site: &TestSite, slug: &str) -> scraper::Html {
    site.page(&format!("events/{slug}/index.html"))
}

/// A good site, built with `extra` arguments.
fn built(extra: &[&str]) -> TestSite {
    let site = good_site();
    site.build_ok(extra);
    site
}

#[test]
fn index_groups_by_year_and_month_and_links_every_event() {
    let site = built(&[]);
    let index = site.page("index.html");
    let years = ["2023", "2024", "2025"];
    assert_eq!(texts(&index, "section.year > h2 > a"), years);
    assert_eq!(
        attrs(&index, "section.year", "id"),
        ["y2023", "y2024", "y2025"]
    );
    let months = texts(&index, "section.month h3");
    for m in ["April 2023", "July 2024", "March 2025"] {
        assert!(months.iter().any(|x| x == m), "no {m:?} in {months:?}");
    }
    let jump = hrefs(&index, "nav.year-jump a");
    assert_eq!(jump, ["#y2023", "#y2024", "#y2025"]);
    let all = hrefs(&index, "a");
    for slug in CHRONOLOGICAL {
        assert_links_to(&all, slug, true);
    }
    assert_links_to(&all, DRAFT, false);
    // In order: the month-precision event sorts before the day events of its month.
    assert_event_links(&hrefs(&index, ".entry-title a"), &CHRONOLOGICAL);
}

#[test]
fn event_dates_keep_their_precision() {
    let site = built(&[]);
    let cases = [
        (YEAR_ONLY, "2025", "2025"),
        (MONTH_ONLY, "2025-03", "March 2025"),
        (DAY_IN_MARCH, "2025-03-01", "1 March 2025"),
        (
            ROK_US,
            "2024-07-28T10:00:00+09:00",
            "28 July 2024, 10:00 UTC+09:00",
        ),
    ];
    for (slug, machine, shown) in cases {
        let page = event_page(&site, slug);
        assert_eq!(
            attrs(&page, ".event-date time", "datetime"),
            [machine],
            "{slug}"
        );
        assert_eq!(texts(&page, ".event-date time"), [shown], "{slug}");
    }
}

#[test]
fn event_page_shows_sources_quotes_relations_and_neighbours() {
    let site = built(&[]);
    let jp = event_page(&site, TWO_PLUS_TWO);
    assert_eq!(texts(&jp, "h1"), ["日米安全保障協議委員会"]);
    assert_eq!(jp.select(&sel("ol.sources > li")).count(), 3);
    let source_links = hrefs(&jp, "ol.sources > li a");
    assert_eq!(source_links[0], "https://www.defense.gov/News/");
    let quote = texts(&jp, ".quotes figcaption");
    assert_eq!(quote, ["— Minoru Kihara, source 2 (Report on the 2+2)"]);
    let quoted = texts(&jp, ".quotes blockquote");
    assert_eq!(quoted, ["A test quotation about the alliance."]);
    assert_eq!(texts(&jp, ".body strong"), ["2+2"]);

    // One relation declared in each of two files, shown on both ends.
    assert_eq!(
        texts(&jp, ".relations h3"),
        ["Referenced by", "Followed up by"]
    );
    assert_event_links(&hrefs(&jp, ".relations li a"), &[ROK_US, MONTH_ONLY]);
    let kr = event_page(&site, ROK_US);
    assert_eq!(texts(&kr, ".relations h3"), ["References"]);
    assert_event_links(&hrefs(&kr, ".relations li a"), &[TWO_PLUS_TWO]);
    let jjoc = event_page(&site, MONTH_ONLY);
    assert_eq!(texts(&jjoc, ".relations h3"), ["Follows up"]);

    // Previous / next follow the chronology; the ends have only one side.
    for (i, slug) in CHRONOLOGICAL.iter().enumerate() {
        let page = event_page(&site, slug);
        let prev: Vec<&str> = i
            .checked_sub(1)
            .map(|p| CHRONOLOGICAL[p])
            .into_iter()
            .collect();
        let next: Vec<&str> = CHRONOLOGICAL.get(i + 1).copied().into_iter().collect();
        assert_event_links(&hrefs(&page, "a[rel=prev]"), &prev);
        assert_event_links(&hrefs(&page, "a[rel=next]"), &next);
    }
}

#[test]
fn unicode_titles_bom_and_crlf_are_rendered_intact() {
    let site = built(&[]);
    let kr = event_page(&site, ROK_US);
    assert_eq!(texts(&kr, "h1"), ["한미 국방장관 회담"]);
    assert!(texts(&kr, "title")[0].starts_with("한미 국방장관 회담"));
    let path = site.public().join(format!("events/{ROK_US}/index.html"));
    let raw = fs::read_to_string(path).unwrap();
    assert!(
        raw.contains("<h1 class=\"p-name\">한미 국방장관 회담</h1>"),
        "not plain UTF-8"
    );
    let titles = texts(&site.page("index.html"), ".entry-title a");
    assert!(titles.contains(&"한미 국방장관 회담".into()), "{titles:?}");
    assert!(
        titles.contains(&"日米安全保障協議委員会".into()),
        "{titles:?}"
    );

    let jjoc = event_page(&site, MONTH_ONLY);
    let title = "Japan launches the Joint Operations Command";
    assert_eq!(texts(&jjoc, "h1"), [title]);
    let summary = "The JSDF set up a permanent joint command.";
    assert_eq!(texts(&jjoc, ".summary"), [summary]);
    assert_eq!(texts(&jjoc, ".body p"), ["Line one.", "Line two."]);
    let path = site
        .public()
        .join(format!("events/{MONTH_ONLY}/index.html"));
    let raw = fs::read(path).unwrap();
    assert!(
        !raw.windows(3).any(|w| w == b"\xEF\xBB\xBF"),
        "a BOM leaked"
    );
    assert!(!raw.contains(&b'\r'), "a carriage return leaked");
}

#[test]
fn year_and_taxonomy_pages() {
    let site = built(&[]);
    let y2024 = site.page("years/2024/index.html");
    assert_eq!(texts(&y2024, "h1"), ["2024"]);
    assert_event_links(&hrefs(&y2024, ".entry-title a"), &[TWO_PLUS_TWO, ROK_US]);

    let index_of = |tax: &str| texts(&site.page(&format!("{tax}/index.html")), ".term-list a");
    let term = |path: &str| site.page(&format!("{path}/index.html"));
    assert_eq!(
        index_of("kinds"),
        ["Meeting", "Statement", "Command change"]
    );
    let meeting = term("kinds/meeting");
    assert_eq!(texts(&meeting, "h1"), ["Meeting"]);
    let meetings = [TWO_PLUS_TWO, ROK_US, YEAR_ONLY, DAY_IN_MARCH];
    assert_event_links(&hrefs(&meeting, ".entry-title a"), &meetings);

    assert_eq!(
        index_of("countries"),
        ["Japan", "South Korea", "United States"]
    );
    let kr = term("countries/kr");
    assert_eq!(texts(&kr, "h1"), ["South Korea"]);
    assert_event_links(&hrefs(&kr, ".entry-title a"), &[WASHINGTON, ROK_US]);

    assert_eq!(index_of("tracks"), ["US–Japan", "US–ROK"]);
    let us_japan = term("tracks/us-japan");
    assert_eq!(texts(&us_japan, "h1"), ["US–Japan"]);
    let japan_track = [TWO_PLUS_TWO, MONTH_ONLY];
    assert_event_links(&hrefs(&us_japan, ".entry-title a"), &japan_track);

    // Tags written as slugs read as words; a one-word acronym needs a
    // label in site.yaml (this site gives none).
    let tags = ["Command structure", "Extended deterrence", "Ncg"];
    assert_eq!(index_of("tags"), tags);
    let tag = term("tags/extended-deterrence");
    assert_eq!(texts(&tag, "h1"), ["Extended deterrence"]);
    let tagged = [WASHINGTON, TWO_PLUS_TWO];
    assert_event_links(&hrefs(&tag, ".entry-title a"), &tagged);
}

#[test]
fn a_participant_written_two_ways_has_one_page() {
    let site = built(&[]);
    let names = texts(&site.page("participants/index.html"), ".term-list a");
    assert_eq!(names, ["Lloyd Austin", "Minoru Kihara", "Shin Won-sik"]);
    let pages = entries(&site.public().join("participants"));
    let austin_pages: Vec<&String> = pages.iter().filter(|n| n.contains("austin")).collect();
    assert_eq!(austin_pages, ["lloyd-austin"]);
    let austin = site.page("participants/lloyd-austin/index.html");
    assert_eq!(texts(&austin, "h1"), ["Lloyd Austin"]);
    assert_eq!(texts(&austin, ".roles"), ["U.S. Secretary of Defense"]);
    assert_event_links(&hrefs(&austin, ".entry-title a"), &[TWO_PLUS_TWO, ROK_US]);
    // Both event pages link the same participant page.
    for slug in [TWO_PLUS_TWO, ROK_US] {
        let links = hrefs(&event_page(&site, slug), ".participants a");
        assert_eq!(links[0], "/participants/lloyd-austin/", "{slug}");
    }
}

#[test]
fn drafts_only_with_the_drafts_flag() {
    let site = built(&[]);
    let draft_page = site.public().join(format!("events/{DRAFT}/index.html"));
    assert!(
        !draft_page.exists(),
        "a draft was published without --drafts"
    );
    assert_links_to(
        &hrefs(&site.page("years/2024/index.html"), "a"),
        DRAFT,
        false,
    );
    site.build_ok(&["--drafts"]);
    assert!(draft_page.exists(), "--drafts did not publish the draft");
    let page = event_page(&site, DRAFT);
    assert_eq!(texts(&page, "h1"), ["Draft exercise"]);
    assert_eq!(texts(&page, ".badge.draft"), ["Draft"]);
    assert_links_to(&hrefs(&site.page("index.html"), "a"), DRAFT, true);
}

#[test]
fn base_url_sub_path_prefixes_every_internal_link() {
    let site = built(&["--base-url", "https://example.org/sub/"]);
    let mut checked = 0;
    for (rel, bytes) in snapshot(&site.public()) {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for link in hrefs(&doc, "[href]")
            .into_iter()
            .chain(attrs(&doc, "[src]", "src"))
        {
            checked += 1;
            let external = link.starts_with("https://") && !link.starts_with("https://example.org");
            let ok = link.starts_with('#')
                || external
                || link.starts_with("/sub/")
                || link.starts_with("https://example.org/sub/");
            assert!(ok, "{}: {link:?} ignores the sub-path", rel.display());
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    let canonical = attrs(&event_page(&site, ROK_US), "link[rel=canonical]", "href");
    assert_eq!(
        canonical,
        [format!("https://example.org/sub/events/{ROK_US}/")]
    );
}

#[test]
fn a_folder_with_only_content_builds_with_the_built_in_theme() {
    let site = TestSite::bare();
    site.event("first.md", simple_event("Only content here", "2024-07-28"));
    assert_success(&site.build_here(&[]));
    assert_eq!(entries(site.path()), ["content", "public"]);
    let page = site.page("events/first/index.html");
    assert_eq!(texts(&page, "h1"), ["Only content here"]);
    assert!(
        site.public().join("assets/annals.css").is_file(),
        "no stylesheet"
    );
    assert_event_links(
        &hrefs(&site.page("index.html"), ".entry-title a"),
        &["first"],
    );
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = good_site();
    site.write(
        "templates/event.html",
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ event.title }}</title></head>\n\
         <body><main><p id=\"custom\">Custom: {{ event.title }} ({{ event.date.machine }})</p></main></body></html>\n",
    );
    site.build_ok(&[]);
    let page = event_page(&site, ROK_US);
    let custom = "Custom: 한미 국방장관 회담 (2024-07-28T10:00:00+09:00)";
    assert_eq!(texts(&page, "#custom"), [custom]);
    assert!(
        page.select(&sel(".event-date")).next().is_none(),
        "theme template used"
    );
    // Other templates still come from the theme.
    assert_eq!(
        texts(&site.page("index.html"), "section.year > h2 > a").len(),
        3
    );
}

/// `annals new <args…> --site <site>`.
fn new_event(site: &TestSite, args: &[&str]) -> std::process::Output {
    let mut cmd = annals();
    cmd.arg("new").args(args).arg("--site").arg(site.path());
    cmd.output().expect("run annals new")
}

#[test]
fn new_creates_a_draft_event_that_builds_and_never_overwrites() {
    let site = TestSite::new();
    site.event("2024/seed.md", simple_event("Seed event", "2024-07-01"));
    let title = "Trilateral Freedom Edge exercise";
    let args = [title, "--date", "2024-07-28", "--kind", "meeting"];
    let out = new_event(&site, &args);
    assert_success(&out);
    let path = std::path::PathBuf::from(stdout(&out).trim());
    assert!(path.is_file(), "{} does not exist", path.display());
    assert_eq!(path.extension().unwrap(), "md");
    assert!(
        path.starts_with(site.path().join("content/events")),
        "{}",
        path.display()
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(title) && text.contains("2024-07-28"),
        "{text}"
    );

    // A new event is a draft: built with --drafts until it is written.
    site.build_ok(&["--drafts"]);
    let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
    let page = event_page(&site, &slug);
    assert_eq!(texts(&page, "h1"), [title]);
    assert_eq!(attrs(&page, ".event-date time", "datetime"), ["2024-07-28"]);

    // A Korean title and a month-precision date.
    let korean = new_event(&site, &["한미 국방장관 회담", "--date", "2025-03"]);
    assert_success(&korean);
    let korean_path = std::path::PathBuf::from(stdout(&korean).trim());
    let korean_slug = korean_path
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        korean_slug.starts_with("2025-03-") && korean_slug.is_ascii(),
        "{korean_slug}"
    );
    site.build_ok(&["--drafts"]);
    let page = event_page(&site, &korean_slug);
    assert_eq!(texts(&page, "h1"), ["한미 국방장관 회담"]);
    assert_eq!(attrs(&page, ".event-date time", "datetime"), ["2025-03"]);

    let edited = format!("{text}\nEdited by hand.\n");
    fs::write(&path, &edited).unwrap();
    let again = new_event(&site, &args);
    assert_code(&again, 2);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        edited,
        "new overwrote the file"
    );
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_non_empty_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mysite");
    assert_success(&annals().arg("init").arg(&dir).output().unwrap());
    assert!(dir.join("site.yaml").is_file() && dir.join("content/events").is_dir());
    let built = annals().arg("build").arg("--site").arg(&dir).output();
    assert_success(&built.unwrap());
    let index = read_html(&dir.join("public/index.html"));
    assert!(
        index.select(&sel(".entry-title a")).count() >= 1,
        "no example event"
    );

    let busy = tmp.path().join("busy");
    fs::create_dir_all(&busy).unwrap();
    fs::write(busy.join("notes.txt"), "keep me").unwrap();
    let refused = annals().arg("init").arg(&busy).output().unwrap();
    assert_code(&refused, 2);
    assert!(
        stderr(&refused).contains("not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(entries(&busy), ["notes.txt"]);
    assert_eq!(
        fs::read_to_string(busy.join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn check_passes_a_good_site_and_writes_nothing() {
    let site = good_site();
    let before = snapshot(site.path());
    let out = site.check_here();
    assert_success(&out);
    assert!(stderr(&out).contains("no problems"), "{}", stderr(&out));
    assert!(!site.public().exists(), "check wrote public/");
    assert_same_tree(&before, &snapshot(site.path()));
    assert_eq!(entries(site.path()), ["content", "site.yaml"]);
}

/// The stylesheet and scripts pages load, by their published names.
fn loaded_assets(site: &TestSite) -> Vec<String> {
    let mut found = attrs(&site.page("index.html"), "link[rel=stylesheet]", "href");
    found.extend(attrs(&site.page("index.html"), "script[src]", "src"));
    found.extend(attrs(&site.page("search/index.html"), "script[src]", "src"));
    found.sort();
    found.dedup();
    found
}

#[test]
fn theme_assets_are_linked_by_names_that_follow_their_content() {
    let site = TestSite::new();
    site.event("a.md", simple_event("A", "2024-01-01"));
    site.build_ok(&[]);
    let first = loaded_assets(&site);
    assert_eq!(first.len(), 4, "{first:?}");
    for url in &first {
        let rel = url.trim_start_matches('/');
        // `assets/<stem>.<8 hex>.<ext>`, the same bytes as `assets/<stem>.<ext>`.
        let (head, ext) = rel.rsplit_once('.').expect("an extension");
        let (stem, hash) = head.rsplit_once('.').expect("a hash");
        assert!(
            hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{url}"
        );
        let published = fs::read(site.public().join(rel)).expect("published");
        let plain = fs::read(site.public().join(format!("{stem}.{ext}"))).expect("plain");
        assert_eq!(published, plain, "{url}");
    }
    // Same content, same names, in a clean build too.
    site.build_ok(&["--clean"]);
    assert_eq!(loaded_assets(&site), first);
    // A changed stylesheet gets a new name, and every page follows.
    site.write("static/assets/annals.css", "body{color:red}");
    site.build_ok(&[]);
    let after = loaded_assets(&site);
    let css: Vec<_> = after.iter().filter(|u| u.ends_with(".css")).collect();
    assert_eq!(css.len(), 1);
    assert!(!first.contains(css[0]), "{css:?}");
    assert_eq!(
        fs::read_to_string(site.public().join(css[0].trim_start_matches('/'))).expect("css"),
        "body{color:red}"
    );
    let event_css = attrs(
        &site.page("events/a/index.html"),
        "link[rel=stylesheet]",
        "href",
    );
    assert_eq!(event_css, [css[0].clone()]);
}
