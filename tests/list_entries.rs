//! List entries: the built-in `partials/event-item.html` is rendered once
//! per event and copied into every list page, so the pages must be exactly
//! what including the partial on each page makes; a theme's own entry
//! partial is still included on each page, reading the page around it.

mod common;

use common::{TestSite, sel, text_of};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The multilingual site, with entries that show every badge and term, and
/// an event with a relation and a correction (whose pages show other
/// events' entries).
fn site() -> TestSite {
    let site = common::editions_site::site();
    site.event(
        "rough.md",
        "---\ntitle: A meeting some time in 2023\ndate: 2023-05\napproximate: true\nkind: meeting\n\
         tracks: [us-japan]\ncountries: [US, JP]\ntags: [deterrence]\nparticipants: [Someone]\n\
         summary: Roughly dated.\nsources: [{title: Notes}]\n---\nBody.\n",
    );
    site.event(
        "planned.md",
        "---\ntitle: Planned talks\ndate: 2025-02-10\nstatus: planned\nkind: meeting\n\
         countries: [KR]\nsummary: Still to come.\nsources: [{title: Notice}]\n\
         related: [{event: rough, relation: follows-up}]\n\
         corrections: [{date: 2025-02-11, text: The day of the talks.}]\n---\n",
    );
    site.event(
        "rough.ja.md",
        "---\ntitle: 2023年ごろの会議\nsummary: 日付は概算。\n---\n本文。\n",
    );
    site
}

/// The built-in groups partial with each entry always included from the
/// entry partial, as a theme that copied it before entries were kept would.
fn groups_including_each_entry() -> String {
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/groups.html"),
    )
    .expect("read the built-in groups partial");
    let kept = r#"{% if ev.entry_html %}{{ ev.entry_html | safe }}{% else %}{% include "partials/event-item.html" %}{% endif %}"#;
    assert!(
        builtin.contains(kept),
        "the built-in groups partial uses the kept entry"
    );
    builtin.replace(kept, r#"{% include "partials/event-item.html" %}"#)
}

/// Every output file but the build's own records.
fn pages(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = common::snapshot(dir);
    files.retain(|path, _| !path.to_string_lossy().contains(".annals"));
    files
}

#[test]
fn kept_entries_are_the_pages_that_including_the_partial_makes() {
    let site = site();
    let kept = site.dir.path().join("kept");
    common::build_at_fixed_time(site.path(), &kept, &[]);

    site.write(
        "templates/partials/groups.html",
        groups_including_each_entry(),
    );
    let included = site.dir.path().join("included");
    common::build_at_fixed_time(site.path(), &included, &[]);

    let (kept_pages, included_pages) = (pages(&kept), pages(&included));
    assert!(kept_pages.len() > 20, "the site has its list pages");
    common::assert_same_tree(&kept_pages, &included_pages);

    // The entries are there, in each edition's language.
    let index = common::read_html(&kept.join("index.html"));
    let slugs: Vec<String> = index
        .select(&sel("li.entry"))
        .filter_map(|li| li.value().attr("id").map(str::to_string))
        .collect();
    for slug in ["rough", "planned", "two-plus-two", "other"] {
        assert!(
            slugs.iter().any(|s| s == slug),
            "{slug} listed in {slugs:?}"
        );
    }
    let badge = |doc: &scraper::Html| {
        doc.select(&sel("li#rough .badge.approximate"))
            .map(text_of)
            .next()
            .expect("the approximate badge")
    };
    let ja = common::read_html(&kept.join("ja/index.html"));
    assert_ne!(
        badge(&index),
        badge(&ja),
        "each edition's entries speak its language"
    );
    let ja_titles: Vec<String> = ja
        .select(&sel("li#rough .entry-title"))
        .map(text_of)
        .collect();
    assert_eq!(ja_titles, ["2023年ごろの会議"]);
}

#[test]
fn a_themes_own_entry_partial_reads_the_page_around_it() {
    let site = site();
    site.write(
        "templates/partials/event-item.html",
        r#"<li class="entry" id="{{ ev.slug }}"><span class="month">{{ month.label }}</span> {{ ev.title }}</li>"#,
    );
    site.build_ok(&[]);
    let index = site.page("index.html");
    let months: BTreeMap<String, String> = index
        .select(&sel("li.entry"))
        .filter(|li| {
            li.value()
                .attr("id")
                .is_some_and(|id| id == "rough" || id == "planned")
        })
        .map(|li| {
            let month = li
                .select(&sel(".month"))
                .map(text_of)
                .next()
                .expect("a month");
            (li.value().attr("id").unwrap_or_default().to_string(), month)
        })
        .collect();
    assert_eq!(
        months.len(),
        2,
        "both entries use the theme's partial: {months:?}"
    );
    assert!(
        months["rough"].contains("May") && months["rough"].contains("2023"),
        "{months:?}"
    );
    assert!(
        months["planned"].contains("February") && months["planned"].contains("2025"),
        "{months:?}"
    );
    // The theme's partial is used on every list page, not only the index.
    let kind = site.page("kinds/meeting/index.html");
    assert!(
        kind.select(&sel("li.entry .month")).count() >= 3,
        "the kind page uses the theme's entry"
    );
}

