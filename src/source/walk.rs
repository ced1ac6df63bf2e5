//! Walks of the site's input folders (`content/`, `templates/`, `themes/`,
//! `static/`) that never leave the site folder. A symbolic link is followed
//! only when its target lies inside the site; a link leading outside, a
//! broken link and a link loop are skipped, and each skip is named in a
//! warning so the author knows why a file is missing.

use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

/// Files found under a folder, and the links that were not followed.
#[derive(Debug, Default)]
pub struct Walk {
    /// Full paths (the root joined with the path below it), sorted.
    pub files: Vec<PathBuf>,
    /// One warning per skipped link, naming it.
    pub skipped: Vec<String>,
}

/// The site folder with every link resolved, the yardstick for "inside".
pub fn site_root(site: &Path) -> PathBuf {
    site.canonicalize().unwrap_or_else(|_| site.to_path_buf())
}

/// Whether `path`, once every link in it is resolved, lies in `site_root`.
/// A path that cannot be resolved (broken link, missing file) is not.
pub fn is_inside(path: &Path, site_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|real| real.starts_with(site_root))
}

/// The warning for a link that leads outside the site folder.
pub fn outside_warning(link: &Path) -> String {
    format!(
        "skipped {}: a symbolic link that leads outside the site folder",
        link.display()
    )
}

/// Lists the regular files under `root` (sorted by path). `keep` decides on
/// every entry below the root; a folder it refuses is not entered. A missing
/// root is empty. Errors other than links are I/O errors.
pub fn files(
    root: &Path,
    site: &Path,
    mut keep: impl FnMut(&DirEntry) -> bool,
) -> Result<Walk, crate::error::Error> {
    let mut walk = Walk::default();
    if !root.is_dir() {
        return Ok(walk);
    }
    let site_root = site_root(site);
    if !is_inside(root, &site_root) {
        walk.skipped.push(outside_warning(root));
        return Ok(walk);
    }
    let mut skipped = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            if !keep(entry) {
                return false;
            }
            // Checked before the walk enters a linked folder, so nothing
            // outside is ever listed or read.
            if entry.path_is_symlink() && !is_inside(entry.path(), &site_root) {
                skipped.push(outside_warning(entry.path()));
                return false;
            }
            true
        });
    let mut unreadable = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => walk.files.push(entry.into_path()),
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                if err.loop_ancestor().is_some() {
                    unreadable.push(format!(
                        "skipped {}: a symbolic link that loops back to a folder containing it",
                        path.display()
                    ));
                } else if path.symlink_metadata().is_ok_and(|m| m.is_symlink()) {
                    unreadable.push(format!(
                        "skipped {}: a symbolic link to nothing (broken link)",
                        path.display()
                    ));
                } else {
                    // Keeps the walk's message, which names the entry.
                    let kind = err.io_error().map_or(ErrorKind::Other, io::Error::kind);
                    return Err(crate::error::Error::io(
                        format!("cannot read {}", root.display()),
                        io::Error::new(kind, err),
                    ));
                }
            }
        }
    }
    walk.skipped = skipped;
    walk.skipped.extend(unreadable);
    Ok(walk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn skips_links_out_and_loops_but_follows_links_in() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("temp folder");
        let site = dir.path().join("site");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(site.join("static/sub")).expect("folders");
        std::fs::create_dir_all(&outside).expect("folders");
        std::fs::write(outside.join("secret.txt"), "secret").expect("write");
        std::fs::write(site.join("static/sub/a.txt"), "a").expect("write");
        symlink(&outside, site.join("static/out")).expect("link");
        symlink(outside.join("secret.txt"), site.join("static/secret.txt")).expect("link");
        symlink(site.join("static/sub"), site.join("static/in")).expect("link");
        symlink(site.join("static"), site.join("static/sub/loop")).expect("link");
        let walk = files(&site.join("static"), &site, |_| true).expect("walk");
        let names: Vec<String> = walk
            .files
            .iter()
            .map(|p| {
                p.strip_prefix(site.join("static"))
                    .map(|r| r.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(names, ["in/a.txt", "sub/a.txt"]);
        assert_eq!(walk.skipped.len(), 4, "{:?}", walk.skipped);
    }
}
