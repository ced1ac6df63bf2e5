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
python3 -m http.server -d "$out" -b 127.0.0.1 "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
node benches/search-browser.mjs "http://127.0.0.1:$port/"
