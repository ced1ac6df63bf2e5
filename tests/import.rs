//! `annals import`: TimelineJS3 JSON and the TimelineJS template's CSV
//! become event files that build as they are, keep their date precision,
//! write nothing when an entry is wrong, skip on a re-run what is already
//! imported, and report what could not be mapped. (Re-runs, `--update`
//! and `--dry-run`: tests/import_rerun.rs; TimelineJS3's own samples:
//! tests/import_fixtures.rs.)

mod common;

use common::*;
use serde_json::Value;
use std::fs;

fn import(site: &TestSite, file: &std::path::Path) -> std::process::Output {
    annals()
        .arg("import")
        .arg(file)
        .arg("--site")
        .arg(site.path())
        .output()
        .expect("run annals")
}

/// `imported_id`, which only the imported site has, taken out.
fn without_imported_id(mut v: Value) -> Value {
    for e in v.as_array_mut().into_iter().flatten() {
        if let Some(o) = e.as_object_mut() {
            o.remove("imported_id");
            if let Some(a) = o.get_mut("annals").and_then(Value::as_object_mut) {
                a.remove("imported_id");
            }
        }
    }
    v
}

fn events_of(site: &TestSite) -> Value {
    let text = fs::read_to_string(site.public().join("timelinejs.json")).expect("timelinejs.json");
    let v: Value = serde_json::from_str(&text).expect("JSON");
    without_imported_id(v["events"].clone())
}

#[test]
fn export_import_export_is_stable() {
    let first = TestSite::new();
    first.event(
        "a.md",
        "---\ntitle: Day event\ndate: 2024-07-28\nend_date: 2024-07-29\nkind: meeting\nstatus: planned\nlocation: \"Tokyo, Japan\"\ncountries: [US, JP]\nparticipants:\n  - {name: Lloyd Austin, role: U.S. Secretary of Defense, country: US}\n  - Minoru Kihara\ntracks: [us-japan, us-rok]\ntags: [china, \"extended deterrence\"]\nsummary: First <b>summary</b> & \"more\".\nsources:\n  - {title: Joint Statement, publisher: DoD, url: \"https://example.com/a\", date: 2024-07-28, archive_url: \"https://archive.example/a\"}\n  - {title: Second source}\nquotes:\n  - {text: \"We agreed.\", speaker: Lloyd Austin, source: 0}\nrelated:\n  - {event: b, relation: builds-on}\n---\nBody with **bold** and a [link](https://example.com/x).\n\nSecond paragraph.\n",
    );
    first.event(
        "b.md",
        "---\ntitle: Month event\ndate: 2025-03\nkind: meeting\ntracks: [us-rok]\nsummary: Month precision.\nsources:\n  - {title: Report}\n---\n",
    );
    first.event(
        "c.md",
        "---\ntitle: Timed event\ndate: 2024-07-28T10:00:00+09:00\nkind: statement\nsummary: Timed.\nsources:\n  - {title: Transcript}\n---\n",
    );
    first.event(
        "d.md",
        "---\ntitle: Open span\ndate: 2023\nend_date: ongoing\napproximate: true\nkind: meeting\nsummary: Year precision.\nsources:\n  - {title: Memoir}\n---\n",
    );
    first.build_ok(&[]);
    let exported = first.public().join("timelinejs.json");

    let second = TestSite::new();
    let out = import(&second, &exported);
    assert_success(&out);
    assert!(
        stderr(&out).contains("Imported 4 events"),
        "{}",
        stderr(&out)
    );
    let b = fs::read_to_string(second.path().join("content/events/2025/b.md")).expect("b.md");
    assert!(b.contains("date: 2025-03\n"), "month precision kept:\n{b}");
    let d = fs::read_to_string(second.path().join("content/events/2023/d.md")).expect("d.md");
    assert!(
        d.contains("end_date: ongoing") && d.contains("approximate: true"),
        "{d}"
    );
    second.build_ok(&[]);
    assert_eq!(events_of(&first), events_of(&second));
    // The `annals` extension carries the rest: the events are the same.
    let data = |site: &TestSite| -> Value {
        let text = fs::read_to_string(site.public().join("events.json")).expect("events.json");
        without_imported_id(serde_json::from_str::<Value>(&text).expect("JSON")["events"].clone())
    };
    assert_eq!(data(&first), data(&second));
}

