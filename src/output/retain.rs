//! The retained folder beside the output (`.public.annals-retained`): the
//! site the last swap replaced, kept with its own manifest instead of being
//! deleted, so that the next build can take it over as its staging folder
//! and keep the files that are still right where they are, rather than
//! making every folder and link anew and deleting a whole site afterwards.
//!
//! Trust rules: the folder is renamed to the build's staging path and its
//! manifest deleted before anything in it changes, so a build killed while
//! updating it leaves only a staging folder (removed by the next build),
//! never a retained folder whose manifest lies. A folder without a valid
//! manifest for this build's global fingerprint is deleted, never used.

use super::manifest::{self, Fingerprint, PathKey, Previous, path_key};
use super::outdir::sibling;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// The retained folder of the output `out`.
pub fn path(out: &Path) -> PathBuf {
    sibling(out, "annals-retained")
}

/// What became of the retained folder when a build prepared its staging
/// folder.
pub enum Taken {
    /// Nothing was taken over: `root` is still to be made.
    Nothing,
    /// The folder is now `root`, and its manifest applies: its files may be
    /// kept where they are.
    Trusted(Previous),
    /// The folder is now `root`, but its manifest does not apply (the
    /// templates, the configuration or the binary changed): no file in it
    /// is trusted, every one is written again, and the folder only spares
    /// the build making folders and files anew (see [`super::Staging`]).
    Scratch,
}

/// Moves the retained folder of `out` to `root` (which must not exist).
/// Under `global` its manifest decides whether its files may be kept
/// ([`Taken::Trusted`]) or the folder only lends its folders and files to
/// be written over ([`Taken::Scratch`]): on a file system that allocates
/// inodes slowly after many were freed (ext4 without a journal passes over
/// each recently freed one), deleting a whole site and making another made
/// a full rebuild several times slower. Without `global` (`--clean`, or an
/// executable that cannot be identified) the folder is handed to `discard`.
/// `surveyed`, the folder's manifest as read before (see
/// [`super::survey`]), spares reading it again.
pub fn take(
    out: &Path,
    root: &Path,
    global: Option<Fingerprint>,
    surveyed: Option<Option<Previous>>,
    discard: &mut Discard,
) -> io::Result<Taken> {
    let retained = path(out);
    let meta = match fs::symlink_metadata(&retained) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Taken::Nothing),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        // Not ours: a symlink or file under the name is removed, never followed.
        fs::remove_file(&retained)?;
        return Ok(Taken::Nothing);
    }
    let Some(global) = global else {
        discard.start(out, &retained)?;
        return Ok(Taken::Nothing);
    };
    let previous = surveyed.unwrap_or_else(|| Previous::read_at(&retained, root, global));
    fs::rename(&retained, root)?;
    // Before anything in it changes: from here on nothing trusts it (and
    // under the staging name a killed build leaves it to be removed).
    ignore_missing(remove_any(&root.join(manifest::DIR)))?;
    Ok(previous.map_or(Taken::Scratch, Taken::Trusted))
}

/// Deletes a folder on another thread while the build goes on. The folder
/// is first renamed to a staging name, so a build killed before the
/// deletion ends leaves it for the next build's clean-up of stale staging
/// folders, never under a name that is trusted.
#[derive(Default)]
pub struct Discard(Option<JoinHandle<()>>);

impl Discard {
    fn start(&mut self, out: &Path, folder: &Path) -> io::Result<()> {
        let doomed = sibling(out, &format!("annals-staging.{}.old", std::process::id()));
        fs::rename(folder, &doomed)?;
        self.wait();
        self.0 = Some(std::thread::spawn(move || {
            let _ = fs::remove_dir_all(&doomed);
        }));
        Ok(())
    }

