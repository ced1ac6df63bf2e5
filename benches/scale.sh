#!/usr/bin/env bash
# annals at archive scale: clean builds and rebuilds after one edited event,
# each beside the I/O floor.
#
#   benches/scale.sh [--runs R] [--pause S] [--verify] [--site DIR] [--annals BIN] [N ...] [-- FLAG ...]
#
#   N            event counts (default: 10000 100000); 1000000 works too, given
#                the disk (see below) and the time
#   --runs R     runs per size (default 3); figures are medians
#   --pause S    seconds to wait after deleting outputs (default 15)
#   --site DIR   copy DIR (an `examples/corpus` site) instead of generating
#                one; only with a single N, which must be its event count
#   --annals BIN time this annals binary instead of the one built here
#                (e.g. a copy of an earlier version, to compare side by side)
#   --verify     after the last rebuild, build the edited site clean into
#                another folder and require identical output (the build
#                manifest's file identities, inode and time, excepted)
#   -- FLAG ...  passed to every `annals build` that rebuilds (e.g. a future
#                incremental mode's switches)
#
# For each N: generates the corpus (`examples/corpus`), then per run
#   1. a clean build into a fresh folder (with `--clean` when the binary has
#      that flag, so a build that could reuse output does not);
#   2. the I/O floor (`examples/io_floor`): reading every input and writing
#      the same bytes to the same files as that build, doing nothing else;
#   3. one event's body is edited (a paragraph appended, a different event
#      each run), and `annals build` runs again into the same output folder,
#      as a user's next build would. A build that reuses unchanged output
#      shows its gain here without any change to this script;
#   4. another event is edited and the output rebuilt again: the second
#      rebuild in a row, which finds the site the first one replaced beside
#      the output (the retained folder) and takes it over.
# Prints the median wall time and peak memory of each, and the per-run
# ratios to the floor (median). The floor is the same for both builds: a
# rebuild that writes every file again cannot go below it; one that writes
# only what changed can.
#
# Disk: an output is about 32 KB per event (3.2 GB at 100,000 events, 32 GB
# at 1,000,000); a run holds two outputs at once (the build and its floor,
# or the output and a rebuild's staging folder), three with --verify.
# Deleted folders are followed by a pause: ext4 without a journal scans
# recently deleted inodes when it allocates new ones, which would charge a
# run for the clean-up of the one before.
#
# Hugo is not run here: at 100,000 events it already takes over five times
# annals's time and 17 GB of memory (benches/compare-hugo.sh), so a million
# would not fit this machine's memory.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3; pause=15; verify=0; from=""; annals=""; sizes=(); passthrough=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --pause) pause="$2"; shift 2 ;;
    --verify) verify=1; shift ;;
    --site) from="$2"; shift 2 ;;
    --annals) annals="$(realpath "$2")"; shift 2 ;;
    --) shift; passthrough=("$@"); break ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
if [ -n "$from" ] && [ ${#sizes[@]} -ne 1 ]; then
  echo "--site needs exactly one N (its event count)" >&2; exit 2
fi

cargo build --release --quiet --bin annals --example corpus --example io_floor
bin="$PWD/target/release"
exe="${annals:-$bin/annals}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
# Fixed dates in feeds and the calendar, so that --verify can compare.
export SOURCE_DATE_EPOCH=1700000000

clean_flags=()
"$exe" build --help | grep -q -- '--clean' && clean_flags=(--clean)

echo "annals: $("$exe" --version), $(nproc) cores, $runs runs, rebuild flags: ${passthrough[*]:-(none)}"
echo
echo "| events | clean build (s) | rebuild after one edit (s) | second rebuild (s) | I/O floor (s) | clean/floor | rebuild/floor | clean peak (MB) | rebuild peak (MB) | files |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"

# Seconds and peak kilobytes of one command, appended to the file $1.
timed() {
  local into="$1"; shift
  /usr/bin/time -f "%e %M" -a -o "$into" "$@"
}

for n in "${sizes[@]}"; do
  site="$work/site-$n"
  if [ -n "$from" ]; then
    cp -r "$from" "$site"
  else
    mkdir -p "$site"; "$bin/examples/corpus" "$site" "$n" 1
  fi
  mapfile -t events < <(find "$site/content/events" -name '*.md' | sort)
  : > "$work/clean.txt"; : > "$work/rebuild.txt"; : > "$work/second.txt"; : > "$work/floor.txt"
  sync
  files=0
  for r in $(seq "$runs"); do
    out="$work/out-$r"
    timed "$work/clean.txt" "$exe" build --quiet --site "$site" --out "$out" "${clean_flags[@]}"
    files=$(find "$out" -type f | wc -l)
    # The floor times itself, leaving out listing the files it copies.
    "$bin/examples/io_floor" "$site" "$out" "$work/floor-$r" | sed -E 's/.*: ([0-9.]+) s$/\1 0/' >> "$work/floor.txt"
    rm -rf "$work/floor-$r"; sync; sleep "$pause"
    # A different event each run, spread over the corpus.
    edited="${events[$(( (r * ${#events[@]}) / (runs + 1) ))]}"
    printf '\nEdited for run %s of the rebuild benchmark.\n' "$r" >> "$edited"
    timed "$work/rebuild.txt" "$exe" build --quiet --site "$site" --out "$out" "${passthrough[@]}"
    edited="${events[$(( (r * ${#events[@]}) / (runs + 1) + 1 ))]}"
    printf '\nEdited again for run %s of the rebuild benchmark.\n' "$r" >> "$edited"
    timed "$work/second.txt" "$exe" build --quiet --site "$site" --out "$out" "${passthrough[@]}"
    if [ "$verify" = 1 ] && [ "$r" = "$runs" ]; then
      "$exe" build --quiet --site "$site" --out "$work/verify" "${clean_flags[@]}"
      # The manifest records each file's inode and modification time, which
      # differ between any two builds; what it says about inputs must not.
      # Parts list files in the order they were written, which parallel
      # rendering varies: compared as sets.
      manifest_inputs() { cat "$1"/.annals-manifest/part-* 2>/dev/null | cut -d' ' -f1,2,6- | sort || true; }
      diff -r -x .annals-manifest "$out" "$work/verify" >/dev/null \
        && diff <(manifest_inputs "$out") <(manifest_inputs "$work/verify") >/dev/null \
        || { echo "rebuild differs from a clean build at N=$n" >&2; exit 1; }
      rm -rf "$work/verify"
    fi
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").annals-retained"; sync; sleep "$pause"
  done
  python3 - "$work/clean.txt" "$work/rebuild.txt" "$work/floor.txt" "$n" "$files" "$work/second.txt" <<'PY'
import statistics, sys
read = lambda p: [tuple(map(float, l.split())) for l in open(p) if l.strip()]
c, b, f, s = read(sys.argv[1]), read(sys.argv[2]), read(sys.argv[3]), read(sys.argv[6])
med = statistics.median
print(f"| {int(sys.argv[4]):,} | {med(x[0] for x in c):.2f} | {med(x[0] for x in b):.2f} | "
      f"{med(x[0] for x in s):.2f} | {med(x[0] for x in f):.2f} | {med(x[0] / y[0] for x, y in zip(c, f)):.2f} | "
      f"{med(x[0] / y[0] for x, y in zip(b, f)):.2f} | "
      f"{med(x[1] for x in c)/1024:.0f} | {med(x[1] for x in b)/1024:.0f} | {sys.argv[5]} |")
PY
  rm -rf "$site"; sync
done
[ "$verify" = 1 ] && echo && echo "verified: each size's last rebuild equals a clean build of the edited site"
exit 0
