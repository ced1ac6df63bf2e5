//! Output stage: writes into a staging folder beside the output folder and
//! swaps it in only when the build is complete, so a failed or killed build
//! never leaves a half-written site. Every write path is checked to stay
//! inside the staging folder.

pub mod digest;
pub mod links;
pub mod manifest;
pub mod marker;
pub mod outdir;
pub mod prefixed;
pub mod retain;
pub mod survey;

use outdir::{MARKER, sibling};

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Destination of rendered files: disk staging, or memory for `check`.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;

    /// Writes a file produced piece by piece by `fill`, so a large export
    /// streams to disk instead of being held whole in memory. Sinks that
    /// keep files in memory collect the pieces and `write` them.
    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        self.write(rel, &bytes)
    }

    /// Puts the existing file `from` at `rel` as a hard link instead of
    /// writing it; `Ok(None)` for sinks that are not a folder on disk. On
    /// success, the linked file's identity (see [`manifest::FileId`]).
    fn link(&self, _rel: &str, _from: &Path) -> io::Result<Option<manifest::FileId>> {
        Ok(None)
    }

    /// The identity of the file just written at `rel`, for the manifest;
    /// `None` for sinks that are not a folder on disk.
    fn written(&self, _rel: &str) -> Option<manifest::FileId> {
        None
    }

    /// Writes `bytes` at `rel` as [`Sink::write`] does and returns the
    /// file's identity as [`Sink::written`] would.
    fn write_identified(&self, rel: &str, bytes: &[u8]) -> io::Result<Option<manifest::FileId>> {
        self.write(rel, bytes)?;
        Ok(self.written(rel))
    }

    /// Leaves the file already at `rel` as it is, as this build's file
    /// (the caller has checked it against the retained manifest); `false`
    /// for sinks that do not start from a previous site.
    fn keep(&self, _rel: &str) -> bool {
        false
    }

    /// The file this build put at `rel` (written, kept or linked), opened
    /// for reading, for an export assembled from files already in place;
    /// sinks that are not a folder on disk cannot read back.
    fn read_back(&self, _rel: &str) -> io::Result<std::fs::File> {
        Err(io::ErrorKind::Unsupported.into())
    }
}

/// What a build knows of the previous output's files (see
/// `render::reuse::Reuse`), for a writer that may keep a file instead of
/// writing it again.
pub trait FileReuse: Sync {
    /// Keeps the file at `rel` where the staging folder holds it, or links
    /// it from the previous output, when it was recorded there under
    /// `fingerprint` and is untouched; false when it must be written.
    fn keep_or_link(&self, rel: &str, fingerprint: manifest::Fingerprint, sink: &dyn Sink) -> bool;

    /// Records the file just written at `rel` (`file`, as the sink
    /// identified it) under `fingerprint` for the next build.
    fn written(
        &self,
        rel: &str,
        fingerprint: manifest::Fingerprint,
        file: Option<manifest::FileId>,
    );
}

