//! Builds the repository's own example site (the July 2024 US–Japan and US–ROK
//! security talks in `content/`) and checks what the build renders for each event.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};

/// What the build must render for one event of the example site.
struct Expected {
    /// File stem of the event, and so its URL segment under `events/`.
    slug: &'static str,
    /// A distinctive word of the title that the page's `h1` must contain.
    title_word: &'static str,
    /// Expected `datetime` attribute of `.event-date time`.
    datetime: &'static str,
    /// Expected text of `.event-date time`.
    display: &'static str,
    /// Number of sources in the event's front matter.
    min_sources: usize,
}

const EVENTS: &[Expected] = &[
    Expected {
        slug: "2023-04-26-washington-declaration",
        title_word: "Washington Declaration",
        datetime: "2023-04-26",
        display: "26 April 2023",
        min_sources: 2,
    },
    Expected {
        slug: "2024-07-11-nuclear-deterrence-guidelines",
        title_word: "guidelines",
        datetime: "2024-07-11",
        display: "11 July 2024",
        min_sources: 3,
    },
    Expected {
        slug: "2024-07-16-narang-ncg-remarks",
        title_word: "Narang",
        datetime: "2024-07-16",
        display: "16 July 2024",
        min_sources: 2,
    },
    Expected {
        slug: "2024-07-28-kamikawa-extended-deterrence-remarks",
        title_word: "Kamikawa",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 1,
    },
    Expected {
        slug: "2024-07-28-us-japan-2plus2",
        title_word: "Security Consultative Committee",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 4,
    },
    Expected {
        slug: "2024-07-28-us-japan-extended-deterrence-ministerial",
        title_word: "extended deterrence",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 3,
    },
    Expected {
        slug: "2024-07-28-us-japan-joint-statement-china",
        title_word: "China",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 4,
    },
    Expected {
        slug: "2024-07-28-usfj-joint-force-command",
        title_word: "joint force command",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 3,
    },
    Expected {
        slug: "2024-07-28-austin-kihara-joint-statement",
        title_word: "Kihara",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 2,
    },
    Expected {
        slug: "2024-07-28-rok-us-defense-ministerial",
        title_word: "Shin Won-sik",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 3,
    },
    Expected {
        slug: "2024-07-28-rok-us-trash-balloons-statement",
        title_word: "balloons",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 2,
    },
    Expected {
        slug: "2024-07-28-rok-us-north-korea-russia-arms-statement",
        title_word: "Russia",
        datetime: "2024-07-28",
        display: "28 July 2024",
        min_sources: 2,
    },
    Expected {
        slug: "2025-03-jsdf-joint-operations-command",
        title_word: "Joint Operations Command",
        datetime: "2025-03",
        display: "March 2025",
        min_sources: 4,
    },
];

/// The event whose page must show the status "Planned".
const PLANNED_EVENT: &str = "2025-03-jsdf-joint-operations-command";

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("invalid CSS selector {css:?}: {e:?}"))
}

