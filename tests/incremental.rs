//! Incremental builds: after each kind of change, a rebuild into the
//! previous output (linking unchanged pages from it) must equal a clean
//! build byte for byte; unchanged pages really are linked, changed and
//! hand-edited ones are not, and a damaged manifest is not trusted. The
//! retained previous generation is `tests/retained_folder.rs`.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;
mod incremental_support;

use common::{read_html, sel, text_of};
use incremental_support::*;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

#[test]
fn body_edit() {
    let (f, rebuilt) = same_as_clean("body edit", |f| {
        let path = &f.events()[3];
        let mut text = fs::read_to_string(path).expect("read");
        text.push_str("\nA paragraph added since the last build.\n");
        fs::write(path, text).expect("write");
    });
    let slug = slug_of(&f.events()[3]);
    let page = read_html(&f.out("inc").join(format!("events/{slug}/index.html")));
    assert!(
        page.select(&sel("p"))
            .any(|p| text_of(p) == "A paragraph added since the last build."),
        "the edited event page shows the new paragraph"
    );
    // A body edit leaves every other page's inputs alone: the event's
    // neighbours, its terms, its year and the timeline show none of its
    // body, so only its own page is written again.
    assert_eq!(
        reused(&rebuilt),
        pages(&rebuilt) - 1,
        "only the edited event's page is written"
    );
}

#[test]
fn front_matter_edit() {
    let (_, rebuilt) = same_as_clean("front matter edit", |f| {
        retitle(&f.events()[3], "Retitled");
    });
    // The title shows on the pages that list the event or link to it.
    let written = pages(&rebuilt) - reused(&rebuilt);
    assert!(written > 3, "only {written} pages written");
}

#[test]
fn event_added() {
    same_as_clean("add", |f| {
        let from = &f.events()[0];
        let text = fs::read_to_string(from).expect("read");
        let text = text.replacen("title: \"", "title: \"Added ", 1);
        fs::write(from.with_file_name("added-event.md"), text).expect("write");
    });
}

#[test]
fn event_deleted() {
    same_as_clean("delete", |f| {
        fs::remove_file(f.unreferenced_event()).expect("delete");
    });
}

#[test]
fn event_file_renamed() {
    same_as_clean("rename", |f| {
        let from = f.unreferenced_event();
        fs::rename(&from, from.with_file_name("renamed-event.md")).expect("rename");
    });
}

#[test]
fn slug_changed() {
    same_as_clean("slug change", |f| {
        set_field(&f.unreferenced_event(), "slug", "slug: a-new-slug");
    });
}

#[test]
fn date_moved_across_years() {
    same_as_clean("date move", |f| {
        set_field(&f.events()[5], "date", "date: 1971-03-04");
    });
}

#[test]
fn track_changed() {
    same_as_clean("track change", |f| {
        set_field(&f.events()[6], "tracks", "tracks: [quad, us-rok]");
    });
}