/// Whether `rel` is a plain relative path that cannot leave its root.
pub fn is_safe_relative(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

pub struct Staging {
    root: PathBuf,
    out: PathBuf,
    backup: PathBuf,
    committed: bool,
    /// The manifest of the retained folder when this staging folder is that
    /// folder, taken over (see [`retain`]).
    retained: Option<manifest::Previous>,
    /// What the taken-over folder held, until [`Staging::sweep`].
    found: Option<retain::Found>,
    /// Every path this build wrote, linked or kept, when it took a folder over.
    written: Option<Mutex<retain::Written>>,
    discard: retain::Discard,
    /// Whether the site the swap replaces is kept as the retained folder
    /// (not after `--clean`, which leaves no previous generation behind).
    retain: bool,
}

impl Staging {
    /// Creates this build's own staging folder beside the output, clearing
    /// what killed builds left. `out` must be the resolved output folder
    /// ([`crate::output::outdir::check_out_dir`]) and its [`crate::output::outdir::OutputLock`]
    /// must be held, so no other build is staging there. With `global`,
    /// the retained folder of the previous swap becomes the staging folder
    /// (see [`retain::take`]): its files are kept where its manifest,
    /// written under `global`, vouches for them, and written over
    /// otherwise. When `global` is `None`, as with `--clean`, it is
    /// deleted, and so is the site this build replaces. `record` goes into
    /// the output marker. `surveyed` is the retained folder as
    /// [`survey::Survey`] read it under `global`, when it did.
    pub fn prepare(
        out: &Path,
        global: Option<manifest::Fingerprint>,
        record: &marker::BuildRecord,
        surveyed: Option<survey::Retained>,
    ) -> io::Result<Staging> {
        let root = staging_root(out);
        let backup = sibling(out, "annals-previous");
        if let Some(parent) = out.parent()
            && !parent.as_os_str().is_empty()
        {
            fs::create_dir_all(parent)?;
            remove_stale_staging(parent, out)?;
        }
        // A build killed mid-swap left the old site as the backup: put it back.
        if backup.exists() {
            if out.exists() {
                fs::remove_dir_all(&backup)?;
            } else {
                fs::rename(&backup, out)?;
            }
        }
        let mut discard = retain::Discard::default();
        let (surveyed_manifest, surveyed_found) = match surveyed {
            Some(survey::Retained { manifest, found }) => (Some(manifest), Some(found)),
            None => (None, None),
        };
        let taken = retain::take(out, &root, global, surveyed_manifest, &mut discard)?;
        let (retained, taken_over) = match taken {
            retain::Taken::Nothing => {
                fs::create_dir(&root)?;
                (None, false)
            }
            retain::Taken::Trusted(previous) => (Some(previous), true),
            retain::Taken::Scratch => (None, true),
        };
        let mut staging = Staging {
            written: taken_over.then(Mutex::default),
            retained,
            root,
            out: out.to_path_buf(),
            backup,
            committed: false,
            found: None,
            discard,
            retain: global.is_some(),
        };
        if taken_over {
            let mut found = match surveyed_found {
                Some(found) => found,
                None => retain::walk(
                    &staging.root,
                    staging.retained.as_ref(),
                    &std::sync::atomic::AtomicBool::new(false),
                )?,
            };
            if let Some(previous) = &mut staging.retained {
                previous.keep_intact(std::mem::take(&mut found.intact));
            }
            staging.found = Some(found);
        }
        staging.write(MARKER, record.marker_text().as_bytes())?;
        Ok(staging)
    }

    /// The manifest of the files this staging folder started with (when it
    /// took over the retained folder), relative to the staging folder.
    pub fn retained(&self) -> Option<&manifest::Previous> {
        self.retained.as_ref()
    }

    /// Removes every file and folder the staging folder started with that
    /// this build did not write, link or keep. Call it once everything but
    /// the manifest is written.
    pub fn sweep(&mut self) -> io::Result<()> {
        let (Some(found), Some(written)) = (self.found.take(), &self.written) else {
            return Ok(());
        };
        let written = written.lock().map_err(|_| io::Error::other("poisoned"))?;
        retain::sweep(&self.root, found, &written)
    }

    fn note(&self, rel: &str) {
        if let Some(Ok(mut written)) = self.written.as_ref().map(Mutex::lock) {
            written.note(rel);
        }
    }

    /// Keeps the site the swap replaced, now at `old`, as the retained
    /// folder when it has a manifest (a next build can use it); deletes it
    /// otherwise, or when it cannot be moved.
    fn retain_old(&mut self, old: &Path) -> io::Result<()> {
        let kept = self.retain
            && old.join(manifest::INDEX).is_file()
            && fs::rename(old, retain::path(&self.out)).is_ok();
        if !kept {
            fs::remove_dir_all(old)?;
        }
        self.discard.wait();
        Ok(())
    }

    /// Swaps the staging folder in place of the output folder. On Linux the
    /// two folders are exchanged in one `renameat2(RENAME_EXCHANGE)`, so at
    /// every instant the output folder holds a complete site, old or new.
    pub fn commit(mut self) -> io::Result<()> {
        self.sweep()?;
        // The output was checked as a real folder; if a symlink has taken
        // its place (or a folder on its path) since, the swap would land
        // somewhere unchecked.
        if crate::output::outdir::resolve(&self.out)? != self.out {
            return Err(io::Error::other(format!(
                "{} changed during the build (a symbolic link appeared); nothing was replaced",
                self.out.display()
            )));
        }
        if self.out.is_dir() && exchange(&self.root, &self.out).is_ok() {
            self.committed = true;
            // The staging path now holds the old site; `Drop` is skipped,
            // and a build killed here leaves it for the next `prepare`.
            let old = self.root.clone();
            let _ = self.retain_old(&old);
            return Ok(());
        }
        if self.out.exists() {
            if self.out.is_dir() {
                fs::rename(&self.out, &self.backup)?;
            } else {
                return Err(io::Error::other(format!(
                    "{} exists and is not a folder",
                    self.out.display()
                )));
            }
        }
        if let Err(e) = fs::rename(&self.root, &self.out) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&self.backup, &self.out);
            return Err(e);
        }
        self.committed = true;
        if self.backup.exists() {
            let old = self.backup.clone();
            self.retain_old(&old)?;
        }
        Ok(())
    }
}

/// Atomically exchanges two folders (Linux `renameat2`); elsewhere, or on
/// file systems without it, an error, and the caller renames in two steps.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both pointers are valid NUL-terminated strings for the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::other("no atomic exchange on this system"))
}

/// This process's staging folder beside the output `out`.
pub fn staging_root(out: &Path) -> PathBuf {
    sibling(out, &format!("annals-staging.{}", std::process::id()))
}

