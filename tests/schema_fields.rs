//! Every field of the schema table (`annals::schema::FIELDS`) reaches every
//! output: for each field, a site whose event sets it (to the table's
//! example) is built, and the field must be in the event page's template
//! context, `events.json`, `events.schema.json`, the TimelineJS export, and
//! come back unchanged through `annals import`; `annals new` must write it
//! unless the table keeps it out of the skeleton. The test walks the
//! table, so a field declared but not wired fails here.

mod common;

use annals::schema::{Carried, FIELDS, Field, Skeleton};
use common::{TestSite, assert_success};
use serde_json::Value;
use std::fs;

/// The event page dumps the keys of its context, one per line.
const KEYS_TEMPLATE: &str = "{% for k in event | keys %}{{ k }}\n{% endfor %}";

/// Front matter of the event under test, before the field is set.
const BASE: &[(&str, &str)] = &[
    ("title", "Main event"),
    ("date", "2024-07-28"),
    ("kind", "meeting"),
    ("summary", "Main summary."),
    ("sources", "[{title: A source}]"),
];

const OTHER: &str = "---\ntitle: Other event\ndate: 2024-07-01\nkind: meeting\nsummary: Other.\nsources: [{title: B}]\n---\n";

/// A site of two events; the first sets `field` to its example.
fn site_with(field: &Field) -> TestSite {
    let site = TestSite::new();
    let mut lines: Vec<String> = BASE
        .iter()
        .filter(|(k, _)| *k != field.name)
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    lines.push(format!("{}: {}", field.name, field.example));
    site.event(
        "2024/main-event.md",
        format!("---\n{}\n---\nBody.\n", lines.join("\n")),
    );
    site.event("2024/other-event.md", OTHER);
    site
}

fn json(path: &std::path::Path) -> Value {
    let text = fs::read_to_string(path).expect("read a JSON output");
    serde_json::from_str(&text).expect("valid JSON")
}

/// The event of `events.json` under test (the one that is not `other-event`).
fn main_event(events_json: &Value) -> Value {
    events_json["events"]
        .as_array()
        .expect("an events array")
        .iter()
        .find(|e| e["slug"] != "other-event")
        .expect("the event under test")
        .clone()
}

#[test]
fn every_field_reaches_every_output_and_round_trips() {
    for field in FIELDS {
        let name = field.name;
        let site = site_with(field);
        site.write("templates/event.html", KEYS_TEMPLATE);
        site.build_ok(&["--drafts"]);

        let events = json(&site.public().join("events.json"));
        let event = main_event(&events);
        let slug = event["slug"].as_str().expect("a slug").to_string();
        assert!(
            event.get(name).is_some_and(|v| !v.is_null()),
            "`{name}` missing from events.json: {event}"
        );

        let page = fs::read_to_string(site.public().join(format!("events/{slug}/index.html")))
            .expect("the event page");
        assert!(
            page.lines().any(|k| k == field.context_key),
            "`{name}` (context key `{}`) missing from the event page context: {page}",
            field.context_key
        );

        let schema = json(&site.public().join("events.schema.json"));
        assert!(
            schema["$defs"]["event"]["properties"].get(name).is_some(),
            "`{name}` missing from events.schema.json"
        );

        let timeline_path = site.public().join("timelinejs.json");
        let timeline = json(&timeline_path);
        let slide = timeline["events"]
            .as_array()
            .expect("slides")
            .iter()
            .find(|s| s["unique_id"] == slug.as_str())
            .expect("the event's slide");
        match field.timelinejs {
            Carried::Annals => assert!(
                slide["annals"].get(name).is_some(),
                "`{name}` missing from the slide's annals object: {slide}"
            ),
            Carried::Headline => assert_eq!(slide["text"]["headline"], event[name]),
            Carried::UniqueId => assert_eq!(slide["unique_id"], event[name]),
        }

        // Import the export into an empty site: the field comes back as it was.
        let imported = TestSite::new();
        let out = common::annals()
            .arg("import")
            .arg(&timeline_path)
            .arg("--site")
            .arg(imported.path())
            .output()
            .expect("run annals import");
        assert_success(&out);
        imported.build_ok(&["--drafts"]);
        let again = main_event(&json(&imported.public().join("events.json")));
        assert_eq!(again[name], event[name], "`{name}` changed through import");
    }
}

#[test]
fn the_skeleton_writes_every_field_it_declares() {
    let site = TestSite::new();
    let out = site
        .cmd()
        .args([
            "new",
            "Skeleton test",
            "--date",
            "2024-01-02",
            "--site",
            ".",
        ])
        .output()
        .expect("run annals new");
    assert_success(&out);
    let path = site
        .path()
        .join("content/events/2024/2024-01-02-skeleton-test.md");
    let text = fs::read_to_string(&path).expect("the new event file");
    for field in FIELDS {
        let written = text.lines().any(|l| {
            l.strip_prefix("# ")
                .unwrap_or(l)
                .starts_with(&format!("{}:", field.name))
        });
        assert_eq!(
            written,
            field.skeleton != Skeleton::Absent,
            "`{}` in the skeleton:\n{text}",
            field.name
        );
    }
    // What it writes builds as it is.
    site.build_ok(&[]);
}
