#!/usr/bin/env bash
# Booking throughput (issue 12): hoteld against the database's own limits, in the same run, on one
# throwaway durable cluster (fsync and synchronous_commit on, the defaults; Unix socket only;
# hoteld on loopback), one table at the end.
#
# Each target is a directory holding hoteld and hotel-migrate, optionally followed by settings
# for its hoteld after commas (target_dir/target_settings in scripts/lib.sh):
# build/release/src,HOTEL_SEARCH=sql measures a build without the search index's feed. Each
# target gets a database seeded through its own API (an admin, 20 hotels x 60 rooms of one type,
# one non-refundable plan priced 80.00 a night for 400 days, then ANALYZE); the first target's
# also seeds the pgbench scripts. Every measured run then gets a fresh copy of its seeded database
# (CREATE DATABASE ... TEMPLATE), a CHECKPOINT, and SECONDS of load from CONNECTIONS clients:
#   minimal insert     pgbench, one INSERT into a table with bookings' exclusion constraint
#                      (bench/minimal_booking.sql, .pgbench): the database's floor per booking
#   book_stay, 20/1    pgbench calling book_stay (migrations/0008, 0011) as hoteld does, one call
#                      per booking (bench/book_stay.pgbench, one copy per hotel), over the 20
#                      seeded hotels, then over one of them; with migration 0011, also the
#                      invoice numbering step (bench/number_invoices.pgbench) once per 20
#                      bookings, its transactions left out of the latencies and the refusals
#   hoteld, 20/1       wrk POSTing /v1/bookings (bench/booking.lua) as the admin, random stays at
#                      the 20 hotels, then all at one hotel (its 60 rooms over 365 days)
# Runs take turns, ROUNDS times over, the order reversed every other round, so that a noisy
# machine affects them alike; ratios are to the minimal insert of the same round. pgbench runs
# with -M prepared -j 2, wrk with -t2, hoteld with HOTEL_THREADS=2, HOTEL_LOG_LEVEL=warn and its
# default pool of 16 connections. CPU per booking is the growth of utime + stime of hoteld, and
# of the postmaster, its children and its reaped children (pgbench's backends exit before the
# second reading), over the run, divided by the bookings made. The overlap self-join runs on each
# run's database and must be 0. The cluster loads pg_stat_statements: after the table, where the
# database's time per booking went in the first round (statements inside book_stay included).
#   bench/booking_throughput.sh [seconds=10] [connections=32] [rounds=3] target...
# Experiments: BENCH_VARIANT=file.sql adds the pgbench book_stay runs again on a copy of the seed
# with that SQL applied (a schema change measured against the schema in the same run);
# BENCH_VARIANT_SCRIPT=file.pgbench has the variant runs use that script (its @NAMES@ filled in as
# book_stay.pgbench's, @BATCH@ with BENCH_BATCH, default 8) instead of book_stay.pgbench;
# BENCH_SKIP_HOTELD=1 leaves out the hoteld runs (the first target still seeds).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-10}
connections=${2:-32}
rounds=${3:-3}
shift 3 || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("$ROOT/build/release/src")
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v pgbench >/dev/null || die "pgbench is not installed (apt-get install postgresql-client-15)"
case "$seconds$connections$rounds" in *[!0-9]*) die "usage: $0 [seconds] [connections] [rounds] target..." ;; esac
[ "$connections" -ge 2 ] || die "wrk -t2 needs at least 2 connections"

bench_cluster "shared_preload_libraries = 'pg_stat_statements'" "pg_stat_statements.track = all"
tmp="$BENCH_TMP"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; bench_cluster_stop' EXIT
export PGDATABASE=postgres
secret="bench-secret-bench-secret-bench-secret-42"
port=18090
end=$(date -u -d '+400 days' +%F); today=$(date -u +%F)
price="80.00" price_minor=8000
hz=$(getconf CLK_TCK)
# The script's own statements (the checks, the counts) are kept out of pg_stat_statements.
sql() { PGOPTIONS="-c pg_stat_statements.track=none" psql -qtAX -v ON_ERROR_STOP=1 "$@"; }
sql -c "CREATE EXTENSION pg_stat_statements"
echo "== booking throughput: $(nproc) cores, fsync=$(sql -c 'SHOW fsync'), synchronous_commit=$(sql -c 'SHOW synchronous_commit'), $connections clients, ${seconds}s a run, $rounds rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"

