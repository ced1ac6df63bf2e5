//! Citations of events: the JSON-LD of every event page, the "Cite this
//! event" section and the citation files (`events/<slug>/cite.json`,
//! `cite.bib`, `cite.ris`, the site-wide `citations.json` and
//! `citations.bib`), built from events with hostile values (TeX and HTML
//! specials, `</script>`, non-ASCII, every date precision, spans, no
//! location, no participants) and read back by the tools that consume
//! them: pyld, bibtexparser, rispy and jsonschema with the CSL-JSON schema
//! (see `tests/citation_check.py`). Needs `python3` with those packages;
//! `scripts/test` installs them, and the test fails when they are missing.

mod common;

use common::{TestSite, attrs, read_html, sel, text_of};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

const SITE_YAML: &str = r#"title: "Annals & {Co} <Test> 100%"
language: en
base_url: https://example.org/t/
kinds:
  meeting: {label: Meeting}
tracks:
  us-japan: {label: US–Japan}
  us-rok: {label: "US–ROK & co"}
countries:
  KR: {label: South Korea}
  JP: {label: Japan}
tags:
  north-korea: {label: "North Korea & <friends>"}
  alliance: {label: "日米 alliance"}
"#;

const HOSTILE_TITLE: &str = r#"Talks on {braces} & 100% $cost #1 under_score ~tilde ^caret \back "quoted" 'single' </script><!--"#;

/// The events, in the site's (oldest-first) order: their files and what
/// every citation must say of them.
fn events() -> Vec<(&'static str, String, Value)> {
    vec![
        (
            "a-year",
            "---\ntitle: Only the year is known\ndate: 2019\napproximate: true\nstatus: planned\nkind: meeting\nsummary: A plan.\nsources:\n  - {title: Notes}\n---\n".into(),
            json!({"slug": "a-year", "title": "Only the year is known", "summary": "A plan.",
                   "start": "2019", "end": null, "approximate": true, "status": "planned",
                   "location": null, "participants": [], "tags": [], "tracks": [],
                   "sources": [{"title": "Notes", "publisher": null, "url": null, "date": null, "archive_url": null}]}),
        ),
        (
            "months",
            "---\ntitle: \"Months: March–May\"\ndate: 2023-03\nend_date: 2023-05\nstatus: cancelled\nkind: meeting\ntracks: [us-rok]\nsummary: Called off.\nsources:\n  - {title: Report, publisher: \"Press & Co\", date: 2023-06}\n---\n".into(),
            json!({"slug": "months", "title": "Months: March–May", "summary": "Called off.",
                   "start": "2023-03", "end": "2023-05", "approximate": false, "status": "cancelled",
                   "location": null, "participants": [], "tags": [], "tracks": ["US–ROK & co"],
                   "sources": [{"title": "Report", "publisher": "Press & Co", "url": null, "date": "2023-06", "archive_url": null}]}),
        ),
        (
            "hostile",
            format!(
                "---\ntitle: '{}'\ndate: 2024-07-28\nend_date: 2024-07-29\nkind: meeting\nlocation: \"Seoul & <Tokyo> {{x}}\"\ncountries: [KR, JP]\nparticipants:\n  - {{name: 윤석열, role: \"President & {{head}}\", country: KR}}\n  - 日米 Person\ntracks: [us-japan, us-rok]\ntags: [north-korea, alliance]\nsummary: \"Line one with }}{{ and %\\nline two </script> & ~^\"\nsources:\n  - {{title: \"Statement </script>\", publisher: \"Ministry & {{Co}}\", url: \"https://example.com/a?b=1&c=%20\", date: 2024-07-28, archive_url: \"https://web.archive.org/web/2024/https://example.com/a\"}}\n---\nBody.\n",
                HOSTILE_TITLE.replace('\'', "''")
            ),
            json!({"slug": "hostile", "title": HOSTILE_TITLE,
                   "summary": "Line one with }{ and %\nline two </script> & ~^",
                   "start": "2024-07-28", "end": "2024-07-29", "approximate": false, "status": "held",
                   "location": "Seoul & <Tokyo> {x}",
                   "participants": [{"name": "윤석열", "role": "President & {head}", "country": "South Korea"},
                                    {"name": "日米 Person", "role": null, "country": null}],
                   "tags": ["North Korea & <friends>", "日米 alliance"], "tracks": ["US–Japan", "US–ROK & co"],
                   "sources": [{"title": "Statement </script>", "publisher": "Ministry & {Co}",
                                "url": "https://example.com/a?b=1&c=%20", "date": "2024-07-28",
                                "archive_url": "https://web.archive.org/web/2024/https://example.com/a"}]}),
        ),
        (
            "timed",
            "---\ntitle: \"日米 talks?\"\ndate: 2024-07-30T10:00:00+09:00\nend_date: ongoing\nstatus: announced\nkind: meeting\nsummary: Timed.\nsources:\n  - {title: Transcript}\n---\n".into(),
            json!({"slug": "timed", "title": "日米 talks?", "summary": "Timed.",
                   "start": "2024-07-30T10:00:00+09:00", "end": null, "approximate": false, "status": "announced",
                   "location": null, "participants": [], "tags": [], "tracks": [],
                   "sources": [{"title": "Transcript", "publisher": null, "url": null, "date": null, "archive_url": null}]}),
        ),
        (
            "braces",
            "---\ntitle: '} only {{ and \\\\ and \\'\ndate: 2024-08-01\nkind: meeting\nsummary: '{'\nsources:\n  - {title: S}\n---\n".into(),
            json!({"slug": "braces", "title": "} only {{ and \\\\ and \\", "summary": "{",
                   "start": "2024-08-01", "end": null, "approximate": false, "status": "held",
                   "location": null, "participants": [], "tags": [], "tracks": [],
                   "sources": [{"title": "S", "publisher": null, "url": null, "date": null, "archive_url": null}]}),
        ),
    ]
}

