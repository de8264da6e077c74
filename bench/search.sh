#!/usr/bin/env bash
# Search benchmark (issue 11): shopping from the in-memory index against shopping by SQL, on the
# generated world (bench/generate_world.sql) at one or more booking densities, in one run.
#   bench/search.sh [seconds=20] [seed=0.42] [densities="1 2"]
# Density 1 is the default world (40-day slots per room, 540,000 bookings); density 2 halves the
# slots (20 days) for about twice the bookings. For each density, in a fresh database of one
# throwaway cluster, two Release hoteld run on it at once: the default (index) node and a
# HOTEL_SEARCH=sql node. Once the index node is ready, one after the other (never two at once),
# each after a 5 s warm-up, `wrk -t2 -c32 -d SECONDS --latency` runs:
#   health        GET /health on the index node (the floor of the HTTP core)
#   search index  GET /v1/hotels (bench/search.lua) on the index node
#   search sql    the same on the SQL node
#   offers index  GET /v1/hotels/{id}/rooms for one hotel (bench/offers.lua) on the index node
#   offers sql    the same on the SQL node
# then pgbench runs the search statement itself (bench/search_sql.pgbench) for SECONDS/2 with 16
# clients (hoteld's pool size). Both nodes log at info (the default): the index node's
# "search index loaded" line gives the first load time. The index's memory is the index node's
# VmRSS minus the SQL node's, both read after their runs. One table at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-20}
seed=${2:-0.42}
densities=${3:-"1 2"}
connections=32
warmup=5
pgbench_seconds=$(( seconds / 2 > 0 ? seconds / 2 : 1 ))
ensure_packages wrk curl
configure_and_build "$ROOT/build/release" Release -DHOTEL_TESTS=OFF -- hoteld hotel-migrate
bin="$ROOT/build/release/src"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average at the start: $load_before ($(nproc) cores; other work may share them)"

bench_cluster "shared_buffers = 512MB" "max_wal_size = 4GB" "synchronous_commit = off"
tmp="$BENCH_TMP"
index_pid="" sql_pid=""
stop_nodes() {
    local p
    for p in $index_pid $sql_pid; do kill "$p" 2>/dev/null || true; done
    for p in $index_pid $sql_pid; do wait "$p" 2>/dev/null || true; done
    index_pid="" sql_pid=""
}
trap 'stop_nodes; bench_cluster_stop' EXIT
export PGDATABASE=postgres
index_port=18766 sql_port=18767
secret=bench-secret-bench-secret-bench-secret
results="$tmp/results"    # density|test|req/s|p50|p99|non-2xx|socket errors
summary="$tmp/summary"    # density|key|value
: > "$results"; : > "$summary"
note() { echo "$1|$2|$3" >> "$summary"; }
got() { awk -F'|' -v d="$1" -v k="$2" '$1==d && $2==k {v=$3} END {print v}' "$summary"; }

# start_node NAME PORT [VAR=VALUE...]: a hoteld on the current database, in the background.
start_node() {
    local name=$1 port=$2; shift 2
    env DATABASE_URL="$DATABASE_URL" HOTEL_LISTEN="127.0.0.1:$port" HOTEL_JWT_SECRET="$secret" \
        HOTEL_LOG_LEVEL=info HOTEL_NODE_NAME="bench-$name" "$@" \
        "$bin/hoteld" > "$tmp/$name.log" 2>&1 &
    started_pid=$!
}
# wait_ready PORT PID LOG SECONDS: until /ready answers 200.
wait_ready() {
    local port=$1 pid=$2 log=$3 limit=$4 i
    for i in $(seq 1 $((limit * 10))); do
        curl -sf -o /dev/null "127.0.0.1:$port/ready" && return 0
        kill -0 "$pid" 2>/dev/null || die "hoteld on port $port exited: $(tail -5 "$log")"
        sleep 0.1
    done
    die "hoteld on port $port not ready after ${limit} s: $(tail -5 "$log")"
}
rss_kib() { awk '$1=="VmRSS:" {print $2}' "/proc/$1/status"; }
metric() { curl -sf "127.0.0.1:$1/metrics" | awk -v m="$2" '$1==m {print $2}'; }
to_ms() {
    awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
                           else if (v ~ /m$/) printf "%.3f", v * 60000; else printf "%.3f", v * 1000 }'
}

