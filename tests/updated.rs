//! The updated date of events: from `updated:` when written, else from the
//! last commit of the event's file in git (a rename, several commits of
//! one file, uncommitted edits, an untracked file), never before the
//! latest correction; shown on the event page and exported in
//! `events.json`, the Atom and JSON feeds and the sitemap, each equal to
//! `git log -1 --format=%cs -- FILE`. A site outside git, or with
//! `updated_from_git: false`, builds without git dates; a rebuild after a
//! new commit equals a clean build.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;
mod git_support;
mod incremental_support;

use common::{TestSite, attrs, read_html, sel, stderr};
use git_support::{commit_all, git, git_at, init, last_change};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;

fn event(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2024-07-01\nkind: meeting\nsummary: {title}.\nsources: [{{title: S}}]\n{extra}---\nBody of {title}.\n"
    )
}

/// The repository of the main test: five commits on fixed days, a file
/// changed in three of them, a rename, an explicit `updated`, an
/// uncommitted edit and an untracked file.
fn repository() -> TestSite {
    let site = TestSite::new();
    let dir = site.path();
    init(dir);
    site.event("often.md", event("Often changed", ""));
    site.event("moved.md", event("Moved", "slug: moved\n"));
    site.event("once.md", event("Once", ""));
    commit_all(dir, "2024-01-10T09:00:00+00:00", "first");
    site.event("often.md", event("Often changed", "location: Tokyo\n"));
    commit_all(dir, "2024-02-11T23:30:00+00:00", "second");
    fs::create_dir_all(dir.join("content/events/sub")).expect("a folder");
    git(
        dir,
        &[
            "mv",
            "content/events/moved.md",
            "content/events/sub/renamed.md",
        ],
    );
    commit_all(dir, "2024-03-12T08:00:00+00:00", "rename");
    site.event("often.md", event("Often changed", "location: Osaka\n"));
    site.event("explicit.md", event("Explicit", "updated: 2023-05-05\n"));
    site.event("edited.md", event("Edited", ""));
    // A committer east of UTC: `%cs` is the committer's own day.
    commit_all(dir, "2024-04-13T01:00:00+09:00", "third change");
    // Uncommitted: an edit of a committed file, and a new file.
    site.event("edited.md", event("Edited", "location: Seoul\n"));
    site.event("untracked.md", event("Untracked", ""));
    site
}

/// slug → the date `git log -1 --format=%cs` gives its file ("" for none).
fn expected(site: &TestSite) -> BTreeMap<&'static str, String> {
    let files = [
        ("often", "content/events/often.md"),
        ("moved", "content/events/sub/renamed.md"),
        ("once", "content/events/once.md"),
        ("edited", "content/events/edited.md"),
        ("untracked", "content/events/untracked.md"),
    ];
    files
        .into_iter()
        .map(|(slug, file)| (slug, last_change(site.path(), file)))
        .collect()
}

fn json(site: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(site.public().join(rel)).expect("an export"))
        .expect("valid JSON")
}

fn shown_updated(site: &TestSite, slug: &str) -> Vec<String> {
    attrs(
        &site.page(&format!("events/{slug}/index.html")),
        ".event-updated time",
        "datetime",
    )
}

/// The `dateModified` of the event page's JSON-LD (on its `WebPage`).
fn json_ld_modified(site: &TestSite, slug: &str) -> Option<String> {
    let page = site.page(&format!("events/{slug}/index.html"));
    let script = page
        .select(&sel("script[type=\"application/ld+json\"]"))
        .next()
        .expect("JSON-LD");
    let data: Value = serde_json::from_str(&script.inner_html()).expect("JSON-LD parses");
    let mut found = None;
    fn walk(v: &Value, found: &mut Option<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(d)) = map.get("dateModified") {
                    *found = Some(d.clone());
                }
                map.values().for_each(|x| walk(x, found));
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, found)),
            _ => {}
        }
    }
    walk(&data, &mut found);
    found
}

