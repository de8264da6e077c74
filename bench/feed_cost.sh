#!/usr/bin/env bash
# What a change feed costs the booking commit path, measured with pgbench on one throwaway,
# durable cluster (fsync on, synchronous_commit on, unix socket only). The transaction is a
# minimal booking (bench/minimal_booking.sql and .pgbench, shared with booking_throughput.sh):
# one INSERT into a table with the project's exclusion constraint (random room of 20 hotels x 60
# rooms, random 1-5 night stay over 365 days, the shape bench/booking.lua uses; ON CONFLICT DO
# NOTHING so that a refused stay is not a pgbench error).
# Variants, in one run, 32 clients, -j 2, SECONDS each, each after TRUNCATE and CHECKPOINT:
#   1   wal_level=replica, BEGIN; INSERT; COMMIT (the baseline)
#   c   wal_level=replica, BEGIN; INSERT; SELECT 1; COMMIT (control: the extra statement of 4)
#   4   wal_level=replica, BEGIN; INSERT; SELECT pg_notify('hotel_changes', hotel); COMMIT,
#       with one session LISTENing (psql, bounded pg_sleep loop, so that the queue is drained)
#   5   as 4, the payload unique per transaction (the booking id)
#   2   wal_level=logical, BEGIN; INSERT; COMMIT, no slot
#   3   as 2, a test_decoding slot consumed live by pg_recvlogical (slot dropped afterwards)
#   1r  wal_level=replica again, the baseline repeated (drift within the run)
# Then the same with a booking-shaped transaction: the INSERT and eight rows into a second table
# the feed does not follow (a booking also writes its nights, invoice, lines and event):
#   s1  wal_level=replica
#   s3  wal_level=logical, a test_decoding slot consumed by pg_recvlogical (it formats every row
#       of every table: what the search index's feed does today)
#   s6  wal_level=logical, a pgoutput slot with a publication of the bookings table only,
#       consumed by pg_recvlogical (the other table's rows are skipped before formatting)
# Prints tps, the ratio to variant 1, WAL bytes per transaction, the cluster's CPU time per
# transaction (postmaster, backends, walsender...) and the feed consumer's, and the load average.
#   bench/feed_cost.sh [seconds=15]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-15}
clients=32
slot=feed_cost

bench_cluster "fsync = on" "synchronous_commit = on" "wal_level = replica"
tmp="$BENCH_TMP"
recv_pid=""
listen_pid=""
stop_consumers() {
    if [ -n "$recv_pid" ]; then kill "$recv_pid" 2>/dev/null || true; wait "$recv_pid" 2>/dev/null || true; fi
    if [ -n "$listen_pid" ]; then kill "$listen_pid" 2>/dev/null || true; wait "$listen_pid" 2>/dev/null || true; fi
    recv_pid="" listen_pid=""
}
trap 'stop_consumers; bench_cluster_stop' EXIT
export PGDATABASE=postgres

sql() { psql -qtAX -v ON_ERROR_STOP=1 -c "$1"; }

psql -qX -v ON_ERROR_STOP=1 -f "$ROOT/bench/minimal_booking.sql"

# The pgbench scripts: the same INSERT (bench/minimal_booking.pgbench) in every variant, in one
# transaction with the variant's extra statement; the booking id is drawn by the client so that
# variant 5 can send it without a RETURNING round trip.
head=$(printf 'BEGIN;\n'; cat "$ROOT/bench/minimal_booking.pgbench")
printf '%s\nCOMMIT;\n' "$head" > "$tmp/insert.sql"
printf '%s\nSELECT 1;\nCOMMIT;\n' "$head" > "$tmp/select1.sql"
printf "%s\nSELECT pg_notify('hotel_changes', :h::text);\nCOMMIT;\n" "$head" > "$tmp/notify.sql"
printf "%s\nSELECT pg_notify('hotel_changes', :bid::text);\nCOMMIT;\n" "$head" > "$tmp/notify_id.sql"
# The booking-shaped transaction: eight rows of the booking's own into a table nobody follows.
sql "CREATE TABLE booking_rows (hotel_id integer NOT NULL, booking_id bigint NOT NULL,
       n integer NOT NULL, service_date date NOT NULL, amount_minor bigint NOT NULL,
       description text NOT NULL, PRIMARY KEY (hotel_id, booking_id, n))"
sql "CREATE PUBLICATION feed_cost_pub FOR TABLE bookings"
printf "%s\nINSERT INTO booking_rows SELECT :h, :bid, g, date '2030-01-01' + g, 8000, 'Night ' || g FROM generate_series(1, 8) g;\nCOMMIT;\n" \
    "$head" > "$tmp/shaped.sql"