# run_wrk DENSITY TEST PORT PID SCRIPT|"" [script args...]: warm-up, then the measured run.
run_wrk() {
    local density=$1 test=$2 port=$3 pid=$4 script=$5; shift 5
    local script_args=() out
    [ -n "$script" ] && script_args=(-s "$script")
    local url="http://127.0.0.1:$port"
    [ -z "$script" ] && url="$url/health"
    wrk -t2 -c"$connections" -d"${warmup}s" --timeout 10s "${script_args[@]}" "$url" -- "$@" \
        > /dev/null
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency "${script_args[@]}" \
        "$url" -- "$@")
    echo "$out" > "$tmp/wrk-$density-${test// /-}.txt"
    kill -0 "$pid" 2>/dev/null || die "hoteld on port $port died during '$test': $(tail -5 "$tmp"/*.log)"
    local rps p50 p99 non2xx errors
    rps=$(echo "$out" | awk '$1=="Requests/sec:" {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
    non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $NF}')
    errors=$(echo "$out" | sed -n 's/.*Socket errors: //p')
    echo "$density|$test|$rps|$p50|$p99|${non2xx:-0}|${errors:-none}" >> "$results"
    printf '  %-13s %10s req/s  p50 %9s ms  p99 %9s ms  non-2xx %s  socket errors %s\n' \
        "$test" "$rps" "$p50" "$p99" "${non2xx:-0}" "${errors:-none}"
    if [ -n "$non2xx" ] || [ -n "$errors" ]; then
        echo "  !! '$test' had non-2xx answers or socket errors (wrk output: see above)"
        echo "$out" | sed 's/^/     /'
    fi
}

