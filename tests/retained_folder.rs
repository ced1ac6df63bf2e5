//! Successive rebuilds through the retained folder (the site the last swap
//! replaced, taken over as the next staging folder) equal clean builds, and
//! a retained folder is trusted only under an intact manifest.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;
mod incremental_support;

use common::{read_html, sel, text_of};
use incremental_support::*;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

#[test]
fn successive_rebuilds_through_the_retained_folder_equal_clean_builds() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let events = f.events();
    let (a, b) = (events[3].clone(), events[events.len() / 2].clone());
    let gone = f.unreferenced_event();
    let gone_text = fs::read_to_string(&gone).expect("read");
    let a_text = fs::read_to_string(&a).expect("read");

    append(&a, "\nFirst edit.\n");
    let first = rebuild_and_compare(&f, "1: an edit (the old site becomes the retained folder)");
    assert!(reused(&first) > EVENTS / 2);
    assert!(f.retained("inc").join(INDEX).is_file());

    fs::remove_file(&gone).expect("delete");
    // The event count on every page changes: every page is written again.
    rebuild_and_compare(&f, "2: a deletion");

    // The retained folder is the site of step 1: it still has the deleted
    // event's page, and the first edit; a stray file planted in it must
    // not survive either.
    fs::write(f.retained("inc").join("stray.html"), "<p>stray</p>").expect("plant");
    let stem = gone
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let gone_page = format!("events/{stem}/index.html");
    let retained_inode = inode(&f.retained("inc").join(&gone_page));
    fs::write(&gone, &gone_text).expect("re-add");
    append(&b, "\nSecond edit.\n");
    let third = rebuild_and_compare(&f, "3: the deleted event back, another edit");
    assert!(reused(&third) > EVENTS / 2);
    assert_eq!(
        inode(&f.out("inc").join(&gone_page)),
        retained_inode,
        "the re-added event's page is the retained folder's file, kept"
    );

    // Back to the text of two builds ago: neither the retained folder (step
    // 2, first edit) nor the live site holds that page any more.
    fs::write(&a, &a_text).expect("revert");
    rebuild_and_compare(&f, "4: an edit of two builds ago undone");

    let fifth = rebuild_and_compare(&f, "5: no change");
    assert_eq!(reused(&fifth), pages(&fifth));
}

/// Builds `inc` twice (so that its retained folder holds the first site),
/// then, in that folder, rewrites the page of an edited event in place
/// with bytes of the same length and its old modification time, so that
/// only the retained folder's manifest could vouch for it. Returns the
/// page's path in the output.
fn plant_a_forgery(f: &Fixture) -> PathBuf {
    let event = f.events()[3].clone();
    let original = fs::read_to_string(&event).expect("read");
    f.build("inc", &[]);
    append(&event, "\nAn edit undone later.\n");
    f.build("inc", &[]);
    fs::write(&event, original).expect("undo the edit");
    let slug = event
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let rel = format!("events/{slug}/index.html");
    let old = f.retained("inc").join(&rel);
    let bytes = fs::read(&old).expect("the first site's page");
    let mtime = fs::metadata(&old)
        .and_then(|m| m.modified())
        .expect("mtime");
    let forged = String::from_utf8_lossy(&bytes).replacen("<title>", "<title>X", 1);
    let forged = forged.replacen("</title>", "</titl>", 1);
    assert_eq!(forged.len(), bytes.len());
    let file = fs::OpenOptions::new()
        .write(true)
        .open(&old)
        .expect("open in place");
    std::io::Write::write_all(&mut &file, forged.as_bytes()).expect("forge");
    file.set_modified(mtime).expect("restore the time");
    f.out("inc").join(rel)
}

