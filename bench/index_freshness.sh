#!/usr/bin/env bash
# Search index freshness under a steady booking load (issue 11's target: p99 <= 100 ms at a
# steady 100 bookings/s). One throwaway durable cluster (fsync on, synchronous_commit on), a
# Release build, two hoteld nodes A and B on the same database (loopback only). The world is
# seeded through A's API: HOTELS hotels with 2 room types of exactly one room each, one rate
# plan, priced for 400 days. Then bench/index_freshness.cpp books through A at RATE/s for
# SECONDS (open loop, one-night stays, each taking the last room of its type for its night)
# and, for one booking in SAMPLE, polls B's offers every millisecond (cap 2 s) until the booked
# type is no longer available there: the delay from A's 201 to that answer. Also prints B's
# hotel_index_lag_seconds histogram (commit to applied on B) over the load, the CPU time of
# both nodes and PostgreSQL, and the load average before and after.
#   bench/index_freshness.sh [seconds=30] [rate=100] [sample=4] [hotels=20]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-30}
rate=${2:-100}
sample=${3:-4}
hotels=${4:-20}
days=360   # nights bookable per slot, from the day after tomorrow

ensure_packages curl
configure_and_build "$ROOT/build/release" Release -DHOTEL_TESTS=OFF -DHOTEL_BENCH=ON -- \
    hoteld hotel-migrate index_freshness
bin="$ROOT/build/release/src"

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores; other work on this machine shows here)"
bench_cluster "fsync = on" "synchronous_commit = on"
tmp="$BENCH_TMP"
pid_a="" pid_b=""
cleanup() {
    for p in $pid_a $pid_b; do kill "$p" 2>/dev/null || true; done
    for p in $pid_a $pid_b; do wait "$p" 2>/dev/null || true; done
    bench_cluster_stop
}
trap cleanup EXIT
export PGDATABASE=bench
psql -qX -d postgres -c "CREATE DATABASE bench"
echo "== PostgreSQL: fsync=$(psql -tAX -c 'SHOW fsync'), synchronous_commit=$(psql -tAX -c 'SHOW synchronous_commit'), wal_level=$(psql -tAX -c 'SHOW wal_level')"
url="$(pg_url "$tmp/run" bench)"
DATABASE_URL="$url" "$bin/hotel-migrate" >/dev/null
DATABASE_URL="$url" "$bin/hoteld" create-admin --email bench@example.com \
    --password bench-password-1 >/dev/null

port_a=18191 port_b=18192
start_node() {  # name port -> the pid in $started
    env DATABASE_URL="$url" HOTEL_LISTEN="127.0.0.1:$2" HOTEL_NODE_NAME="$1" HOTEL_THREADS=2 \
        HOTEL_LOG_LEVEL=warn HOTEL_JWT_SECRET="bench-secret-bench-secret-bench-secret-42" \
        HOTEL_MAX_UNSECURED_BOOKINGS=1000000 HOTEL_KEEPALIVE_MAX=1000000 HOTEL_SEARCH=index \
        "$bin/hoteld" >>"$tmp/hoteld-$1.log" 2>&1 &
    started=$!
}
wait_ready() {  # name port: /ready answers 200 (the index has loaded), within 30 s
    for _ in $(seq 1 300); do
        curl -fs "127.0.0.1:$2/ready" >/dev/null 2>&1 && return
        sleep 0.1
    done
    die "node $1 not ready after 30 s: $(tail -3 "$tmp/hoteld-$1.log")"
}
metric() { curl -fs "127.0.0.1:$1/metrics" | awk -v m="$2" '$1 == m {print $2}'; }

start_node A "$port_a"; pid_a=$started
wait_ready A "$port_a"
token="$(curl -fs -X POST "127.0.0.1:$port_a/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-1"}' |
    sed 's/.*"access_token":"\([^"]*\)".*/\1/')"
[ -n "$token" ] || die "login failed"
api() {
    curl -fs -X "$1" "127.0.0.1:$port_a$2" -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' -d "$3"
}
id() { sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }

t0=$(date +%s)
today=$(date -u +%F); end=$(date -u -d '+400 days' +%F); first=$(date -u -d '+2 days' +%F)
world="$tmp/world"
: > "$world"
for h in $(seq 1 "$hotels"); do
    hotel=$(api POST /v1/hotels "{\"name\":\"Fresh $h\",\"city\":\"Freshville\",\"country\":\"PT\",\"timezone\":\"Europe/Lisbon\",\"currency\":\"EUR\"}" | id)
    plan=$(api POST "/v1/hotels/$hotel/rate-plans" '{"code":"NRF","name":"N","refundable":false}' | id)
    for t in A B; do
        type=$(api POST "/v1/hotels/$hotel/room-types" "{\"code\":\"$t\",\"name\":\"$t\",\"max_occupancy\":2}" | id)
        api POST "/v1/hotels/$hotel/rooms" "{\"number\":\"$t-1\",\"room_type_id\":\"$type\"}" >/dev/null
        api PUT "/v1/hotels/$hotel/rates" "{\"room_type_id\":\"$type\",\"rate_plan_id\":\"$plan\",\"from\":\"$today\",\"to\":\"$end\",\"price\":\"80.00\"}" >/dev/null
        [ -n "$hotel" ] && [ -n "$plan" ] && [ -n "$type" ] || die "seeding failed at hotel $h"
        echo "$hotel $type $plan" >> "$world"
    done