for density in $densities; do
    case "$density" in *[!0-9]* | "" | 0) die "density must be a positive integer: $density" ;; esac
    slot=$((40 / density))
    db="bench_${density}x"
    echo
    echo "===== world ${density}x: ${slot}-day slots, seed $seed (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    psql -qX -c "CREATE DATABASE $db"
    export DATABASE_URL="host=$tmp/run user=postgres dbname=$db"
    "$bin/hotel-migrate" > /dev/null
    t0=$(date +%s)
    psql -qX -d "$db" -v seed="$seed" -v slot="$slot" -f "$ROOT/bench/generate_world.sql" > "$tmp/world.txt"
    bookings=$(psql -tAX -d "$db" -c "SELECT count(*) FROM bookings")
    active=$(psql -tAX -d "$db" -c "SELECT count(*) FROM bookings WHERE status = 'confirmed'")
    echo "world generated in $(( $(date +%s) - t0 )) s: 200 hotels, 60,000 rooms, $bookings bookings ($active active)"
    note "$density" bookings "$bookings"
    hotel=$(psql -tAX -d "$db" -c "SELECT md5('bench:hotel:1')::uuid")

    t0=$(date +%s%N)
    start_node index "$index_port"; index_pid=$started_pid
    start_node sql "$sql_port" HOTEL_SEARCH=sql; sql_pid=$started_pid
    wait_ready "$sql_port" "$sql_pid" "$tmp/sql.log" 60
    wait_ready "$index_port" "$index_pid" "$tmp/index.log" 600
    ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    load_line=$(grep -m1 '"msg":"search index loaded"' "$tmp/index.log" || true)
    load_ms=$(echo "$load_line" | sed -n 's/.*"ms":"\{0,1\}\([0-9]*\).*/\1/p')
    echo "index node ready ${ready_ms} ms after start; its log: ${load_line:-no 'search index loaded' line}"
    note "$density" load_ms "${load_ms:-?}"
    note "$density" ready_ms "$ready_ms"
    live=$(metric "$index_port" hotel_index_live)
    echo "index node: hotel_index_live ${live:-?}, hotel_index_hotels $(metric "$index_port" hotel_index_hotels)," \
         "hotel_index_periods $(metric "$index_port" hotel_index_periods)"
    [ "$live" = 1 ] || echo "  !! the index node's index is not live after /ready: its searches run on SQL"
    echo "RSS after ready: index node $(( $(rss_kib "$index_pid") / 1024 )) MiB, SQL node $(( $(rss_kib "$sql_pid") / 1024 )) MiB"

    ci=$(date -u -d '+100 days' +%F); co=$(date -u -d '+103 days' +%F)
    for kind in search offers; do
        if [ "$kind" = search ]; then path="/v1/hotels?city=Benchville&guests=2&check_in=$ci&check_out=$co"
        else path="/v1/hotels/$hotel/rooms?guests=2&check_in=$ci&check_out=$co"; fi
        a=$(curl -s "127.0.0.1:$index_port$path"); b=$(curl -s "127.0.0.1:$sql_port$path")
        echo "one $kind, 3 nights from $ci: index node ${#a} bytes, SQL node ${#b} bytes," \
             "$([ "$a" = "$b" ] && echo "identical" || echo "!! DIFFERENT")"
        echo "  ${a:0:240}..."
    done
    echo "EXPLAIN (ANALYZE, BUFFERS) of the search SQL for that stay, where bookings are read, and its time:"
    sed -e "s/(:start)/100/g; s/(:nights)/3/g" -e '/^\\set/d' -e '/^--/d' "$ROOT/bench/search_sql.pgbench" \
        | sed '1s/^/EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) /' | psql -qX -d "$db" > "$tmp/explain.txt"
    (grep -E -A2 'bookings_room_end_idx|no_overlapping_stays' "$tmp/explain.txt" | grep -vE '^--|Index Cond' || true) \
        | sed 's/^ *//; s/^/  /'
    grep -E 'Execution Time' "$tmp/explain.txt" | sed 's/^ *//; s/^/  /'

    echo "wrk -t2 -c$connections -d${seconds}s --latency, each after a ${warmup} s warm-up, one at a time:"
    run_wrk "$density" "health" "$index_port" "$index_pid" ""
    run_wrk "$density" "search index" "$index_port" "$index_pid" "$ROOT/bench/search.lua"
    run_wrk "$density" "search sql" "$sql_port" "$sql_pid" "$ROOT/bench/search.lua"
    run_wrk "$density" "offers index" "$index_port" "$index_pid" "$ROOT/bench/offers.lua" "$hotel"
    run_wrk "$density" "offers sql" "$sql_port" "$sql_pid" "$ROOT/bench/offers.lua" "$hotel"

    index_rss=$(rss_kib "$index_pid"); sql_rss=$(rss_kib "$sql_pid")
    echo "RSS after the runs: index node $((index_rss / 1024)) MiB, SQL node $((sql_rss / 1024)) MiB"
    note "$density" index_mib "$(awk -v a="$index_rss" -v b="$sql_rss" 'BEGIN {printf "%.1f", (a - b) / 1024}')"
    for m in hotel_index_live hotel_index_reloads_total hotel_index_feed_losses_total \
             hotel_index_transactions_total hotel_index_hotels hotel_index_periods \
             hotel_index_lag_seconds_count hotel_index_lag_seconds_sum; do
        note "$density" "$m" "$(metric "$index_port" "$m")"
    done
    echo "index node after the runs: live $(got "$density" hotel_index_live)," \
         "reloads $(got "$density" hotel_index_reloads_total), feed losses $(got "$density" hotel_index_feed_losses_total)"
    for name in index sql; do
        # /ready answers 503 while the index loads: those polls are counted apart.
        n5=$(grep '"status":5[0-9][0-9]' "$tmp/$name.log" | grep -vc '"path":"/ready"' || true)
        nr=$(grep '"status":5[0-9][0-9]' "$tmp/$name.log" | grep -c '"path":"/ready"' || true)
        nw=$(grep -cE '"level":"(warn|error)"' "$tmp/$name.log" || true)
        echo "$name node log: $n5 access lines with a 5xx status (besides $nr polls of /ready while loading)," \
             "$nw warn/error lines"
        if [ "$nw" -gt 0 ]; then
            # (awk reads to the end: head would cut the pipe, which pipefail takes for a failure)
            grep -E '"level":"(warn|error)"' "$tmp/$name.log" | awk 'NR <= 5' | cut -c1-300 \
                | sed 's/^/  /'
        fi
    done
    stop_nodes

    echo "pgbench: the search statement, 16 clients, ${pgbench_seconds}s"
    mkdir -p "$tmp/pgbench-$density"
    (cd "$tmp/pgbench-$density" && pgbench -n -M prepared -c 16 -j 2 -T "$pgbench_seconds" -l \
        -f "$ROOT/bench/search_sql.pgbench" "$db" | grep -E "^tps" | sed 's/^/  /')
    cat "$tmp/pgbench-$density"/pgbench_log.* | awk '{print $3}' | sort -n > "$tmp/lat.txt"
    n=$(wc -l < "$tmp/lat.txt")
    note "$density" pgbench_p50 "$(awk -v n="$n" 'NR==int(n*0.50)+1 {printf "%.3f", $1/1000}' "$tmp/lat.txt")"
    note "$density" pgbench_p99 "$(awk -v n="$n" 'NR==int(n*0.99)+1 {printf "%.3f", $1/1000}' "$tmp/lat.txt")"
    note "$density" pgbench_tps "$(awk -v n="$n" -v s="$pgbench_seconds" 'BEGIN {printf "%.1f", n/s}')"
    echo "  p50 $(got "$density" pgbench_p50) ms, p99 $(got "$density" pgbench_p99) ms over $n transactions"
    psql -qX -c "DROP DATABASE $db"