start() {  # target db
    # The target's own settings come last: they override these.
    # shellcheck disable=SC2046  # the settings are NAME=VALUE words
    env DATABASE_URL="$(pg_url "$tmp/run" "$2")" HOTEL_LISTEN="127.0.0.1:$port" \
        HOTEL_THREADS=2 HOTEL_LOG_LEVEL=warn HOTEL_JWT_SECRET="$secret" \
        HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000 $(target_settings "$1") \
        "$(target_dir "$1")/hoteld" >>"$tmp/hoteld.log" 2>&1 &
    pid=$!
    # Ready: the database answers and (with the search index) its first load is done.
    for _ in $(seq 1 300); do curl -fs "127.0.0.1:$port/ready" >/dev/null 2>&1 && return; sleep 0.1; done
    die "hoteld did not start: $(tail -3 "$tmp/hoteld.log")"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
login() {
    curl -fs -X POST "127.0.0.1:$port/v1/auth/login" -H 'Content-Type: application/json' \
        -d '{"email":"bench@example.com","password":"bench-password-1"}' |
        sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
# CPU time (clock ticks) of a process; of the cluster: the postmaster, the children it has reaped
# and the children still running.
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cluster_ticks() {
    local pm t p
    pm=$(head -1 "$tmp/pg/postmaster.pid")
    t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
    for p in $(pgrep -P "$pm"); do t=$((t + $(ticks_of "$p"))); done
    echo "$t"
}
# Of those, the walsenders' (the search index's feed decoding every transaction), still running.
walsender_ticks() {
    local pm t=0 p
    pm=$(head -1 "$tmp/pg/postmaster.pid")
    for p in $(pgrep -P "$pm" -f 'walsender'); do t=$((t + $(ticks_of "$p"))); done
    echo "$t"
}
overlaps() {  # db: active bookings of one room whose periods overlap (must be 0)
    sql -d "$1" -c "SELECT count(*) FROM bookings a JOIN bookings b ON a.hotel_id = b.hotel_id
        AND a.room_id = b.room_id AND a.id < b.id AND a.period && b.period
        WHERE a.status IN ('confirmed', 'checked_in', 'checked_out')
          AND b.status IN ('confirmed', 'checked_in', 'checked_out')"
}
fresh_db() {  # db template
    sql -c "CREATE DATABASE $1 TEMPLATE $2"
    sql -c "CHECKPOINT"
}
# wrk's latency ("812.00us", "79.12ms", "1.20s") in milliseconds.
wrk_ms() {
    awk -v v="$1" 'BEGIN { x = v + 0
        if (v ~ /us$/) x /= 1000; else if (v ~ /ms$/) x += 0; else if (v ~ /s$/) x *= 1000
        printf "%.1f", x }'
}

# --- seeding, through each target's API --------------------------------------------------------
n=0
for target in "${targets[@]}"; do
    n=$((n + 1))
    db="bench_seed_$n"
    sql -c "CREATE DATABASE $db"
    url="$(pg_url "$tmp/run" "$db")"
    DATABASE_URL="$url" "$(target_dir "$target")/hotel-migrate" >/dev/null
    DATABASE_URL="$url" "$(target_dir "$target")/hoteld" create-admin --email bench@example.com \
        --password bench-password-1 >/dev/null
    start "$target" "$db"
    token="$(login)"
    [ -n "$token" ] || die "login failed"
    api() { curl -fs -X "$1" "127.0.0.1:$port$2" -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' -d "$3"; }
    id() { sed -n 's/.*"id":"\([^"]*\)".*/\1/p'; }
    : > "$tmp/targets-$n"
    for h in $(seq 1 20); do
        hotel=$(api POST /v1/hotels "{\"name\":\"Bench $h\",\"city\":\"Faro\",\"country\":\"PT\",\"timezone\":\"Europe/Lisbon\",\"currency\":\"EUR\"}" | id)
        type=$(api POST "/v1/hotels/$hotel/room-types" '{"code":"T","name":"T","max_occupancy":2}' | id)
        plan=$(api POST "/v1/hotels/$hotel/rate-plans" '{"code":"NRF","name":"N","refundable":false}' | id)
        seq 1 60 | xargs -P 4 -I{} curl -s -X POST "127.0.0.1:$port/v1/hotels/$hotel/rooms" \
            -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            -d "{\"number\":\"{}\",\"room_type_id\":\"$type\"}" | grep -v '"id"' | head -3 || true
        api PUT "/v1/hotels/$hotel/rates" "{\"room_type_id\":\"$type\",\"rate_plan_id\":\"$plan\",\"from\":\"$today\",\"to\":\"$end\",\"price\":\"$price\"}" >/dev/null
        echo "$hotel $type $plan" >> "$tmp/targets-$n"
    done
    head -1 "$tmp/targets-$n" > "$tmp/targets-$n-one"
    [ "$(sql -d "$db" -c "SELECT count(*) FROM rooms")" = 1200 ] || die "seeding $target: not 1,200 rooms"
    # Statistics, as autovacuum would have them on a running system (the copies inherit them):
    # without them the allocation's plan probes and sorts every room of the type per booking.
    sql -d "$db" -c "ANALYZE"
    stop
done
sql -c "CREATE DATABASE bench_seed_minimal"
sql -d bench_seed_minimal -f "$ROOT/bench/minimal_booking.sql"

# The book_stay scripts, one per hotel of the first target's seed, filled in from its database.
book_stay=yes
if [ -z "$(sql -d bench_seed_1 -c "SELECT 1 FROM pg_proc WHERE proname = 'book_stay'")" ]; then
    book_stay=""
    echo "the first target's migrations have no book_stay: no pgbench book_stay runs"
else
    guest=$(sql -d bench_seed_1 -c "SELECT id FROM users WHERE email = 'bench@example.com'")
    k=0
    while read -r hotel type plan; do
        k=$((k + 1))
        IFS='|' read -r zone cin cout currency < <(sql -d bench_seed_1 -c \
            "SELECT timezone, check_in_time, check_out_time, currency FROM hotels WHERE id = '$hotel'")
        sed -e "s/@HOTEL@/$hotel/g; s/@TYPE@/$type/g; s/@PLAN@/$plan/g; s/@GUEST@/$guest/g" \
            -e "s|@ZONE@|$zone|g; s/@CHECK_IN@/$cin/g; s/@CHECK_OUT@/$cout/g" \
            -e "s/@CURRENCY@/$currency/g; s/@PRICE@/$price_minor/g" \
            "$ROOT/bench/book_stay.pgbench" > "$tmp/book_stay_$k.pgbench"
        if [ -n "${BENCH_VARIANT_SCRIPT:-}" ]; then
            sed -e "s/@HOTEL@/$hotel/g; s/@TYPE@/$type/g; s/@PLAN@/$plan/g; s/@GUEST@/$guest/g" \
                -e "s|@ZONE@|$zone|g; s/@CHECK_IN@/$cin/g; s/@CHECK_OUT@/$cout/g" \
                -e "s/@CURRENCY@/$currency/g; s/@PRICE@/$price_minor/g; s/@BATCH@/${BENCH_BATCH:-8}/g" \
                "$BENCH_VARIANT_SCRIPT" > "$tmp/variant_$k.pgbench"
        else
            cp "$tmp/book_stay_$k.pgbench" "$tmp/variant_$k.pgbench"
        fi
    done < "$tmp/targets-1"
fi
# Since migration 0011 a booking's invoice is numbered by a step after its commit.
numbering=()
if [ -n "$(sql -d bench_seed_1 -c "SELECT 1 FROM pg_proc WHERE proname = 'number_pending_invoices'")" ]; then
    numbering=("$ROOT/bench/number_invoices.pgbench@1")
fi

if [ -n "${BENCH_VARIANT:-}" ] && [ -n "$book_stay" ]; then
    sql -c "CREATE DATABASE bench_seed_variant TEMPLATE bench_seed_1"
    sql -d bench_seed_variant -f "$BENCH_VARIANT"
    sql -d bench_seed_variant -c "VACUUM ANALYZE"
fi

# --- the runs ------------------------------------------------------------------------------------
results="$tmp/results"   # round|key|bookings/s|p50 ms|p99 ms|cpu hoteld|cpu pg|made|refused|overlaps|db
: > "$results"

run_pgbench() {  # round key db template script[@weight]... [numbering script@weight, last]
    local round=$1 key=$2 db=$3 template=$4; shift 4
    local files=() f out c0 c1 tps txs failed made lat steps=0 skip=-1
    for f in "$@"; do files+=(-f "$f"); done
    case "${*: -1}" in *number_invoices.pgbench*) skip=$(($# - 1)) ;; esac
    fresh_db "$db" "$template"
    echo "== round $round, $key: pgbench -c $connections -j 2 -T $seconds ($# script(s)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    c0=$(cluster_ticks)
    out=$(PGTZ=UTC pgbench -n -M prepared -c "$connections" -j 2 -T "$seconds" -l \
        --log-prefix="$tmp/pgbench-$db" "${files[@]}" "$db" 2>&1) || { echo "$out" >&2; die "pgbench failed ($key)"; }
    c1=$(cluster_ticks)
    tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    txs=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' | head -1)
    failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' | head -1)
    [ "${failed:-0}" = 0 ] || echo "pgbench: $failed failed transactions ($key)"
    made=$(sql -d "$db" -c "SELECT count(*) FROM bookings")
    # Latency per booking from pgbench's log (third field, microseconds; the fourth is the
    # script, and the numbering step's transactions are not bookings).
    steps=$(cat "$tmp/pgbench-$db".* | awk -v s="$skip" '$4 == s' | wc -l)
    local all=$txs
    txs=$((txs - steps))
    lat=$(cat "$tmp/pgbench-$db".* | awk -v s="$skip" '$4 != s {print $3}' | sort -n | awk '{v[NR] = $1} END {
        printf "%.1f|%.1f", v[int((NR + 1) * 0.50)] / 1000, v[int((NR + 1) * 0.99)] / 1000 }')
    rm -f "$tmp/pgbench-$db".*
    awk -v r="$round" -v k="$key" -v tps="$tps" -v txs="$txs" -v all="$all" -v made="$made" -v lat="$lat" \
        -v c=$((c1 - c0)) -v hz="$hz" -v ov="$(overlaps "$db")" -v db="$db" 'BEGIN {
        printf "%s|%s|%.1f|%s|-|%.3f|%d|%d|%d|%s\n", r, k, tps * made / all, lat,
            c * 1000 / hz / made, made, txs - made, ov, db }' >> "$results"
    tail -1 "$results" | awk -F'|' '{printf "bookings/s %s (made %s, refused %s), p50 %s ms, p99 %s ms, CPU/booking PostgreSQL %s ms, overlaps %s\n", $3, $8, $9, $4, $5, $7, $10}'
}

run_hoteld() {  # round key target-number targets-file db
    local round=$1 key=$2 n=$3 file=$4 db=$5
    local target=${targets[$((n - 1))]} token out h0 h1 c0 c1 w0 w1 made refused other p50 p99 bps batches
    fresh_db "$db" "bench_seed_$n"
    start "$target" "$db"
    token="$(login)"
    [ -n "$token" ] || die "login failed ($key)"
    echo "== round $round, $key: wrk -t2 -c$connections -d${seconds}s POST /v1/bookings, $(wc -l < "$file") hotel(s); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    h0=$(ticks_of "$pid"); c0=$(cluster_ticks); w0=$(walsender_ticks)
    out=$(TOKEN="$token" wrk -t2 -c"$connections" -d"${seconds}s" --latency \
        -s "$ROOT/bench/booking.lua" "http://127.0.0.1:$port" -- "$file")
    h1=$(ticks_of "$pid"); c1=$(cluster_ticks); w1=$(walsender_ticks)
    batches=$(curl -fs "127.0.0.1:$port/metrics" | awk '$1 == "hotel_booking_batches_total" {b = $2}
        $1 == "hotel_booking_batched_total" {n = $2}
        END {if (b != "") printf "%d bookings in %d batch statements", n, b}')
    stop
    echo "$out" | grep -E "bookings/s|Socket errors" || true
    made=$(echo "$out" | sed -n 's/.*(201: \([0-9]*\),.*/\1/p')
    refused=$(echo "$out" | sed -n 's/.*409: \([0-9]*\),.*/\1/p')
    other=$(echo "$out" | sed -n 's/.*other: \([0-9]*\) in.*/\1/p')
    [ "${other:-0}" = 0 ] || echo "hoteld: $other answers neither 201 nor 409 ($key)"
    bps=$(echo "$out" | sed -n 's/^bookings\/s \([0-9]*\).*/\1/p')
    p50=$(wrk_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(wrk_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    awk -v r="$round" -v k="$key" -v bps="${bps:-0}" -v p50="$p50" -v p99="$p99" -v made="${made:-0}" \
        -v refused="${refused:-0}" -v h=$((h1 - h0)) -v c=$((c1 - c0)) -v hz="$hz" \
        -v ov="$(overlaps "$db")" -v db="$db" 'BEGIN {
        m = made > 0 ? made : 1
        printf "%s|%s|%.1f|%s|%s|%.3f|%.3f|%d|%d|%d|%s\n", r, k, bps, p50, p99,
            h * 1000 / hz / m, c * 1000 / hz / m, made, refused, ov, db }' >> "$results"
    tail -1 "$results" | awk -F'|' '{printf "p50 %s ms, p99 %s ms, CPU/booking hoteld %s ms, PostgreSQL %s ms, overlaps %s\n", $4, $5, $6, $7, $10}'
    [ -z "$batches" ] || echo "  placed together (HOTEL_BOOKING_BATCH): $batches, of $made bookings"
    awk -v w=$((w1 - w0)) -v hz="$hz" -v made="${made:-0}" 'BEGIN {
        printf "  of PostgreSQL'"'"'s CPU per booking, the walsenders'"'"' (the index feed): %.3f ms\n",
            w * 1000 / hz / (made > 0 ? made : 1) }'
}

# The runs of a round, in order: key and what to do.
runs=(minimal)
[ -n "$book_stay" ] && runs+=(book_stay_20 book_stay_1)
[ -n "$book_stay" ] && [ -n "${BENCH_VARIANT:-}" ] && runs+=(variant_20 variant_1)
if [ -z "${BENCH_SKIP_HOTELD:-}" ]; then
    for n in $(seq 1 ${#targets[@]}); do runs+=("hoteld_20_t$n" "hoteld_1_t$n"); done
fi

do_run() {  # round key
    local round=$1 key=$2 n
    case "$key" in
        minimal) run_pgbench "$round" "$key" "r${round}_minimal" bench_seed_minimal \
            "$ROOT/bench/minimal_booking.pgbench" ;;
        book_stay_20) run_pgbench "$round" "$key" "r${round}_book_stay_20" bench_seed_1 \
            "$tmp"/book_stay_{1..20}.pgbench "${numbering[@]}" ;;
        book_stay_1) run_pgbench "$round" "$key" "r${round}_book_stay_1" bench_seed_1 \
            "$tmp/book_stay_1.pgbench@20" "${numbering[@]}" ;;
        variant_20) run_pgbench "$round" "$key" "r${round}_variant_20" bench_seed_variant \
            "$tmp"/variant_{1..20}.pgbench "${numbering[@]}" ;;
        variant_1) run_pgbench "$round" "$key" "r${round}_variant_1" bench_seed_variant \
            "$tmp/variant_1.pgbench@20" "${numbering[@]}" ;;
        hoteld_20_t*) n=${key#hoteld_20_t}
            run_hoteld "$round" "$key" "$n" "$tmp/targets-$n" "r${round}_${key}" ;;
        hoteld_1_t*) n=${key#hoteld_1_t}
            run_hoteld "$round" "$key" "$n" "$tmp/targets-$n-one" "r${round}_${key}" ;;
    esac
}

