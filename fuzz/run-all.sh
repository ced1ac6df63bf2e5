#!/usr/bin/env bash
# Runs each fuzz target for a time budget on one core, continuing past
# crashes (fork mode), and logs to fuzz/logs/<target>.log.
set -u
cd "$(dirname "$0")"
BIN=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for spec in "$@"; do
  t=${spec%%:*}; secs=${spec##*:}
  mkdir -p corpus/$t artifacts/$t
  "$BIN/$t" corpus/$t -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time=$secs -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix=artifacts/$t/ -print_final_stats=1 > logs/$t.log 2>&1
done
