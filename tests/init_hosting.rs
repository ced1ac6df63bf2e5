//! `annals init`: the commented `base_url` line and the build's warning
//! about the localhost fallback, a folder holding only dot-files (a fresh
//! `git init`), the `.gitignore`, and the hosting files of `--ci`: each is
//! parsed with a real parser, then its install and build commands are run
//! (with a stand-in `cargo` and the real `annals`) under the host's
//! variables, and the built sitemap must point at the host's address.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The placeholder every hosting file installs annals from until the user
/// puts in the repository's address (README, "Publishing").
const REPOSITORY: &str = annals::Host::REPOSITORY_PLACEHOLDER;

fn init(dir: &Path, extra: &[&str]) -> Output {
    annals()
        .arg("init")
        .arg(dir)
        .args(extra)
        .output()
        .expect("run annals init")
}

/// A folder with `annals` and a stand-in `cargo` that records its
/// arguments in `cargo.log` beside it, to put first on PATH.
fn tools() -> tempfile::TempDir {
    let bin = tempfile::tempdir().expect("temp folder");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_annals"), bin.path().join("annals"))
        .expect("link annals");
    let cargo = bin.path().join("cargo");
    fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\n",
            bin.path().join("cargo.log").display()
        ),
    )
    .expect("write cargo");
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&cargo, fs::Permissions::from_mode(0o755)).expect("chmod cargo");
    bin
}

/// Runs `command` with `sh -c` in `site`, the tools first on PATH and
/// `vars` set, as the host would; returns what the stand-in cargo got.
fn run_as_host(site: &Path, command: &str, vars: &[(&str, &str)]) -> String {
    let bin = tools();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(site)
        .env("PATH", path)
        .envs(vars.iter().copied())
        .output()
        .expect("run sh");
    assert_success(&out);
    assert!(
        !stderr(&out).contains("localhost"),
        "the host's build fell back to localhost: {}",
        stderr(&out)
    );
    fs::read_to_string(bin.path().join("cargo.log")).unwrap_or_default()
}

/// The `<loc>`s of the built sitemap.
fn sitemap_locs(site: &Path) -> Vec<String> {
    let text = fs::read_to_string(site.join("public/sitemap.xml")).expect("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("sitemap parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text().map(String::from))
        .collect()
}

fn assert_published_at(site: &Path, base: &str) {
    let locs = sitemap_locs(site);
    assert!(
        !locs.is_empty() && locs.iter().all(|l| l.starts_with(base)),
        "sitemap not under {base}: {locs:?}"
    );
    let robots = fs::read_to_string(site.join("public/robots.txt")).expect("robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
}

/// A new site with the hosting files for `host`, in a temporary folder.
fn site_for(host: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp folder");
    let dir = tmp.path().join("site");
    let out = init(&dir, &["--ci", host]);
    assert_success(&out);
    // The one thing left to the user is said.
    assert!(stderr(&out).contains(REPOSITORY), "{}", stderr(&out));
    (tmp, dir)
}

#[test]
fn a_new_site_explains_base_url_and_its_build_warns_until_one_is_given() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let dir = tmp.path().join("site");
    assert_success(&init(&dir, &[]));
    let yaml = fs::read_to_string(dir.join("site.yaml")).expect("site.yaml");
    let comment: Vec<&str> = yaml.lines().filter(|l| l.starts_with('#')).collect();
    assert!(
        comment
            .iter()
            .any(|l| l.starts_with("# base_url: https://"))
            && comment.iter().any(|l| l.contains("sub-path"))
            && comment.iter().any(|l| l.contains("--base-url")),
        "{yaml}"
    );
    let parsed: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("site.yaml parses");
    assert!(parsed.get("base_url").is_none(), "base_url is set: {yaml}");

    let out = annals()
        .arg("build")
        .arg("--site")
        .arg(&dir)
        .output()
        .expect("build");
    assert_success(&out);
    let printed = stderr(&out);
    let warnings: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", stderr(&out));
    assert!(warnings[0].contains("http://localhost/"), "{}", warnings[0]);

    let out = annals()
        .arg("build")
        .arg("--site")
        .arg(&dir)
        .args(["--base-url", "https://example.org/timeline/"])
        .output()
        .expect("build");
    assert_success(&out);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert_published_at(&dir, "https://example.org/timeline/");
}