#[test]
fn a_retained_folder_with_a_damaged_or_missing_manifest_is_never_trusted() {
    for damage in ["missing", "damaged", "truncated", "part altered"] {
        let f = Fixture::new();
        let page = plant_a_forgery(&f);
        let manifest = f.retained("inc").join(INDEX);
        let text = fs::read_to_string(&manifest).expect("a retained manifest");
        match damage {
            "missing" => fs::remove_file(&manifest).expect("delete"),
            "damaged" => {
                fs::write(&manifest, text.replacen("global ", "global zz", 1)).expect("damage")
            }
            "truncated" => fs::write(&manifest, &text[..text.len() / 2]).expect("truncate"),
            _ => {
                // One entry's size changed: the index's hash of the part no
                // longer matches, though every line still parses.
                let part = f.retained("inc").join(MANIFEST).join("part-0000");
                let lines = fs::read_to_string(&part).expect("a part");
                let (first, rest) = lines.split_once('\n').expect("an entry");
                let mut fields: Vec<String> = first.split(' ').map(String::from).collect();
                fields[1].push('0');
                fs::write(&part, format!("{}\n{rest}", fields.join(" "))).expect("alter");
            }
        }
        let rebuilt = f.build("inc", &[]);
        assert!(
            reused(&rebuilt) > 0,
            "{damage}: the live site is still used"
        );
        f.build("clean", &["--clean"]);
        assert_inc_is_clean(&f, damage);
        let title = read_html(&page)
            .select(&sel("title"))
            .next()
            .map(text_of)
            .unwrap_or_default();
        assert!(!title.starts_with('X'), "{damage}: the forgery was kept");
    }
}

