//! The hosting files `annals init --ci HOST` writes: a GitHub Pages
//! workflow, `netlify.toml`, or a Cloudflare Pages build script with its
//! `wrangler.toml`. Each installs annals, builds with the host's own URL as
//! `--base-url` (so feeds, the sitemap and the calendar point at the live
//! site) and publishes `public/`.

use crate::urls::SitePaths;

/// Stands for the output folder's name in the texts below.
const OUTPUT: &str = "@OUTPUT@";

/// Where a new site will be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    GithubPages,
    Netlify,
    CloudflarePages,
}

impl Host {
    /// Every host, in the order the command line lists them.
    pub const ALL: [Host; 3] = [Host::GithubPages, Host::Netlify, Host::CloudflarePages];

    /// The name `--ci` takes.
    pub fn name(self) -> &'static str {
        match self {
            Host::GithubPages => "github-pages",
            Host::Netlify => "netlify",
            Host::CloudflarePages => "cloudflare-pages",
        }
    }

    /// The address the hosting files install annals from until the user
    /// puts in the real one: annals knows no address of its own repository
    /// (README, "Publishing", says what to put there).
    pub const REPOSITORY_PLACEHOLDER: &str = "https://github.com/YOUR-NAME/annals";

    /// The files written for this host, relative to the site folder.
    pub fn file_names(self) -> Vec<&'static str> {
        self.templates().iter().map(|(name, _)| *name).collect()
    }

    /// The files to write, as (path relative to the site, text).
    pub(super) fn files(self) -> Vec<(&'static str, String)> {
        self.templates()
            .iter()
            .map(|(name, text)| (*name, text.replace(OUTPUT, SitePaths::OUTPUT)))
            .collect()
    }

    /// The files' texts, with [`OUTPUT`] where the output folder goes.
    fn templates(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Host::GithubPages => &[(".github/workflows/pages.yml", GITHUB_PAGES)],
            Host::Netlify => &[("netlify.toml", NETLIFY)],
            Host::CloudflarePages => &[
                ("wrangler.toml", CLOUDFLARE_WRANGLER),
                ("cloudflare-pages-build.sh", CLOUDFLARE_BUILD),
            ],
        }
    }
}

const GITHUB_PAGES: &str = r#"# Builds this site with annals and publishes it on GitHub Pages on every
# push to main. In the repository's Settings → Pages, set Source to
# "GitHub Actions". The site's address (https://NAME.github.io/REPO/ for a
# project site) comes from the Pages settings and is passed as --base-url,
# so feeds, the sitemap and the calendar link to the live site.
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  # The git repository annals is installed from: replace with its URL.
  ANNALS_REPOSITORY: https://github.com/YOUR-NAME/annals

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install annals
        run: cargo install --locked --git "$ANNALS_REPOSITORY" annals
      - name: Build
        run: annals build --site . --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: @OUTPUT@

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

const NETLIFY: &str = r#"# Netlify builds this site with annals on every push and publishes @OUTPUT@/.
# The site's address is passed as --base-url so feeds, the sitemap and the
# calendar link to it: URL (the main address) for production, and
# DEPLOY_PRIME_URL (the preview's own address) for previews and branches.
[build]
  publish = "@OUTPUT@"
  command = "cargo install --locked --git \"$ANNALS_REPOSITORY\" annals && annals build --site . --base-url \"$URL/\""

[build.environment]
  # The git repository annals is installed from: replace with its URL.
  ANNALS_REPOSITORY = "https://github.com/YOUR-NAME/annals"

[context.deploy-preview]
  command = "cargo install --locked --git \"$ANNALS_REPOSITORY\" annals && annals build --site . --base-url \"$DEPLOY_PRIME_URL/\""

[context.branch-deploy]
  command = "cargo install --locked --git \"$ANNALS_REPOSITORY\" annals && annals build --site . --base-url \"$DEPLOY_PRIME_URL/\""
"#;

const CLOUDFLARE_WRANGLER: &str = r#"# Cloudflare Pages: the project's build output. Set the build command to
# `sh cloudflare-pages-build.sh` in the project's Settings → Builds (wrangler
# has no field for it).
name = "annals-site"
pages_build_output_dir = "@OUTPUT@"
compatibility_date = "2025-01-01"
"#;

const CLOUDFLARE_BUILD: &str = r#"#!/bin/sh
# Cloudflare Pages build command (Settings → Builds: `sh cloudflare-pages-build.sh`,
# output directory `@OUTPUT@`, as in wrangler.toml). Installs annals and builds
# with the deployment's address as --base-url: ANNALS_BASE_URL when set (set
# it to the production address, e.g. https://example.org/timeline/, for the
# production environment), else CF_PAGES_URL, the address of this deployment.
set -eu
ANNALS_REPOSITORY="${ANNALS_REPOSITORY:-https://github.com/YOUR-NAME/annals}"
if ! command -v cargo >/dev/null 2>&1; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  . "$HOME/.cargo/env"
fi
cargo install --locked --git "$ANNALS_REPOSITORY" annals
annals build --site . --base-url "${ANNALS_BASE_URL:-$CF_PAGES_URL/}"
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_names_the_same_placeholder() {
        for host in super::Host::ALL {
            for (path, text) in host.files() {
                assert!(!text.contains(super::OUTPUT), "{path}");
                if text.contains("cargo install") {
                    assert!(text.contains(super::Host::REPOSITORY_PLACEHOLDER), "{path}");
                }
            }
        }
    }
}
