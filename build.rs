//! Build script: puts the commit the binary is built from into `annals
//! --version` ("annals 0.1.0 (abc1234 2026-12-02)"). Outside a git checkout
//! of this very package (a crate tarball, or git missing) the version is
//! the package's alone; nothing here ever fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = env!("CARGO_PKG_VERSION");
    let full = match commit() {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=ANNALS_VERSION={full}");
}

/// Runs `git ARGS` in the package folder; its trimmed output on success.
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The short hash and date of the checked-out commit, when the package
/// folder is the top of a git work tree (not a tarball unpacked inside
/// some other repository). Asks cargo to run again when HEAD moves: a
/// checkout changes `HEAD`, a commit changes the branch's ref file.
fn commit() -> Option<String> {
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    if top.canonicalize().ok()? != manifest.canonicalize().ok()? {
        return None;
    }
    watch(&git(&["rev-parse", "--git-path", "HEAD"])?);
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(&git(&["rev-parse", "--git-path", &branch])?);
    }
    // A branch whose loose ref was packed lives here instead.
    if let Some(packed) = git(&["rev-parse", "--git-path", "packed-refs"]) {
        watch(&packed);
    }
    git(&["log", "-1", "--format=%h %cs"])
}

/// Reruns the script when `path` (relative to the package folder, as git
/// prints it) changes; a path that does not exist would make cargo rerun it
/// on every build, so it is left out.
fn watch(path: &str) {
    let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let path = Path::new(&manifest).join(path);
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