fn sitemap_lastmod(site: &TestSite) -> BTreeMap<String, String> {
    let xml = fs::read_to_string(site.public().join("sitemap.xml")).expect("sitemap");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed sitemap");
    doc.descendants()
        .filter(|n| n.has_tag_name("url"))
        .filter_map(|u| {
            let text = |name: &str| {
                u.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            Some((text("loc")?, text("lastmod")?))
        })
        .collect()
}

fn atom_updated(site: &TestSite) -> BTreeMap<String, String> {
    let file = fs::File::open(site.public().join("atom.xml")).expect("atom.xml");
    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(file))
        .expect("a valid Atom feed");
    feed.entries()
        .iter()
        .map(|e| (e.id().to_string(), e.updated().to_rfc3339()))
        .collect()
}

#[test]
fn every_event_is_dated_by_the_last_commit_of_its_file() {
    let site = repository();
    site.write(
        "site.yaml",
        format!("{}base_url: https://example.org/\n", common::SITE_YAML),
    );
    let want = expected(&site);
    // The fixture is what it claims: a file changed in several commits, a
    // rename dated by its commit, uncommitted edits not counted.
    assert_eq!(want["often"], "2024-04-13");
    assert_eq!(want["moved"], "2024-03-12");
    assert_eq!(want["once"], "2024-01-10");
    assert_eq!(want["edited"], "2024-04-13");
    assert_eq!(want["untracked"], "");
    let out = site.build_ok(&[]);
    assert!(
        !stderr(&out).contains("git"),
        "no warning about git: {}",
        stderr(&out)
    );

    let events = json(&site, "events.json");
    let by_slug: BTreeMap<String, Value> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["slug"].as_str().expect("slug").to_string(), e.clone()))
        .collect();
    let lastmod = sitemap_lastmod(&site);
    let atom = atom_updated(&site);
    let feed = json(&site, "feed.json");
    for (slug, date) in &want {
        let url = format!("https://example.org/events/{slug}/");
        let shown = shown_updated(&site, slug);
        let exported = by_slug[*slug]["updated"].clone();
        let item = feed["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["url"] == url.as_str())
            .expect("a feed item");
        let modified = json_ld_modified(&site, slug);
        if date.is_empty() {
            assert!(shown.is_empty(), "{slug}: no git date, none shown");
            assert_eq!(modified, None, "{slug}: no dateModified");
            assert_eq!(exported, Value::Null, "{slug}");
            assert!(!lastmod.contains_key(&url), "{slug}: no lastmod");
            // Nothing says when it changed: updated is the published date.
            assert_eq!(item["date_modified"], item["date_published"]);
            continue;
        }
        assert_eq!(
            shown,
            std::slice::from_ref(date),
            "{slug}: shown on the page"
        );
        assert_eq!(exported, Value::from(date.as_str()), "{slug}: events.json");
        assert_eq!(
            modified.as_ref(),
            Some(date),
            "{slug}: JSON-LD dateModified"
        );
        assert_eq!(lastmod.get(&url), Some(date), "{slug}: sitemap");
        assert_eq!(
            atom.get(&url).map(|d| d[..10].to_string()).as_ref(),
            Some(date),
            "{slug}: Atom <updated>"
        );
        assert_eq!(
            item["date_modified"].as_str().map(|d| &d[..10]),
            Some(date.as_str()),
            "{slug}: JSON Feed date_modified"
        );
    }
    // The page says it in words too.
    let page = site.page("events/once/index.html");
    let text: Vec<String> = common::texts(&page, ".event-updated");
    assert_eq!(text, ["Updated 10 January 2024"]);

    // The field wins over git, even when older.
    assert_eq!(shown_updated(&site, "explicit"), ["2023-05-05"]);
    assert_eq!(by_slug["explicit"]["updated"], "2023-05-05");
    assert_eq!(
        lastmod
            .get("https://example.org/events/explicit/")
            .map(String::as_str),
        Some("2023-05-05")
    );
    // The TimelineJS export carries it for a re-import.
    let timeline = json(&site, "timelinejs.json");
    let slide = timeline["events"]
        .as_array()
        .expect("slides")
        .iter()
        .find(|s| s["unique_id"] == "often")
        .expect("a slide");
    assert_eq!(slide["annals"]["updated"], "2024-04-13");
}