    /// Waits for the deletion to end, so a build leaves nothing behind.
    pub fn wait(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

/// What a taken-over staging folder held before this build wrote to it.
#[derive(Default)]
pub struct Found {
    files: Vec<String>,
    /// Folders in pre-order: a folder comes before everything inside it.
    dirs: Vec<String>,
    /// The files found exactly as the folder's manifest records them (see
    /// [`Previous::keep_intact`]), when the walk was given one.
    pub intact: Vec<PathKey>,
}

#[cfg(test)]
impl Found {
    /// The files found, by relative path.
    pub fn file_names(&self) -> Vec<&str> {
        self.files.iter().map(String::as_str).collect()
    }
}

/// Walks `root` once, removing on the way every entry that is neither a
/// regular file nor a folder (so no symbolic link inside it can lead a
/// write elsewhere) and every entry whose name is not UTF-8 (no build
/// writes such a path), and lists the rest by relative path. With the
/// folder's manifest, each file it records is looked up from its folder
/// (one name, not a whole path) and noted when found as recorded.
///
/// The folders of the first two levels (`events/`, then each event's) are
/// walked in parallel: at archive scale the walk reads a hundred thousand
/// folders, mostly waiting on the disk, before any page is written. Deeper
/// down it goes one folder at a time, so no nesting can exhaust a stack.
///
/// The manifest's own folder at the top is left out: the walk may run
/// before the folder is taken over (see [`super::survey`]), while the
/// manifest is still there, and whatever it finds is removed at the end of
/// the build unless the build wrote it. Once `stop` is set the walk ends
/// with an error at the next folder.
pub fn walk(root: &Path, manifest: Option<&Previous>, stop: &AtomicBool) -> io::Result<Found> {
    walk_from(root.to_path_buf(), String::new(), 0, manifest, stop)
}

const PARALLEL_LEVELS: usize = 2;

fn walk_from(
    dir: PathBuf,
    rel: String,
    level: usize,
    manifest: Option<&Previous>,
    stop: &AtomicBool,
) -> io::Result<Found> {
    use rayon::prelude::*;
    let mut found = Found::default();
    let mut todo = vec![(dir, rel)];
    let mut parallel = Vec::new();
    while let Some((dir, rel)) = todo.pop() {
        if stop.load(Ordering::Relaxed) {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the walk was stopped",
            ));
        }
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let name = entry.file_name();
            let child = match name.to_str() {
                Some(manifest::DIR) if rel.is_empty() => continue,
                Some(name) if rel.is_empty() => name.to_string(),
                Some(name) => format!("{rel}/{name}"),
                None => {
                    remove(&entry.path(), kind.is_dir())?;
                    continue;
                }
            };
            if kind.is_dir() && level < PARALLEL_LEVELS {
                parallel.push((entry.path(), child));
            } else if kind.is_dir() {
                found.dirs.push(child.clone());
                todo.push((entry.path(), child));
            } else if kind.is_file() {
                if let Some(previous) = manifest {
                    let key = path_key(&child);
                    if previous.recorded(key).is_some_and(|recorded| {
                        entry
                            .metadata()
                            .ok()
                            .and_then(|m| manifest::FileId::from_metadata(&m))
                            == Some(recorded)
                    }) {
                        found.intact.push(key);
                    }
                }
                found.files.push(child);
            } else {
                fs::remove_file(entry.path())?;
            }
        }
    }
    let inside: Vec<Found> = parallel
        .into_par_iter()
        .map(|(path, child)| {
            let mut inside = walk_from(path, child.clone(), level + 1, manifest, stop)?;
            // Pre-order: the folder before everything inside it.
            inside.dirs.insert(0, child);
            Ok(inside)
        })
        .collect::<io::Result<_>>()?;
    for inside in inside {
        found.dirs.extend(inside.dirs);
        found.files.extend(inside.files);
        found.intact.extend(inside.intact);
    }
    Ok(found)
}

/// The paths a build wrote, linked or kept into a taken-over folder, and
/// the folders holding them, by [`manifest::path_key`]: a rebuild notes
/// every file of the site here.
#[derive(Default)]
pub struct Written {
    files: HashSet<PathKey, ahash::RandomState>,
    folders: HashSet<PathKey, ahash::RandomState>,
}

impl Written {
    pub fn note(&mut self, rel: &str) {
        self.files.insert(path_key(rel));
        let mut rest = rel;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            // Its own folders went in with it.
            if !self.folders.insert(path_key(parent)) {
                break;
            }
            rest = parent;
        }
    }
}

