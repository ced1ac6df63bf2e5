//! Language editions (`languages:` in site.yaml): every edition under its
//! folder with hreflang alternates and a language switcher that round-trip,
//! per-language feeds, search indexes and term labels, translations
//! checked against their originals, `untranslated: show` and `hide`, and
//! a site without `languages:` left as it was.

mod common;

use common::editions_site::*;
use common::*;
use scraper::Html;
use serde_json::Value;
use std::collections::BTreeSet;

/// The output file of a site-relative URL under `/tl/`.
fn file_of(url: &str) -> String {
    let rel = url
        .strip_prefix("https://example.org/tl/")
        .or_else(|| url.strip_prefix("/tl/"))
        .unwrap_or_else(|| panic!("{url} is under the base"));
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The switcher's link to `lang` on `page`.
fn switch(page: &Html, lang: &str) -> String {
    let links = hrefs(page, &format!("nav.languages a[hreflang=\"{lang}\"]"));
    assert_eq!(links.len(), 1, "one switcher link to {lang}");
    links[0].clone()
}

fn hreflangs(page: &Html) -> Vec<(String, String)> {
    let s = sel("link[rel=alternate][hreflang]");
    page.select(&s)
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap_or("").to_string(),
                l.value().attr("href").unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn switcher_and_hreflang_round_trip_between_editions() {
    let site = site();
    site.build_ok(&[]);
    // en → ja → ko → en lands on the same event, each step by the switcher.
    let mut at = "events/two-plus-two/index.html".to_string();
    for (lang, folder) in [("ja", "ja/"), ("ko", "ko/"), ("en", "")] {
        let page = site.page(&at);
        at = file_of(&switch(&page, lang));
        assert_eq!(at, format!("{folder}events/two-plus-two/index.html"));
        let there = site.page(&at);
        assert_eq!(attrs(&there, "html", "lang"), [lang]);
        let current = attrs(&there, "nav.languages a[aria-current=page]", "hreflang");
        assert_eq!(current, [lang]);
        assert_eq!(
            attrs(&there, "nav.languages", "aria-label").len(),
            1,
            "the switcher is a named nav"
        );
        // Every page lists every edition that has it, itself included, and
        // x-default; each alternate lists the same set back.
        let alternates = hreflangs(&there);
        let langs: BTreeSet<&str> = alternates.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, BTreeSet::from(["en", "ja", "ko", "x-default"]));
        for (_, href) in &alternates {
            let back = hreflangs(&site.page(&file_of(href)));
            assert_eq!(back, alternates, "{href} lists the same alternates");
        }
    }
    // An event the Korean edition hides: no ko alternate, and the switcher
    // leads to the Korean home page.
    let other = site.page("ja/events/other/index.html");
    let langs: Vec<String> = hreflangs(&other).into_iter().map(|(l, _)| l).collect();
    assert_eq!(langs, ["en", "ja", "x-default"]);
    assert_eq!(switch(&other, "ko"), "/tl/ko/");
    assert!(!site.public().join("ko/events/other").exists());
    // The sitemaps carry the same alternates; robots.txt names them all.
    let sitemap = std::fs::read_to_string(site.public().join("ja/sitemap.xml")).expect("sitemap");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let doc = roxmltree_like_entries(&sitemap, "https://example.org/tl/ja/events/two-plus-two/");
    assert_eq!(
        doc,
        [
            ("en", "https://example.org/tl/events/two-plus-two/"),
            ("ja", "https://example.org/tl/ja/events/two-plus-two/"),
            ("ko", "https://example.org/tl/ko/events/two-plus-two/"),
            ("x-default", "https://example.org/tl/events/two-plus-two/"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // The root sitemap covers the whole site: every edition's pages, each
    // with the same alternates, and no page the edition leaves out.
    let root = std::fs::read_to_string(site.public().join("sitemap.xml")).expect("sitemap");
    for loc in [
        "https://example.org/tl/events/two-plus-two/",
        "https://example.org/tl/ja/events/two-plus-two/",
        "https://example.org/tl/ko/events/two-plus-two/",
    ] {
        assert_eq!(roxmltree_like_entries(&root, loc), doc, "{loc}");
    }
    assert_eq!(
        roxmltree_like_entries(&root, "https://example.org/tl/ja/events/other/").len(),
        3,
        "en, ja and x-default"
    );
    assert!(!root.contains("https://example.org/tl/ko/events/other/"));
    assert!(!root.contains("404.html"));
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).expect("robots");
    for map in ["", "ja/", "ko/"] {
        assert!(
            robots.contains(&format!(
                "Sitemap: https://example.org/tl/{map}sitemap.xml\n"
            )),
            "{robots}"
        );
    }
    assert!(!site.public().join("ja/robots.txt").exists());
    // Theme assets resolve in every edition.
    for page in ["ja/index.html", "ko/events/two-plus-two/index.html"] {
        for href in attrs(&site.page(page), "link[rel=stylesheet]", "href") {
            assert!(site.public().join(file_of(&href)).is_file(), "{href}");
        }
    }
}

/// The `xhtml:link` alternates of the sitemap entry whose `<loc>` is `loc`.
fn roxmltree_like_entries(xml: &str, loc: &str) -> Vec<(String, String)> {
    let doc = Html::parse_fragment(xml);
    let url = sel("url");
    let loc_sel = sel("loc");
    let link = sel("*");
    for entry in doc.select(&url) {
        let here = entry.select(&loc_sel).next().map(text_of);
        if here.as_deref() == Some(loc) {
            return entry
                .select(&link)
                .filter(|e| e.value().name().ends_with("link"))
                .map(|e| {
                    (
                        e.value().attr("hreflang").unwrap_or("").to_string(),
                        e.value().attr("href").unwrap_or("").to_string(),
                    )
                })
                .collect();
        }
    }
    panic!("no sitemap entry for {loc}");
}

#[test]
fn editions_have_their_own_texts_feeds_labels_and_notes() {
    let site = site();
    site.build_ok(&[]);
    // Translated: the translation's texts, and the credit (the edition's,
    // or the file's own `translator`).
    let ja = site.page("ja/events/two-plus-two/index.html");
    assert_eq!(texts(&ja, "h1"), ["東京での日米2+2"]);
    assert_eq!(
        texts(&ja, ".body p"),
        ["閣僚は東京で会談し、拡大抑止について協議した。"]
    );
    assert_eq!(
        texts(&ja, ".translation-note"),
        ["英語からの翻訳 — 英語版からの機械翻訳"]
    );
    let ko = site.page("ko/events/two-plus-two/index.html");
    assert_eq!(texts(&ko, "h1"), ["도쿄 미일 2+2 회의"]);
    assert_eq!(
        texts(&ko, ".translation-note"),
        ["영어에서 번역 — 번역자 김"]
    );
    // An empty translated body keeps the original's; its link to an event
    // this edition hides leads to the default language's page.
    assert_eq!(
        texts(&ko, ".body p"),
        ["The ministers met in Tokyo before the other meeting."]
    );
    assert_eq!(hrefs(&ko, ".body a"), ["/tl/events/other/"]);
    // Untranslated, shown: the default language's texts with their `lang`,
    // and the note.
    let other = site.page("ja/events/other/index.html");
    assert_eq!(attrs(&other, "h1", "lang"), ["en"]);
    assert_eq!(attrs(&other, ".p-summary", "lang"), ["en"]);
    assert_eq!(attrs(&other, ".body", "lang"), ["en"]);
    assert_eq!(
        hrefs(&other, ".body a"),
        ["/tl/ja/events/two-plus-two/"],
        "a site link of an untranslated body leads into the edition"
    );
    assert_eq!(
        texts(&other, ".translation-note"),
        ["日本語に翻訳されていないため、英語で表示しています。"]
    );
    let home = site.page("ja/index.html");
    assert_eq!(
        attrs(&home, "#other .entry-title", "lang"),
        ["en"],
        "list entries of untranslated events say their language"
    );
    assert!(attrs(&home, "#two-plus-two .entry-title", "lang").is_empty());
    // Hidden: not in the Korean lists, feeds, search or data.
    let ko_home = site.page("ko/index.html");
    assert!(
        texts(&ko_home, ".entry-title")
            .iter()
            .all(|t| !t.contains("Another"))
    );
    let ko_data: Value = serde_json::from_str(
        &std::fs::read_to_string(site.public().join("ko/events.json")).expect("data"),
    )
    .expect("json");
    let ko_feed = std::fs::read_to_string(site.public().join("ko/atom.xml")).expect("feed");
    assert!(!ko_feed.contains("Another meeting"));
    assert!(!ko_data.to_string().contains("Another meeting"));
    // Per-language feed titles.
    let ja_feed = std::fs::read_to_string(site.public().join("ja/atom.xml")).expect("feed");
    let feed = Html::parse_fragment(&ja_feed);
    let titles = texts(&feed, "title");
    assert_eq!(titles.first().map(String::as_str), Some("安全保障協議"));
    assert!(titles.iter().any(|t| t == "東京での日米2+2"), "{titles:?}");
    // Term labels per language, the default language's where one is missing.
    assert_eq!(
        texts(&site.page("ja/kinds/meeting/index.html"), "h1"),
        ["会議"]
    );
    assert_eq!(
        texts(&site.page("ko/kinds/meeting/index.html"), "h1"),
        ["회의"]
    );
    assert_eq!(
        texts(&site.page("kinds/meeting/index.html"), "h1"),
        ["Meeting"]
    );
    assert_eq!(
        texts(&site.page("ja/tracks/us-japan/index.html"), "h1"),
        ["日米"]
    );
    assert_eq!(
        texts(&site.page("ko/tracks/us-japan/index.html"), "h1"),
        ["US–Japan"]
    );
    // Relation labels per language, both ways.
    assert_eq!(
        texts(&site.page("ja/events/other/index.html"), ".relations h3"),
        ["歓迎する"]
    );
    assert_eq!(
        texts(
            &site.page("ja/events/two-plus-two/index.html"),
            ".relations h3"
        ),
        ["歓迎された"]
    );
    assert_eq!(
        texts(&site.page("events/other/index.html"), ".relations h3"),
        ["Welcomes"]
    );
    // Pages are translated the same way.
    assert_eq!(
        texts(&site.page("ja/about/index.html"), "h1"),
        ["このサイトについて"]
    );
    assert!(!site.public().join("ko/about").exists(), "hidden in ko");
    // An untranslated page's body links into the edition it is shown in.
    let method = site.page("ja/method/index.html");
    assert_eq!(attrs(&method, "h1", "lang"), ["en"]);
    assert_eq!(hrefs(&method, ".body a"), ["/tl/ja/events/two-plus-two/"]);
    assert_eq!(
        hrefs(&site.page("method/index.html"), ".body a"),
        ["/tl/events/two-plus-two/"]
    );
    // The default edition is the root, with no note.
    let en = site.page("events/two-plus-two/index.html");
    assert!(texts(&en, ".translation-note").is_empty());
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
}

#[test]
fn a_translation_that_changes_a_date_is_refused_where_it_is_written() {
    let site = site();
    site.event(
        "two-plus-two.ja.md",
        "---\ntitle: 東京での日米2+2\ndate: 2024-07-29\n---\n",
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    insta::assert_snapshot!("translation_changes_date", stderr(&out));
}

#[test]
fn a_translation_without_its_original_is_refused() {
    let site = site();
    site.event("lost.ja.md", "---\ntitle: 迷子\n---\n");
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("content/events/lost.ja.md:1:1: a translation into `ja` without its original"),
        "{err}"
    );
    // A language the site does not list leaves such a file an ordinary event.
    let plain = TestSite::new();
    plain.event("x.fr.md", simple_event("Ordinary", "2024-01-01"));
    plain.build_ok(&[]);
    assert!(
        plain.public().join("events/x-fr/index.html").is_file()
            || plain.public().join("events/x.fr/index.html").is_file()
    );
}

#[test]
fn a_translation_into_a_language_taken_out_of_languages_says_why_it_fails() {
    // Korean taken out of `languages:`: its translation is read as an event
    // of its own and fails as one; the first of its problems says why.
    let site = site();
    site.write(
        "site.yaml",
        SITE.replace("  ko:\n    name: 한국어\n    untranslated: hide\n", ""),
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    let note = "note: `two-plus-two.ko.md` is named as a translation of `two-plus-two.md` into `ko`, which `languages` in site.yaml does not list";
    assert_eq!(err.matches(note).count(), 1, "{err}");
    let first = err
        .split("\n\n")
        .find(|d| d.contains("two-plus-two.ko.md:"))
        .unwrap_or_default();
    assert!(first.contains(note), "on the problem printed first: {err}");
    // Listed again, it is a translation and the site builds.
    site.write("site.yaml", SITE);
    site.build_ok(&[]);
    // A file that builds as an event gets no note, whatever its name.
    let plain = TestSite::new();
    plain.event("x.md", simple_event("Ordinary", "2024-01-01"));
    plain.event("x.fr.md", simple_event("Also ordinary", "2024-01-02"));
    let built = plain.build_here(&[]);
    assert_success(&built);
    assert!(!stderr(&built).contains("note:"), "{}", stderr(&built));
}

#[test]
fn bad_languages_are_located_errors() {
    let site = site();
    site.write(
        "site.yaml",
        "title: T\nlanguages:\n  en: {name: English}\n  Japanese: {name: 日本語}\n  ko: {untranslated: other, colour: red}\n",
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:4:3: invalid language code `Japanese`"),
        "{err}"
    );
    assert!(
        err.contains("unknown `untranslated` value `other`"),
        "{err}"
    );
    assert!(
        err.contains("unknown key `colour` in `languages.ko`"),
        "{err}"
    );
}

#[test]
fn check_warns_of_an_edition_language_without_interface_words() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{}languages: [en, fr]\n", common::SITE_YAML),
    );
    site.event("a.md", simple_event("Only English", "2024-01-01"));
    let out = site.check_here();
    assert_success(&out);
    assert!(
        stderr(&out).contains("no translation of the interface into `fr`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_page_cannot_take_the_folder_of_an_edition() {
    let site = site();
    site.write("content/pages/ja.md", "---\ntitle: Japan\n---\nA page.\n");
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/pages/ja.md:1:1: the page slug `ja` is the folder of the `ja` edition"
        ),
        "{err}"
    );
}

#[test]
fn a_plain_list_of_languages_adds_the_default() {
    let site = site();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/tl/\nlanguage: en\nlanguages: [ja, ko]\ntracks: {us-japan: US–Japan}\nrelations: {welcomes: {label: Welcomes, inverse: Welcomed by}}\n",
    );
    site.build_ok(&[]);
    let page = site.page("ko/index.html");
    assert_eq!(
        texts(&page, "nav.languages a"),
        ["English", "日本語", "한국어"]
    );
    assert!(site.public().join("ja/events/other/index.html").is_file());
}

#[test]
fn a_list_of_language_settings_is_read_like_the_map() {
    let site = site();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/tl/\nlanguage: en\nlanguages:\n  - code: en\n  - {code: ja, name: にほんご, title: 日本語の年表}\n  - code: ko\n    untranslated: hide\ntracks: {us-japan: US–Japan}\nrelations: {welcomes: {label: Welcomes, inverse: Welcomed by}}\n",
    );
    site.build_ok(&[]);
    let page = site.page("ko/index.html");
    assert_eq!(
        texts(&page, "nav.languages a"),
        ["English", "にほんご", "한국어"]
    );
    assert_eq!(texts(&site.page("ja/index.html"), "h1"), ["日本語の年表"]);
    assert!(site.public().join("ja/events/other/index.html").is_file());
    assert!(!site.public().join("ko/events/other/index.html").exists());

    site.write(
        "site.yaml",
        "title: T\nlanguages:\n  - code: en\n  - {name: X}\n  - {code: ko, colour: red}\n",
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:4:5: a language in the list has no `code`"),
        "{err}"
    );
    assert!(
        err.contains("unknown key `colour` in `languages.2`"),
        "{err}"
    );
}

