#!/usr/bin/env bash
# Contention storms on the booking path, against a throwaway cluster and a Release hoteld.
#   bench/booking_storm.sh
# 1. Last room: 200 concurrent POSTs for a room type with one room.
# 2. Type-level: 100 concurrent POSTs for a type with 20 rooms.
# Baseline in the same run: the same fan-out of GET /health (the client's own floor: curl
# start-up, connection set-up). Reports wall time, the ratio to the baseline, and the tally.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
ensure_packages curl
configure_and_build "$ROOT/build/release" Release -DHOTEL_TESTS=OFF -- hoteld hotel-migrate
bin="$ROOT/build/release/src"

bench_cluster
tmp="$BENCH_TMP"
hoteld_pid=""
trap '[ -n "$hoteld_pid" ] && kill "$hoteld_pid" 2>/dev/null; bench_cluster_stop' EXIT
psql -qX -d postgres -c "CREATE DATABASE bench"
export DATABASE_URL="host=$tmp/run user=postgres dbname=bench"
"$bin/hotel-migrate" >/dev/null
"$bin/hoteld" create-admin --email admin@bench.local --password bench-password >/dev/null
port=18765
HOTEL_LISTEN=127.0.0.1:$port HOTEL_JWT_SECRET=bench-secret-bench-secret-bench-secret HOTEL_LOG_LEVEL=warn \
    HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000 "$bin/hoteld" > "$tmp/hoteld.log" 2>&1 &
hoteld_pid=$!
for _ in $(seq 1 100); do curl -sf "127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

api() { curl -s -X "$1" "127.0.0.1:$port$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}; }
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
TOKEN=$(curl -s -X POST "127.0.0.1:$port/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@bench.local","password":"bench-password"}' | field access_token)
from=$(date -u -d '+5 days' +%F); to=$(date -u -d '+7 days' +%F); end=$(date -u -d '+30 days' +%F)

make_hotel() {  # rooms → prints the booking body
    local hotel type plan
    hotel=$(api POST /v1/hotels '{"name":"Bench","city":"Faro","country":"PT","timezone":"Europe/Lisbon","currency":"EUR"}' | field id)
    type=$(api POST "/v1/hotels/$hotel/room-types" '{"code":"T","name":"T","max_occupancy":2}' | field id)
    plan=$(api POST "/v1/hotels/$hotel/rate-plans" '{"code":"NRF","name":"N","refundable":false}' | field id)
    for i in $(seq 1 "$1"); do api POST "/v1/hotels/$hotel/rooms" "{\"number\":\"$i\",\"room_type_id\":\"$type\"}" >/dev/null; done
    api PUT "/v1/hotels/$hotel/rates" "{\"room_type_id\":\"$type\",\"rate_plan_id\":\"$plan\",\"from\":\"$(date -u +%F)\",\"to\":\"$end\",\"price\":\"80.00\"}" >/dev/null
    echo "{\"hotel_id\":\"$hotel\",\"room_type_id\":\"$type\",\"rate_plan_id\":\"$plan\",\"check_in\":\"$from\",\"check_out\":\"$to\",\"guests\":1}"
}

fan_out() {  # n, method, path, body → prints statuses, one per line
    local n=$1 method=$2 path=$3 body=${4:-}
    seq 1 "$n" | xargs -P "$n" -I{} curl -s -o /dev/null -w '%{http_code}\n' -X "$method" \
        "127.0.0.1:$port$path" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${body:+-d "$body"}
}

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

run() {  # label, n, rooms
    local label=$1 n=$2 rooms=$3 body t0 storm_ms floor_ms tally
    body=$(make_hotel "$rooms")
    t0=$(date +%s%N); fan_out "$n" GET /health > /dev/null; floor_ms=$(ms "$t0")
    t0=$(date +%s%N); tally=$(fan_out "$n" POST /v1/bookings "$body" | sort | uniq -c | tr '\n' ' '); storm_ms=$(ms "$t0")
    overlaps=$(psql -tAX -d bench -c "SELECT count(*) FROM bookings a JOIN bookings b ON a.hotel_id=b.hotel_id AND a.room_id=b.room_id AND a.id<b.id AND a.period && b.period WHERE a.status IN ('confirmed','checked_in','checked_out') AND b.status IN ('confirmed','checked_in','checked_out')")
    echo "$label: $n requests, $rooms room(s): ${storm_ms} ms (GET /health fan-out ${floor_ms} ms, ratio $(awk -v a="$storm_ms" -v b="$floor_ms" 'BEGIN{printf "%.2f", a/b}')); statuses: $tally; overlapping active bookings: $overlaps"
}

run "last room" 200 1
run "type-level" 100 20