/// Builds `site` at a fixed time into a folder of its own, keeping
/// `keeping` of each list entry (`ANNALS_KEEP_ENTRIES`).
fn build_keeping(site: &TestSite, keeping: &str) -> PathBuf {
    let out = site.dir.path().join(format!("keeping-{keeping}"));
    let output = common::annals()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("ANNALS_KEEP_ENTRIES", keeping)
        .args(["build", "--site"])
        .arg(site.path())
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run annals");
    common::assert_success(&output);
    out
}

/// The same site built keeping each list entry's value, its HTML alone,
/// or nothing (as sites of each size do: see `render::EntryKeeping`).
#[test]
fn pages_are_the_same_whatever_a_build_keeps_of_its_entries() {
    let site = site();
    let build = |keeping: &str| pages(&build_keeping(&site, keeping));
    let values = build("values");
    assert!(values.len() > 20, "the site has its list pages");
    let index =
        scraper::Html::parse_document(&String::from_utf8_lossy(&values[Path::new("index.html")]));
    assert_eq!(
        index.select(&sel("li.entry#rough .entry-title")).count(),
        1,
        "the timeline lists its entries"
    );
    for keeping in ["html", "none"] {
        common::assert_same_tree(&values, &build(keeping));
    }
}

/// The slug (`data-slug`) and text of each element `selector` finds: the
/// marks a site's own template prints for the entries it reads.
fn seen(page: &scraper::Html, selector: &str) -> Vec<(String, String)> {
    page.select(&sel(selector))
        .map(|s| {
            let slug = s.value().attr("data-slug").unwrap_or_default();
            (slug.to_string(), text_of(s))
        })
        .collect()
}

/// Where the built-in templates only print an entry's kept HTML, a build
/// may hand them nothing else of it; a site's own groups partial still
/// reads every field of every entry, whatever the build keeps.
#[test]
fn a_sites_own_groups_partial_reads_every_field_of_its_entries() {
    let site = site();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/groups.html"),
    )
    .expect("read the built-in groups partial");
    let each = "{% if ev.entry_html %}";
    assert!(
        builtin.contains(each),
        "the built-in partial tests each entry"
    );
    site.write(
        "templates/partials/groups.html",
        builtin.replace(
            each,
            r#"<span class="seen" data-slug="{{ ev.slug }}">{{ ev.title }}</span>{% if ev.entry_html %}"#,
        ),
    );
    for keeping in ["values", "html", "none"] {
        let out = build_keeping(&site, keeping);
        let index = common::read_html(&out.join("index.html"));
        let entries = index.select(&sel("li.entry")).count();
        let seen = seen(&index, "span.seen");
        assert!(entries > 3, "{keeping}: the timeline lists its entries");
        assert_eq!(seen.len(), entries, "{keeping}: {seen:?}");
        assert!(
            seen.iter()
                .all(|(slug, title)| !slug.is_empty() && !title.is_empty()),
            "{keeping}: every entry has its slug and title: {seen:?}"
        );
        assert!(
            seen.iter()
                .any(|(slug, title)| slug == "rough" && title == "A meeting some time in 2023"),
            "{keeping}: {seen:?}"
        );
    }
}

/// A comparison's cells: with the built-in templates they hold only what
/// the built-in comparison shows of an event, and its pages are the ones
/// whole entries make; a site's own comparison reads every field.
#[test]
fn a_comparisons_cells_are_whole_entries_to_a_sites_own_template() {
    let site = site();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let read = |name: &str| std::fs::read_to_string(theme.join(name)).expect("read a template");
    let compare_pages = |out: &Path| {
        let mut files = pages(out);
        files.retain(|path, _| path.components().any(|c| c.as_os_str() == "compare"));
        files
    };
    let light = site.dir.path().join("light");
    common::build_at_fixed_time(site.path(), &light, &[]);
    let light_pages = compare_pages(&light);
    let compare = common::read_html(&light.join("compare/index.html"));
    assert!(
        compare.select(&sel("li.c-event a")).count() >= 2,
        "the comparison lists the track's events"
    );

    // Any template of the site's own: whole entries, the same pages.
    site.write("templates/404.html", read("404.html") + "\n");
    let whole = site.dir.path().join("whole");
    common::build_at_fixed_time(site.path(), &whole, &[]);
    assert!(light_pages.len() >= 2, "{:?}", light_pages.keys());
    common::assert_same_tree(&light_pages, &compare_pages(&whole));

    let link = r#"<a href="{{ ev.url }}">"#;
    let builtin = read("compare.html");
    assert!(
        builtin.contains(link),
        "the built-in comparison links each event"
    );
    site.write(
        "templates/compare.html",
        builtin.replace(
            link,
            &format!(
                r#"<span class="seen" data-slug="{{{{ ev.slug }}}}">{{{{ ev.when }}}}</span>{link}"#
            ),
        ),
    );
    let own = site.dir.path().join("own");
    common::build_at_fixed_time(site.path(), &own, &[]);
    let compare = common::read_html(&own.join("compare/index.html"));
    let seen = seen(&compare, "li.c-event span.seen");
    assert_eq!(
        seen.len(),
        compare.select(&sel("li.c-event")).count(),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|(slug, when)| slug == "rough" && when.contains("2023")),
        "every cell has its whole entry: {seen:?}"
    );
}