/// Removes from `root` every file of `found` that this build did not write,
/// link or keep, and then every folder left holding none of them.
pub fn sweep(root: &Path, found: Found, kept: &Written) -> io::Result<()> {
    for rel in &found.files {
        if !kept.files.contains(&path_key(rel)) {
            ignore_missing(fs::remove_file(root.join(rel)))?;
        }
    }
    // Deepest first, so a folder's own folders are gone before it.
    for rel in found.dirs.iter().rev() {
        let key = path_key(rel);
        if !kept.folders.contains(&key) && !kept.files.contains(&key) {
            ignore_missing(fs::remove_dir_all(root.join(rel)))?;
        }
    }
    Ok(())
}

/// Removes whatever is at `path`, a folder with everything in it, never
/// following a symbolic link.
pub fn remove_any(path: &Path) -> io::Result<()> {
    remove(path, fs::symlink_metadata(path)?.is_dir())
}

/// Removes whatever is at `path` (a folder with everything in it).
pub fn remove(path: &Path, is_dir: bool) -> io::Result<()> {
    if is_dir {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// `result`, with a path already gone counted as removed: also one whose
/// folder this build replaced by a file (a folder found where the site has
/// a file), which leaves the path under it "not a directory".
fn ignore_missing(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_lists_every_level_in_pre_order_and_removes_what_is_not_a_file_or_folder() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        let deep = root.join("events/a/b/c");
        fs::create_dir_all(&deep).expect("mkdir");
        fs::create_dir_all(root.join("events/e")).expect("mkdir");
        for file in [
            "index.html",
            "events/list.json",
            "events/a/index.html",
            "events/a/b/x.txt",
            "events/a/b/c/y.txt",
        ] {
            fs::write(root.join(file), file).expect("write");
        }
        let outside = tmp.path().join("outside");
        fs::create_dir(&outside).expect("mkdir");
        for link in ["top", "events/a/link", "events/a/b/c/link"] {
            std::os::unix::fs::symlink(&outside, root.join(link)).expect("symlink");
        }
        use std::os::unix::ffi::OsStrExt;
        let not_utf8 = std::ffi::OsStr::from_bytes(b"bad\xff");
        fs::write(root.join("events/a/b").join(not_utf8), "x").expect("write");

        fs::create_dir_all(root.join(manifest::DIR)).expect("mkdir");
        fs::write(root.join(manifest::INDEX), "index").expect("write");
        let found = walk(&root, None, &AtomicBool::new(false)).expect("walk");
        let mut files = found.files.clone();
        files.sort();
        assert_eq!(
            files,
            [
                "events/a/b/c/y.txt",
                "events/a/b/x.txt",
                "events/a/index.html",
                "events/list.json",
                "index.html"
            ]
        );
        let mut dirs = found.dirs.clone();
        dirs.sort();
        assert_eq!(
            dirs,
            [
                "events",
                "events/a",
                "events/a/b",
                "events/a/b/c",
                "events/e"
            ]
        );
        for (n, dir) in found.dirs.iter().enumerate() {
            let parent = dir.rsplit_once('/').map(|(parent, _)| parent);
            assert!(
                parent.is_none_or(|p| found.dirs[..n].iter().any(|d| d == p)),
                "{dir} comes before its folder: {:?}",
                found.dirs
            );
        }
        for gone in ["top", "events/a/link", "events/a/b/c/link"] {
            assert!(fs::symlink_metadata(root.join(gone)).is_err(), "{gone}");
        }
        assert!(fs::symlink_metadata(root.join("events/a/b").join(not_utf8)).is_err());
        assert!(outside.exists());
    }

    #[test]
    fn the_sweep_passes_over_what_was_under_a_folder_the_build_replaced_by_a_file() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("feeds/atom.xml/inner")).expect("mkdir");
        fs::write(root.join("feeds/atom.xml/inner/x"), "x").expect("write");
        fs::write(root.join("stale.html"), "old").expect("write");
        let found = walk(&root, None, &AtomicBool::new(false)).expect("walk");
        // The build writes a file where the folder was.
        fs::remove_dir_all(root.join("feeds/atom.xml")).expect("rmdir");
        fs::write(root.join("feeds/atom.xml"), "feed").expect("write");
        let mut kept = Written::default();
        kept.note("feeds/atom.xml");
        sweep(&root, found, &kept).expect("the sweep ends");
        assert_eq!(
            fs::read_to_string(root.join("feeds/atom.xml")).expect("read"),
            "feed"
        );
        assert!(!root.join("stale.html").exists());
    }
}
