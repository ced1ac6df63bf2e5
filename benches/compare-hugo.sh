#!/usr/bin/env bash
# Side-by-side clean builds of the same generated corpus with annals and Hugo.
#
#   benches/compare-hugo.sh [RUNS] [N ...]     (default: 5 runs; N = 1000 10000)
#
# For each N: generates the corpus (annals format) and converts it for the
# equivalent Hugo site in benches/hugo/site, then alternates clean builds
# (annals, hugo, annals, hugo, ...) so that drift on a shared machine hits
# both tools alike. Prints median wall time, median peak memory, files
# written, and the per-pair time ratio annals/hugo (median).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"; shift || true
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)

command -v hugo >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo; $sudo apt-get install -y hugo >/dev/null; }
cargo build --release --quiet --bin annals --example corpus --example hugo_corpus
bin="$PWD/target/release"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

echo "hugo: $(hugo version | cut -d' ' -f2), annals: $("$bin/annals" --version), $(nproc) cores"
echo
echo "| events | annals wall (s) | hugo wall (s) | ratio annals/hugo | annals peak (MB) | hugo peak (MB) | annals files | hugo files |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  site="$work/annals-$n"; hsite="$work/hugo-$n"
  mkdir -p "$site"; "$bin/examples/corpus" "$site" "$n" 1
  cp -r benches/hugo/site "$hsite"; "$bin/examples/hugo_corpus" "$site" "$hsite/content/events"
  : > "$work/a.txt"; : > "$work/h.txt"
  for _ in $(seq "$runs"); do
    rm -rf "$work/out-a" "$work/out-h"; sync
    /usr/bin/time -f "%e %M" -a -o "$work/a.txt" "$bin/annals" build --quiet --site "$site" --out "$work/out-a"
    /usr/bin/time -f "%e %M" -a -o "$work/h.txt" hugo --quiet --source "$hsite" --destination "$work/out-h" >/dev/null
  done
  fa=$(find "$work/out-a" -type f | wc -l); fh=$(find "$work/out-h" -type f | wc -l)
  python3 - "$work/a.txt" "$work/h.txt" "$n" "$fa" "$fh" <<'PY'
import statistics, sys
a = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
h = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
med = statistics.median
ratio = med(x[0] / y[0] for x, y in zip(a, h))
print(f"| {int(sys.argv[3]):,} | {med(x[0] for x in a):.2f} | {med(y[0] for y in h):.2f} | {ratio:.2f} | "
      f"{med(x[1] for x in a)/1024:.0f} | {med(y[1] for y in h)/1024:.0f} | {sys.argv[4]} | {sys.argv[5]} |")
PY
done
