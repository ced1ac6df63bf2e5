//! What `build` and `check` read and write at the edges of the site:
//! symbolic links in `content/`, `static/`, `templates/` and `themes/` that
//! lead outside the site folder are skipped with a warning naming them, and
//! a static file that would replace a generated page or export is an error
//! naming both.

mod common;

use common::*;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::symlink;

const SECRET: &str = "Secret outside event";

/// A valid event file outside the site: if a link to it were followed, it
/// would be published.
fn outside_event(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("outside/leak.md");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, simple_event(SECRET, "2024-07-01")).expect("write");
    path
}

fn published_titles(site: &TestSite) -> Vec<String> {
    let text = std::fs::read_to_string(site.public().join("events.json")).expect("events.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("events.json parses");
    json["events"]
        .as_array()
        .expect("an events array")
        .iter()
        .filter_map(|e| e["title"].as_str().map(String::from))
        .collect()
}

#[cfg(unix)]
#[test]
fn content_links_leading_outside_are_skipped_with_a_warning() {
    let site = TestSite::nested();
    site.event("kept.md", simple_event("Kept event", "2024-07-02"));
    let leak = outside_event(site.dir.path());
    let events = site.path().join("content/events");
    symlink(&leak, events.join("leak.md")).expect("file link");
    let folder = site.dir.path().join("outside-folder");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(
        folder.join("other.md"),
        simple_event("Secret folder event", "2024-07-04"),
    )
    .expect("write");
    symlink(&folder, events.join("linked")).expect("folder link");
    // A link inside the site is followed.
    site.write(
        "drafts/inside.md",
        simple_event("Linked inside", "2024-07-03"),
    );
    symlink(
        site.path().join("drafts/inside.md"),
        events.join("inside.md"),
    )
    .expect("link");

    let out = site.build(&[]);
    assert_success(&out);
    let mut titles = published_titles(&site);
    titles.sort();
    assert_eq!(titles, ["Kept event", "Linked inside"]);
    let err = stderr(&out);
    for link in ["leak.md", "linked"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning:") && l.contains(&format!("events/{link}"))),
            "no warning naming {link}:\n{err}"
        );
    }
    let quiet = site.build(&["--quiet"]);
    assert_success(&quiet);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));

    let check = site.check_here();
    assert_success(&check);
    assert!(
        stderr(&check).contains("warning: skipped"),
        "{}",
        stderr(&check)
    );
}

#[cfg(unix)]
#[test]
fn static_links_to_system_folders_are_skipped_and_the_build_succeeds() {
    let site = TestSite::nested();
    site.event("kept.md", simple_event("Kept event", "2024-07-02"));
    site.write("static/own.txt", "own");
    symlink("/etc", site.path().join("static/etc")).expect("link");
    symlink("/usr", site.path().join("static/usr")).expect("link");
    std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
    let leak = outside_event(site.dir.path());
    symlink(&leak, site.path().join("templates/page.html")).expect("link");
    // A loop inside the site must not hang or fail the build.
    symlink(site.path().join("static"), site.path().join("static/loop")).expect("link");

    let out = site.build(&[]);
    assert_success(&out);
    assert!(site.public().join("own.txt").is_file());
    assert!(!site.public().join("etc").exists());
    assert!(!site.public().join("usr").exists());
    let err = stderr(&out);
    for link in [
        "static/etc",
        "static/usr",
        "templates/page.html",
        "static/loop",
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning:") && l.contains(link)),
            "no warning naming {link}:\n{err}"
        );
    }
}