#[test]
fn template_overridden() {
    let (f, rebuilt) = same_as_clean("template edit", |f| {
        let theme =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/year.html");
        let text = fs::read_to_string(theme).expect("the theme's year.html");
        let dir = f.site().join("templates");
        fs::create_dir_all(&dir).expect("templates folder");
        let edited = text.replacen(
            "{% endblock content %}",
            "<p class=\"edited-mark\">edited</p>{% endblock content %}",
            1,
        );
        assert_ne!(edited, text, "year.html has a content block");
        fs::write(dir.join("year.html"), edited).expect("write");
    });
    assert_eq!(reused(&rebuilt), 0, "a template change rebuilds every page");
    let year = fs::read_dir(f.out("inc").join("years"))
        .expect("the years folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("a year page");
    let page = read_html(&year.join("index.html"));
    assert_eq!(
        page.select(&sel("p.edited-mark")).count(),
        1,
        "the override is used"
    );
}

/// A period file added, edited (its end and its track) and removed: each
/// rebuild equals a clean build, and the period is shown where it lies.
#[test]
fn period_added_edited_and_removed() {
    let period = |f: &incremental_support::Fixture| f.site().join("content/periods/round.md");
    let (f, _) = same_as_clean("period added", |f| {
        let path = period(f);
        fs::create_dir_all(path.parent().expect("a folder")).expect("periods folder");
        fs::write(
            &path,
            "---\ntitle: First round\nstart: 1990-03\nend: 2030\n---\nTalks *began*.\n",
        )
        .expect("write");
    });
    let last_year = || {
        let mut years: Vec<String> = fs::read_dir(f.out("inc").join("years"))
            .expect("years")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        years.sort();
        f.out("inc")
            .join("years")
            .join(years.last().expect("a year"))
            .join("index.html")
    };
    let year = read_html(&last_year());
    assert!(
        year.select(&sel("li.period h3"))
            .any(|h| text_of(h) == "First round"),
        "the period is on the last year page, which it overlaps"
    );
    fs::write(
        period(&f),
        "---\ntitle: First round\nstart: 1990-03\nend: 1990\ntrack: us-japan\n---\nTalks *began*.\n",
    )
    .expect("edit");
    rebuild_and_compare(&f, "period edited");
    let year = read_html(&last_year());
    assert_eq!(
        year.select(&sel("li.period")).count(),
        0,
        "the shortened period left the year it no longer reaches"
    );
    fs::remove_file(period(&f)).expect("remove");
    rebuild_and_compare(&f, "period removed");
}

#[test]
fn config_changed() {
    let (f, rebuilt) = same_as_clean("config change", |f| {
        let path = f.site().join("site.yaml");
        let text = fs::read_to_string(&path).expect("site.yaml");
        fs::write(&path, text.replacen("title: ", "title: Renamed ", 1)).expect("write");
    });
    assert_eq!(
        reused(&rebuilt),
        0,
        "a configuration change rebuilds every page"
    );
    let home = read_html(&f.out("inc").join("index.html"));
    let title = home
        .select(&sel("title"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    assert!(title.contains("Renamed"), "the new title is shown: {title}");
}

#[test]
fn unchanged_pages_are_linked_and_changed_ones_written_anew() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let events = f.events();
    let slug = |p: &PathBuf| slug_of(p);
    let page = |p: &PathBuf| f.out("inc").join(format!("events/{}/index.html", slug(p)));
    let (edited, untouched) = (&events[3], &events[events.len() - 1]);
    let before = (inode(&page(edited)), inode(&page(untouched)));
    let mut text = fs::read_to_string(edited).expect("read");
    text.push_str("\nMore.\n");
    fs::write(edited, text).expect("write");
    let rebuilt = f.build("inc", &[]);
    assert!(reused(&rebuilt) > 0);
    assert_eq!(
        inode(&page(untouched)),
        before.1,
        "an unchanged page is linked"
    );
    assert_ne!(
        inode(&page(edited)),
        before.0,
        "a changed page is written anew"
    );
    // The linked file is the previous build's, unchanged: its other name
    // is in the old site, kept as the retained folder.
    assert_eq!(fs::metadata(page(untouched)).expect("page").nlink(), 2);
    let retained = f.retained("inc");
    let old = retained.join(format!("events/{}/index.html", slug(untouched)));
    assert_eq!(inode(&old), before.1);

    // `--clean` links nothing, and deletes the retained folder and the
    // site it replaces.
    let clean = f.build("inc", &["--clean"]);
    assert_eq!(reused(&clean), 0);
    assert_ne!(
        inode(&page(untouched)),
        before.1,
        "--clean writes every page"
    );
    assert!(!retained.exists(), "--clean leaves no retained folder");
    assert_eq!(fs::metadata(page(untouched)).expect("page").nlink(), 1);
}

#[test]
fn only_the_search_index_parts_an_edit_changes_are_written_again() {
    let files = |f: &Fixture, folder: &str| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = fs::read_dir(f.out("inc").join("search-index").join(folder))
            .expect("a folder of the search index")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        found
    };
    // A title edit changes the event's record and the words' lists, not
    // which events a kind, country or tag holds.
    let facets = |f: &Fixture| -> Vec<PathBuf> {
        ["kinds", "countries", "tags"]
            .iter()
            .flat_map(|taxonomy| files(f, &format!("f/{taxonomy}")))
            .collect()
    };
    let mut before = Vec::new();
    let (f, _) = same_as_clean("search index after a title edit", |f| {
        before = facets(f).iter().map(|p| (p.clone(), inode(p))).collect();
        retitle(&f.events()[3], "Zanzibarred");
    });
    assert!(!before.is_empty());
    for (p, old) in &before {
        assert_eq!(
            inode(p),
            *old,
            "{} is linked from the last build",
            p.display()
        );
    }
    assert!(
        files(&f, "d")
            .iter()
            .any(|p| fs::read_to_string(p).expect("read").contains("Zanzibarred")),
        "the edited event's record is written again"
    );
    assert!(
        files(&f, "t").iter().any(|p| fs::read_to_string(p)
            .expect("read")
            .contains("\"zanzibarred\"")),
        "the new word is indexed"
    );
}

#[test]
fn only_the_feeds_of_an_edited_events_terms_are_written_again() {
    let mut with = Vec::new();
    let mut without = Vec::new();
    // The fixture is kept to the end: its folder goes with it.
    let (_site, _) = same_as_clean("feeds after a title edit", |f| {
        let edited = &f.events()[3];
        let slug = slug_of(edited);
        let holds = |feed: &Path| -> bool {
            let text = fs::read_to_string(feed).expect("read a feed");
            let doc = roxmltree::Document::parse(&text).expect("valid Atom");
            doc.descendants()
                .filter(|n| {
                    n.has_tag_name("id") && n.parent().is_some_and(|p| p.has_tag_name("entry"))
                })
                .any(|n| {
                    n.text()
                        .is_some_and(|t| t.ends_with(&format!("/events/{slug}/")))
                })
        };
        for feed in term_feeds(&f.out("inc")) {
            let before = inode(&feed);
            if holds(&feed) {
                with.push((feed, before));
            } else {
                without.push((feed, before));
            }
        }
        retitle(edited, "Retitled");
    });
    assert!(
        !with.is_empty() && !without.is_empty(),
        "feeds with and without the event"
    );
    for (p, old) in &with {
        assert_ne!(inode(p), *old, "{} is written again", p.display());
        assert!(
            fs::read_to_string(p).expect("read").contains("Retitled"),
            "{} shows the new title",
            p.display()
        );
    }
    for (p, old) in &without {
        assert_eq!(
            inode(p),
            *old,
            "{} is linked from the last build",
            p.display()
        );
    }
}

/// Puts `word` at the start of the event file's title.
fn retitle(path: &Path, word: &str) {
    let text = fs::read_to_string(path).expect("read an event");
    fs::write(
        path,
        text.replacen("title: ", &format!("title: {word} "), 1),
    )
    .expect("write");
}

/// Every term's Atom feed in the output `out` (`<taxonomy>/<term>/atom.xml`).
fn term_feeds(out: &Path) -> Vec<PathBuf> {
    let mut feeds = Vec::new();
    for taxonomy in ["kinds", "countries", "tracks", "participants", "tags"] {
        for term in fs::read_dir(out.join(taxonomy)).expect("a taxonomy folder") {
            let feed = term.expect("an entry").path().join("atom.xml");
            if feed.is_file() {
                feeds.push(feed);
            }
        }
    }
    feeds.sort();
    feeds
}

#[test]
fn a_hand_edited_output_page_is_not_reused() {
    let f = Fixture::new();
    f.build("inc", &[]);
    f.build("clean", &[]);
    let rel = Path::new("years/index.html");
    let path = f.out("inc").join(rel);
    let mut text = fs::read_to_string(&path).expect("read");
    text.push_str("<p>edited by hand</p>");
    fs::write(&path, text).expect("edit in place");
    let rebuilt = f.build("inc", &[]);
    assert!(reused(&rebuilt) > 0, "other pages are still reused");
    let doc = read_html(&path);
    assert!(
        !doc.select(&sel("p"))
            .any(|p| text_of(p) == "edited by hand"),
        "the hand edit is gone"
    );
    assert_eq!(
        fs::read(&path).expect("read"),
        fs::read(f.out("clean").join(rel)).expect("read"),
        "the page is rendered again"
    );
}

#[test]
fn a_damaged_manifest_means_a_full_build() {
    let f = Fixture::new();
    f.build("inc", &[]);
    fs::write(f.out("inc").join(INDEX), "annals-manifest 1\nglobal zz\n").expect("damage");
    let rebuilt = f.build("inc", &[]);
    assert_eq!(reused(&rebuilt), 0);
    f.build("clean", &["--clean"]);
    assert_eq!(
        manifest_inputs(&f.out("inc")),
        manifest_inputs(&f.out("clean"))
    );
}

/// The pages' total as the build reports it.
#[test]
fn a_rebuild_without_changes_reuses_every_page() {
    let f = Fixture::new();
    let first = f.build("inc", &[]);
    assert_eq!(reused(&first), 0, "nothing to reuse in a new folder");
    let again = f.build("inc", &[]);
    // Every page kind has a fingerprint: none is rendered again for nothing.
    assert_eq!(reused(&again), pages(&again));
    assert!(pages(&again) > EVENTS);
}

#[test]
fn bundled_image_edited() {
    let f = Fixture::new();
    // A page bundle: an event, moved into a folder of its name with an image.
    let from = f.unreferenced_event();
    let slug = slug_of(&from);
    let text = fs::read_to_string(&from).expect("read");
    let end = text[4..].find("\n---\n").expect("front matter") + 4;
    let text = format!(
        "{}\nmedia: [{{src: map.png, alt: A map}}]{}",
        &text[..end],
        &text[end..]
    );
    fs::remove_file(&from).expect("move the event");
    let bundle = f.site().join("content/events").join(&slug);
    fs::create_dir_all(&bundle).expect("bundle folder");
    fs::write(bundle.join("index.md"), text).expect("write");
    let image = |w: u32, h: u32| {
        image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]))
            .save(bundle.join("map.png"))
            .expect("an image");
    };
    image(1200, 600);
    f.build("inc", &[]);
    image(900, 900);
    f.build("inc", &[]);
    f.build("clean", &["--clean"]);
    assert_same_files(&f, "bundled image edited");
    let page = read_html(&f.out("inc").join(format!("events/{slug}/index.html")));
    let img = page
        .select(&sel(".media-image img"))
        .next()
        .expect("the image");
    assert_eq!(img.value().attr("width"), Some("900"));
    assert_eq!(img.value().attr("height"), Some("900"));
    let src = img.value().attr("src").unwrap_or_default();
    let copy = f.out("inc").join(src.trim_start_matches("/timeline/"));
    assert!(copy.is_file(), "{}", copy.display());
}