# CPU clock ticks of a process, and of the whole cluster: the postmaster, the children it has
# reaped (pgbench's backends exit before the second reading) and the children still running.
hz=$(getconf CLK_TCK)
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cluster_ticks() {
    local pm t p
    pm=$(head -1 "$tmp/pg/postmaster.pid")
    t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
    for p in $(pgrep -P "$pm"); do t=$((t + $(ticks_of "$p"))); done
    echo "$t"
}
walsender_ticks() {
    local t=0 p
    for p in $(pgrep -P "$(head -1 "$tmp/pg/postmaster.pid")" -f walsender); do
        t=$((t + $(ticks_of "$p")))
    done
    echo "$t"
}

restart_with() {  # wal_level
    sql "ALTER SYSTEM SET wal_level = '$1'"
    pg_stop "$tmp/pg" fast
    pg_start "$tmp/pg" "$tmp/log"
    [ "$(sql 'SHOW wal_level')" = "$1" ] || die "wal_level is not $1 after the restart"
    # Warm-up (connections, caches), not measured.
    pgbench -n -M prepared -c "$clients" -j 2 -T 2 -f "$tmp/insert.sql" >/dev/null 2>&1
}

declare -A tps_of
order=()
# run LABEL SCRIPT DESCRIPTION: one measured pgbench run, the consumer (if any) already running.
run() {
    local label=$1 script=$2 desc=$3 consumer=${4:-}
    sql "TRUNCATE bookings, booking_rows"
    sql "CHECKPOINT"
    echo "== $label: $desc ($(sql 'SHOW wal_level'), $clients clients, ${seconds}s; load average $(cut -d' ' -f1-3 /proc/loadavg))"
    local lsn0 lsn1 c0 c1 w0 w1 k0=0 k1=0 out tps txs failed lat rows wal
    lsn0=$(sql "SELECT pg_current_wal_lsn()")
    c0=$(cluster_ticks); w0=$(walsender_ticks)
    [ -n "$consumer" ] && k0=$(ticks_of "$consumer")
    pgbench -n -M prepared -c "$clients" -j 2 -T "$seconds" -f "$tmp/$script" >"$tmp/pgbench.out" 2>&1 &
    local bench_pid=$! waits
    # Halfway through, what the busy backends wait for (a few samples, 0.1 s apart).
    sleep "$(awk -v s="$seconds" 'BEGIN{print s / 2}')"
    waits=$(for _ in 1 2 3 4 5; do
        sql "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity
             WHERE backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()
               AND application_name = 'pgbench'"
        sleep 0.1
    done | sort | uniq -c | sort -rn | head -4 | awk '{printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1}')
    wait "$bench_pid" || { cat "$tmp/pgbench.out" >&2; die "pgbench failed in variant $label"; }
    out=$(cat "$tmp/pgbench.out")
    c1=$(cluster_ticks); w1=$(walsender_ticks)
    [ -n "$consumer" ] && k1=$(ticks_of "$consumer")
    lsn1=$(sql "SELECT pg_current_wal_lsn()")
    tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    txs=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
    failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
    lat=$(echo "$out" | sed -n 's/^latency average = \(.*\)$/\1/p')
    rows=$(sql "SELECT count(*) FROM bookings")
    wal=$(sql "SELECT pg_wal_lsn_diff('$lsn1', '$lsn0')")
    tps_of[$label]=$tps
    order+=("$label")
    awk -v tps="$tps" -v base="${tps_of[1]:-$tps}" -v txs="$txs" -v rows="$rows" -v wal="$wal" \
        -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v k=$((k1 - k0)) -v hz="$hz" -v lat="$lat" -v failed="${failed:-0}" \
        -v consumer="$consumer" 'BEGIN {
        printf "tps %.1f  ratio to 1: %.3f  latency %s  transactions %d (failed %d, rows inserted %d)\n",
            tps, tps / base, lat, txs, failed, rows
        printf "WAL %.0f bytes/transaction; CPU per transaction: cluster %.3f ms (walsender %.3f ms)",
            wal / txs, c * 1000 / hz / txs, w * 1000 / hz / txs
        if (consumer != "") printf ", consumer %.3f ms", k * 1000 / hz / txs
        printf "\n" }'
    echo "backends seen waiting (5 samples): $waits"
}

# How far the walsender's decoding (sent_lsn) and the consumer's confirmation are behind.
sent_lag() { sql "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), sent_lsn) FROM pg_stat_replication WHERE application_name = 'pg_recvlogical'"; }
lag_bytes() { sql "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots WHERE slot_name = '$slot'"; }

