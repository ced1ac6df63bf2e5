//! Output paths and site folders are spelled in one module (`src/urls.rs`):
//! a page path written by hand elsewhere drifts from the one the page is
//! written at. Unit tests (after `#[cfg(test)]`) may spell paths out.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("src is readable");
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each non-test line of `src/` (outside `src/urls.rs`) that holds one of
/// `needles`, as `path:line: text`.
fn lines_holding(needles: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        if file.ends_with("urls.rs") && file.parent() == Some(src.as_path()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("source is UTF-8");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn event_page_paths_are_spelled_only_in_the_urls_module() {
    let found = lines_holding(&["\"events/", "events/{"]);
    assert!(
        found.is_empty(),
        "event paths written outside src/urls.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn site_folders_are_spelled_only_in_the_urls_module() {
    let found = lines_holding(&[
        "\"content/",
        "\"site.yaml\"",
        "\"static\"",
        "\"templates\"",
        "\"themes",
        "\"public\"",
    ]);
    assert!(
        found.is_empty(),
        "site folders written outside src/urls.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn export_file_names_are_spelled_only_in_the_urls_module() {
    let found = lines_holding(&[
        "\"atom.xml\"",
        "\"feed.json\"",
        "\"events.json\"",
        "\"calendar.ics\"",
        "\"timelinejs.json\"",
        "\"sitemap.xml\"",
        "\"search-index.js\"",
    ]);
    assert!(
        found.is_empty(),
        "export file names written outside src/urls.rs:\n{}",
        found.join("\n")
    );
}
