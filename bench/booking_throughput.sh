#!/usr/bin/env bash
# Booking throughput under wrk (loopback only), durable PostgreSQL (fsync on), for one or more
# builds of hoteld in the same run. Each target is a directory holding hoteld and hotel-migrate;
# each gets a fresh database in one throwaway cluster with 20 hotels x 60 rooms priced for a
# year (seeded through the API), then `wrk -c CONNECTIONS` POSTs random 1-5 night stays as an
# admin (bench/booking.lua) for SECONDS. Targets run one after the other, ROUNDS times over, so
# that a noisy machine affects them alike. Reports bookings/s, latency and the overlap self-join.
# A target may carry settings for its hoteld after commas (target_dir/target_settings in
# scripts/lib.sh): build/release/src,HOTEL_SEARCH=sql measures a build without the index's feed.
#   bench/booking_throughput.sh [seconds=10] [connections=32] [rounds=2] target...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-10}
connections=${2:-32}
rounds=${3:-2}
shift 3 || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("$ROOT/build/release/src")
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

bench_cluster
tmp="$BENCH_TMP"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; bench_cluster_stop' EXIT
export PGDATABASE=postgres
secret="bench-secret-bench-secret-bench-secret-42"
port=18090
end=$(date -u -d '+400 days' +%F); today=$(date -u +%F)

start() {  # target db
    # shellcheck disable=SC2046  # the settings are NAME=VALUE words
    env $(target_settings "$1") DATABASE_URL="$(pg_url "$tmp/run" "$2")" HOTEL_LISTEN="127.0.0.1:$port" \
        HOTEL_THREADS=2 HOTEL_LOG_LEVEL=warn HOTEL_JWT_SECRET="$secret" \
        HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000 "$(target_dir "$1")/hoteld" >>"$tmp/hoteld.log" 2>&1 &
    pid=$!
    # Ready: the database answers and (with the search index) its first load is done.
    for _ in $(seq 1 300); do curl -fs "127.0.0.1:$port/ready" >/dev/null 2>&1 && return; sleep 0.1; done
    die "hoteld did not start: $(tail -3 "$tmp/hoteld.log")"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
# CPU time (clock ticks) of hoteld, and of the cluster's postmaster and its children.
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
hoteld_ticks() { ticks_of "$pid"; }
pg_ticks() {
    local pm t=0 p
    pm=$(head -1 "$tmp/pg/postmaster.pid")
    for p in "$pm" $(pgrep -P "$pm"); do t=$((t + $(ticks_of "$p"))); done
    echo "$t"
}
hz=$(getconf CLK_TCK)

n=0
for target in "${targets[@]}"; do
    n=$((n + 1))
    db="bench_booking_$n"
    psql -qX -c "CREATE DATABASE $db" >/dev/null
    url="$(pg_url "$tmp/run" "$db")"
    DATABASE_URL="$url" "$(target_dir "$target")/hotel-migrate" >/dev/null
    DATABASE_URL="$url" "$(target_dir "$target")/hoteld" create-admin --email bench@example.com \
        --password bench-password-1 >/dev/null
    start "$target" "$db"
    token="$(curl -fs -X POST "127.0.0.1:$port/v1/auth/login" -H 'Content-Type: application/json' \
        -d '{"email":"bench@example.com","password":"bench-password-1"}' |
        sed 's/.*"access_token":"\([^"]*\)".*/\1/')"
    api() { curl -fs -X "$1" "127.0.0.1:$port$2" -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' -d "$3"; }
    id() { sed -n 's/.*"id":"\([^"]*\)".*/\1/p'; }
    : > "$tmp/targets-$n"
    for h in $(seq 1 20); do
        hotel=$(api POST /v1/hotels "{\"name\":\"Bench $h\",\"city\":\"Faro\",\"country\":\"PT\",\"timezone\":\"Europe/Lisbon\",\"currency\":\"EUR\"}" | id)
        type=$(api POST "/v1/hotels/$hotel/room-types" '{"code":"T","name":"T","max_occupancy":2}' | id)
        plan=$(api POST "/v1/hotels/$hotel/rate-plans" '{"code":"NRF","name":"N","refundable":false}' | id)
        seq 1 60 | xargs -P 4 -I{} curl -fs -o /dev/null -X POST "127.0.0.1:$port/v1/hotels/$hotel/rooms" \
            -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            -d "{\"number\":\"{}\",\"room_type_id\":\"$type\"}"
        api PUT "/v1/hotels/$hotel/rates" "{\"room_type_id\":\"$type\",\"rate_plan_id\":\"$plan\",\"from\":\"$today\",\"to\":\"$end\",\"price\":\"80.00\"}" >/dev/null
        echo "$hotel $type $plan" >> "$tmp/targets-$n"
    done
    echo "$token" > "$tmp/token-$n"
    stop
done

for round in $(seq 1 "$rounds"); do
    n=0
    for target in "${targets[@]}"; do
        n=$((n + 1))
        start "$target" "bench_booking_$n"
        echo "== round $round, $target: POST /v1/bookings, $connections connections, ${seconds}s"
        h0=$(hoteld_ticks); p0=$(pg_ticks)
        out=$(TOKEN="$(cat "$tmp/token-$n")" wrk -t2 -c"$connections" -d"${seconds}s" --latency \
            -s "$ROOT/bench/booking.lua" "http://127.0.0.1:$port" -- "$tmp/targets-$n")
        h1=$(hoteld_ticks); p1=$(pg_ticks)
        echo "$out" | grep -E "bookings/s|50%|99%"
        made=$(echo "$out" | sed -n 's/.*(201: \([0-9]*\),.*/\1/p')
        awk -v h=$((h1 - h0)) -v p=$((p1 - p0)) -v n="${made:-0}" -v hz="$hz" 'BEGIN {
            if (n > 0) printf "CPU per booking: hoteld %.2f ms, PostgreSQL %.2f ms\n",
                h * 1000 / hz / n, p * 1000 / hz / n }'
        stop
    done
done
n=0
for target in "${targets[@]}"; do
    n=$((n + 1))
    overlaps=$(psql -tAX -d "bench_booking_$n" -c "SELECT count(*) FROM bookings a JOIN bookings b ON a.hotel_id=b.hotel_id AND a.room_id=b.room_id AND a.id<b.id AND a.period && b.period WHERE a.status IN ('confirmed','checked_in','checked_out') AND b.status IN ('confirmed','checked_in','checked_out')")
    echo "$target: overlapping active bookings: $overlaps"
done
