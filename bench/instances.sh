#!/usr/bin/env bash
# Several instances on one PostgreSQL database (issue 15):
#
#   bash bench/instances.sh                  # 500 sources × 50 items
#   FEEDS=100 PERIOD=45s bash bench/instances.sh
#
# feedgen serves FEEDS feeds; a throwaway PostgreSQL 15 server (initdb and
# pg_ctl as the postgres user, fsync and synchronous commits on, reached
# on a Unix socket) holds the watch. For one instance, then two, on a
# fresh database each: the daemons (`vigie run`, schedule "@every
# PERIOD", under /usr/bin/time -v) start at the same moment; the cold
# cycle is the time from their start until every source has been
# attempted once (sources.last_attempt in the database: it includes the
# start, the migrations and the lease claims); the warm cycle (all 304)
# is the spread of last_attempt over the first scheduled tick. Then the
# daemons are stopped (SIGTERM, by pid) and /usr/bin/time gives the peak
# RSS of each. Needs go, postgresql and /usr/bin/time; run as root (the
# server runs as postgres) or as a user who may run initdb.
set -euo pipefail
cd "$(dirname "$0")/.."

FEEDS=${FEEDS:-500}
ITEMS=${ITEMS:-50}
PERIOD=${PERIOD:-90s}
ADDR=${ADDR:-127.0.0.1:9200}
OUT=${OUT:-/tmp/vigie-instances}
PGBIN=${PGBIN:-$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")}

. bench/lib.sh
fresh_out
chmod 755 "$OUT"
pgdir="$OUT/pg"
asdb() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  stop_started
  [ -f "$pgdir/postmaster.pid" ] && asdb "$PGBIN/pg_ctl" -D "$pgdir" -m fast stop >/dev/null || true
}
trap cleanup EXIT

go build -o "$OUT/feedgen" ./cmd/feedgen
go build -o "$OUT/vigie" ./cmd/vigie

mkdir -p "$pgdir"
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
asdb "$PGBIN/initdb" -D "$pgdir" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
asdb "$PGBIN/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w \
  -o "-k $pgdir -c listen_addresses='' -c max_connections=300" start >/dev/null
sql() { "$PGBIN/psql" -h "$pgdir" -U postgres -d "$1" -Atc "$2"; }

"$OUT/feedgen" -listen "$ADDR" -feeds "$FEEDS" -items "$ITEMS" -max-time 2h \
  -config "$OUT/feedgen.yaml" 2>"$OUT/feedgen.log" &
pids+=($!)
wait_within 120 test -s "$OUT/feedgen.yaml"

# run N: N daemons on a fresh database bench_N, listening on ports 82N0+i.
run() {
  local n=$1 db="bench_$1" dir="$OUT/$1" i
  mkdir -p "$dir"
  sql postgres "CREATE DATABASE $db" >/dev/null
  local url="postgres://postgres@/$db?host=$pgdir"
  local tpids=()
  printf '\n== %s instance(s), %s sources × %s items, @every %s (load %s)\n' \
    "$n" "$FEEDS" "$ITEMS" "$PERIOD" "$(cut -d' ' -f1-3 /proc/loadavg)"
  local start
  start=$(date +%s.%N)
  for i in $(seq "$n"); do
    sed -e "s|^database:.*|database: \"$url\"|" -e "s|^listen:.*|listen: 127.0.0.1:82${n}${i}|" \
      -e "s|^schedule:.*|schedule: \"@every $PERIOD\"|" "$OUT/feedgen.yaml" >"$dir/config-$i.yaml"
    /usr/bin/time -v "$OUT/vigie" run --config "$dir/config-$i.yaml" 2>"$dir/vigie-$i.log" &
    tpids+=($!)
    pids+=($!)
  done
  # Cold: until every source has been attempted once (at most 10 min).
  wait_within 600 attempted_since "$db" "2000-01-01"
  local coldend
  coldend=$(sql "$db" "SELECT max(last_attempt) FROM sources")
  sql "$db" "SELECT round(extract(epoch FROM max(last_attempt)) - $start, 2) || ' s cold (start to the last source attempted)' FROM sources"
  # The start cycle claims no lease: every instance fetches every source.
  sql "$db" "SELECT '  leases claimed by the start cycle: ' || count(*) FROM source_leases"
  # Warm: every source attempted again at the first tick (at most 10 min).
  wait_within 600 attempted_since "$db" "$coldend"
  sleep 1
  sql "$db" "SELECT round(extract(epoch FROM max(last_attempt) - min(last_attempt))::numeric, 2) || ' s warm (first to last source attempted at the tick), ' || sum((last_status = 304)::int) || ' answered 304' FROM sources"
  sql "$db" "SELECT '  sources fetched at the tick by ' || holder || ': ' || count(*) FROM source_leases GROUP BY holder ORDER BY holder"
  for i in $(seq "$n"); do
    kill -TERM "$(pgrep -P "${tpids[$((i - 1))]}")"
  done
  for i in $(seq "$n"); do
    wait "${tpids[$((i - 1))]}" || true
    awk -F': ' -v i="$i" '/Maximum resident/ {m=$2} /User time/ {u=$2} /System time/ {s=$2}
      END {printf "  instance %s: peak RSS %.1f MiB, cpu %.1f s\n", i, m/1024, u+s}' "$dir/vigie-$i.log"
  done
}

# attempted_since DB TIME: every source has been attempted after TIME.
attempted_since() {
  [ "$(sql "$1" "SELECT count(*) FROM sources WHERE last_attempt > '$2'" 2>/dev/null || echo 0)" -ge "$FEEDS" ]
}

# Not in a pipeline: run's daemons must be known to cleanup.
exec > >(tee "$OUT/result.txt")
run 1
run 2
