#!/usr/bin/env bash
# The cost of dating events from git: prepares two copies of one generated
# site, one in a git repository with a history of a few hundred commits
# (dates read from it, the default) and one with `updated_from_git: false`,
# then times `annals build --clean` of each, in turn, with /usr/bin/time.
#
#   benches/git-dates.sh [--runs R] [--commits C] [--dir DIR] [N]
#
#   N            events (default 10000)
#   --runs R     builds of each (default 5); the medians are printed; 0
#                only prepares the sites (with --dir, for another timer)
#   --commits C  commits after the first (default 300), each changing 1 to
#                8 event files, with committer dates a day apart
#   --dir DIR    where the sites and outputs go (default: a temporary folder,
#                deleted at the end); DIR is kept, so other timers can run
#                the two builds it prints
#
# Disk: two sources (about 3 KB per event each) and two outputs (about 32 KB
# per event each, twice that while a build replaces one).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 commits=300 dir="" n=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) n=$1; shift ;;
  esac
done
command -v git >/dev/null || { echo "git is required" >&2; exit 2; }
cargo build --release --quiet --bin annals --example corpus
bin=$(pwd)/target/release
keep=1
if [ -z "$dir" ]; then dir=$(mktemp -d); keep=0; fi
on=$dir/on off=$dir/off
rm -rf "$on" "$off" "$dir/out-on" "$dir/out-off"
mkdir -p "$on"
"$bin/examples/corpus" "$on" "$n" 1

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
g() { git -C "$on" -c commit.gpgSign=false "$@"; }
g init -q
g add -A
GIT_AUTHOR_DATE="2020-01-01T12:00:00+00:00" GIT_COMMITTER_DATE="2020-01-01T12:00:00+00:00" \
  g commit -q -m "corpus"
mapfile -t files < <(cd "$on" && find content/events -name '*.md' | sort)
count=${#files[@]}
RANDOM=1
for c in $(seq 1 "$commits"); do
  for _ in $(seq 1 $((RANDOM % 8 + 1))); do
    f=${files[$(( (RANDOM * 32768 + RANDOM) % count ))]}
    printf '\nRevised in change %d.\n' "$c" >>"$on/$f"
  done
  day=$(date -u -d "2020-01-01 +$c days" +%Y-%m-%dT12:00:00+00:00)
  GIT_AUTHOR_DATE=$day GIT_COMMITTER_DATE=$day g commit -q -a -m "change $c"
done
# The same files outside git, with the switch off.
mkdir -p "$off"
(cd "$on" && tar --exclude=.git -cf - .) | (cd "$off" && tar -xf -)
printf '\nupdated_from_git: false\n' >>"$off/site.yaml"
printf '\nupdated_from_git: true\n' >>"$on/site.yaml"
g commit -q -a -m "site.yaml"

build_on=("$bin/annals" build --site "$on" --out "$dir/out-on" --clean)
build_off=("$bin/annals" build --site "$off" --out "$dir/out-off" --clean)
echo "git dates on:  ${build_on[*]}"
echo "git dates off: ${build_off[*]}"
if [ "$runs" -gt 0 ]; then
  "${build_on[@]}" >/dev/null 2>&1
  "${build_off[@]}" >/dev/null 2>&1
  median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
  timed() { /usr/bin/time -f %e -o "$dir/seconds" "$@" >/dev/null 2>&1; cat "$dir/seconds"; }
  t_on=() t_off=()
  for _ in $(seq 1 "$runs"); do
    t_on+=("$(timed "${build_on[@]}")")
    t_off+=("$(timed "${build_off[@]}")")
  done
  m_on=$(printf '%s\n' "${t_on[@]}" | median)
  m_off=$(printf '%s\n' "${t_off[@]}" | median)
  echo "median wall seconds: on $m_on, off $m_off, ratio $(awk "BEGIN {printf \"%.3f\", $m_on / $m_off}")"
fi
if [ "$keep" = 0 ]; then rm -rf "$dir"; fi