#[test]
fn init_takes_a_fresh_git_checkout_and_ignores_the_output() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let dir = tmp.path();
    fs::create_dir_all(dir.join(".git/refs")).expect("mkdir .git");
    fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").expect("write HEAD");
    fs::write(dir.join(".gitignore"), "*.swp").expect("write .gitignore");
    assert_success(&init(dir, &[]));
    assert!(dir.join("site.yaml").is_file());
    assert_eq!(
        fs::read_to_string(dir.join(".git/HEAD")).expect("HEAD"),
        "ref: refs/heads/main\n"
    );
    // The user's line stays; the output and the folders beside it are added.
    let ignore = fs::read_to_string(dir.join(".gitignore")).expect(".gitignore");
    assert_eq!(
        ignore,
        "*.swp\n/public/\n/.public.*\n/.annals-external.json\n"
    );

    let fresh = tmp.path().join("fresh");
    assert_success(&init(&fresh, &[]));
    let ignore = fs::read_to_string(fresh.join(".gitignore")).expect(".gitignore");
    assert!(ignore.lines().any(|l| l == "/public/"), "{ignore}");

    // A folder with anything else in it is still refused, and left alone.
    let busy = tmp.path().join("busy");
    fs::create_dir_all(busy.join(".git")).expect("mkdir");
    fs::write(busy.join("README.md"), "mine").expect("write");
    let out = init(&busy, &[]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("README.md"), "{}", stderr(&out));
    assert_eq!(entries(&busy), [".git", "README.md"]);
}