const JSON: &str = r##"{
  "title": {"text": {"headline": "My timeline", "text": "<p>About</p>"}},
  "events": [
    {
      "start_date": {"year": "2024", "month": "7", "day": "28"},
      "end_date": {"year": "2024", "month": "7", "day": "29"},
      "text": {"headline": "Ministers meet", "text": "<p>They met.</p><p>More detail.</p>"},
      "media": {"url": "https://example.com/photo", "credit": "Agency", "caption": "The meeting"},
      "group": "US–Japan",
      "unique_id": "ministers-meet"
    },
    {
      "start_date": {"year": 2025, "month": 3},
      "text": {"headline": "A month event", "text": "Plain text summary"},
      "group": "Navy",
      "background": {"color": "#000"}
    },
    {
      "start_date": {"month": 3},
      "text": {"headline": "No year here"}
    },
    {
      "start_date": {"year": 2024, "month": 7, "day": 28, "hour": 10, "minute": 30},
      "text": {"headline": "Timed"},
      "media": {"url": "<blockquote>quote</blockquote>"}
    }
  ],
  "eras": [{"start_date": {"year": 2020}, "end_date": {"year": 2021}, "text": {"headline": "Era"}}]
}
"##;

#[test]
fn timelinejs_json_import_is_all_or_nothing_and_reports() {
    let site = TestSite::new();
    let file = site.write("timeline.json", JSON);
    let out = import(&site, &file);
    assert_code(&out, 1);
    let err = stderr(&out);
    // The entry without a year is reported at its line, by its headline,
    // and nothing is written.
    assert!(
        err.contains("timeline.json:20:1: \"No year here\": start date has no year"),
        "{err}"
    );
    assert!(!err.contains("Imported"), "{err}");
    assert!(!site.path().join("content/events").exists());

    let fixed = JSON.replace(
        "\"start_date\": {\"month\": 3}",
        "\"start_date\": {\"year\": 2022, \"month\": 3}",
    );
    let file = site.write("timeline.json", fixed);
    let out = import_into(&site, &file, &["--tz", "+09:00"]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(err.contains("Imported 4 events"), "{err}");
    assert!(
        err.contains("1 event names a group that is not a track of site.yaml (\"Navy\")"),
        "{err}"
    );
    // The era became a period file, and the summary says so.
    assert!(err.contains("1 period from eras"), "{err}");
    let era = fs::read_to_string(site.path().join("content/periods/era.md")).expect("era file");
    assert!(era.contains("start: \"2020\""), "{era}");
    assert!(
        err.contains("1 event has a background colour (\"A month event\")"),
        "{err}"
    );
    assert!(
        err.contains("1 event has a quoted block without a credit naming who said it (\"Timed\")"),
        "{err}"
    );
    let a =
        fs::read_to_string(site.path().join("content/events/2024/ministers-meet.md")).expect("a");
    assert!(a.contains("tracks: [us-japan]"), "{a}");
    assert!(a.contains("end_date: 2024-07-29"), "{a}");
    assert!(a.contains("summary: \"They met.\""), "{a}");
    assert!(a.contains("imported_id: \"ministers-meet\""), "{a}");
    assert!(a.ends_with("---\nThey met.\n\nMore detail.\n"), "{a}");
    assert!(
        a.contains(
            "{title: \"The meeting\", publisher: \"Agency\", url: \"https://example.com/photo\"}"
        ),
        "{a}"
    );
    let month = fs::read_to_string(
        site.path()
            .join("content/events/2025/2025-03-a-month-event.md"),
    )
    .expect("month event");
    assert!(
        month.contains("date: 2025-03\n") && month.contains("tags: [\"navy\"]"),
        "{month}"
    );
    // Text without markup is the summary; it is not repeated as the body.
    assert!(
        month.ends_with("imported_id: \"2025-03-a-month-event\"\n---\n"),
        "{month}"
    );
    assert!(
        month.contains("TimelineJS import of timeline.json"),
        "{month}"
    );
    // The imported files build as they are; the time is in the zone given.
    site.build_ok(&[]);
    let timed = fs::read_to_string(site.public().join("events.json")).expect("events.json");
    assert!(
        timed.contains("2024-07-28T10:30:00+09:00"),
        "time kept with its zone"
    );

    // A second import recognises every entry and writes nothing.
    let before = snapshot(&site.path().join("content"));
    let again = import(&site, &file);
    assert_success(&again);
    assert!(
        stderr(&again).contains("4 events already imported and skipped"),
        "{}",
        stderr(&again)
    );
    assert_same_tree(&before, &snapshot(&site.path().join("content")));
}

const CSV: &str = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background
,,,,,,,,,My title,Intro,,,,,title,,
2024,7,28,10:30,2024,7,28,12:00,,\"Talks, with a comma\",\"<p>Summary, quoted.</p><p>Body.</p>\",https://example.com/a,Credit,Caption,,,US–ROK,
2025,March,,,,,,,,Month only,A month.,,,,,,,
2023,,,,2024,,,,c. 2023,Years,Approximate years.,,,,,,,#fff
2024,13,1,,,,,,,Bad month,Nope,,,,,,,
";

#[test]
fn csv_template_import() {
    let site = TestSite::new();
    // With a byte order mark, as Excel writes it.
    let file = site.write("sheet.csv", format!("\u{feff}{CSV}"));
    let out = import(&site, &file);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("sheet.csv:6:1: row 6 \"Bad month\": start date: month 13 does not exist"),
        "{err}"
    );
    assert!(
        !site.path().join("content/events").exists(),
        "nothing written"
    );
    let file = site.write(
        "sheet.csv",
        CSV.replace("2024,13,1,,,,,,,Bad month,Nope,,,,,,,\n", ""),
    );
    let out = import_into(&site, &file, &["--tz", "Europe/Berlin"]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("the title slide's `title` (\"My title\") and `description` (\"Intro\") were not imported: site.yaml already sets them"),
        "{err}"
    );
    assert!(err.contains("Imported 3 events"), "{err}");
    let files: Vec<String> = walk(&site.path().join("content/events"));
    assert_eq!(files.len(), 3, "{files:?}");
    let talks = files
        .iter()
        .find(|f| f.contains("talks"))
        .expect("talks file");
    let talks = fs::read_to_string(talks).expect("talks");
    assert!(talks.contains("date: 2024-07-28T10:30:00+02:00"), "{talks}");
    assert!(
        talks.contains("end_date: 2024-07-28T12:00:00+02:00"),
        "{talks}"
    );
    assert!(talks.contains("tracks: [us-rok]"), "{talks}");
    assert!(talks.contains("title: \"Talks, with a comma\""), "{talks}");
    assert!(talks.contains("summary: \"Summary, quoted.\""), "{talks}");
    let years = files
        .iter()
        .find(|f| f.contains("years"))
        .expect("years file");
    let years = fs::read_to_string(years).expect("years");
    assert!(
        years.contains("date: 2023\nend_date: 2024\napproximate: true"),
        "{years}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("2025/2025-03-month-only.md")),
        "{files:?}"
    );
    site.build_ok(&[]);
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn unreadable_input_is_a_usage_error() {
    let site = TestSite::new();
    let out = import(&site, &site.path().join("missing.json"));
    assert_code(&out, 2);
    let file = site.write("bad.json", "{\"events\": [");
    let out = import(&site, &file);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("bad.json:1:"), "{}", stderr(&out));
}