for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then
        for key in "${runs[@]}"; do do_run "$round" "$key"; done
    else
        for ((i = ${#runs[@]} - 1; i >= 0; i--)); do do_run "$round" "${runs[$i]}"; done
    fi
done

# --- the table -----------------------------------------------------------------------------------
label() {
    local key=$1 n=""
    case "$key" in
        minimal) echo "pgbench minimal insert" ;;
        book_stay_20) echo "pgbench book_stay, 20 hotels" ;;
        book_stay_1) echo "pgbench book_stay, 1 hotel" ;;
        variant_20) echo "pgbench variant, 20 hotels" ;;
        variant_1) echo "pgbench variant, 1 hotel" ;;
        hoteld_20_t*|hoteld_1_t*)
            n=${key##*_t}
            [ ${#targets[@]} -gt 1 ] && n=" t$n" || n=""
            case "$key" in hoteld_20*) echo "hoteld$n, 20 hotels" ;; *) echo "hoteld$n, 1 hotel" ;; esac ;;
    esac
}
median() { { grep -E '^[0-9.]+$' || true; } | sort -g | awk '{v[NR] = $1} END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'|' -v k="$1" -v c="$2" '$2 == k {print $c}' "$results"; }
# Per-round ratio of two runs' bookings/s.
ratios() {
    awk -F'|' -v a="$1" -v b="$2" '$2 == a {x[$1] = $3} $2 == b {y[$1] = $3}
        END {for (r in x) if (y[r] > 0) printf "%.3f\n", x[r] / y[r]}' "$results"
}

echo
echo "== one table: $(date -u +%F), $connections clients, ${seconds}s a run, $rounds rounds, durable cluster; ratios to the same round's minimal insert"
[ ${#targets[@]} -gt 1 ] && for n in $(seq 1 ${#targets[@]}); do echo "t$n = ${targets[$((n - 1))]#"$ROOT"/}"; done
printf '| %-29s | %-6s | %10s | %9s | %-15s | %-13s | %-13s | %-16s | %s |\n' run round bookings/s "× minimal" \
    "p50 / p99 ms" "CPU/bk hoteld" "CPU/bk PG" "made / refused" overlaps
printf '|%s|\n' "-------------------------------|--------|------------|-----------|-----------------|---------------|---------------|------------------|---------"
for key in "${runs[@]}"; do
    for round in $(seq 1 "$rounds") median; do
        if [ "$round" = median ]; then
            [ "$rounds" -gt 1 ] || continue
            line="median|$key|$(col "$key" 3 | median)|$(col "$key" 4 | median)|$(col "$key" 5 | median)|$(col "$key" 6 | median)|$(col "$key" 7 | median)|$(col "$key" 8 | median)|$(col "$key" 9 | median)|$(col "$key" 10 | sort -n | tail -1)"
            ratio=$(ratios "$key" minimal | median)
        else
            line=$(awk -F'|' -v k="$key" -v r="$round" '$1 == r && $2 == k' "$results")
            ratio=$(awk -F'|' -v k="$key" -v r="$round" '$1 == r && $2 == "minimal" {m = $3}
                $1 == r && $2 == k {x = $3} END {if (m > 0) printf "%.3f", x / m}' "$results")
        fi
        [ -n "$line" ] || continue
        echo "$line" | awk -F'|' -v l="$(label "$key")" -v ratio="$ratio" '{
            printf "| %-29s | %-6s | %10.0f | %9s | %-15s | %-13s | %-13s | %-16s | %s |\n", l, $1, $3,
                (ratio == "-" || ratio == "" ? "-" : sprintf("%.3f", ratio)),
                ($5 == "-" ? sprintf("%.1f / -", $4) : sprintf("%.1f / %.1f", $4, $5)),
                ($6 == "-" ? "-" : sprintf("%.3f ms", $6)), sprintf("%.3f ms", $7),
                sprintf("%.0f / %.0f", $8, $9), $10 }'
    done
done

echo
echo "== targets (medians of the rounds)"
verdict() {  # description value comparison(ge|le) bound
    awk -v d="$1" -v v="$2" -v op="$3" -v b="$4" 'BEGIN {
        if (v == "" || v == "-") { printf "  %-58s  not measured\n", d; exit }
        ok = (op == "ge") ? (v + 0 >= b + 0) : (v + 0 <= b + 0)
        printf "  %-58s %8.3f  %s %s  %s\n", d, v, (op == "ge" ? ">=" : "<="), b, (ok ? "met" : "NOT met") }'
}
for n in $(seq 1 ${#targets[@]}); do
    t=""; [ ${#targets[@]} -gt 1 ] && t=" (t$n)"
    verdict "hoteld 20 hotels / minimal insert$t" "$(ratios "hoteld_20_t$n" minimal | median)" ge 0.40
    [ -n "$book_stay" ] && verdict "hoteld 20 hotels / pgbench book_stay 20 hotels$t" \
        "$(ratios "hoteld_20_t$n" book_stay_20 | median)" ge 0.9
    verdict "CPU per booking, hoteld (ms)$t" "$(col "hoteld_20_t$n" 6 | median)" le 0.15
    verdict "CPU per booking, PostgreSQL (ms)$t" "$(col "hoteld_20_t$n" 7 | median)" le 0.6
    verdict "hoteld 1 hotel / hoteld 20 hotels$t" "$(ratios "hoteld_1_t$n" "hoteld_20_t$n" | median)" ge 0.5
done
[ -n "$book_stay" ] && verdict "(pgbench book_stay 1 hotel / 20 hotels)" "$(ratios book_stay_1 book_stay_20 | median)" ge 0.5
if [ -n "${BENCH_VARIANT:-}" ]; then
    echo "  (variant: $BENCH_VARIANT) pgbench variant / book_stay, 20 hotels: $(ratios variant_20 book_stay_20 | median); 1 hotel: $(ratios variant_1 book_stay_1 | median)"
fi
verdict "overlapping active bookings, every database" "$(cut -d'|' -f10 "$results" | sort -n | tail -1)" le 0

# The pgbench bookings must be what hoteld writes: the same distinct shapes in both databases.
shape() {  # db
    sql -d "$1" -c "SELECT DISTINCT b.kind, b.status, b.guests, b.guest_name IS NULL, b.currency,
            b.total_minor / (b.check_out - b.check_in), b.free_cancellation_until IS NULL, b.penalty,
            b.card_last4, b.payment_transaction_id, b.special_requests, b.created_by = b.guest_id,
            to_char(lower(b.period) AT TIME ZONE h.timezone, 'HH24:MI'),
            to_char(upper(b.period) AT TIME ZONE h.timezone, 'HH24:MI'),
            (SELECT count(*) FROM booking_nights n
              WHERE n.hotel_id = b.hotel_id AND n.booking_id = b.id) = b.check_out - b.check_in,
            (SELECT count(*) FROM invoices i JOIN invoice_lines l
                    ON l.hotel_id = i.hotel_id AND l.invoice_id = i.id
              WHERE i.hotel_id = b.hotel_id AND i.booking_id = b.id) = b.check_out - b.check_in,
            (SELECT string_agg(type, ',') FROM booking_events e
              WHERE e.hotel_id = b.hotel_id AND e.booking_id = b.id)
        FROM bookings b JOIN hotels h ON h.id = b.hotel_id ORDER BY 1, 2, 3"
}
db_of() { awk -F'|' -v k="$1" '$1 == 1 && $2 == k {print $11}' "$results"; }
if [ -n "$book_stay" ] && [ -n "$(db_of hoteld_20_t1)" ]; then
    a=$(shape "$(db_of hoteld_20_t1)"); b=$(shape "$(db_of book_stay_20)")
    if [ "$a" = "$b" ]; then
        echo "  pgbench's bookings have the shape of hoteld's (round 1): $a"
    else
        echo "  pgbench's bookings DIFFER from hoteld's (round 1): hoteld: $a; pgbench: $b"
    fi
fi

echo
echo "== where the database's time per booking went, round 1 (pg_stat_statements, track = all: a nested statement's time is also in its caller's; the commit's WAL flush is in none)"
for key in minimal book_stay_20 variant_20 hoteld_20_t1 hoteld_1_t1; do
    line=$(awk -F'|' -v k="$key" '$1 == 1 && $2 == k' "$results")
    [ -n "$line" ] || continue
    db=$(echo "$line" | cut -d'|' -f11); made=$(echo "$line" | cut -d'|' -f8)
    [ "$made" -gt 0 ] || continue
    echo "-- $(label "$key") ($made bookings): calls per booking, ms per booking, mean ms, statement"
    sql -F ' | ' -c "SELECT to_char(calls::numeric / $made, 'FM990.00'), to_char(total_exec_time::numeric / $made, 'FM999990.000'),
            to_char(mean_exec_time::numeric, 'FM999990.000'), left(regexp_replace(query, '\s+', ' ', 'g'), 90)
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = '$db' ORDER BY total_exec_time DESC LIMIT 8"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
