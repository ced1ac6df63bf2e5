//! Where a build may write: resolves `--out` to the one real folder the
//! swap will replace, refuses any folder whose replacement would delete the
//! site's sources or files annals did not write, and holds the lock that
//! lets only one build at a time stage and swap into a folder.
//!
//! Every later step uses the resolved path, never the path as typed, so
//! what was checked is what is replaced: no `..`, symlink or missing folder
//! can make the two differ.

use crate::error::Error;
use crate::urls::SitePaths;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// File written at the root of every output, so a later build knows the
/// folder is annals's to replace (and refuses folders that are not).
pub const MARKER: &str = ".annals-output";

/// Resolves `path` the way the kernel will once its missing folders have
/// been made: absolute, without `.` or `..`, every symlink followed (also a
/// dangling one, or one whose target is yet to be made). A `..` after a
/// missing folder climbs back out of it, as it does once `create_dir_all`
/// has made that folder, so `nothere/../site` resolves to `site`.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    /// More links than this in one path is a loop (Linux's own limit).
    const MAX_LINKS: usize = 40;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut todo = pieces(&absolute);
    todo.reverse();
    let mut real = PathBuf::new();
    let mut links = 0;
    while let Some(piece) = todo.pop() {
        match piece {
            Piece::Root(root) => real = root,
            Piece::Up => {
                // `real` holds no symlink, so its parent is what `..` means.
                real.pop();
            }
            Piece::Name(name) => {
                let next = real.join(&name);
                let is_link = fs::symlink_metadata(&next).is_ok_and(|m| m.file_type().is_symlink());
                if !is_link {
                    real = next;
                    continue;
                }
                links += 1;
                if links > MAX_LINKS {
                    return Err(io::Error::other(format!(
                        "{} has too many levels of symbolic links",
                        path.display()
                    )));
                }
                // A relative target continues from the link's folder, `real`.
                let mut target = pieces(&fs::read_link(&next)?);
                target.reverse();
                todo.extend(target);
            }
        }
    }
    Ok(real)
}

enum Piece {
    Root(PathBuf),
    Up,
    Name(std::ffi::OsString),
}

fn pieces(path: &Path) -> Vec<Piece> {
    let mut out = Vec::new();
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => match out.last_mut() {
                Some(Piece::Root(root)) => root.push(c.as_os_str()),
                _ => out.push(Piece::Root(PathBuf::from(c.as_os_str()))),
            },
            Component::CurDir => {}
            Component::ParentDir => out.push(Piece::Up),
            Component::Normal(name) => out.push(Piece::Name(name.to_os_string())),
        }
    }
    out
}

/// The site's folders and files that a build reads and must never replace.
const SOURCES: [&str; 6] = SitePaths::SOURCES;