/// Text content of an element with runs of whitespace collapsed to one space.
fn text_of(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn read_page(path: &Path) -> Result<Html, String> {
    fs::read_to_string(path)
        .map(|s| Html::parse_document(&s))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Slugs (file stems) of every `.md` file under `dir`, at any depth.
fn event_files(dir: &Path, found: &mut Vec<String>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot read an entry of {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            event_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_else(|| panic!("non UTF-8 file name: {}", path.display()));
            // `<stem>.ja.md` and `<stem>.ko.md` translate `<stem>.md`.
            if !EDITIONS
                .iter()
                .any(|lang| stem.ends_with(&format!(".{lang}")))
            {
                found.push(stem.to_owned());
            }
        }
    }
}

/// A problem when the `h1` of `page` has no letter of the edition's script.
fn untranslated_title(page: &Html, rel: &str, in_script: &dyn Fn(char) -> bool) -> Option<String> {
    let title = page
        .select(&selector("h1"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    (!title.chars().any(in_script)).then(|| format!("{rel}: title not translated: {title}"))
}

/// The languages of the site's other editions (`languages:` in site.yaml).
const EDITIONS: [&str; 2] = ["ja", "ko"];

/// Builds the site into a fresh temporary folder and returns the folder (kept
/// alive by the caller) and the output root inside it.
fn build_own_site() -> (tempfile::TempDir, PathBuf) {
    let site = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("cannot create a temporary directory");
    let out = tmp.path().join("public");
    Command::cargo_bin("annals")
        .expect("the `annals` binary should be built by cargo for integration tests")
        .arg("build")
        .arg("--site")
        .arg(site)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    (tmp, out)
}

/// Checks one event page; returns a description of every problem found.
fn check_event_page(out: &Path, ev: &Expected) -> Vec<String> {
    let mut problems = Vec::new();
    let path = out.join("events").join(ev.slug).join("index.html");
    let doc = match read_page(&path) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("{}: event page missing: {e}", ev.slug)],
    };

    // Title (any h1, in case a theme also uses one for the site name).
    let headings: Vec<String> = doc.select(&selector("h1")).map(text_of).collect();
    let word = ev.title_word.to_lowercase();
    if !headings.iter().any(|h| h.to_lowercase().contains(&word)) {
        problems.push(format!(
            "{}: no h1 contains {:?} (found {headings:?})",
            ev.slug, ev.title_word
        ));
    }

    // Date, at its precision.
    match doc.select(&selector(".event-date time")).next() {
        Some(time) => {
            match time.value().attr("datetime") {
                Some(dt) if dt == ev.datetime => {}
                Some(dt) => problems.push(format!(
                    "{}: .event-date time has datetime={dt:?}, expected {:?}",
                    ev.slug, ev.datetime
                )),
                None => problems.push(format!(
                    "{}: .event-date time has no datetime attribute",
                    ev.slug
                )),
            }
            let shown = text_of(time);
            if shown != ev.display {
                problems.push(format!(
                    "{}: .event-date time shows {shown:?}, expected {:?}",
                    ev.slug, ev.display
                ));
            }
        }
        None => problems.push(format!("{}: no `.event-date time` element", ev.slug)),
    }

    // Sources.
    let sources = doc.select(&selector("ol.sources > li")).count();
    if sources < ev.min_sources {
        problems.push(format!(
            "{}: {sources} item(s) in `ol.sources`, expected at least {}",
            ev.slug, ev.min_sources
        ));
    }

    problems
}

/// Whether `href` links to the event page of `slug` (absolute, root-relative or
/// relative to the site root).
fn links_to_event(href: &str, slug: &str) -> bool {
    let href = href.split(['#', '?']).next().unwrap_or(href);
    let tail = format!("events/{slug}/");
    href.ends_with(&format!("/{tail}")) || href == tail
}

#[test]
fn own_site_renders_every_event() {
    // The table above must cover exactly the events in content/.
    let mut on_disk = Vec::new();
    event_files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .join("events"),
        &mut on_disk,
    );
    on_disk.sort();
    let mut in_table: Vec<String> = EVENTS.iter().map(|e| e.slug.to_owned()).collect();
    in_table.sort();
    assert_eq!(
        on_disk, in_table,
        "the EVENTS table in tests/own_site.rs must list every file in content/events"
    );

    let (_tmp, out) = build_own_site();
    let mut problems = Vec::new();

    for ev in EVENTS {
        problems.extend(check_event_page(&out, ev));
    }

    // The timeline lists every event.
    match read_page(&out.join("index.html")) {
        Ok(index) => {
            let hrefs: Vec<&str> = index
                .select(&selector("a[href]"))
                .filter_map(|a| a.value().attr("href"))
                .collect();
            for ev in EVENTS {
                if !hrefs.iter().any(|h| links_to_event(h, ev.slug)) {
                    problems.push(format!(
                        "index.html: no link ending in /events/{}/",
                        ev.slug
                    ));
                }
            }
        }
        Err(e) => problems.push(format!("timeline missing: {e}")),
    }

    // The planned JJOC event says so.
    let planned = out.join("events").join(PLANNED_EVENT).join("index.html");
    match read_page(&planned) {
        Ok(doc) => {
            let statuses: Vec<String> = doc
                .select(&selector(".event-status"))
                .map(text_of)
                .collect();
            if !statuses.iter().any(|s| s.contains("Planned")) {
                problems.push(format!(
                    "{PLANNED_EVENT}: no `.event-status` element shows \"Planned\" (found {statuses:?})"
                ));
            }
        }
        Err(e) => problems.push(format!("{PLANNED_EVENT}: event page missing: {e}")),
    }

    assert!(
        problems.is_empty(),
        "{} problem(s) in the built example site:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The Japanese and Korean editions: every event and page is translated
/// (its title in that language's script, the page in that language, the
/// translation credited), names of people keep their own script, and the
/// switcher leads between the three editions of the same event.
#[test]
fn own_site_japanese_and_korean_editions_translate_every_event() {
    let (_tmp, out) = build_own_site();
    // Kana or kanji for Japanese, hangul for Korean.
    let script = |lang: &str| -> fn(char) -> bool {
        match lang {
            "ja" => {
                |c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
            }
            _ => |c| ('\u{ac00}'..='\u{d7a3}').contains(&c),
        }
    };
    let mut problems = Vec::new();
    for lang in EDITIONS {
        for ev in EVENTS {
            let rel = format!("{lang}/events/{}/index.html", ev.slug);
            let page = match read_page(&out.join(&rel)) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let html_lang = page
                .select(&selector("html"))
                .next()
                .and_then(|h| h.value().attr("lang"))
                .unwrap_or_default()
                .to_owned();
            if html_lang != lang {
                problems.push(format!("{rel}: <html lang=\"{html_lang}\">"));
            }
            problems.extend(untranslated_title(&page, &rel, &script(lang)));
            let credit = if lang == "ja" {
                "機械翻訳"
            } else {
                "기계 번역"
            };
            if !page
                .select(&selector(".translation-note"))
                .any(|n| text_of(n).contains(credit))
            {
                problems.push(format!("{rel}: no translation note crediting {credit}"));
            }
            if page
                .select(&selector("[lang=\"en\"] h1, h1[lang=\"en\"]"))
                .next()
                .is_some()
            {
                problems.push(format!("{rel}: title marked as English"));
            }
            let hreflangs: Vec<&str> = page
                .select(&selector("link[rel=alternate][hreflang]"))
                .filter_map(|l| l.value().attr("hreflang"))
                .collect();
            for want in ["en", "ja", "ko", "x-default"] {
                if !hreflangs.contains(&want) {
                    problems.push(format!("{rel}: no hreflang {want}"));
                }
            }
            let switcher: Vec<String> = page
                .select(&selector("a[hreflang]"))
                .filter_map(|a| a.value().attr("href").map(str::to_owned))
                .collect();
            for other in ["ja", "ko"] {
                let tail = format!("/{other}/events/{}/", ev.slug);
                if !switcher.iter().any(|h| h.ends_with(&tail)) {
                    problems.push(format!("{rel}: switcher has no link to {tail}"));
                }
            }
            if !switcher.iter().any(|h| {
                h.ends_with(&format!("/events/{}/", ev.slug))
                    && !h.contains("/ja/")
                    && !h.contains("/ko/")
            }) {
                problems.push(format!("{rel}: switcher has no link to the English page"));
            }
        }
        for page in ["about", "method"] {
            let rel = format!("{lang}/{page}/index.html");
            match read_page(&out.join(&rel)) {
                Ok(p) => problems.extend(untranslated_title(&p, &rel, &script(lang))),
                Err(e) => problems.push(e),
            }
        }
    }
    // People named in their own script: the Korean edition puts 윤석열 first.
    let yoon = EVENTS
        .iter()
        .filter_map(|ev| read_page(&out.join(format!("ko/events/{}/index.html", ev.slug))).ok())
        .any(|p| {
            p.select(&selector("[lang=ko]"))
                .chain(p.select(&selector("main")))
                .any(|el| text_of(el).contains("윤석열"))
        });
    if !yoon {
        problems.push("no Korean event page names 윤석열".into());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