#[test]
fn github_pages_workflow_builds_with_the_pages_address() {
    let (_tmp, dir) = site_for("github-pages");
    let text = fs::read_to_string(dir.join(".github/workflows/pages.yml")).expect("pages.yml");
    let flow: serde_yaml::Value = serde_yaml::from_str(&text).expect("pages.yml parses");
    let repository = flow["env"]["ANNALS_REPOSITORY"].as_str().expect("env");
    assert_eq!(repository, REPOSITORY);
    let steps = flow["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("build steps");
    let uses = |prefix: &str| {
        steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
    };
    let pages = uses("actions/configure-pages@").expect("configure-pages");
    assert_eq!(pages["id"].as_str(), Some("pages"));
    let upload = uses("actions/upload-pages-artifact@").expect("upload-pages-artifact");
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
    let deploy = flow["jobs"]["deploy"]["steps"][0]["uses"].as_str();
    assert!(deploy.is_some_and(|u| u.starts_with("actions/deploy-pages@")));
    assert_eq!(flow["jobs"]["deploy"]["needs"].as_str(), Some("build"));
    assert_eq!(flow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(flow["permissions"]["id-token"].as_str(), Some("write"));

    // The commands of the steps, in order, as the runner would run them.
    let script: Vec<String> = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .map(|run| {
            run.replace(
                "${{ steps.pages.outputs.base_url }}",
                "https://octo.github.io/timeline",
            )
        })
        .collect();
    assert!(!script.iter().any(|r| r.contains("${{")), "{script:?}");
    let cargo = run_as_host(
        &dir,
        &script.join("\n"),
        &[("ANNALS_REPOSITORY", repository)],
    );
    assert_eq!(
        cargo,
        format!("install --locked --git {REPOSITORY} annals\n")
    );
    assert_published_at(&dir, "https://octo.github.io/timeline/");
}

#[test]
fn netlify_builds_with_its_address_in_production_and_previews() {
    let (_tmp, dir) = site_for("netlify");
    let text = fs::read_to_string(dir.join("netlify.toml")).expect("netlify.toml");
    let config: toml::Table = toml::from_str(&text).expect("netlify.toml parses");
    let build = config["build"].as_table().expect("[build]");
    assert_eq!(build["publish"].as_str(), Some("public"));
    let repository = build["environment"]["ANNALS_REPOSITORY"]
        .as_str()
        .expect("ANNALS_REPOSITORY");
    assert_eq!(repository, REPOSITORY);

    let production = build["command"].as_str().expect("build command");
    let cargo = run_as_host(
        &dir,
        production,
        &[
            ("ANNALS_REPOSITORY", repository),
            ("URL", "https://timeline.example.org"),
            ("DEPLOY_PRIME_URL", "https://main--timeline.netlify.app"),
        ],
    );
    assert_eq!(
        cargo,
        format!("install --locked --git {REPOSITORY} annals\n")
    );
    assert_published_at(&dir, "https://timeline.example.org/");

    for context in ["deploy-preview", "branch-deploy"] {
        let command = config["context"][context]["command"]
            .as_str()
            .expect("context command");
        run_as_host(
            &dir,
            command,
            &[
                ("ANNALS_REPOSITORY", repository),
                ("URL", "https://timeline.example.org"),
                (
                    "DEPLOY_PRIME_URL",
                    "https://deploy-preview-7--timeline.netlify.app",
                ),
            ],
        );
        assert_published_at(&dir, "https://deploy-preview-7--timeline.netlify.app/");
    }
}

#[test]
fn cloudflare_pages_builds_with_the_deployment_or_the_given_address() {
    let (_tmp, dir) = site_for("cloudflare-pages");
    let text = fs::read_to_string(dir.join("wrangler.toml")).expect("wrangler.toml");
    let config: toml::Table = toml::from_str(&text).expect("wrangler.toml parses");
    assert_eq!(config["pages_build_output_dir"].as_str(), Some("public"));
    // The build command the comment tells the user to set.
    assert!(text.contains("`sh cloudflare-pages-build.sh`"), "{text}");
    let script = dir.join("cloudflare-pages-build.sh");
    assert!(script.is_file());

    let cargo = run_as_host(
        &dir,
        "sh cloudflare-pages-build.sh",
        &[("CF_PAGES_URL", "https://3f2a.timeline.pages.dev")],
    );
    assert_eq!(
        cargo,
        format!("install --locked --git {REPOSITORY} annals\n")
    );
    assert_published_at(&dir, "https://3f2a.timeline.pages.dev/");

    run_as_host(
        &dir,
        "sh cloudflare-pages-build.sh",
        &[
            ("CF_PAGES_URL", "https://3f2a.timeline.pages.dev"),
            ("ANNALS_BASE_URL", "https://example.org/timeline/"),
            ("ANNALS_REPOSITORY", "https://git.example.org/annals"),
        ],
    );
    assert_published_at(&dir, "https://example.org/timeline/");
}

#[test]
fn an_unknown_host_is_a_usage_error_listing_the_choices() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let dir = tmp.path().join("site");
    let out = init(&dir, &["--ci", "vercel"]);
    assert_code(&out, 2);
    for host in annals::Host::ALL {
        assert!(stderr(&out).contains(host.name()), "{}", stderr(&out));
    }
    assert!(!dir.exists(), "a refused init wrote {}", dir.display());
}

#[test]
fn init_never_overwrites_a_hosting_file() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let dir = tmp.path();
    fs::create_dir_all(dir.join(".github/workflows")).expect("mkdir");
    fs::write(dir.join(".github/workflows/pages.yml"), "mine").expect("write");
    let out = init(dir, &["--ci", "github-pages"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("pages.yml"), "{}", stderr(&out));
    assert_eq!(entries(dir), [".github"]);
    assert_eq!(
        fs::read_to_string(dir.join(".github/workflows/pages.yml")).expect("read"),
        "mine"
    );
}

#[test]
fn this_repository_publishes_itself_with_the_same_workflow() {
    let (_tmp, dir) = site_for("github-pages");
    let read = |path: &Path| -> serde_yaml::Value {
        let text = fs::read_to_string(path).expect("read a workflow");
        serde_yaml::from_str(&text).expect("the workflow parses")
    };
    let new = read(&dir.join(".github/workflows/pages.yml"));
    let own = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml"));
    // Only the install differs: this checkout instead of the git address.
    let steps = |flow: &serde_yaml::Value| -> Vec<serde_yaml::Value> {
        flow["jobs"]["build"]["steps"]
            .as_sequence()
            .expect("build steps")
            .clone()
    };
    let (new_steps, own_steps) = (steps(&new), steps(&own));
    assert_eq!(new_steps.len(), own_steps.len());
    for (a, b) in new_steps.iter().zip(&own_steps) {
        if a["name"].as_str() == Some("Install annals") {
            assert_eq!(b["run"].as_str(), Some("cargo install --locked --path ."));
        } else {
            assert_eq!(a, b);
        }
    }
    for key in ["on", "permissions", "concurrency"] {
        assert_eq!(new[key], own[key], "{key}");
    }
    assert_eq!(new["jobs"]["deploy"], own["jobs"]["deploy"]);
    // The repository's own base_url is a Pages address with a sub-path.
    let config = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"))
        .expect("site.yaml");
    let config: serde_yaml::Value = serde_yaml::from_str(&config).expect("site.yaml parses");
    let base = config["base_url"].as_str().expect("base_url is set");
    let url = url::Url::parse(base).expect("an absolute base_url");
    assert!(
        url.host_str().is_some_and(|h| h.ends_with(".github.io")) && url.path().len() > 1,
        "{base}"
    );
}
