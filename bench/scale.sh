#!/usr/bin/env bash
# Memory and cycle time against the number of sources (issue 14):
#
#   bash bench/scale.sh                 # 500, 2000 and 5000 sources
#   SIZES="500 2000" bash bench/scale.sh
#
# For each size: feedgen serves that many feeds of 50 items; bench/cycle
# times gofeed alone against vigie cold (fresh database) and warm (all
# 304); /usr/bin/time -v gives the peak memory of `vigie fetch`, cold then
# warm. Needs go, gcc and /usr/bin/time. Everything listens on 127.0.0.1
# and is stopped by its pid on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-500 2000 5000}
ITEMS=${ITEMS:-50}
ROUNDS=${ROUNDS:-3}
ADDR=${ADDR:-127.0.0.1:9100}
OUT=${OUT:-/tmp/vigie-scale}

. bench/lib.sh
fresh_out
trap stop_started EXIT

go build -o "$OUT/feedgen" ./cmd/feedgen
go build -o "$OUT/vigie" ./cmd/vigie
go build -o "$OUT/cycle" ./bench/cycle

peak() { # peak LABEL FILE: wall time and peak RSS from /usr/bin/time -v
  awk -F': ' -v l="$1" '/Elapsed/ {e=$2} /Maximum resident/ {m=$2}
    END {printf "  vigie fetch %-5s wall %s, peak RSS %.1f MiB\n", l, e, m/1024}' "$2"
}

for n in $SIZES; do
  printf '\n== %s sources × %s items (load %s)\n' "$n" "$ITEMS" "$(cut -d' ' -f1-3 /proc/loadavg)"
  dir="$OUT/$n"
  mkdir -p "$dir"
  "$OUT/feedgen" -listen "$ADDR" -feeds "$n" -items "$ITEMS" -max-time 30m \
    -config "$dir/config.yaml" -database "$dir/vigie.db" 2>"$dir/feedgen.log" &
  pid=$!
  pids+=("$pid")
  wait_within 120 test -s "$dir/config.yaml"
  "$OUT/cycle" -config "$dir/config.yaml" -rounds "$ROUNDS" -warm 3 -stages=false | tee "$dir/cycle.txt"
  /usr/bin/time -v "$OUT/vigie" fetch --config "$dir/config.yaml" >"$dir/cold.txt" 2>"$dir/cold.time"
  /usr/bin/time -v "$OUT/vigie" fetch --config "$dir/config.yaml" >"$dir/warm.txt" 2>"$dir/warm.time"
  peak cold "$dir/cold.time"
  peak warm "$dir/warm.time"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
