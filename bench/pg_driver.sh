#!/usr/bin/env bash
# Driver benchmark: the same primary-key SELECT through our async driver and through pgbench,
# at the same concurrency, against the same throwaway cluster, in one run. Prints both and the
# ratio. Run from the repository root:  bench/pg_driver.sh [clients=32] [seconds=10] [threads=1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
clients=${1:-32}
seconds=${2:-10}
threads=${3:-1}
rows=100000

ensure_packages
configure_and_build "$ROOT/build/release" Release -DHOTEL_TESTS=OFF -DHOTEL_BENCH=ON -- pg_driver_bench

bench_cluster
tmp="$BENCH_TMP"
trap bench_cluster_stop EXIT
export PGDATABASE=postgres

psql -qX -c "CREATE TABLE bench_kv (id int PRIMARY KEY, v text NOT NULL)" \
         -c "INSERT INTO bench_kv SELECT g, md5(g::text) FROM generate_series(1, $rows) g" \
         -c "VACUUM ANALYZE bench_kv"
printf '\\set id random(1, %d)\nSELECT v FROM bench_kv WHERE id = :id;\n' "$rows" > "$tmp/select.sql"

echo "== pgbench: $clients clients, prepared protocol, ${seconds}s (1 s warm-up run first)"
pgbench -n -M prepared -c "$clients" -j 2 -T 1 -f "$tmp/select.sql" >/dev/null
pgbench_out="$(pgbench -n -M prepared -c "$clients" -j 2 -T "$seconds" -f "$tmp/select.sql")"
echo "$pgbench_out" | grep -E "tps|latency average"
pgbench_tps="$(echo "$pgbench_out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)"

echo "== driver: $clients coroutines on $threads io_context thread(s), pool of $clients, ${seconds}s"
driver_out="$("$ROOT/build/release/bench/pg_driver_bench" "host=$tmp/run user=postgres dbname=postgres" "$clients" "$seconds" "$threads" "$rows")"
echo "$driver_out"
driver_tps="$(echo "$driver_out" | sed -n 's/.* tps=\([0-9.]*\).*/\1/p')"

awk -v d="$driver_tps" -v p="$pgbench_tps" 'BEGIN { printf "ratio driver/pgbench = %.2f\n", d / p }'