fn hostile_site() -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", SITE_YAML);
    for (slug, text, _) in events() {
        site.event(&format!("{slug}.md"), text);
    }
    site.build_ok(&[]);
    site
}

/// Runs `tests/citation_check.py` on the built site; fails (never skips)
/// when Python or a package is missing.
fn python_check(public: &Path) {
    let expected = json!({
        "base": "https://example.org/t/",
        "site_title": "Annals & {Co} <Test> 100%",
        "language": "en",
        "events": events().into_iter().map(|(_, _, v)| v).collect::<Vec<_>>(),
    });
    let dir = tempfile::tempdir().expect("tmp");
    let expected_path = dir.path().join("expected.json");
    std::fs::write(&expected_path, expected.to_string()).expect("write expected");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(root.join("tests/citation_check.py"))
        .arg(public)
        .arg(&expected_path)
        .arg(root.join("tests/fixtures/csl/csl-data.json"))
        .output()
        .expect("python3 is needed for the citation tests (scripts/test installs it)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the citations do not read back (python3 -m pip install pyld bibtexparser rispy jsonschema, or run scripts/test):\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("5 events read, 0 problems"), "{report}");
}

#[test]
fn citations_read_back_in_every_format() {
    let site = hostile_site();
    python_check(&site.public());
}

#[test]
fn the_event_page_has_a_cite_section_with_its_files() {
    let site = hostile_site();
    let page = read_html(&site.public().join("events/hostile/index.html"));
    let section = page
        .select(&sel("section.cite"))
        .next()
        .expect("a cite section");
    let heading = section
        .select(&sel("h2"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    assert_eq!(heading, "Cite this event");
    assert_eq!(
        section.value().attr("aria-labelledby"),
        section
            .select(&sel("h2"))
            .next()
            .and_then(|h| h.value().attr("id"))
    );
    let text = section.select(&sel(".cite-text")).next().expect("the text");
    // The citation as shown, the accessed date left to the reader's clock.
    let accessed = text.select(&sel(".cite-accessed")).next().expect("a slot");
    assert!(
        accessed.value().attr("hidden").is_some(),
        "hidden without JS"
    );
    assert!(
        accessed.select(&sel("time")).next().is_none(),
        "no date is written at build time"
    );
    let shown: String = text
        .text()
        .collect::<String>()
        .replace(&accessed.text().collect::<String>(), "");
    assert_eq!(
        shown,
        format!(
            "Annals & {{Co}} <Test> 100%. “{HOSTILE_TITLE}.” 28–29 July 2024. https://example.org/t/events/hostile/."
        )
    );
    assert_eq!(
        attrs(&page, ".cite-text a", "href"),
        ["https://example.org/t/events/hostile/"]
    );
    let links = attrs(&page, ".cite-downloads a", "href");
    assert_eq!(
        links,
        [
            "/t/events/hostile/cite.json",
            "/t/events/hostile/cite.bib",
            "/t/events/hostile/cite.ris"
        ]
    );
    for link in &links {
        let file = site.public().join(link.trim_start_matches("/t/"));
        assert!(file.is_file(), "{link} is written");
    }
    // The copy button waits for the script, which loads on every event page.
    let actions = section
        .select(&sel(".cite-actions"))
        .next()
        .expect("actions");
    assert!(actions.value().attr("hidden").is_some());
    assert_eq!(attrs(&page, "script[src]", "src").len(), 1);

    // A title ending in a question mark gets no full stop after it; an
    // open span reads as a sentence.
    let timed = read_html(&site.public().join("events/timed/index.html"));
    let text = timed
        .select(&sel(".cite-text"))
        .next()
        .map(|t| t.text().collect::<String>())
        .unwrap_or_default();
    assert!(
        text.starts_with(
            "Annals & {Co} <Test> 100%. “日米 talks?” Since 30 July 2024, 10:00 UTC+09:00. "
        ),
        "{text}"
    );
}

#[test]
fn json_ld_cannot_leave_its_script_element() {
    let site = hostile_site();
    let page = read_html(&site.public().join("events/hostile/index.html"));
    let scripts: Vec<String> = page
        .select(&sel("script[type=\"application/ld+json\"]"))
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD script, in one piece");
    let data: Value = serde_json::from_str(&scripts[0]).expect("JSON");
    assert_eq!(data["name"], HOSTILE_TITLE);
    // The title's `<!--` and `</script>` did not end the element: the page
    // still has its content after the head.
    assert!(page.select(&sel("section.cite")).next().is_some());
    assert!(!scripts[0].contains('<'));
}

#[test]
fn an_edit_changes_the_event_files_and_the_site_wide_ones() {
    let site = hostile_site();
    let public = site.public();
    let read = |rel: &str| std::fs::read_to_string(public.join(rel)).expect(rel);
    let before = ["events/months/cite.bib", "events/a-year/cite.ris"].map(read);
    let inode = |rel: &str| {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(public.join(rel)).expect(rel))
    };
    let inodes = ["events/months/cite.bib", "events/braces/cite.ris"].map(inode);
    let path = site.path().join("content/events/months.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace("Months: March–May", "Months renamed & moved"),
    )
    .expect("write");
    site.build_ok(&[]);
    assert!(read("events/months/cite.bib").contains("Months renamed \\& moved"));
    assert!(read("events/months/cite.ris").contains("TI  - Months renamed & moved\r\n"));
    assert!(read("events/months/cite.json").contains("Months renamed & moved"));
    assert!(read("citations.bib").contains("Months renamed \\& moved"));
    assert!(read("citations.json").contains("Months renamed & moved"));
    assert!(!read("citations.json").contains("Months: March–May"));
    assert_ne!(read("events/months/cite.bib"), before[0]);
    assert_eq!(
        read("events/a-year/cite.ris"),
        before[1],
        "others unchanged"
    );
    // An unchanged event's files (one that is not the edited event's
    // neighbour, whose page names it) are its previous build's, linked with
    // its page; the edited event's are written anew.
    assert_eq!(
        inode("events/braces/cite.ris"),
        inodes[1],
        "linked, not rewritten"
    );
    assert_ne!(inode("events/months/cite.bib"), inodes[0], "written anew");
    // The rebuild into the previous output equals a clean build.
    let clean = site.dir.path().join("clean");
    site.build_ok(&["--clean", "--out", clean.to_str().expect("utf-8")]);
    for rel in [
        "events/months/cite.bib",
        "events/months/cite.ris",
        "events/months/cite.json",
        "citations.bib",
        "citations.json",
        "events/months/index.html",
    ] {
        assert_eq!(
            read(rel),
            std::fs::read_to_string(clean.join(rel)).expect(rel),
            "{rel}"
        );
    }
    // A deleted event leaves no citation behind.
    std::fs::remove_file(&path).expect("delete");
    site.build_ok(&[]);
    assert!(!public.join("events/months/cite.bib").exists());
    assert!(!read("citations.bib").contains("@misc{months,"));
}

/// A site of 230 events with 30 KB summaries (see below), and its slugs.
fn large_site() -> (TestSite, Vec<String>) {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: Large\nbase_url: https://example.org/\nkinds:\n  meeting: {label: Meeting}\n",
    );
    // 30 KB summaries: 150 events of 2023 (about 4.5 MB, two parts) and
    // 40 of each of 2021 and 2022 (one part each).
    let summary = "Long words of a summary. ".repeat(1200);
    let mut slugs = Vec::new();
    for (year, n) in [(2021, 40), (2022, 40), (2023, 150)] {
        for i in 0..n {
            let slug = format!("e{year}-{i:03}");
            site.event(
                &format!("{slug}.md"),
                format!(
                    "---\ntitle: Event {i} of {year}\ndate: {year}-{:02}-{:02}\nkind: meeting\nsummary: \"{summary}\"\nsources:\n  - {{title: S}}\n---\n",
                    i % 12 + 1,
                    i % 28 + 1
                ),
            );
            slugs.push(slug);
        }
    }
    (site, slugs)
}

/// A site whose citations outgrow one file of 4 MiB gets parts per year
/// under `citations/` (a year larger than a part cut in two) and an index
/// of them, with every event in exactly one part and no file over 4 MiB;
/// a bibtexparser/jsonschema read of each part is left to the small sites
/// above, the format being the same.
#[test]
fn a_large_site_gets_its_citations_in_parts_per_year() {
    let (site, mut slugs) = large_site();
    site.build_ok(&[]);
    let public = site.public();
    assert!(!public.join("citations.bib").exists());
    assert!(!public.join("citations.json").exists());
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("citations/index.json")).expect("index"),
    )
    .expect("index JSON");
    let parts = index.as_array().expect("a list of parts");
    let stems: Vec<&str> = parts
        .iter()
        .map(|p| p["bibtex"].as_str().expect("bibtex"))
        .collect();
    assert_eq!(stems, ["2021.bib", "2022.bib", "2023-1.bib", "2023-2.bib"]);
    let mut seen = Vec::new();
    for part in parts {
        let json_rel = format!("citations/{}", part["csl_json"].as_str().expect("csl_json"));
        let bib_rel = format!("citations/{}", part["bibtex"].as_str().expect("bibtex"));
        let json = std::fs::read(public.join(&json_rel)).expect("part");
        let bib = std::fs::read_to_string(public.join(&bib_rel)).expect("part");
        assert!(json.len() <= 4 << 20 && bib.len() <= 4 << 20, "{json_rel}");
        let items: Value = serde_json::from_slice(&json).expect("CSL-JSON");
        let items = items.as_array().expect("an array");
        assert_eq!(items.len() as u64, part["events"].as_u64().expect("count"));
        assert_eq!(bib.matches("\n@").count() + 1, items.len(), "{bib_rel}");
        let year = part["year"].as_i64().expect("year");
        for item in items {
            let id = item["id"].as_str().expect("id").to_string();
            assert!(id.starts_with(&format!("e{year}-")), "{id} in {json_rel}");
            seen.push(id);
        }
    }
    seen.sort();
    slugs.sort();
    assert_eq!(seen, slugs, "every event in exactly one part");
}