#[test]
fn a_static_file_that_replaces_a_generated_path_is_an_error_naming_both() {
    let site = TestSite::new();
    site.event("first.md", simple_event("First event", "2024-07-02"));
    site.build_ok(&[]);
    let before = snapshot(&site.public());

    site.write("static/index.html", "<p>hand-made</p>");
    site.write("static/atom.xml", "<feed/>");
    site.write("static/search-index.js", "var x;");
    site.write("static/search-index/t/0.js", "var x;");
    site.write("static/events/first/cite.bib", "@misc{x}");
    site.write("static/citations.json", "[]");
    // Overriding the theme's own static file is intended and stays allowed.
    site.write("static/assets/annals.css", "body{}");
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    for name in [
        "index.html",
        "atom.xml",
        "search-index.js",
        "search-index/t/0.js",
        "events/first/cite.bib",
        "citations.json",
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("static/{name}:1:1:"))
                    && l.contains("generated")
                    && l.matches(name).count() >= 2),
            "no diagnostic naming static/{name} and the generated {name}:\n{err}"
        );
    }
    assert!(!err.contains("annals.css"), "{err}");
    assert_same_tree(&before, &snapshot(&site.public()));

    let check = site.check_here();
    assert_code(&check, 1);
    assert!(stderr(&check).contains("static/index.html:1:1:"));
}

#[test]
fn a_static_file_overriding_only_theme_files_builds() {
    let site = TestSite::new();
    site.event("first.md", simple_event("First event", "2024-07-02"));
    site.write("static/assets/annals.css", "body{color:red}");
    site.build_ok(&[]);
    let copied = std::fs::read_to_string(site.public().join("assets/annals.css")).expect("css");
    assert_eq!(copied, "body{color:red}");
}

/// The collision check relies on `exports::paths` listing exactly what the
/// exports write; a new export must be added there too.
#[test]
fn export_paths_list_every_file_the_exports_write() {
    struct Names(std::sync::Mutex<std::collections::BTreeSet<String>>);
    impl annals::stages::Sink for Names {
        fn write(&self, rel: &str, _bytes: &[u8]) -> std::io::Result<()> {
            if let Ok(mut names) = self.0.lock() {
                names.insert(rel.to_string());
            }
            Ok(())
        }
    }
    let site = TestSite::new();
    let tagged = simple_event("Tagged event", "2024-07-02").replace(
        "kind: meeting",
        "kind: meeting\ntags: [alpha, beta]\ncountries: [US, JP]\ntracks: [us-japan]\nparticipants: [Ann Example]",
    );
    site.event("tagged.md", tagged);
    site.event("plain.md", simple_event("Plain event", "2024-08-02"));
    let model = annals::load_site(&annals::BuildOptions::new(site.path())).expect("site loads");
    let sink = Names(std::sync::Mutex::new(Default::default()));
    annals::stages::write_exports(&model, &sink, &[], annals::stages::Locale::english())
        .expect("exports");
    let written = sink.0.into_inner().expect("names");
    let listed: std::collections::BTreeSet<String> =
        annals::stages::export_paths(&model).into_iter().collect();
    // A listed folder (ending in `/`) covers what is written inside it.
    let folders: Vec<&String> = listed.iter().filter(|p| p.ends_with('/')).collect();
    assert!(!folders.is_empty(), "the search index's folder is listed");
    for folder in &folders {
        assert!(
            written.iter().any(|w| w.starts_with(folder.as_str())),
            "{folder} is written"
        );
    }
    let files: std::collections::BTreeSet<String> = listed
        .iter()
        .filter(|p| !p.ends_with('/'))
        .cloned()
        .collect();
    let outside: std::collections::BTreeSet<String> = written
        .iter()
        .filter(|w| !folders.iter().any(|f| w.starts_with(f.as_str())))
        .cloned()
        .collect();
    assert_eq!(files, outside);
}

#[cfg(unix)]
#[test]
fn a_site_yaml_linked_from_outside_is_not_read() {
    let site = TestSite::nested();
    std::fs::remove_file(site.path().join("site.yaml")).expect("remove");
    let outside = site.dir.path().join("config.yaml");
    std::fs::write(&outside, "title: SECRET-CONFIG-LINE\nnot valid: [\n").expect("write");
    symlink(&outside, site.path().join("site.yaml")).expect("link");
    site.event("kept.md", simple_event("Kept event", "2024-07-02"));
    let out = site.build(&[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:1:1:") && err.contains("outside the site folder"),
        "{err}"
    );
    assert!(!err.contains("SECRET-CONFIG-LINE"), "{err}");
}