#[test]
fn a_valid_retained_manifest_is_what_vouches_for_its_files() {
    // The counterpart of the test above: the same forgery, under an intact
    // manifest, is kept, which shows that the test above reaches the
    // retained folder at all.
    let f = Fixture::new();
    let page = plant_a_forgery(&f);
    f.build("inc", &[]);
    let title = read_html(&page)
        .select(&sel("title"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    assert!(
        title.starts_with('X'),
        "the retained file was kept: {title}"
    );
}

#[test]
fn a_retained_file_changed_or_gone_since_its_manifest_is_written_again() {
    // The walk of the retained folder is what vouches for its files: one
    // changed in size and time, and one deleted, must both be rendered
    // again, not kept as the manifest records them.
    let (f, events) = with_a_retained_folder();
    let changed = f.retained("inc").join("years/index.html");
    let mut text = fs::read_to_string(&changed).expect("a retained page");
    text.push_str("<p>changed in the retained folder</p>");
    fs::write(&changed, text).expect("change");
    let stem = events[events.len() / 2]
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let gone = format!("events/{stem}/index.html");
    fs::remove_file(f.retained("inc").join(&gone)).expect("delete");
    append(&events[5], "\nAnother edit.\n");
    let rebuilt = rebuild_and_compare(&f, "a changed and a deleted retained file");
    assert!(reused(&rebuilt) > EVENTS / 2, "the rest is still kept");
    assert!(f.out("inc").join(&gone).is_file());
}

#[test]
fn whatever_odd_the_retained_folder_or_the_live_site_holds_a_rebuild_puts_right() {
    // What a person or another tool may leave in either generation: a
    // folder (with files in it) where the site has a file, a symbolic link
    // for a page, a page edited in place, a stray file, a page moved away.
    let (f, events) = with_a_retained_folder();
    let retained = f.retained("inc");
    let live = f.out("inc");
    let folder_for_file = retained.join("years/index.html");
    fs::remove_file(&folder_for_file).expect("delete");
    fs::create_dir_all(folder_for_file.join("inner")).expect("mkdir");
    fs::write(folder_for_file.join("inner/page.html"), "inner").expect("write");
    let stem = |n: usize| {
        events[n]
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string()
    };
    let linked = retained.join(format!("events/{}/index.html", stem(7)));
    fs::remove_file(&linked).expect("delete");
    let outside = f.site().join("site.yaml");
    std::os::unix::fs::symlink(&outside, &linked).expect("symlink");
    let edited = live.join(format!("events/{}/index.html", stem(9)));
    let mut text = fs::read(&edited).expect("read");
    text.extend_from_slice(b"<!-- edited -->");
    fs::write(&edited, text).expect("edit in place");
    fs::write(live.join(format!("events/{}/stray.html", stem(11))), "x").expect("stray");
    let moved = live.join(format!("events/{}/index.html", stem(13)));
    fs::rename(&moved, moved.with_extension("old")).expect("move");
    let site_yaml = fs::read(&outside).expect("read");
    append(&events[5], "\nAnother edit.\n");
    rebuild_and_compare(&f, "odd entries in both generations");
    // And once more, with the other generation taken over.
    append(&events[6], "\nOne more edit.\n");
    rebuild_and_compare(&f, "the next build after them");
    assert_eq!(
        fs::read(&outside).expect("read"),
        site_yaml,
        "no write went through the link"
    );
}

/// The retained folder is read while the content is parsed; a build that
/// a content error stops leaves it exactly as it was, manifest and files,
/// and the next build still keeps its pages.
#[test]
fn a_build_stopped_by_a_content_error_leaves_the_retained_folder_as_it_was() {
    let (f, events) = with_a_retained_folder();
    let before = common::snapshot(&f.retained("inc"));
    assert!(before.contains_key(&PathBuf::from(INDEX)));
    let broken = fs::read_to_string(&events[4]).expect("read");
    fs::write(&events[4], broken.replacen("title:", "title: [unclosed", 1)).expect("break");
    let failed = common::annals()
        .args(["build", "--site"])
        .arg(f.site())
        .arg("--out")
        .arg(f.out("inc"))
        .output()
        .expect("run annals");
    assert!(
        !failed.status.success(),
        "the content error stops the build"
    );
    common::assert_same_tree(&before, &common::snapshot(&f.retained("inc")));
    fs::write(&events[4], broken).expect("mend");
    append(&events[5], "\nAnother edit.\n");
    let rebuilt = rebuild_and_compare(&f, "after a failed build");
    assert!(
        reused(&rebuilt) > EVENTS / 2,
        "the retained pages are still kept"
    );
}

#[test]
fn clean_deletes_the_retained_folder() {
    let f = Fixture::new();
    f.build("inc", &[]);
    f.build("inc", &[]);
    assert!(f.retained("inc").join(INDEX).is_file());
    let clean = f.build("inc", &["--clean"]);
    assert_eq!(reused(&clean), 0);
    assert!(!f.retained("inc").exists());
    let mut beside = common::entries_but_cache(f.dir.path());
    beside.sort();
    assert_eq!(beside, ["inc", "site"]);
}

#[test]
fn a_full_rebuild_writes_over_the_retained_folder_never_into_the_live_site() {
    let f = Fixture::new();
    f.build("inc", &[]);
    let events = f.events();
    let (edited, untouched) = (events[3].clone(), events[events.len() / 2].clone());
    let page = |event: &PathBuf| {
        let stem = event
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        format!("events/{stem}/index.html")
    };
    append(&edited, "\nAn edit.\n");
    f.build("inc", &[]);
    // The live site's unchanged page is a hard link shared with the
    // retained folder; the edited page's old version there is its own.
    let live = f.out("inc").join(page(&untouched));
    let live_bytes = fs::read(&live).expect("a live page");
    assert_eq!(fs::metadata(&live).expect("page").nlink(), 2);
    let old_edited = f.retained("inc").join(page(&edited));
    assert_eq!(fs::metadata(&old_edited).expect("page").nlink(), 1);
    let own_inode = inode(&old_edited);
    fs::write(f.retained("inc").join("stray.html"), "<p>stray</p>").expect("plant");

    // Another title in site.yaml: no page of either folder may be reused.
    let config = f.site().join("site.yaml");
    let text = fs::read_to_string(&config).expect("site.yaml");
    let retitled = text
        .lines()
        .map(|l| match l.strip_prefix("title:") {
            Some(_) => "title: Another title".to_string(),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(retitled, text.trim_end());
    fs::write(&config, retitled).expect("retitle");
    let rebuilt = rebuild_and_compare(&f, "a new title: every page written again");
    assert_eq!(reused(&rebuilt), 0);

    // The site that was live during the build (now the retained folder)
    // is as it was: a file it shares was replaced, never written into.
    let was_live = f.retained("inc").join(page(&untouched));
    assert_eq!(fs::read(&was_live).expect("the old page"), live_bytes);
    assert_ne!(fs::read(&live).expect("the new page"), live_bytes);
    // The file no other name shared was written over where it was.
    assert_eq!(inode(&f.out("inc").join(page(&edited))), own_inode);
    let title = read_html(&f.out("inc").join(page(&edited)))
        .select(&sel("title"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    assert!(title.ends_with("Another title"), "{title}");
    assert!(!f.out("inc").join("stray.html").exists());
}

#[test]
fn unchanged_years_of_events_json_and_citation_parts_are_kept_and_the_output_equals_a_clean_build()
{
    let f = Fixture::new();
    f.build("inc", &[]);
    f.build("inc", &[]);
    let edited = f.events()[3].clone();
    let year = year_of(&edited);
    let years: Vec<String> = fs::read_dir(f.out("inc").join("years"))
        .expect("years")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.len() == 4 && *name != year)
        .collect();
    let other = years.first().expect("another year");
    let share = |y: &str| f.out("inc").join(format!("years/{y}/events.json"));
    let (other_inode, edited_inode) = (inode(&share(other)), inode(&share(&year)));
    // Each year's calendar is kept the same way, by the digest of what its
    // VEVENTs are made from.
    let calendar = |y: &str| f.out("inc").join(format!("years/{y}/calendar.ics"));
    let (other_calendar, edited_calendar) = (inode(&calendar(other)), inode(&calendar(&year)));
    // The site-wide citation files are kept the same way, by the digest
    // of their events' references.
    let citations = f.out("inc").join("citations.bib");
    let citations_inode = inode(&citations);
    f.build("inc", &[]);
    assert_eq!(inode(&citations), citations_inode, "unchanged: kept");

    set_field(&edited, "summary", "summary: \"An edited summary.\"");
    rebuild_and_compare(&f, "an edit in one year");
    assert_eq!(
        inode(&share(other)),
        other_inode,
        "an unchanged year's share is the previous build's file"
    );
    assert_ne!(
        inode(&share(&year)),
        edited_inode,
        "the edited year's share is written again"
    );
    assert_ne!(
        inode(&citations),
        citations_inode,
        "the citations of an edited event's part are written again"
    );
    assert_eq!(
        inode(&calendar(other)),
        other_calendar,
        "an unchanged year's calendar is the previous build's file"
    );
    assert_ne!(
        inode(&calendar(&year)),
        edited_calendar,
        "the calendar of the edited year is written again"
    );
}

/// Without `SOURCE_DATE_EPOCH`, DTSTAMP is the time a calendar was made: a
/// year's calendar that a rebuild keeps keeps its DTSTAMP (in the whole
/// calendar too), the edited year's VEVENTs get the new build's.
#[test]
fn a_kept_years_calendar_keeps_the_dtstamp_it_was_made_with() {
    let f = Fixture::new();
    let build = || {
        let out = common::annals()
            .env_remove("SOURCE_DATE_EPOCH")
            .args(["build", "-q", "--site"])
            .arg(f.site())
            .arg("--out")
            .arg(f.out("inc"))
            .output()
            .expect("run annals");
        common::assert_success(&out);
    };
    build();
    let edited = f.events()[3].clone();
    let year = year_of(&edited);
    let stamps = |rel: &str| -> Vec<String> {
        fs::read_to_string(f.out("inc").join(rel))
            .expect("a calendar")
            .lines()
            .filter_map(|l| l.strip_prefix("DTSTAMP:").map(str::to_string))
            .collect()
    };
    let first = stamps("calendar.ics");
    assert!(!first.is_empty() && first.iter().all(|s| *s == first[0]));
    // DTSTAMP has whole seconds: the next build is in another second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    set_field(&edited, "summary", "summary: \"An edited summary.\"");
    build();
    let edited_year = stamps(&format!("years/{year}/calendar.ics"));
    assert!(
        edited_year.iter().all(|s| *s != first[0]),
        "{edited_year:?}"
    );
    let whole = stamps("calendar.ics");
    assert_eq!(whole.len(), first.len());
    let kept = whole.iter().filter(|s| **s == first[0]).count();
    assert_eq!(kept, whole.len() - edited_year.len(), "{whole:?}");
}

/// The year of the event in `file` (its `date:` line's first four digits).
fn year_of(file: &std::path::Path) -> String {
    let text = fs::read_to_string(file).expect("read");
    text.lines()
        .find_map(|l| l.strip_prefix("date: "))
        .map(|d| {
            d.trim_matches(['"', '\''])
                .chars()
                .take(4)
                .collect::<String>()
        })
        .expect("a date")
}

/// Two builds into `inc`, the second after an edit, so that the output
/// has a retained folder; with the site's event files.
fn with_a_retained_folder() -> (Fixture, Vec<PathBuf>) {
    let f = Fixture::new();
    f.build("inc", &[]);
    let events = f.events();
    append(&events[3], "\nAn edit.\n");
    f.build("inc", &[]);
    (f, events)
}