/// A rebuild cuts the site-wide citations as a clean build of the same
/// site does, though it takes the cut of each year whose events did not
/// change from what the build before noted: after an edit that moves
/// where 2023 is cut (an early event of the year loses most of its
/// summary, so its parts take one event more) and after one that brings
/// the site back.
#[test]
fn a_rebuild_cuts_the_citations_as_a_clean_build_does() {
    let (site, _) = large_site();
    // Only files unchanged for two seconds go into the parse cache, beside
    // which the cut is noted (see `content::cache::SETTLE`).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = site.path().join("inc");
    common::build_at_fixed_time(site.path(), &out, &[]);
    let noted = site.path().join(".inc.annals-cache/citation-cut");
    assert!(noted.is_file(), "the cut is noted beside the parse cache");
    let edited = site.path().join("content/events/e2023-001.md");
    let original = std::fs::read_to_string(&edited).expect("event");
    let short = original
        .lines()
        .map(|l| {
            if l.starts_with("summary:") {
                "summary: Short."
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut firsts = Vec::new();
    for (step, text) in [("shortened", short), ("restored", original)] {
        std::fs::write(&edited, text).expect("edit");
        common::build_at_fixed_time(site.path(), &out, &[]);
        let clean = site.path().join(format!("clean-{step}"));
        common::build_at_fixed_time(site.path(), &clean, &["--clean"]);
        let without_manifest = |dir: &Path| {
            let mut files = common::snapshot(dir);
            files.retain(|rel, _| !rel.starts_with(".annals-manifest"));
            files
        };
        common::assert_same_tree(&without_manifest(&clean), &without_manifest(&out));
        let index: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join("citations/index.json")).expect("index"),
        )
        .expect("index JSON");
        let counts: Vec<u64> = index
            .as_array()
            .expect("parts")
            .iter()
            .filter(|p| p["year"] == 2023)
            .map(|p| p["events"].as_u64().expect("count"))
            .collect();
        assert_eq!(counts.len(), 2, "{step}: 2023 in two parts");
        firsts.push(counts[0]);
    }
    assert_eq!(firsts[0], firsts[1] + 1, "the edit moved where 2023 is cut");
}

/// The repository's own timeline: every event page's JSON-LD expands with
/// pyld to a schema.org Event with its title, summary and start, and every
/// event's citation files parse (bibtexparser, rispy) and validate (CSL
/// schema), read against the site's own events.json.
#[test]
fn the_repository_timeline_reads_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tmp");
    let public = dir.path().join("public");
    let built = common::annals()
        .args(["build", "--quiet", "--site"])
        .arg(root)
        .arg("--out")
        .arg(&public)
        .args(["--base-url", "https://example.org/annals/"])
        .output()
        .expect("annals runs");
    common::assert_success(&built);
    let out = Command::new("python3")
        .arg(root.join("tests/citation_check.py"))
        .arg("--site")
        .arg(&public)
        .arg(root.join("tests/fixtures/csl/csl-data.json"))
        .output()
        .expect("python3 is needed for the citation tests (scripts/test installs it)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the repository's citations do not read back:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains(" events read, 0 problems") && !report.starts_with("0 events"),
        "{report}"
    );
}