#[test]
fn check_reads_translations_and_every_edition() {
    let site = site();
    let out = site.check_here();
    assert_success(&out);
    site.event(
        "two-plus-two.ko.md",
        "---\ntitle: 도쿄\nkind: statement\n---\n",
    );
    let out = site.check_here();
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("a translation cannot change `kind`: the original (content/events/two-plus-two.md:4) says meeting"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rebuild_with_languages_is_the_same_as_a_clean_build() {
    let site = site();
    let build = |extra: &[&str]| {
        // A fixed DTSTAMP, so the calendars of two builds can be compared.
        let out = annals()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .arg("build")
            .arg("--site")
            .arg(site.path())
            .args(extra)
            .output()
            .expect("run annals");
        assert_success(&out);
    };
    build(&[]);
    // A change in one translation and one original.
    site.event("two-plus-two.ja.md", JA.replace("会談した。", "会った。"));
    site.event(
        "other.md",
        OTHER.replace("A second meeting.", "The second meeting."),
    );
    build(&[]);
    let rebuilt = snapshot_published(&site);
    build(&["--clean"]);
    let clean = snapshot_published(&site);
    assert_same_tree(&clean, &rebuilt);
    let ja = site.page("ja/events/two-plus-two/index.html");
    assert_eq!(texts(&ja, ".p-summary"), ["閣僚が東京で会った。"]);
}

#[test]
fn a_rebuild_reuses_every_editions_unchanged_pages() {
    let site = site();
    let reused = |out: &std::process::Output| -> (usize, usize) {
        let err = stderr(out);
        let line = err
            .lines()
            .find(|l| l.contains("pages reused from the previous build"))
            .unwrap_or_else(|| panic!("{err}"));
        let numbers: Vec<usize> = line
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        (numbers[0], numbers[1])
    };
    site.build_ok(&["--verbose"]);
    let page = site.public().join("ko/events/two-plus-two/index.html");
    let before = std::fs::read(&page).expect("ko page");
    // Nothing changed: every page of every edition is reused.
    let (kept, pages) = reused(&site.build_ok(&["--verbose"]));
    assert_eq!(kept, pages, "every page reused");
    assert!(pages > 30, "the editions' pages are counted: {pages}");
    // A Japanese translation changed: its pages are made again, the
    // Korean edition's are not.
    site.event("two-plus-two.ja.md", JA.replace("会談した。", "会った。"));
    let (kept, pages) = reused(&site.build_ok(&["--verbose"]));
    assert!(kept < pages && kept > pages / 2, "{kept} of {pages}");
    assert_eq!(std::fs::read(&page).expect("ko page"), before);
    let ja = site.page("ja/events/two-plus-two/index.html");
    assert_eq!(texts(&ja, ".p-summary"), ["閣僚が東京で会った。"]);
}

/// The published files of the output (not the build manifest).
fn snapshot_published(site: &TestSite) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    snapshot(&site.public())
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".annals-manifest"))
        .collect()
}

#[test]
fn a_site_without_languages_has_no_editions() {
    let site = TestSite::new();
    site.event("a.md", simple_event("Only English", "2024-01-01"));
    site.event("a.ja.md", simple_event("Also an event", "2024-01-02"));
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert!(hreflangs(&home).is_empty());
    assert!(attrs(&home, "nav.languages", "aria-label").is_empty());
    assert!(!site.public().join("ja").exists());
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).expect("sitemap");
    assert!(!sitemap.contains("xhtml"));
    // `a.ja.md` is an event of its own, as it always was.
    assert_eq!(texts(&home, ".entry-title").len(), 2);
}