/// A person's name in their own script, written in one event, is shown
/// wherever another event names that person (list entries, event pages):
/// a rebuild after it is added equals a clean build, and the other event's
/// page shows it.
#[test]
fn a_name_in_its_own_script_reaches_every_event_of_that_person() {
    let mut other_slug = String::new();
    let (f, _) = same_as_clean("name in its own script", |f| {
        let named: Vec<(PathBuf, Vec<String>)> = f
            .events()
            .into_iter()
            .map(|path| {
                let names = participants(&fs::read_to_string(&path).expect("read"));
                (path, names)
            })
            .collect();
        let (edited, other, name) = named
            .iter()
            .enumerate()
            .find_map(|(n, (path, names))| {
                names.iter().find_map(|name| {
                    let (other, _) = named[n + 1..]
                        .iter()
                        .find(|(_, others)| others.contains(name))?;
                    Some((path.clone(), other.clone(), name.clone()))
                })
            })
            .expect("a participant named by two events");
        other_slug = slug_of(&other);
        let text = fs::read_to_string(&edited).expect("read");
        let text = text
            .replacen(
                &format!("  - {{name: {name},"),
                &format!("  - {{name: {name}, native: 佐藤,"),
                1,
            )
            .replacen(
                &format!("  - {name}\n"),
                &format!("  - {{name: {name}, native: 佐藤}}\n"),
                1,
            );
        assert!(
            text.contains("native: 佐藤"),
            "{name} in {}",
            edited.display()
        );
        fs::write(&edited, text).expect("write");
    });
    let page = read_html(&f.out("inc").join(format!("events/{other_slug}/index.html")));
    assert!(
        page.root_element().text().any(|t| t.contains("佐藤")),
        "the page of {other_slug}, which names the same person, shows the name in its own script"
    );
}

/// The participants' names an event file lists, as the generated corpus
/// writes them (`- Name` or `- {name: Name, …}`).
fn participants(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| *l != "participants:")
        .skip(1)
        .take_while(|l| l.starts_with("  - "))
        .map(|l| {
            let item = l.trim_start_matches("  - ");
            match item.strip_prefix("{name: ") {
                Some(rest) => rest.split([',', '}']).next().unwrap_or_default(),
                None => item,
            }
            .trim()
            .to_string()
        })
        .collect()
}

/// An event's slug: the corpus names each file after its event.
fn slug_of(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}
