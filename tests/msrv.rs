//! `rust-version` in Cargo.toml is a promise: the crate builds with that
//! toolchain. Two halves keep it: clippy's `incompatible_msrv` lint (on in
//! `scripts/test`'s `-D warnings` run) rejects standard-library items newer
//! than it, and this test rejects locked dependencies that ask for a newer
//! compiler than it.

use std::process::Command;

fn version(text: &str) -> Vec<u32> {
    text.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

#[test]
fn no_dependency_needs_a_newer_compiler_than_rust_version() {
    let cargo = env!("CARGO");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let ours = packages
        .iter()
        .find(|p| p["name"] == "annals")
        .and_then(|p| p["rust_version"].as_str())
        .expect("annals declares rust-version");
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let wanted = p["rust_version"].as_str()?;
            (version(wanted) > version(ours))
                .then(|| format!("{} {} needs {wanted}", p["name"], p["version"]))
        })
        .collect();
    assert!(packages.len() > 100, "read {} packages", packages.len());
    assert!(
        newer.is_empty(),
        "rust-version is {ours}, but:\n{}",
        newer.join("\n")
    );
}