done

echo
echo "===== results: wrk -t2 -c$connections -d${seconds}s --latency after a ${warmup} s warm-up, seed $seed, Release, both nodes at log level info"
printf '%-6s %-10s %-14s %12s %11s %11s %8s  %s\n' world bookings test "req/s" "p50 ms" "p99 ms" non-2xx "socket errors"
for density in $densities; do
    while IFS='|' read -r d test rps p50 p99 non2xx errors; do
        [ "$d" = "$density" ] || continue
        printf '%-6s %-10s %-14s %12s %11s %11s %8s  %s\n' "${d}x" "$(got "$d" bookings)" "$test" \
            "$rps" "$p50" "$p99" "$non2xx" "$errors"
    done < "$results"
    printf '%-6s %-10s %-14s %12s %11s %11s\n' "${density}x" "$(got "$density" bookings)" \
        "pgbench sql" "$(got "$density" pgbench_tps)" "$(got "$density" pgbench_p50)" "$(got "$density" pgbench_p99)"
done
echo
echo "ratios of requests/s (index node / other), p99 in ms (index node, SQL node), index memory = VmRSS index node - SQL node:"
printf '%-6s %14s %13s %19s %13s %19s %10s %13s %9s\n' world "search/health" "search i/sql" "search p99 i, sql" \
    "offers i/sql" "offers p99 i, sql" "index MiB" "first load ms" "ready ms"
for density in $densities; do
    field() { awk -F'|' -v d="$density" -v t="$1" -v c="$2" '$1==d && $2==t {print $c}' "$results"; }
    awk -v w="${density}x" -v h="$(field health 3)" -v si="$(field 'search index' 3)" \
        -v ss="$(field 'search sql' 3)" -v si99="$(field 'search index' 5)" -v ss99="$(field 'search sql' 5)" \
        -v oi="$(field 'offers index' 3)" -v os="$(field 'offers sql' 3)" \
        -v oi99="$(field 'offers index' 5)" -v os99="$(field 'offers sql' 5)" \
        -v mib="$(got "$density" index_mib)" -v lm="$(got "$density" load_ms)" -v rm="$(got "$density" ready_ms)" \
        'function r(a, b) { return (b > 0) ? sprintf("%.3f", a / b) : "?" }
         BEGIN { printf "%-6s %14s %13s %19s %13s %19s %10s %13s %9s\n", w, r(si, h), r(si, ss),
                 sprintf("%.1f, %.1f", si99, ss99), r(oi, os), sprintf("%.1f, %.1f", oi99, os99),
                 mib, lm, rm }'
done
echo
echo "hotel_index_lag_seconds on the index node at the end of each world (the benchmark itself writes nothing):"
for density in $densities; do
    echo "  ${density}x: count $(got "$density" hotel_index_lag_seconds_count), sum $(got "$density" hotel_index_lag_seconds_sum) s;" \
         "transactions applied $(got "$density" hotel_index_transactions_total), hotels $(got "$density" hotel_index_hotels)," \
         "periods $(got "$density" hotel_index_periods), live $(got "$density" hotel_index_live)," \
         "reloads $(got "$density" hotel_index_reloads_total), feed losses $(got "$density" hotel_index_feed_losses_total)"
done
echo "load average: start $load_before, end $(cut -d' ' -f1-3 /proc/loadavg); total $(( $(date +%s) - started )) s"
