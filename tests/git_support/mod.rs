//! A git repository around a test site, driven with the real `git`
//! binary: commits with fixed author and committer dates, isolated from
//! the user's and the system's git configuration. A missing `git` fails
//! the test loudly: these tests are worthless without it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// `git <args>` in `dir`, isolated from any configuration, with the
/// commit dates set to `date` (RFC 3339, or empty for none); panics with
/// git's message when it fails.
pub fn git_at(dir: &Path, date: &str, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.org")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.org")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgSign=false",
        ])
        .args(args);
    if !date.is_empty() {
        cmd.env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("these tests need the `git` binary on PATH (install git): {e}"));
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, "", args)
}

/// `git init` in `dir`.
pub fn init(dir: &Path) {
    git(dir, &["init", "-q"]);
}

/// Stages everything and commits it on `date`.
pub fn commit_all(dir: &Path, date: &str, message: &str) {
    git(dir, &["add", "-A"]);
    git_at(dir, date, &["commit", "-q", "-m", message]);
}

/// What `git log -1 --format=%cs -- file` prints: the reference every
/// shown and exported date must equal. Empty for a file git never saw.
pub fn last_change(dir: &Path, file: &str) -> String {
    git(dir, &["log", "-1", "--format=%cs", "--", file])
        .trim()
        .to_string()
}