done
echo "== seeded through the API in $(( $(date +%s) - t0 )) s: $hotels hotels x 2 room types x 1 room, rates $today..$end"

start_node B "$port_b"; pid_b=$started
wait_ready B "$port_b"
for _ in $(seq 1 100); do [ "$(metric "$port_b" hotel_index_live)" = 1 ] && break; sleep 0.1; done
[ "$(metric "$port_b" hotel_index_live)" = 1 ] || die "node B's index is not live"
[ "$(metric "$port_a" hotel_index_live)" = 1 ] || die "node A's index is not live"
sleep 1   # let A apply the last seeding transactions

# CPU time (clock ticks) of a process, and of the cluster's postmaster and its children.
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
    local pm t=0 p
    pm=$(head -1 "$tmp/pg/postmaster.pid")
    for p in "$pm" $(pgrep -P "$pm"); do t=$((t + $(ticks_of "$p"))); done
    echo "$t"
}
hz=$(getconf CLK_TCK)
curl -fs "127.0.0.1:$port_b/metrics" > "$tmp/metrics-b-before"
a0=$(ticks_of "$pid_a"); b0=$(ticks_of "$pid_b"); p0=$(pg_ticks); w0=$(date +%s.%N)

echo "== load: POST /v1/bookings through A at ${rate}/s for ${seconds} s; probing B for 1 booking in $sample"
rc=0
TOKEN="$token" timeout $((seconds * 2 + 60)) "$ROOT/build/release/bench/index_freshness" \
    "$port_a" "$port_b" "$world" "$first" "$days" "$rate" "$seconds" "$sample" || rc=$?

a1=$(ticks_of "$pid_a"); b1=$(ticks_of "$pid_b"); p1=$(pg_ticks); w1=$(date +%s.%N)
curl -fs "127.0.0.1:$port_b/metrics" > "$tmp/metrics-b-after"
awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v p=$((p1 - p0)) -v hz="$hz" -v w0="$w0" -v w1="$w1" 'BEGIN {
    w = w1 - w0
    printf "CPU over the load (%.1f s wall, 2 cores = %.1f s): hoteld A %.1f s, hoteld B %.1f s, PostgreSQL %.1f s\n",
        w, 2 * w, a / hz, b / hz, p / hz }'

echo "== node B: hotel_index_lag_seconds (commit to applied on B) over the load (after - before), and as a whole"
awk '
    FNR == NR { before[$1] = $2; next }
    $1 ~ /^hotel_index_lag_seconds_sum/ { printf "  %-46s %12.6f %12.6f\n", $1, $2 - before[$1], $2; next }
    $1 ~ /^hotel_index_lag_seconds/ { printf "  %-46s %12d %12d\n", $1, $2 - before[$1], $2 }
' "$tmp/metrics-b-before" "$tmp/metrics-b-after"
awk 'FNR == NR { before[$1] = $2; next }
    $1 == "hotel_index_lag_seconds_count" { n = $2 - before[$1] }
    $1 == "hotel_index_lag_seconds_sum" { s = $2 - before[$1] }
    END { if (n > 0) printf "  mean over the load: %.2f ms over %d transactions\n", 1000 * s / n, n }
' "$tmp/metrics-b-before" "$tmp/metrics-b-after"
for m in hotel_index_live hotel_index_reloads_total hotel_index_hotel_reloads_total \
    hotel_index_feed_losses_total hotel_index_transactions_total; do
    printf '  %-46s %s\n' "$m" "$(awk -v m="$m" '$1 == m {print $2}' "$tmp/metrics-b-after")"
done

for n in A B; do
    p=$pid_a; [ "$n" = B ] && p=$pid_b
    kill -0 "$p" 2>/dev/null || echo "!! node $n is no longer running"
    if [ -s "$tmp/hoteld-$n.log" ]; then
        echo "== node $n logged $(wc -l < "$tmp/hoteld-$n.log") line(s) at warn or above; the last 5:"
        tail -5 "$tmp/hoteld-$n.log"
    fi
done
overlaps=$(psql -tAX -c "SELECT count(*) FROM bookings a JOIN bookings b ON a.hotel_id=b.hotel_id AND a.room_id=b.room_id AND a.id<b.id AND a.period && b.period WHERE a.status IN ('confirmed','checked_in','checked_out') AND b.status IN ('confirmed','checked_in','checked_out')")
echo "== bookings in the database: $(psql -tAX -c 'SELECT count(*) FROM bookings'), overlapping active pairs: $overlaps"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$rc"
