#!/usr/bin/env bash
# Reproduces every figure of the README's Performance section:
#
#   bash bench/run.sh            # all of it, about 5 minutes on 2 cores
#   FEEDS=100 ITEMS=20 bash bench/run.sh   # a quick look
#
# Needs: go, gcc (cgo SQLite), /usr/bin/time, wrk, nginx, curl
#   apt-get update && apt-get install -y time wrk nginx-light curl
# Everything listens on 127.0.0.1 only; every server started here is
# stopped by its pid on exit and every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

FEEDS=${FEEDS:-500}
ITEMS=${ITEMS:-50}
ROUNDS=${ROUNDS:-3}
WARM=${WARM:-3}
FEEDGEN_ADDR=${FEEDGEN_ADDR:-127.0.0.1:9000}
FEEDGEN_SAME_ADDR=${FEEDGEN_SAME_ADDR:-127.0.0.1:9001}
VIGIE_ADDR=${VIGIE_ADDR:-127.0.0.1:8081}
NGINX_ADDR=${NGINX_ADDR:-127.0.0.1:8082}
OUT=${OUT:-/tmp/vigie-bench}
WRK_ARGS=${WRK_ARGS:--t2 -c32 -d10s}

for cmd in go /usr/bin/time wrk nginx curl; do
  command -v "$cmd" >/dev/null || { echo "missing $cmd: apt-get install -y time wrk nginx-light curl" >&2; exit 1; }
done

. bench/lib.sh
fresh_out
trap stop_started EXIT

say() { printf '\n== %s (%s)\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/load /')"; }


say "build"
go build -o "$OUT/feedgen" ./cmd/feedgen
go build -o "$OUT/vigie" ./cmd/vigie
go build -o "$OUT/cycle" ./bench/cycle
nproc; uptime

say "feedgen: $FEEDS feeds × $ITEMS items on $FEEDGEN_ADDR"
"$OUT/feedgen" -listen "$FEEDGEN_ADDR" -feeds "$FEEDS" -items "$ITEMS" -max-time 30m \
  -config "$OUT/config.yaml" -database "$OUT/vigie.db" -vigie-listen "$VIGIE_ADDR" 2>"$OUT/feedgen.log" &
pids+=($!)
wait_for test -f "$OUT/config.yaml"
cat "$OUT/feedgen.log"

say "cycles: gofeed alone and vigie cold alternating ×$ROUNDS, warm ×$WARM, stages, profile"
"$OUT/cycle" -config "$OUT/config.yaml" -rounds "$ROUNDS" -warm "$WARM" \
  -cpuprofile "$OUT/cold.cpu.pprof" -memprofile "$OUT/cold.mem.pprof" | tee "$OUT/cycle.txt"

say "same bytes: the feeds answer 200 with the same bytes (feedgen -ignore-conditional), gofeed alone and vigie alternating ×$ROUNDS"
"$OUT/feedgen" -listen "$FEEDGEN_SAME_ADDR" -feeds "$FEEDS" -items "$ITEMS" -max-time 30m -ignore-conditional \
  -config "$OUT/config-same.yaml" -database "$OUT/vigie-same.db" 2>"$OUT/feedgen-same.log" &
pids+=($!)
wait_for test -f "$OUT/config-same.yaml"
"$OUT/cycle" -config "$OUT/config-same.yaml" -same-bytes -rounds "$ROUNDS" -stages=false | tee "$OUT/same-bytes.txt"

say "CPU profile of a cold cycle: share of each stage"
share() { # share NAME REGEX: CPU of the samples whose stack holds REGEX
  go tool pprof -top -nodecount=1000000 -nodefraction=0 -edgefraction=0 -focus="$2" "$OUT/cycle" "$OUT/cold.cpu.pprof" 2>/dev/null |
    awk -v n="$1" '/^Showing nodes accounting for/ {sub(/,$/, "", $5); printf "  %-8s %8s %7s\n", n, $5, $6; exit}'
}
{
  go tool pprof -top -nodecount=0 "$OUT/cycle" "$OUT/cold.cpu.pprof" 2>/dev/null | grep -m1 'Total samples'
  share fetch 'feeds.\(\*Client\).Get|net/http.\(\*persistConn\)'
  share parse 'feeds.Parse$'
  share match 'aggregator.\(\*Rules\).Match'
  share store 'store.\(\*Store\).(Ingest|Source|SaveSource)$'
  share gc 'runtime.gcBgMarkWorker'
} | tee "$OUT/stages-profile.txt"

