#!/bin/sh
# Builds a site (default: a 100,000-event corpus made by the corpus
# example), serves it with a plain static server and measures its search
# and whole-archive filters in headless Chromium (benches/search-browser.mjs).
#
#   benches/search-scale.sh [SITE_DIR] [OUT_DIR] [PORT]
set -eu
site=${1:-/tmp/annals-search-100k}
out=${2:-/tmp/annals-search-100k-out}
port=${3:-8765}
cd "$(dirname "$0")/.."
cargo build --release --locked -q
if [ ! -d "$site" ]; then
  cargo run --release --locked -q --example corpus -- "$site" 100000
fi
/usr/bin/time -f "build: %e s %M KB" target/release/annals build --site "$site" --out "$out" -q
# Served under the base URL's path, as the pages' root-relative links expect.
sub=$(sed -n 's|^base_url: *"*[a-z]*://[^/]*/\([^"]*\)"*$|\1|p' "$site/site.yaml")
root=$(mktemp -d)
if [ -n "$sub" ]; then
  mkdir -p "$root/$sub"
  rmdir "$root/$sub"
  ln -s "$(cd "$out" && pwd)" "$root/${sub%/}"
else
  rmdir "$root"
  ln -s "$(cd "$out" && pwd)" "$root"
fi
python3 -m http.server -d "$root" -b 127.0.0.1 "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -rf "$root"' EXIT
sleep 1
for run in 1 2 3; do
  node benches/search-browser.mjs "http://127.0.0.1:$port/$sub"
done
