#!/usr/bin/env bash
# Side-by-side clean builds of the same generated corpus with annals and Hugo.
#
#   benches/compare-hugo.sh [RUNS] [N ...]     (default: 5 runs; N = 1000 10000)
#   BASELINE=BIN benches/compare-hugo.sh ...   (also times another annals binary)
#
# For each N: generates the corpus (annals format) and converts it for the
# equivalent Hugo site in benches/hugo/site, then alternates clean builds
# (annals, hugo, I/O floor, annals, hugo, ...) so that drift on a shared
# machine hits all alike. Prints median wall time, median peak memory,
# files written, the per-run time ratio annals/hugo (median), and the I/O
# floor: reading every input and writing the same bytes to the same files
# as annals's output (examples/io_floor.rs), with no work on the bytes.
# With BASELINE, each round also builds with that binary (an earlier
# annals, say) and a second table gives its medians and the per-run ratio.
#
# Every run writes into a fresh folder and folders are removed only after
# all runs of a size, followed by a pause: ext4 without a journal scans
# recently deleted inodes when it allocates new ones, which would charge
# one run for the clean-up of the run before.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"; shift || true
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)

command -v hugo >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo; $sudo apt-get install -y hugo >/dev/null; }
cargo build --release --quiet --bin annals --example corpus --example hugo_corpus --example io_floor
bin="$PWD/target/release"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

echo "hugo: $(hugo version | cut -d' ' -f2), annals: $("$bin/annals" --version), $(nproc) cores"
echo
echo "| events | annals wall (s) | hugo wall (s) | ratio annals/hugo | I/O floor (s) | ratio annals/floor | annals peak (MB) | hugo peak (MB) | annals files | hugo files |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
baseline="${BASELINE:-}"
[ -z "$baseline" ] || baseline="$(realpath "$baseline")"
: > "$work/baseline-rows.txt"
for n in "${sizes[@]}"; do
  site="$work/annals-$n"; hsite="$work/hugo-$n"
  mkdir -p "$site"; "$bin/examples/corpus" "$site" "$n" 1
  cp -r benches/hugo/site "$hsite"; "$bin/examples/hugo_corpus" "$site" "$hsite/content/events"
  : > "$work/a.txt"; : > "$work/h.txt"; : > "$work/f.txt"; : > "$work/b.txt"
  sync
  for r in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -a -o "$work/a.txt" "$bin/annals" build --quiet --site "$site" --out "$work/out-a-$r"
    if [ -n "$baseline" ]; then
      /usr/bin/time -f "%e %M" -a -o "$work/b.txt" "$baseline" build --quiet --site "$site" --out "$work/out-b-$r"
    fi
    /usr/bin/time -f "%e %M" -a -o "$work/h.txt" hugo --quiet --source "$hsite" --destination "$work/out-h-$r" >/dev/null
    # The floor times itself, leaving out listing the files it copies.
    "$bin/examples/io_floor" "$site" "$work/out-a-1" "$work/out-f-$r" | sed -E 's/.*: ([0-9.]+) s$/\1 0/' >> "$work/f.txt"
  done
  fa=$(find "$work/out-a-1" -type f | wc -l); fh=$(find "$work/out-h-1" -type f | wc -l)
  if [ -n "$baseline" ]; then
    python3 - "$work/a.txt" "$work/b.txt" "$n" >> "$work/baseline-rows.txt" <<'PY'
import statistics, sys
read = lambda p: [tuple(map(float, l.split())) for l in open(p) if l.strip()]
a, b = read(sys.argv[1]), read(sys.argv[2])
med = statistics.median
print(f"| {int(sys.argv[3]):,} | {med(x[0] for x in a):.2f} | {med(y[0] for y in b):.2f} | "
      f"{med(x[0] / y[0] for x, y in zip(a, b)):.2f} | "
      f"{med(x[1] for x in a)/1024:.0f} | {med(y[1] for y in b)/1024:.0f} | "
      f"{med(x[1] / y[1] for x, y in zip(a, b)):.2f} |")
PY
  fi
  python3 - "$work/a.txt" "$work/h.txt" "$work/f.txt" "$n" "$fa" "$fh" <<'PY'
import statistics, sys
read = lambda p: [tuple(map(float, l.split())) for l in open(p) if l.strip()]
a, h, f = read(sys.argv[1]), read(sys.argv[2]), read(sys.argv[3])
med = statistics.median
vs_hugo = med(x[0] / y[0] for x, y in zip(a, h))
vs_floor = med(x[0] / y[0] for x, y in zip(a, f))
print(f"| {int(sys.argv[4]):,} | {med(x[0] for x in a):.2f} | {med(y[0] for y in h):.2f} | {vs_hugo:.2f} | "
      f"{med(z[0] for z in f):.2f} | {vs_floor:.2f} | "
      f"{med(x[1] for x in a)/1024:.0f} | {med(y[1] for y in h)/1024:.0f} | {sys.argv[5]} | {sys.argv[6]} |")
PY
  rm -rf "$work"/out-* "$site" "$hsite"; sync; sleep 15
done
if [ -n "$baseline" ]; then
  echo
  echo "baseline: $baseline ($("$baseline" --version))"
  echo
  echo "| events | annals wall (s) | baseline wall (s) | ratio annals/baseline | annals peak (MB) | baseline peak (MB) | peak ratio |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  cat "$work/baseline-rows.txt"
fi
