//! The interface in the site's language: no English left in the default
//! theme's templates, every key translated, pages and dates in Japanese
//! and Korean, site overrides key by key with English as the fallback
//! (and `check` naming what is missing), and right-to-left languages.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const THEME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default");

fn templates() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in fs::read_dir(dir).expect("read the templates folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "html") {
                let text = fs::read_to_string(&path).expect("read a template");
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(THEME).join("templates"), &mut out);
    assert!(out.len() > 10, "the default theme's templates are found");
    out
}

/// `text` without the spans from `open` to `close`.
fn strip(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        rest = match rest[at + open.len()..].find(close) {
            Some(end) => &rest[at + open.len() + end + close.len()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// A template with its Tera comments, tags and expressions removed.
fn without_tera(text: &str) -> String {
    let text = strip(text, "{#", "#}");
    let text = strip(&text, "{%", "%}");
    strip(&text, "{{", "}}")
}

/// The keys a template passes to `t(key="…")`.
fn keys_used(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("t(key=\"") {
        rest = &rest[at + 7..];
        let end = rest.find('"').expect("a closing quote");
        keys.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    keys
}

/// The message keys of a Fluent file.
fn ftl_keys(lang: &str) -> BTreeSet<String> {
    let text = fs::read_to_string(Path::new(THEME).join(format!("i18n/{lang}.ftl")))
        .expect("read a built-in translation file");
    text.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[test]
fn templates_hold_no_literal_english() {
    let mut found = Vec::new();
    for (path, text) in templates() {
        let plain = without_tera(&text);
        // Attributes a reader sees or hears must come from translations.
        for attr in ["aria-label", "title", "alt", "placeholder"] {
            let mut rest = plain.as_str();
            let pattern = format!(" {attr}=\"");
            while let Some(at) = rest.find(&pattern) {
                rest = &rest[at + pattern.len()..];
                let end = rest.find('"').unwrap_or(rest.len());
                if rest[..end].chars().any(char::is_alphabetic) {
                    found.push(format!("{}: {attr}=\"{}\"", path.display(), &rest[..end]));
                }
            }
        }
        // Text between tags, leaving out code (file names and YAML are
        // not translated) and the doctype.
        let text = strip(&plain, "<code>", "</code>");
        let text = strip(&text, "<!", ">");
        let text = strip(&text, "<", ">");
        let text = strip(&text, "&", ";");
        for word in text.split_whitespace() {
            if word.chars().any(char::is_alphabetic) {
                found.push(format!("{}: `{word}`", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "literal interface text in templates:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_literal_text() {
    // The check above must catch what it is meant to.
    let bad = "<p>Hello {{ t(key=\"x\") }}</p><nav aria-label=\"Site\"></nav>";
    let plain = without_tera(bad);
    assert!(plain.contains("Hello"));
    assert!(plain.contains("aria-label=\"Site\""));
    let good = "<nav aria-label=\"{{ t(key=\"nav-site\") }}\"><code>site.yaml</code></nav>";
    assert_eq!(
        without_tera(good),
        "<nav aria-label=\"\"><code>site.yaml</code></nav>"
    );
}

#[test]
fn every_key_used_exists_in_english_and_japanese_and_korean_have_every_english_key() {
    let en = ftl_keys("en");
    let mut used = BTreeSet::new();
    for (path, text) in templates() {
        for key in keys_used(&text) {
            assert!(
                en.contains(&key),
                "{} uses `{key}`, not in en.ftl",
                path.display()
            );
            used.insert(key);
        }
    }
    assert!(used.len() > 80, "templates use {} keys", used.len());
    // Keys the code builds from values.
    let mut built: Vec<String> = Vec::new();
    for m in 1..=12 {
        built.push(format!("month-{m}"));
        built.push(format!("month-short-{m}"));
    }
    for k in [
        "meeting",
        "statement",
        "command-change",
        "agreement",
        "exercise",
    ] {
        built.push(format!("kind-{k}"));
    }
    for s in ["held", "announced", "planned", "cancelled"] {
        built.push(format!("status-{s}"));
    }
    for t in ["kinds", "countries", "tracks", "participants", "tags"] {
        built.push(format!("taxonomy-{t}"));
    }
    for r in [
        "references",
        "implements",
        "builds-on",
        "follows-up",
        "responds-to",
        "supersedes",
    ] {
        built.push(format!("relation-{r}"));
        built.push(format!("relation-{r}-inverse"));
    }
    for key in &built {
        assert!(en.contains(key), "`{key}` is missing from en.ftl");
    }
    for lang in ["ja", "ko"] {
        let keys = ftl_keys(lang);
        let missing: Vec<_> = en.difference(&keys).collect();
        assert!(missing.is_empty(), "{lang}.ftl lacks {missing:?}");
        let extra: Vec<_> = keys.difference(&en).collect();
        assert!(
            extra.is_empty(),
            "{lang}.ftl has keys English lacks: {extra:?}"
        );
    }
}

/// The keys the code passes as literals to `Locale::text` and
/// `Locale::format` (`l.text("nav-years")`, `locale.format("date-day", …)`).
fn keys_in_code() -> BTreeSet<String> {
    fn walk(dir: &Path, keys: &mut BTreeSet<String>) {
        for entry in fs::read_dir(dir).expect("read src") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, keys);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = fs::read_to_string(&path).expect("read a source file");
            for call in [".text(\"", ".format(\n", ".format(\""] {
                let mut rest = text.as_str();
                while let Some(at) = rest.find(call) {
                    rest = &rest[at + call.len()..];
                    let body = rest.trim_start().trim_start_matches('"');
                    let key: String = body
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                        .collect();
                    let closed = body[key.len()..].starts_with('"');
                    if key.contains('-') && closed {
                        keys.insert(key);
                    }
                }
            }
        }
    }
    let mut keys = BTreeSet::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut keys,
    );
    keys
}

#[test]
fn every_key_the_code_names_exists_in_english() {
    let en = ftl_keys("en");
    let keys = keys_in_code();
    assert!(
        keys.len() > 40,
        "found {} keys in the code: {keys:?}",
        keys.len()
    );
    for key in [
        "date-day",
        "date-range-days",
        "nav-years",
        "compare-gap",
        "axis-label",
    ] {
        assert!(keys.contains(key), "the scan finds `{key}`");
    }
    let missing: Vec<_> = keys.difference(&en).collect();
    assert!(
        missing.is_empty(),
        "keys used in src/ but not in en.ftl: {missing:?}"
    );
}

fn site_in(language_lines: &str) -> TestSite {
    let site = TestSite::new();
    let yaml = SITE_YAML.replace("language: en\n", language_lines);
    site.write("site.yaml", yaml);
    site.event("talk.md", simple_event("Talk", "2024-07-28"));
    site.event(
        "span.md",
        "---\ntitle: Span\ndate: 2024-06-30\nend_date: 2024-07-02\nkind: meeting\nsummary: A span.\nsources:\n  - {title: A source}\n---\n",
    );
    site.event(
        "since.md",
        "---\ntitle: Since\ndate: 2023-03\nend_date: ongoing\napproximate: true\nkind: statement\nstatus: announced\nsummary: An open span.\nsources:\n  - {title: A source}\n---\n",
    );
    site
}

fn nav(doc: &scraper::Html) -> Vec<String> {
    texts(doc, "header nav a")
}

fn dates(doc: &scraper::Html) -> Vec<String> {
    texts(doc, ".entry-date time")
}

#[test]
fn a_japanese_site_has_japanese_navigation_and_dates() {
    let site = site_in("language: ja\n");
    site.build_ok(&[]);
    let index = site.page("index.html");
    assert_eq!(attrs(&index, "html", "lang"), ["ja"]);
    assert_eq!(attrs(&index, "html", "dir"), ["ltr"]);
    let labels = nav(&index);
    for label in ["年表", "年別", "比較", "種類", "検索"] {
        assert!(labels.iter().any(|n| n == label), "{label} in {labels:?}");
    }
    assert_eq!(
        dates(&index),
        ["2023年3月頃以降", "2024年6月30日～7月2日", "2024年7月28日"]
    );
    assert_eq!(
        texts(&index, ".month h3"),
        ["2023年3月", "2024年6月", "2024年7月"]
    );
    assert!(texts(&index, ".badge.status").contains(&"発表済み".to_string()));
    // Built-in kinds with their default labels speak the language too.
    assert!(texts(&index, ".badge.kind").contains(&"会談".to_string()));
    assert!(texts(&index, ".badge.kind").contains(&"声明".to_string()));
    assert_eq!(texts(&index, ".skip"), ["本文へ移動"]);
    // The time axis: its box, its drawing's description and its ticks.
    assert_eq!(
        attrs(&index, ".axis-scroll", "aria-label"),
        ["Test Timeline：すべての出来事の時間軸"]
    );
    let desc = texts(&index, ".axis-svg desc").join("");
    assert!(desc.starts_with("2023年～2024年の出来事3件"), "{desc}");
    assert!(texts(&index, ".axis-svg text").iter().any(|t| t == "7月"));
    let filter = attrs(&index, "form.filter-form", "data-msg-searching");
    assert_eq!(filter, ["すべての出来事を検索しています…"]);
    let event = site.page("events/talk/index.html");
    assert_eq!(texts(&event, "time.dt-start"), ["2024年7月28日"]);
    assert_eq!(texts(&event, ".facts dt")[0], "種類");
    assert!(texts(&event, "#sources-h").contains(&"出典".to_string()));
    let years = site.page("years/index.html");
    assert_eq!(texts(&years, "h1"), ["年別"]);
    assert!(texts(&years, ".term-list .count").contains(&"2件".to_string()));
}

#[test]
fn a_korean_site_has_korean_navigation_and_dates() {
    let site = site_in("language: ko\n");
    site.build_ok(&[]);
    let index = site.page("index.html");
    assert_eq!(attrs(&index, "html", "lang"), ["ko"]);
    let labels = nav(&index);
    for label in ["연표", "연도별", "비교", "종류"] {
        assert!(labels.iter().any(|n| n == label), "{label} in {labels:?}");
    }
    assert_eq!(
        dates(&index),
        [
            "2023년 3월경부터",
            "2024년 6월 30일~7월 2일",
            "2024년 7월 28일"
        ]
    );
    assert!(texts(&index, ".badge.kind").contains(&"회담".to_string()));
    let not_found = site.page("404.html");
    assert_eq!(texts(&not_found, "h1"), ["페이지를 찾을 수 없습니다"]);
    let search = site.page("search/index.html");
    assert_eq!(
        attrs(&search, "form.search-form", "data-msg-found-other"),
        ["{n}건을 찾았습니다"]
    );
}

#[test]
fn english_stays_the_default() {
    let site = site_in("language: en\n");
    site.build_ok(&[]);
    let index = site.page("index.html");
    assert_eq!(attrs(&index, "html", "dir"), ["ltr"]);
    assert_eq!(
        dates(&index),
        [
            "since c. March 2023",
            "30 June – 2 July 2024",
            "28 July 2024"
        ]
    );
    assert!(nav(&index).contains(&"Timeline".to_string()));
}

#[test]
fn a_site_overrides_keys_and_falls_back_to_english_and_check_lists_what_is_missing() {
    let site = site_in("language: fr\n");
    site.write(
        "i18n/fr.ftl",
        "nav-timeline = Chronologie\nmonth-7 = juillet\ndate-day = { $day } { $month } { $year }\n",
    );
    site.build_ok(&[]);
    let index = site.page("index.html");
    assert_eq!(attrs(&index, "html", "lang"), ["fr"]);
    let labels = nav(&index);
    assert!(labels.contains(&"Chronologie".to_string()), "{labels:?}");
    // Not in fr.ftl: English.
    assert!(labels.contains(&"Years".to_string()), "{labels:?}");
    assert!(dates(&index).contains(&"28 juillet 2024".to_string()));
    let out = site.check_here();
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("fr.ftl") && err.contains("missing translation `nav-years`"),
        "{err}"
    );
    assert!(!err.contains("`nav-timeline`"), "{err}");

    // A built-in language overridden key by key.
    let site = site_in("language: ja\n");
    site.write("i18n/ja.ftl", "nav-timeline = 年譜\n");
    site.build_ok(&[]);
    let labels = nav(&site.page("index.html"));
    assert!(labels.contains(&"年譜".to_string()), "{labels:?}");
    assert!(labels.contains(&"年別".to_string()), "{labels:?}");
    let err = stderr(&site.check_here());
    assert!(!err.contains("missing translation"), "{err}");
}

#[test]
fn a_language_without_any_translation_is_one_warning() {
    let site = site_in("language: de\n");
    let out = site.check_here();
    assert_success(&out);
    let err = stderr(&out);
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(err.contains("i18n/de.ftl") && err.contains("`de`"), "{err}");
}

#[test]
fn a_changed_translation_file_rebuilds_every_page() {
    let site = site_in("language: en\n");
    site.build_ok(&[]);
    site.write(
        "i18n/en.ftl",
        "nav-timeline = Chronicle\nskip-link = Skip\n",
    );
    site.build_ok(&[]);
    for page in ["index.html", "events/talk/index.html", "years/index.html"] {
        let doc = site.page(page);
        assert!(nav(&doc).contains(&"Chronicle".to_string()), "{page}");
        assert_eq!(texts(&doc, ".skip"), ["Skip"], "{page}");
    }
}

#[test]
fn a_broken_translation_file_is_reported_at_its_line() {
    let site = site_in("language: en\n");
    site.write(
        "i18n/en.ftl",
        "nav-timeline = Chronicle\nthis is not fluent\n",
    );
    let out = site.build_here(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("i18n/en.ftl:2:"), "{err}");
}

#[test]
fn right_to_left_languages_and_the_dir_key() {
    let site = site_in("language: ar\n");
    site.build_ok(&[]);
    assert_eq!(attrs(&site.page("index.html"), "html", "dir"), ["rtl"]);
    assert_eq!(
        attrs(&site.page("embed/index.html"), "html", "dir"),
        ["rtl"]
    );

    let site = site_in("language: en\ndir: rtl\n");
    site.build_ok(&[]);
    assert_eq!(attrs(&site.page("index.html"), "html", "dir"), ["rtl"]);

    let site = site_in("language: en\ndir: sideways\n");
    let out = site.build_here(&[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown direction `sideways`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn counts_past_four_digits_are_grouped_as_the_language_groups_them() {
    // A site template that shows a large count and a year through `t`.
    let page = r#"<!doctype html><html lang="{{ site.language }}"><head><meta charset="utf-8"><title>x</title></head><body>
<p id="count">{{ t(key="event-count", count=123456) }}</p>
<p id="small">{{ t(key="event-count", count=2500) }}</p>
<p id="year">{{ t(key="year-data", year=2024) }}</p>
<p id="plain">{{ t(key="plain-count", count=123456) }}</p>
<p id="filter">{{ 123456 | grouped }} {{ 2024 | grouped }}</p>
</body></html>"#;
    for (lang, count) in [
        ("en", "123,456 events"),
        ("ja", "123,456件"),
        ("de", "123.456 Ereignisse"),
        ("fr", "123\u{202f}456 événements"),
    ] {
        let site = site_in(&format!("language: {lang}\n"));
        // Languages without a built-in file bring their own words (a
        // message English writes keeps English's grouping).
        let mut ftl = "plain-count = { NUMBER($count, useGrouping: \"false\") }\n".to_string();
        if let Some(words) = count.split_once(' ').map(|(_, w)| w)
            && (lang == "de" || lang == "fr")
        {
            ftl.push_str(&format!("event-count = {{ $count }} {words}\n"));
        }
        site.write(&format!("i18n/{lang}.ftl"), ftl);
        site.write("templates/404.html", page);
        site.build_ok(&[]);
        let doc = site.page("404.html");
        // The text as written (`texts` folds U+202F into a space).
        let shown: Vec<String> = doc
            .select(&sel("#count"))
            .map(|p| p.text().collect::<String>())
            .collect();
        assert_eq!(shown, [count], "{lang}");
        // The `grouped` filter writes a count as the messages do.
        let number = count.split([' ', '件']).next().unwrap_or("");
        let filtered: Vec<String> = doc
            .select(&sel("#filter"))
            .map(|p| p.text().collect::<String>())
            .collect();
        assert_eq!(filtered, [format!("{number} 2024")], "{lang}");
        assert!(texts(&doc, "#small")[0].contains("2500"), "{lang}");
        assert_eq!(texts(&doc, "#plain"), ["123456"], "{lang}");
        let year = texts(&doc, "#year");
        assert!(year[0].contains("2024"), "{lang}: {year:?}");
        assert!(!year[0].contains("2,024") && !year[0].contains("2.024"));
    }
}