/// Resolves the output folder and refuses it when replacing it would lose
/// anything: the site's sources (also through a symlinked source folder),
/// a folder holding them, the file-system root, the home folder, a file, or
/// a folder of files that annals did not write. Returns the resolved path,
/// which is what the build must use from then on.
pub fn check_out_dir(site: &Path, out: &Path) -> Result<PathBuf, Error> {
    let site_real =
        resolve(site).map_err(|e| Error::io(format!("cannot resolve {}", site.display()), e))?;
    let out_real =
        resolve(out).map_err(|e| Error::io(format!("cannot resolve {}", out.display()), e))?;
    // Name the real folder too when `..` or a symlink make it another one.
    let shown = if out_real == out {
        out.display().to_string()
    } else {
        format!("{} (that is, {})", out.display(), out_real.display())
    };
    if out_real.parent().is_none()
        || out_real.file_name().is_none()
        || std::env::var_os("HOME")
            .is_some_and(|h| resolve(Path::new(&h)).ok() == Some(out_real.clone()))
    {
        return Err(Error::Usage(format!(
            "refusing to write the site to {shown}"
        )));
    }
    let name_bytes = out_real.file_name().map_or(0, |n| n.len());
    if name_bytes > LONGEST_OUTPUT_NAME {
        return Err(Error::Usage(format!(
            "refusing to write the site to {shown}: its name is {name_bytes} bytes long, and the folders a build keeps beside it (`.<name>.annals-staging.<process>.old` the longest) must fit the system's limit of {NAME_MAX} bytes a name; use a name of at most {LONGEST_OUTPUT_NAME} bytes"
        )));
    }
    if site_real.starts_with(&out_real) {
        return Err(Error::Usage(format!(
            "refusing to write the site to {shown}: it holds the site's own sources, which the build would delete"
        )));
    }
    for source in SOURCES {
        let as_named = site_real.join(source);
        let linked = resolve(&as_named).unwrap_or_else(|_| as_named.clone());
        if out_real.starts_with(&as_named) || out_real.starts_with(&linked) {
            return Err(Error::Usage(format!(
                "refusing to write the site to {shown}: it is inside the site's `{source}`, which the build would overwrite"
            )));
        }
        if linked.starts_with(&out_real) {
            return Err(Error::Usage(format!(
                "refusing to write the site to {shown}: it holds the site's `{source}` (through a symbolic link), which the build would delete"
            )));
        }
    }
    match fs::symlink_metadata(&out_real) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::Usage(format!(
                "refusing to write the site to {shown}: it exists and is not a folder"
            )));
        }
        Ok(_) => {
            let foreign = fs::read_dir(&out_real)
                .map(|mut entries| entries.next().is_some())
                .unwrap_or(false)
                && !out_real.join(MARKER).is_file();
            if foreign {
                return Err(Error::Usage(format!(
                    "refusing to replace {shown}: it holds files that annals did not write (no {MARKER} marker); empty it, delete it, or choose another --out"
                )));
            }
        }
        Err(_) => {}
    }
    Ok(out_real)
}

/// The longest name a file system takes for one file or folder (Linux,
/// the BSDs and macOS alike).
const NAME_MAX: usize = 255;

/// The longest suffix [`sibling`] is given: a staging folder being
/// deleted, under the largest process id Linux hands out (7 digits).
const LONGEST_SIBLING_SUFFIX: &str = "annals-staging.4194304.old";

/// The longest output name whose siblings (`.<name>.<suffix>`) all fit
/// in [`NAME_MAX`]: a longer one would fail midway through a build, after
/// its parse cache was made.
pub const LONGEST_OUTPUT_NAME: usize = NAME_MAX - LONGEST_SIBLING_SUFFIX.len() - 2;

/// A hidden name beside the output for this build's own files:
/// `.public.<suffix>` for the output `public`.
pub fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| SitePaths::OUTPUT.into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// An exclusive lock on one output, held from before the staging folder is
/// made until after the swap, so two builds into one output take turns
/// instead of mixing their files, while builds into other outputs (even in
/// the same folder) run at once. The lock is a file beside the output,
/// `.public.annals-lock`, that the holder deletes before it lets go, so
/// nothing is left behind; a build that finds the file gone or replaced
/// once it holds the lock (the holder before it deleted it) takes the lock
/// again on the file now there. A killed build leaves the file, unlocked,
/// and the next build into that output takes it and deletes it.
#[derive(Debug)]
pub struct OutputLock {
    file: fs::File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock for the resolved output `out`, making its parent
    /// folders first. When another build holds it, calls `on_wait` once and
    /// waits for it to finish.
    pub fn acquire(out: &Path, on_wait: &dyn Fn(&Path)) -> io::Result<OutputLock> {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        let parent = out
            .parent()
            .ok_or_else(|| io::Error::other("the output folder has no parent"))?;
        fs::create_dir_all(parent)?;
        // What was checked must still be what is there once the folders exist.
        if resolve(parent)? != parent {
            return Err(io::Error::other(format!(
                "{} changed while the build started (a symbolic link appeared)",
                parent.display()
            )));
        }
        let path = sibling(out, "annals-lock");
        let mut told = false;
        loop {
            // A symlink planted under the name is refused, never followed.
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !told {
                        on_wait(out);
                        told = true;
                    }
                    file.lock()?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
            let held = file.metadata()?;
            match fs::symlink_metadata(&path) {
                Ok(now) if now.dev() == held.dev() && now.ino() == held.ino() => {
                    return Ok(OutputLock { file, path });
                }
                // Deleted or replaced by the build before: lock the one there now.
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Deleted while still locked, so no build can take this file after it.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}