#[test]
fn crlf_and_wide_characters_keep_line_numbers() {
    let site = TestSite::new();
    let json = "{\r\n \"events\": [\r\n  {\"start_date\": {\"year\": 2024}, \"text\": {\"headline\": \"한미 국방장관 회담\"}},\r\n  {\"start_date\": {\"month\": 1}, \"text\": {\"headline\": \"日米2+2\"}}\r\n ]\r\n}\r\n";
    let file = site.write("crlf.json", json);
    let out = import(&site, &file);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("crlf.json:4:1: \"日米2+2\": start date has no year"),
        "{}",
        stderr(&out)
    );
    site.build_ok(&[]);
}

#[test]
fn text_keeps_its_formatting_once_and_defaults_apply() {
    let site = TestSite::new();
    let json = r#"{"events": [{"start_date": {"year": 2024, "month": 5}, "text": {"headline": "Formatted",
      "text": "Take <a href='//ex.org/ada'>Ada</a>: <em>one</em>. Then <strong>bold</strong> &amp; more.<ul><li>a</li><li>b</li></ul><blockquote>quoted</blockquote>"}}]}"#;
    let file = site.write("f.json", json);
    let out = import_into(
        &site,
        &file,
        &["--kind", "statement", "--track", "us-japan"],
    );
    assert_success(&out);
    let text = fs::read_to_string(site.path().join("content/events/2024/2024-05-formatted.md"))
        .expect("event");
    assert!(
        text.contains("kind: statement\ntracks: [us-japan]\n"),
        "{text}"
    );
    assert!(text.contains("summary: \"Take Ada: one.\""), "{text}");
    assert!(!err_mentions_kinds(&stderr(&out)), "{}", stderr(&out));
    site.build_ok(&[]);
    let page = site.page("events/2024-05-formatted/index.html");
    assert_eq!(attrs(&page, ".e-content a", "href"), ["https://ex.org/ada"]);
    assert_eq!(texts(&page, ".e-content em"), ["one"]);
    assert_eq!(texts(&page, ".e-content strong"), ["bold"]);
    assert_eq!(texts(&page, ".e-content li"), ["a", "b"]);
    assert_eq!(texts(&page, ".e-content blockquote"), ["quoted"]);
    let body = texts(&page, ".e-content").join(" ");
    assert_eq!(body.matches("Take Ada: one.").count(), 1, "{body}");
    assert!(body.contains("bold & more."), "{body}");
}

/// Whether the kinds note asks for --kind (it must not once it was given).
fn err_mentions_kinds(err: &str) -> bool {
    err.contains("or pass --kind")
}