start_listener() {
    local n i
    n=$(( (seconds + 30) * 5 ))
    { echo "LISTEN hotel_changes;"; for i in $(seq 1 "$n"); do echo "SELECT pg_sleep(0.2);"; done; } > "$tmp/listen.sql"
    PGAPPNAME=feed_listener psql -qX -f "$tmp/listen.sql" >/dev/null 2>"$tmp/listener.err" &
    listen_pid=$!
    for _ in $(seq 1 50); do
        [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'feed_listener' AND query LIKE 'SELECT pg_sleep%'")" = 1 ] && return 0
        sleep 0.1
    done
    die "the listener did not start: $(cat "$tmp/listener.err")"
}

notify_run() {  # label script description
    start_listener
    run "$1" "$2" "$3" "$listen_pid"
    # One more pg_sleep round lets the listener read what is left; then the queue should be empty.
    sleep 0.5
    echo "notification queue usage after the run: $(sql 'SELECT pg_notification_queue_usage()')"
    stop_consumers
}

echo "== feed cost: pgbench $(pgbench --version | awk '{print $3}'), $(nproc) cores, fsync=$(sql 'SHOW fsync'), synchronous_commit=$(sql 'SHOW synchronous_commit'), socket $tmp/run"
echo "busiest processes at the start:"
ps -eo pcpu,comm --sort=-pcpu | sed -n 2,4p

restart_with replica
run 1 insert.sql "INSERT"
run c select1.sql "INSERT + SELECT 1 (control)"
notify_run 4 notify.sql "INSERT + pg_notify(hotel_id), one listener"
notify_run 5 notify_id.sql "INSERT + pg_notify(booking id), one listener"

restart_with logical
# start_decoding PLUGIN [pg_recvlogical options...]: a slot with its consumer, attached.
start_decoding() {
    local plugin=$1; shift
    pg_recvlogical -d postgres --slot="$slot" --create-slot -P "$plugin"
    pg_recvlogical -d postgres --slot="$slot" --start -s 1 -F 1 "$@" -f /dev/null \
        2>"$tmp/recvlogical.err" &
    recv_pid=$!
    for _ in $(seq 1 50); do
        [ "$(sql "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'")" = t ] && break
        sleep 0.1
    done
    [ "$(sql "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'")" = t ] \
        || die "pg_recvlogical did not attach: $(cat "$tmp/recvlogical.err")"
}
# stop_decoding: how far behind the consumer was, its catching up, then the slot dropped.
stop_decoding() {
    local caught_up="" i
    echo "when pgbench ended: decoding $(sent_lag) bytes behind, confirmed flush $(lag_bytes) bytes behind"
    for i in $(seq 1 300); do
        if [ "$(lag_bytes)" -le 0 ]; then caught_up="after $(awk -v i="$i" 'BEGIN{printf "%.1f", (i - 1) / 10}') s"; break; fi
        sleep 0.1
    done
    echo "consumer caught up: ${caught_up:-no, still $(lag_bytes) bytes behind after 30 s}"
    stop_consumers
    pg_recvlogical -d postgres --slot="$slot" --drop-slot
}

run 2 insert.sql "INSERT, no slot"
start_decoding test_decoding
run 3 insert.sql "INSERT, test_decoding slot consumed by pg_recvlogical" "$recv_pid"
stop_decoding
start_decoding test_decoding
run s3 shaped.sql "INSERT + 8 rows elsewhere, test_decoding slot consumed by pg_recvlogical" "$recv_pid"
stop_decoding
start_decoding pgoutput -o proto_version=1 -o publication_names=feed_cost_pub
run s6 shaped.sql "INSERT + 8 rows elsewhere, pgoutput slot (publication: bookings) consumed by pg_recvlogical" "$recv_pid"
stop_decoding

restart_with replica
run 1r insert.sql "INSERT (the baseline again)"
run s1 shaped.sql "INSERT + 8 rows elsewhere (the booking-shaped baseline)"

echo "== summary (tps, ratio to 1; the booking-shaped runs s3 and s6 also to s1)"
for label in "${order[@]}"; do
    awk -v l="$label" -v t="${tps_of[$label]}" -v b="${tps_of[1]}" -v sb="${tps_of[s1]:-0}" 'BEGIN {
        printf "%-3s %9.1f  %.3f", l, t, t / b
        if (l ~ /^s/ && sb > 0) printf "  to s1: %.3f", t / sb
        printf "\n" }'
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