/// Deletes the staging folders of killed builds (any process's: the caller
/// holds the output lock, so none of them is in use).
fn remove_stale_staging(parent: &Path, out: &Path) -> io::Result<()> {
    let prefix = sibling(out, "annals-staging");
    let Some(prefix) = prefix.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(());
    };
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == prefix || name.starts_with(&format!("{prefix}.")) {
            let path = entry.path();
            // A symlink planted under the name is removed, never followed.
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.root);
        }
        self.discard.wait();
    }
}

impl Staging {
    /// Runs `make` on `rel`'s path in the staging folder, making its parent
    /// folders first only when `make` finds them missing: most files go
    /// into a folder an earlier file made, and even a `mkdir` of an
    /// existing folder locks its parent, which every thread shares.
    fn at_path<T>(&self, rel: &str, make: impl Fn(&Path) -> io::Result<T>) -> io::Result<T> {
        if !is_safe_relative(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {rel}"),
            ));
        }
        let path = self.root.join(rel);
        match make(&path) {
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                self.make_parent(rel, &path)?;
                make(&path)
            }
            other => other,
        }
    }

    /// Makes the parent folders of `path` (`rel` in the staging folder).
    fn make_parent(&self, rel: &str, path: &Path) -> io::Result<()> {
        if let Some(parent) = path.parent()
            && fs::create_dir_all(parent).is_err()
        {
            // A taken-over folder may hold a file where this build needs a
            // folder: remove it and try again.
            let mut at = self.root.clone();
            for piece in Path::new(rel)
                .parent()
                .into_iter()
                .flat_map(Path::components)
            {
                at.push(piece);
                if fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
                    fs::remove_file(&at)?;
                    break;
                }
            }
            fs::create_dir_all(parent)?;
        }
        Ok(())
    }
}

/// Creates `path` as a new file, or, where a taken-over folder already
/// has a file there that no other name shares, empties that file and
/// writes over it: rewriting an inode in place spares the file system
/// freeing one and allocating another. A file with another name (a hard
/// link shared with the live site, see [`manifest`]) is never opened for
/// writing; it is replaced by a new one.
fn create_fresh(path: &Path) -> io::Result<fs::File> {
    let open = || {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match open() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            if let Some(file) = unshared(path) {
                return Ok(file);
            }
            retain::remove_any(path)?;
            open()
        }
        other => other,
    }
}

/// The regular file at `path`, emptied, when no other name shares it;
/// `None` for anything else. It is opened without following a symbolic
/// link, and without waiting on a pipe, before it is looked at, so what is
/// checked is what is written.
#[cfg(unix)]
fn unshared(path: &Path) -> Option<fs::File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let file = fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.file_type().is_file() || meta.nlink() != 1 {
        return None;
    }
    file.set_len(0).ok()?;
    Some(file)
}

#[cfg(not(unix))]
fn unshared(_: &Path) -> Option<fs::File> {
    None
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        io::Write::write_all(&mut self.at_path(rel, create_fresh)?, bytes)?;
        self.note(rel);
        Ok(())
    }

    fn link(&self, rel: &str, from: &Path) -> io::Result<Option<manifest::FileId>> {
        let to = self.at_path(rel, |to| {
            match manifest::link(from, to) {
                // A taken-over folder's file: replaced, never written to.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    retain::remove_any(to)?;
                    manifest::link(from, to)?;
                }
                other => other?,
            }
            Ok(to.to_path_buf())
        })?;
        self.note(rel);
        Ok(manifest::FileId::of(&to))
    }

    fn keep(&self, rel: &str) -> bool {
        self.note(rel);
        // Only a folder taken over under its manifest vouches for its files.
        self.retained.is_some()
    }

    fn read_back(&self, rel: &str) -> io::Result<std::fs::File> {
        self.at_path(rel, |path| fs::File::open(path))
    }

    fn written(&self, rel: &str) -> Option<manifest::FileId> {
        manifest::FileId::of(&self.root.join(rel))
    }

    /// Takes the identity from the open file, not by walking its path
    /// again: one lookup fewer for each of a build's pages.
    fn write_identified(&self, rel: &str, bytes: &[u8]) -> io::Result<Option<manifest::FileId>> {
        let mut file = self.at_path(rel, create_fresh)?;
        io::Write::write_all(&mut file, bytes)?;
        self.note(rel);
        Ok(file
            .metadata()
            .ok()
            .and_then(|m| manifest::FileId::from_metadata(&m)))
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let file = self.at_path(rel, create_fresh)?;
        let mut out = io::BufWriter::with_capacity(1 << 18, file);
        fill(&mut out)?;
        io::Write::flush(&mut out)?;
        self.note(rel);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        assert!(is_safe_relative("events/a/index.html"));
        for bad in ["", "../x", "/etc/passwd", "a/../../b", "a\\b", "./a"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
