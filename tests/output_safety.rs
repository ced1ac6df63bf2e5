//! The output folder is replaced whole and atomically, and never where the
//! replacement would delete the site's own sources.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

/// A site in `<tmp>/site` with two events, already built into `public/`.
fn built_site() -> TestSite {
    let site = TestSite::nested();
    site.event("2024/first.md", simple_event("First event", "2024-07-01"));
    site.event("2024/second.md", simple_event("Second event", "2024-07-28"));
    assert_success(&site.build_here(&[]));
    assert!(site.public().join("events/first/index.html").is_file());
    site
}

/// Runs `annals build --site . --out <out>` from the site and checks that it
/// is refused and that nothing in the temporary folder (which holds the
/// site) was created, changed or deleted.
fn assert_refused(site: &TestSite, out: &str) {
    let outer = site.dir.path();
    let files_before = snapshot(outer);
    let folders_before = folders(outer);
    let run = site.build_here(&["--out", out]);
    assert_code(&run, 2);
    let err = stderr(&run);
    assert!(
        err.contains("refusing"),
        "--out {out}: no refusal message:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_same_tree(&files_before, &snapshot(outer));
    assert_eq!(
        folders_before,
        folders(outer),
        "--out {out}: folders were created or removed"
    );
}

#[test]
fn out_equal_to_the_site_is_refused() {
    let site = built_site();
    assert_refused(&site, ".");
    assert_refused(&site, site.path().to_str().unwrap());
    // Also through `..`, as long as it resolves to the site.
    assert_refused(&site, "../site");
}

#[test]
fn out_equal_to_content_is_refused() {
    let site = built_site();
    assert_refused(&site, "content");
    assert_refused(&site, site.path().join("content").to_str().unwrap());
}

#[test]
fn out_inside_content_is_refused() {
    let site = built_site();
    assert_refused(&site, "content/events");
    assert_refused(&site, "content/events/2024");
    assert_refused(&site, "content/generated");
}

#[test]
fn out_holding_the_site_is_refused() {
    let site = built_site();
    assert_refused(&site, "..");
    assert_refused(&site, site.dir.path().to_str().unwrap());
}

#[test]
fn out_inside_templates_or_static_is_refused() {
    let site = built_site();
    site.write("static/robots-extra.txt", "keep");
    site.write("templates/partials/extra.html", "<p>extra</p>");
    assert_refused(&site, "static");
    assert_refused(&site, "templates/out");
}

#[test]
fn out_holding_unrelated_files_is_not_wiped() {
    // `--out` names a folder that annals never wrote (a typo, or the wrong
    // folder): replacing it whole would silently delete the user's files.
    let site = built_site();
    let docs = site.dir.path().join("documents");
    fs::create_dir_all(docs.join("drafts")).unwrap();
    fs::write(docs.join("thesis.docx"), "years of work").unwrap();
    fs::write(docs.join("drafts/chapter-1.md"), "notes").unwrap();
    let before = snapshot(&docs);
    let out = site.build_here(&["--out", "../documents"]);
    assert_code(&out, 2);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_same_tree(&before, &snapshot(&docs));
    assert_eq!(
        entries(site.dir.path()),
        ["documents", "site"],
        "staging left behind"
    );
}

#[test]
fn a_stale_staging_folder_is_cleared_and_never_published() {
    let site = built_site();
    let staging = site.path().join(".public.annals-staging");
    fs::create_dir_all(staging.join("events/ghost")).unwrap();
    fs::write(staging.join("junk.html"), "junk from a killed build").unwrap();
    fs::write(staging.join("index.html"), "STALE INDEX").unwrap();
    fs::write(staging.join("events/ghost/index.html"), "ghost").unwrap();

    assert_success(&site.build_here(&[]));
    assert!(!staging.exists(), "the stale staging folder is still there");
    assert!(
        !site.public().join("junk.html").exists(),
        "junk from the staging folder was published"
    );
    assert!(
        !site.public().join("events/ghost").exists(),
        "junk from the staging folder was published"
    );
    let index = fs::read_to_string(site.public().join("index.html")).unwrap();
    assert!(!index.contains("STALE INDEX"));
    assert_eq!(
        texts(&site.page("index.html"), ".entry-title a"),
        ["First event", "Second event"]
    );
    // Only the site this build replaced is kept beside the output.
    assert_eq!(
        entries_but_cache(site.path()),
        [".public.annals-retained", "content", "public", "site.yaml"]
    );
}

#[test]
fn a_leftover_backup_folder_is_cleared() {
    let site = built_site();
    let backup = site.path().join(".public.annals-previous");
    fs::create_dir_all(&backup).unwrap();
    fs::write(backup.join("index.html"), "OLD SITE").unwrap();
    assert_success(&site.build_here(&[]));
    assert!(
        !backup.exists(),
        "the backup folder of an interrupted build is still there"
    );
    assert_eq!(
        texts(&site.page("index.html"), ".entry-title a"),
        ["First event", "Second event"]
    );
}

#[test]
fn a_template_syntax_error_leaves_the_previous_site() {
    let site = built_site();
    let before = snapshot(&site.public());
    site.write(
        "templates/event.html",
        "<!DOCTYPE html>\n<html>\n<p>{% if %}broken{% endif %}</p>\n</html>\n",
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("templates/event.html:3:"),
        "the template and its line are not named:\n{err}"
    );
    assert!(
        err.contains("3 | <p>{% if %}broken{% endif %}</p>"),
        "the line is not shown:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_previous_site_kept(&site, &before);
}

/// The failed build left `public/` as it was and no staging folder.
fn assert_previous_site_kept(site: &TestSite, before: &BTreeMap<PathBuf, Vec<u8>>) {
    assert_same_tree(before, &snapshot(&site.public()));
    assert_eq!(
        entries_but_cache(site.path()),
        ["content", "public", "site.yaml", "templates"],
        "staging left behind"
    );
}

#[test]
fn a_template_render_error_leaves_the_previous_site() {
    // Compiles, but fails while rendering: the staging folder already exists then.
    let site = built_site();
    let before = snapshot(&site.public());
    site.write(
        "templates/event.html",
        "<!DOCTYPE html>\n<html>\n<p>{{ event.no_such_field.deeper }}</p>\n</html>\n",
    );
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("templates/event.html"),
        "the template is not named:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_previous_site_kept(&site, &before);
}

#[test]
fn a_rebuild_replaces_the_output_whole() {
    let site = built_site();
    fs::write(site.public().join("stale.html"), "from an old build").unwrap();
    fs::create_dir_all(site.public().join("events/removed-event")).unwrap();
    fs::write(site.public().join("events/removed-event/index.html"), "old").unwrap();
    fs::remove_file(site.path().join("content/events/2024/second.md")).unwrap();

    assert_success(&site.build_here(&[]));
    assert!(
        !site.public().join("stale.html").exists(),
        "a stale file survived the rebuild"
    );
    assert!(
        !site.public().join("events/removed-event").exists(),
        "a stale folder survived the rebuild"
    );
    assert!(
        !site.public().join("events/second").exists(),
        "a deleted event is still published"
    );
    assert_eq!(entries(&site.public().join("events")), ["first"]);
    assert_eq!(
        texts(&site.page("index.html"), ".entry-title a"),
        ["First event"]
    );
}

#[test]
fn out_that_is_a_file_is_an_error_and_the_file_is_kept() {
    let site = built_site();
    let target = site.path().join("output.txt");
    fs::write(&target, "not a folder").unwrap();
    let out = site.build_here(&["--out", "output.txt"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("output.txt"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&target).unwrap(), "not a folder");
    assert_eq!(
        entries(site.path()),
        ["content", "output.txt", "public", "site.yaml"],
        "staging left behind"
    );
}

#[test]
fn out_outside_the_site_works() {
    let site = built_site();
    let out = site.build_here(&["--out", "../elsewhere/www"]);
    assert_success(&out);
    let www = site.dir.path().join("elsewhere/www");
    assert!(www.join("events/first/index.html").is_file());
    assert_eq!(
        entries(&site.dir.path().join("elsewhere")),
        ["www"],
        "staging left behind"
    );
}

/// An output name so long that the folders a build keeps beside it
/// (`.<name>.annals-staging.<process>.old`) would pass the system's limit
/// of 255 bytes a name is refused before anything is made; the longest
/// allowed name builds, twice.
#[test]
fn an_output_name_too_long_for_its_siblings_is_refused_before_anything_is_made() {
    let site = built_site();
    let too_long = format!("../{}", "o".repeat(228));
    assert_refused(&site, &too_long);
    let err = stderr(&site.build_here(&["--out", &too_long]));
    assert!(err.contains("at most 227 bytes"), "{err}");
    let longest = format!("../{}", "o".repeat(227));
    for n in 0..2 {
        site.event(
            "2024/third.md",
            simple_event(&format!("Third event {n}"), "2024-08-01"),
        );
        assert_success(&site.build_here(&["--out", &longest]));
    }
    assert!(
        site.dir
            .path()
            .join("o".repeat(227))
            .join("events/third/index.html")
            .is_file()
    );
}

/// `--out` through missing folders and `..`: checked where the path lands
/// once those folders exist, never as typed.
#[test]
fn out_through_a_missing_folder_and_dotdot_is_refused() {
    let site = built_site();
    let outer = site.dir.path().display().to_string();
    for out in [
        "nothere/..".to_string(),
        "nothere/../content".to_string(),
        "nothere/deeper/../../content/events".to_string(),
        "../nothere/../site".to_string(),
        format!("{outer}/nonexist/../site"),
        format!("{outer}/abs/nonexist/../../site/content"),
        "nothere/../../site/content/..".to_string(),
        "./nothere/.././/".to_string(),
    ] {
        assert_refused(&site, &out);
    }
}

/// A `..` after a symlink climbs from where the link leads, as the kernel
/// does, so `jump/..` below is the site, not the folder holding `jump`.
#[test]
fn out_through_a_symlink_and_dotdot_is_refused() {
    let site = built_site();
    let outer = site.dir.path();
    std::os::unix::fs::symlink(site.path().join("content"), outer.join("jump")).unwrap();
    std::os::unix::fs::symlink("site/content/../..", outer.join("up")).unwrap();
    for out in [
        "../jump",
        "../jump/..",
        "../jump/events/..",
        "../up/site",
        "../jump/nothere/../..",
    ] {
        assert_refused(&site, out);
    }
}

/// Deleting a folder that a source folder links into would delete the
/// sources: refused as well.
#[test]
fn out_holding_a_symlinked_source_folder_is_refused() {
    let site = built_site();
    let outer = site.dir.path();
    fs::create_dir_all(outer.join("shared/static")).unwrap();
    fs::write(outer.join("shared/static/logo.txt"), "logo").unwrap();
    // Marked as an old output, so only the source check can refuse it.
    fs::write(outer.join("shared/.annals-output"), "built by annals\n").unwrap();
    std::os::unix::fs::symlink("../shared/static", site.path().join("static")).unwrap();
    for out in ["../shared", "../shared/static", "static"] {
        assert_refused(&site, out);
    }
}

/// `public -> ../www/site`: the build replaces the link's target and keeps
/// the link, on the first build (target missing) and on later ones.
#[test]
fn out_that_is_a_symlink_is_written_through() {
    let site = TestSite::nested();
    site.event("first.md", simple_event("First event", "2024-07-01"));
    let outer = site.dir.path();
    fs::create_dir(outer.join("www")).unwrap();
    std::os::unix::fs::symlink("../www/site", site.public()).unwrap();
    for (round, title) in ["First event", "Renamed event"].into_iter().enumerate() {
        site.event("first.md", simple_event(title, "2024-07-01"));
        assert_success(&site.build_here(&[]));
        let link = fs::symlink_metadata(site.public()).unwrap();
        assert!(link.file_type().is_symlink(), "public is no longer a link");
        assert_eq!(
            fs::read_link(site.public()).unwrap(),
            PathBuf::from("../www/site")
        );
        let index = read_html(&outer.join("www/site/index.html"));
        assert_eq!(texts(&index, ".entry-title a"), [title]);
        // The second build keeps the site it replaced beside the real output.
        let expected: &[&str] = if round == 0 {
            &["site"]
        } else {
            &[".site.annals-retained", "site"]
        };
        assert_eq!(
            entries_but_cache(&outer.join("www")),
            expected,
            "staging left behind"
        );
    }
    assert_eq!(entries(site.path()), ["content", "public", "site.yaml"]);
}

/// A link to a folder of someone else's files, or into the sources, is
/// refused like the folder itself would be.
#[test]
fn out_that_links_to_a_foreign_folder_or_the_sources_is_refused() {
    let site = built_site();
    let outer = site.dir.path();
    fs::create_dir(outer.join("documents")).unwrap();
    fs::write(outer.join("documents/letter.txt"), "keep me").unwrap();
    std::os::unix::fs::symlink("../documents", site.path().join("to-documents")).unwrap();
    std::os::unix::fs::symlink("content", site.path().join("to-content")).unwrap();
    std::os::unix::fs::symlink(".", site.path().join("to-site")).unwrap();
    for out in ["to-documents", "to-content", "to-site", "to-site/public/.."] {
        assert_refused(&site, out);
    }
}
