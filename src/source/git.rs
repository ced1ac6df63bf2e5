//! The date each content file last changed in git: one `git log` walk over
//! the history of a folder, parsed into path → committer date. The date of
//! a path is the committer date (`%cs`, the committer's own calendar day) of
//! the newest commit whose diff names it, which is what
//! `git log -1 --format=%cs -- PATH` prints: a rename dates the new path
//! (`--no-renames` lists it as added), and uncommitted edits do not count
//! until they are committed (an untracked file has no date), so two builds
//! of the same commit agree. A merge commit lists no files in this walk,
//! so a change made only while resolving a merge dates the file by the
//! commits it merged.
//!
//! Running the `git` binary (rather than linking a Git library) reads the
//! repository exactly as the author's own `git log` does, configuration,
//! worktrees and alternates included, and costs one process per build.
//! Without `git`, outside a repository, or when `git` fails, there are no
//! dates: a build never fails for it (a failing `git` in a repository is
//! worth a warning, a folder outside one is not).

use crate::values::dates::EventDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Path (relative to the site folder, `/`-separated as git writes it) →
/// the day it last changed in git.
#[derive(Debug, Clone, Default)]
pub struct Dates {
    by_path: HashMap<PathBuf, EventDate>,
}

/// What became of the walk.
#[derive(Debug)]
pub enum Outcome {
    Dates(Dates),
    /// No `git`, or the site is not in a repository: nothing to say.
    Unavailable,
    /// `git` ran and failed; the message says how.
    Failed(String),
}

impl Dates {
    /// The date of the file at `rel` (relative to the site folder).
    pub fn of(&self, rel: &Path) -> Option<&EventDate> {
        self.by_path.get(rel)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

/// The last-change dates of every file under `folder` (relative to
/// `site_dir`), from one walk of the history.
pub fn last_changes(site_dir: &Path, folder: &Path) -> Outcome {
    let output = Command::new("git")
        .arg("-C")
        .arg(site_dir)
        // A user's configuration must not change what the walk prints.
        .args([
            "-c",
            "log.showSignature=false",
            "-c",
            "core.quotePath=false",
        ])
        .args([
            "log",
            "-z",
            "--no-renames",
            "--no-merges",
            "--relative",
            "--format=%x01%cs",
            "--name-only",
            "--",
        ])
        .arg(folder)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output();
    let output = match output {
        Ok(o) => o,
        // No git installed: the site simply has no git dates.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Outcome::Unavailable,
        Err(e) => return Outcome::Failed(format!("cannot run git: {e}")),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Not a repository, or a repository without a commit yet.
        if stderr.contains("not a git repository") || stderr.contains("does not have any commits") {
            return Outcome::Unavailable;
        }
        let first = stderr.lines().next().unwrap_or("").trim().to_string();
        return Outcome::Failed(format!("git log failed: {first}"));
    }
    Outcome::Dates(parse(&output.stdout))
}

/// Parses the walk's output: for each commit, newest first, `\x01DATE\0`
/// then its paths, each ended by `\0` (the first one after a line break).
/// The first date met for a path is its last change.
pub fn parse(out: &[u8]) -> Dates {
    let mut by_path = HashMap::new();
    let mut date: Option<EventDate> = None;
    for token in out.split(|&b| b == 0) {
        let token = token.strip_prefix(b"\n").unwrap_or(token);
        if token.is_empty() {
            continue;
        }
        if let Some(d) = token.strip_prefix(b"\x01") {
            date = std::str::from_utf8(d)
                .ok()
                .and_then(|d| EventDate::parse(d.trim()).ok());
            continue;
        }
        let (Some(d), Some(path)) = (date, path_of(token)) else {
            continue;
        };
        by_path.entry(path).or_insert(d);
    }
    Dates { by_path }
}

#[cfg(unix)]
fn path_of(bytes: &[u8]) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> Option<PathBuf> {
    std::str::from_utf8(bytes)
        .ok()
        .map(|s| s.split('/').collect::<PathBuf>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_naming_a_path_dates_it() {
        let out = b"\x012024-02-02\0\ncontent/events/a.md\0content/events/c.md\0\x012024-01-02\0\ncontent/events/a.md\0content/events/\xc3\xa9 b.md\0";
        let dates = parse(out);
        let get = |p: &str| dates.of(Path::new(p)).map(|d| d.machine());
        assert_eq!(get("content/events/c.md").as_deref(), Some("2024-02-02"));
        assert_eq!(get("content/events/a.md").as_deref(), Some("2024-02-02"));
        assert_eq!(get("content/events/é b.md").as_deref(), Some("2024-01-02"));
        assert_eq!(dates.len(), 3);
    }

    #[test]
    fn garbage_yields_no_dates_and_no_panic() {
        assert!(parse(b"\x01not a date\0\nx.md\0\0\0\x01").is_empty());
        assert!(parse(b"").is_empty());
    }
}
