//! Output stage: writes into a staging folder beside the output folder and
//! swaps it in only when the build is complete, so a failed or killed build
//! never leaves a half-written site. Every write path is checked to stay
//! inside the staging folder.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

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
}

/// Whether `rel` is a plain relative path that cannot leave its root.
pub fn is_safe_relative(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// File written at the root of every output, so a later build knows the
/// folder is annals's to replace (and refuses folders that are not).
pub const MARKER: &str = ".annals-output";

pub struct Staging {
    root: PathBuf,
    out: PathBuf,
    backup: PathBuf,
    committed: bool,
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

impl Staging {
    /// Creates an empty staging folder, clearing what a killed build left.
    pub fn prepare(out: &Path) -> io::Result<Staging> {
        let root = sibling(out, "annals-staging");
        let backup = sibling(out, "annals-previous");
        if let Some(parent) = out.parent()
            && !parent.as_os_str().is_empty()
        {
            fs::create_dir_all(parent)?;
        }
        // A build killed mid-swap left the old site as the backup: put it back.
        if backup.exists() {
            if out.exists() {
                fs::remove_dir_all(&backup)?;
            } else {
                fs::rename(&backup, out)?;
            }
        }
        if root.exists() {
            fs::remove_dir_all(&root)?;
        }
        fs::create_dir_all(&root)?;
        fs::write(
            root.join(MARKER),
            concat!("built by annals ", env!("CARGO_PKG_VERSION"), "\n"),
        )?;
        Ok(Staging {
            root,
            out: out.to_path_buf(),
            backup,
            committed: false,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Swaps the staging folder in place of the output folder. On Linux the
    /// two folders are exchanged in one `renameat2(RENAME_EXCHANGE)`, so at
    /// every instant the output folder holds a complete site, old or new.
    pub fn commit(mut self) -> io::Result<()> {
        if self.out.is_dir() && exchange(&self.root, &self.out).is_ok() {
            self.committed = true;
            // The staging path now holds the old site; `Drop` is skipped,
            // and a build killed here leaves it for the next `prepare`.
            let _ = fs::remove_dir_all(&self.root);
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
            fs::remove_dir_all(&self.backup)?;
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

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

impl Staging {
    /// The path of `rel` in the staging folder, its parent folders made.
    fn prepare_file(&self, rel: &str) -> io::Result<PathBuf> {
        if !is_safe_relative(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {rel}"),
            ));
        }
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.prepare_file(rel)?, bytes)
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let file = fs::File::create(self.prepare_file(rel)?)?;
        let mut out = io::BufWriter::with_capacity(1 << 18, file);
        fill(&mut out)?;
        io::Write::flush(&mut out)
    }
}

/// Makes `path` absolute and resolves what exists of it, so that
/// comparisons see through `..` and symlinks.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = absolute.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(real) => {
                let mut out = real;
                for part in rest.iter().rev() {
                    if part == ".." {
                        out.pop();
                    } else if part != "." {
                        out.push(part);
                    }
                }
                return Ok(out);
            }
            Err(_) => {
                let Some(name) = existing.file_name().map(|n| n.to_os_string()) else {
                    return Ok(absolute);
                };
                rest.push(name);
                if !existing.pop() {
                    return Ok(absolute);
                }
            }
        }
    }
}

/// Refuses output folders whose replacement would delete the site's
/// sources: the site itself, a folder holding it, or one inside a source
/// folder.
pub fn check_out_dir(site: &Path, out: &Path) -> Result<(), String> {
    let site = resolve(site).map_err(|e| format!("cannot resolve {}: {e}", site.display()))?;
    let out_real = resolve(out).map_err(|e| format!("cannot resolve {}: {e}", out.display()))?;
    let shown = out.display();
    if site.starts_with(&out_real) {
        return Err(format!(
            "refusing to write the site to {shown}: it holds the site's own sources, which the build would delete"
        ));
    }
    for source in ["content", "static", "themes", "templates", "site.yaml"] {
        if out_real.starts_with(site.join(source)) {
            return Err(format!(
                "refusing to write the site to {shown}: it is inside the site's `{source}`, which the build would overwrite"
            ));
        }
    }
    let foreign = std::fs::read_dir(&out_real)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false)
        && !out_real.join(MARKER).is_file();
    if foreign {
        return Err(format!(
            "refusing to replace {shown}: it holds files that annals did not write (no {MARKER} marker); empty it, delete it, or choose another --out"
        ));
    }
    if out_real.parent().is_none()
        || std::env::var_os("HOME").is_some_and(|h| Path::new(&h) == out_real)
    {
        return Err(format!("refusing to write the site to {shown}"));
    }
    Ok(())
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