say "peak memory: vigie fetch, cold (fresh database) then warm"
rm -f "$OUT/vigie.db" "$OUT/vigie.db-wal" "$OUT/vigie.db-shm"
/usr/bin/time -v "$OUT/vigie" fetch --config "$OUT/config.yaml" >"$OUT/fetch-cold.txt" 2>"$OUT/fetch-cold.time"
/usr/bin/time -v "$OUT/vigie" fetch --config "$OUT/config.yaml" >"$OUT/fetch-warm.txt" 2>"$OUT/fetch-warm.time"
for f in cold warm; do
  printf '  vigie fetch %s: ' "$f"
  awk -F': ' '/Elapsed/ {e=$2} /Maximum resident/ {m=$2} /User time/ {u=$2} /System time/ {s=$2}
    END {printf "wall %s, user %s s, sys %s s, peak RSS %.1f MiB\n", e, u, s, m/1024}' "$OUT/fetch-$f.time"
done | tee "$OUT/memory.txt"

say "go test -bench: parse, match, store"
{
  go test -run '^$' -bench '^BenchmarkParse$' -benchmem ./feeds/
  go test -run '^$' -bench '^(BenchmarkMatch|BenchmarkGofeedParse|BenchmarkMatchShare)$' -benchmem ./internal/match/
  if grep -q 'func BenchmarkIngest' internal/store/*_test.go 2>/dev/null; then
    go test -run '^$' -bench '^BenchmarkIngest' -benchmem ./internal/store/
  fi
} 2>&1 | grep -E '^(Benchmark|ok|FAIL|goos|cpu)' | tee "$OUT/gobench.txt"

say "/feed.atom with wrk ($WRK_ARGS): vigie run against nginx serving the same bytes"
"$OUT/vigie" run --config "$OUT/config.yaml" 2>"$OUT/vigie-run.log" &
pids+=($!)
wait_for curl -sf "http://$VIGIE_ADDR/healthz"
sleep 2 # let the start-up pass (all 304) settle
curl -sf -D "$OUT/feed.headers" -o "$OUT/feed.atom" "http://$VIGIE_ADDR/feed.atom"
etag=$(awk -F': ' 'tolower($1)=="etag" {sub(/\r$/, "", $2); print $2}' "$OUT/feed.headers")
mkdir -p "$OUT/nginx/www" "$OUT/nginx/tmp"
cp "$OUT/feed.atom" "$OUT/nginx/www/feed.atom"
gzip -9 -k -c "$OUT/feed.atom" >"$OUT/nginx/www/feed.atom.gz"
cat >"$OUT/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/tmp;
  proxy_temp_path $OUT/nginx/tmp;
  fastcgi_temp_path $OUT/nginx/tmp;
  uwsgi_temp_path $OUT/nginx/tmp;
  scgi_temp_path $OUT/nginx/tmp;
  types { application/atom+xml atom; }
  sendfile on;
  keepalive_requests 100000;
  server {
    listen $NGINX_ADDR;
    root $OUT/nginx/www;
    gzip_static on;
  }
}
EOF
nginx -c "$OUT/nginx/nginx.conf" -e "$OUT/nginx/error.log" &
pids+=($!)
wait_for curl -sf "http://$NGINX_ADDR/feed.atom"
ngx_etag=$(curl -sf -D - -o /dev/null "http://$NGINX_ADDR/feed.atom" | awk -F': ' 'tolower($1)=="etag" {sub(/\r$/, "", $2); print $2}')
printf '  feed.atom: %s bytes, gzipped %s bytes; vigie ETag %s, nginx ETag %s\n' \
  "$(stat -c %s "$OUT/feed.atom")" "$(stat -c %s "$OUT/nginx/www/feed.atom.gz")" "$etag" "$ngx_etag" | tee "$OUT/wrk.txt"

rps() { # rps LABEL URL [HEADER]: requests per second, and the status codes seen
  local label=$1 url=$2
  shift 2
  local args=()
  [ $# -gt 0 ] && args=(-H "$1")
  local res
  res=$(wrk $WRK_ARGS "${args[@]}" "$url")
  printf '  %-28s %10s req/s  %s\n' "$label" "$(awk '/Requests\/sec/ {print $2}' <<<"$res")" \
    "$(grep -E 'Non-2xx|Socket errors' <<<"$res" | tr -s ' ' | tr '\n' ' ')"
}
{
  uptime
  rps "vigie plain" "http://$VIGIE_ADDR/feed.atom"
  rps "nginx plain" "http://$NGINX_ADDR/feed.atom"
  rps "vigie If-None-Match (304)" "http://$VIGIE_ADDR/feed.atom" "If-None-Match: $etag"
  rps "nginx If-None-Match (304)" "http://$NGINX_ADDR/feed.atom" "If-None-Match: $ngx_etag"
  rps "vigie gzip" "http://$VIGIE_ADDR/feed.atom" "Accept-Encoding: gzip"
  rps "nginx gzip (gzip_static)" "http://$NGINX_ADDR/feed.atom" "Accept-Encoding: gzip"
} | tee -a "$OUT/wrk.txt"

say "done: figures in $OUT (cycle.txt, same-bytes.txt, stages-profile.txt, memory.txt, gobench.txt, wrk.txt)"