#[test]
fn updated_from_git_false_turns_git_dates_off() {
    let site = repository();
    site.write(
        "site.yaml",
        format!("{}updated_from_git: false\n", common::SITE_YAML),
    );
    git(site.path(), &["add", "site.yaml"]);
    site.build_ok(&[]);
    for slug in ["often", "moved", "once", "edited", "untracked"] {
        assert!(shown_updated(&site, slug).is_empty(), "{slug}");
    }
    assert_eq!(shown_updated(&site, "explicit"), ["2023-05-05"]);
    let events = json(&site, "events.json");
    let nulls = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["updated"].is_null())
        .count();
    assert_eq!(nulls, 5);
}

#[test]
fn updated_from_git_must_be_a_flag() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{}updated_from_git: sometimes\n", common::SITE_YAML),
    );
    site.event("a.md", event("A", ""));
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("site.yaml:"), "located: {err}");
    assert!(err.contains("updated_from_git"), "{err}");
}

#[test]
fn a_site_outside_git_builds_without_dates_or_warnings() {
    let site = TestSite::new();
    site.event("a.md", event("A", ""));
    site.event("b.md", event("B", "updated: 2025-03-03\n"));
    let out = site.build_ok(&[]);
    assert!(!stderr(&out).contains("git"), "{}", stderr(&out));
    assert!(shown_updated(&site, "a").is_empty());
    let page = site.page("events/b/index.html");
    assert_eq!(
        common::texts(&page, ".event-updated"),
        ["Updated 3 March 2025"]
    );
    // `<time datetime>` holds the machine form.
    assert_eq!(
        attrs(&page, ".event-updated time", "datetime"),
        ["2025-03-03"]
    );
}

#[test]
fn a_repository_without_commits_builds_without_dates() {
    let site = TestSite::new();
    init(site.path());
    site.event("a.md", event("A", ""));
    let out = site.build_ok(&[]);
    assert!(!stderr(&out).contains("git"), "{}", stderr(&out));
    assert!(shown_updated(&site, "a").is_empty());
}

#[test]
fn a_bad_updated_value_is_a_located_error() {
    let site = TestSite::new();
    site.event("a.md", event("A", "updated: 2025-02-30\n"));
    let out = site.build_here(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/events/a.md:7:10:"), "located: {err}");
}

/// A commit that changes no event file's bytes but its date (an amended
/// commit) changes the pages that show it; an incremental rebuild (parse
/// cache and reused pages) equals a clean build after each new commit.
#[test]
fn a_rebuild_after_a_commit_equals_a_clean_build() {
    use incremental_support::*;
    let f = Fixture::new();
    let site = f.site();
    init(&site);
    commit_all(&site, "2024-01-10T09:00:00+00:00", "corpus");
    f.build("inc", &[]);
    let event = f.events()[2].clone();
    let rel = event
        .strip_prefix(&site)
        .expect("inside the site")
        .to_string_lossy()
        .into_owned();
    let slug = event
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a name")
        .to_string();

    // The same bytes, committed again on another day.
    git_at(
        &site,
        "2024-06-15T12:00:00+00:00",
        &["commit", "-q", "--amend", "--no-edit", "--reset-author"],
    );
    assert_eq!(last_change(&site, &rel), "2024-06-15");
    let rebuilt = rebuild_and_compare(&f, "amended commit");
    assert!(cached(&rebuilt) > 0, "the parse cache was used");
    let slug_page = |out: &str| {
        let page = read_html(&f.out(out).join(format!("events/{slug}/index.html")));
        page.select(&sel(".event-updated time"))
            .filter_map(|t| t.value().attr("datetime").map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert_eq!(slug_page("inc"), ["2024-06-15"]);

    // A commit that changes one file dates that file alone.
    append(&event, "\nA paragraph committed later.\n");
    commit_all(&site, "2024-07-20T12:00:00+00:00", "edit one event");
    rebuild_and_compare(&f, "new commit");
    assert_eq!(slug_page("inc"), ["2024-07-20"]);
    let other = f.events()[5]
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a name")
        .to_string();
    let page = read_html(&f.out("inc").join(format!("events/{other}/index.html")));
    assert_eq!(
        page.select(&sel(".event-updated time"))
            .filter_map(|t| t.value().attr("datetime"))
            .collect::<Vec<_>>(),
        ["2024-06-15"]
    );
}
