#!/usr/bin/env bash
# Search benchmark: GET /v1/hotels through hoteld (wrk, 8 connections) against the same SQL run
# directly by pgbench (8 clients), in one run, on the generated world (bench/generate_world.sql).
#   bench/search.sh [seconds=20] [seed=0.42]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-20}
seed=${2:-0.42}
ensure_packages wrk curl
configure_and_build "$ROOT/build/release" Release -DHOTEL_TESTS=OFF -- hoteld hotel-migrate
bin="$ROOT/build/release/src"

bench_cluster "shared_buffers = 512MB" "max_wal_size = 4GB" "synchronous_commit = off"
tmp="$BENCH_TMP"
hoteld_pid=""
trap '[ -n "$hoteld_pid" ] && kill "$hoteld_pid" 2>/dev/null; bench_cluster_stop' EXIT
export PGDATABASE=bench
psql -qX -d postgres -c "CREATE DATABASE bench"
export DATABASE_URL="host=$tmp/run user=postgres dbname=bench"
"$bin/hotel-migrate" >/dev/null
t0=$(date +%s)
psql -qX -v seed="$seed" -f "$ROOT/bench/generate_world.sql"
echo "world generated in $(( $(date +%s) - t0 )) s"

port=18766
HOTEL_LISTEN=127.0.0.1:$port HOTEL_JWT_SECRET=bench-secret-bench-secret-bench-secret HOTEL_LOG_LEVEL=warn \
    "$bin/hoteld" > "$tmp/hoteld.log" 2>&1 &
hoteld_pid=$!
for _ in $(seq 1 100); do curl -sf "127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

ci=$(date -u -d '+100 days' +%F); co=$(date -u -d '+103 days' +%F)
echo "== one search, 3 nights from $ci:"
curl -s "127.0.0.1:$port/v1/hotels?city=Benchville&guests=2&check_in=$ci&check_out=$co&per_page=3"; echo

echo "== EXPLAIN (ANALYZE, BUFFERS) of the search SQL for that stay"
sed -e "s/(:start)/100/g; s/(:nights)/3/g" -e '/^\\set/d' -e '/^--/d' "$ROOT/bench/search_sql.pgbench" \
    | sed '1s/^/EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) /' | psql -qX

echo "== wrk: GET /v1/hotels, 8 connections, ${seconds}s (after a 5 s warm-up)"
wrk -t2 -c8 -d5s -s "$ROOT/bench/search.lua" "http://127.0.0.1:$port" >/dev/null
wrk -t2 -c8 -d"${seconds}s" --latency -s "$ROOT/bench/search.lua" "http://127.0.0.1:$port" | tee "$tmp/wrk.txt"

echo "== pgbench: the same SQL, 8 clients, ${seconds}s"
(cd "$tmp" && pgbench -n -M prepared -c 8 -j 2 -T "$seconds" -l -f "$ROOT/bench/search_sql.pgbench" | grep -E "tps|latency average")
cat "$tmp"/pgbench_log.* | awk '{print $3}' | sort -n > "$tmp/lat.txt"
n=$(wc -l < "$tmp/lat.txt")
p50=$(awk -v n="$n" 'NR==int(n*0.50)+1{printf "%.2f", $1/1000}' "$tmp/lat.txt")
p99=$(awk -v n="$n" 'NR==int(n*0.99)+1{printf "%.2f", $1/1000}' "$tmp/lat.txt")
echo "pgbench latency: p50 ${p50} ms, p99 ${p99} ms over $n transactions"
http_p50=$(awk '$1=="50%"{print $2}' "$tmp/wrk.txt")
http_p99=$(awk '$1=="99%"{print $2}' "$tmp/wrk.txt")
echo "HTTP latency: p50 ${http_p50}, p99 ${http_p99}"
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else printf "%.3f", v*1000 }'; }
awk -v h="$(to_ms "$http_p50")" -v s="$p50" 'BEGIN{printf "ratio HTTP p50 / SQL p50 = %.2f\n", h/s}'
