#!/usr/bin/env bash
# The HTTP floor (issue 12): hoteld's GET /health against nginx serving a 2-byte static file, and
# the memory of 10,000 idle keep-alive connections. Loopback only, every loop bounded.
#   bench/health.sh [seconds=10] [rounds=3] [idle=10000]
# Builds Release (hoteld, hotel-migrate, bench/idle_connections), installs nginx-light when it
# is missing (ensure_packages_no_start: no system service is started) and starts its own
# throwaway cluster (hoteld needs a database to start; /health does not touch it).
# 1. Throughput: one hoteld (HOTEL_LOG_LEVEL=info: its access log on, written to a file; one I/O
#    thread per core, the default) and one nginx (a worker per core, its access log on, written to
#    a file, keep-alive defaults), both on 127.0.0.1. After a 2 s warm-up of each, ROUNDS rounds of
#    `wrk -t2 -c32 -d SECONDS --latency`, hoteld then nginx, the order reversed every other round.
#    CPU per request: the server's utime + stime (nginx: master and workers) over the run.
# 2. Idle connections: a fresh hoteld (same settings, default HOTEL_MAX_CONNECTIONS and idle
#    timeout) and then the same nginx; bench/idle_connections opens IDLE connections, sends one
#    GET on each, reads the answers and holds them open for 20 s; the server's VmRSS is read
#    before and while they are held (nginx: master and workers added up).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-10}
rounds=${2:-3}
idle=${3:-10000}
case "$seconds$rounds$idle" in *[!0-9]*) die "usage: $0 [seconds] [rounds] [idle]" ;; esac
hold=20
ensure_packages wrk curl
nginx=/usr/sbin/nginx
if [ ! -x "$nginx" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        ensure_packages_no_start nginx-light
    else
        say "nginx is not installed (apt-get install nginx-light): no nginx baseline"
    fi
fi
[ -x "$nginx" ] || nginx=""
configure_and_build "$ROOT/build/release" Release -DHOTEL_TESTS=OFF -DHOTEL_BENCH=ON -- \
    hoteld hotel-migrate idle_connections
bin="$ROOT/build/release/src"
client="$ROOT/build/release/bench/idle_connections"
hz=$(getconf CLK_TCK)

# Room for IDLE connections in hoteld, which inherits this limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge $((idle + 256)) ] || die "the open-file limit ($(ulimit -n)) is too low for $idle connections"

bench_cluster
tmp="$BENCH_TMP"
hoteld_pid="" nginx_pid="" client_pid=""
stop_all() {
    local p
    for p in $client_pid $hoteld_pid $nginx_pid; do kill "$p" 2>/dev/null || true; done
    for p in $client_pid $hoteld_pid $nginx_pid; do wait "$p" 2>/dev/null || true; done
    client_pid="" hoteld_pid="" nginx_pid=""
}
trap 'stop_all; bench_cluster_stop' EXIT
export PGDATABASE=postgres
psql -qX -c "CREATE DATABASE bench_health" >/dev/null
export DATABASE_URL
DATABASE_URL="$(pg_url "$tmp/run" bench_health)"
"$bin/hotel-migrate" >/dev/null
hoteld_port=18093 nginx_port=18094

start_hoteld() {
    env HOTEL_LISTEN="127.0.0.1:$hoteld_port" HOTEL_LOG_LEVEL=info \
        HOTEL_JWT_SECRET=bench-secret-bench-secret-bench-secret-42 \
        "$bin/hoteld" >>"$tmp/hoteld.log" 2>&1 &
    hoteld_pid=$!
    for _ in $(seq 1 300); do curl -fs "127.0.0.1:$hoteld_port/ready" >/dev/null 2>&1 && return; sleep 0.1; done
    die "hoteld did not start: $(tail -3 "$tmp/hoteld.log")"
}
stop_hoteld() { kill "$hoteld_pid"; wait "$hoteld_pid" 2>/dev/null || true; hoteld_pid=""; }

start_nginx() {
    local d="$tmp/nginx"
    mkdir -p "$d/www"
    printf 'ok' > "$d/www/h"
    cat > "$d/nginx.conf" <<EOF
# written by bench/health.sh
worker_processes $(nproc);
worker_rlimit_nofile $((idle + 1024));
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections $((idle + 512)); }
http {
    access_log $d/access.log;
    server {
        listen 127.0.0.1:$nginx_port;
        root $d/www;
    }
}
EOF
    chmod -R a+rX "$d"
    "$nginx" -t -q -p "$d/" -e "$d/error.log" -c "$d/nginx.conf" || die "nginx refused its configuration"
    "$nginx" -p "$d/" -e "$d/error.log" -c "$d/nginx.conf" >"$d/stdout" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 1 100); do curl -fs "127.0.0.1:$nginx_port/h" >/dev/null 2>&1 && return; sleep 0.1; done
    die "nginx did not start: $(tail -3 "$d/error.log")"
}

ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
tree_ticks() {  # pid: the process and its children (nginx's workers)
    local t p
    t=$(ticks_of "$1")
    for p in $(pgrep -P "$1"); do t=$((t + $(ticks_of "$p"))); done
    echo "$t"
}
rss_kib() {  # pid: VmRSS of the process and its children
    local t=0 p
    for p in "$1" $(pgrep -P "$1"); do
        t=$((t + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
wrk_ms() {
    awk -v v="$1" 'BEGIN { x = v + 0
        if (v ~ /us$/) x /= 1000; else if (v ~ /ms$/) x += 0; else if (v ~ /s$/) x *= 1000
        printf "%.2f", x }'
}

results="$tmp/results"   # round|server|req/s|p50|p99|cpu us/request|requests|non-2xx|socket errors
: > "$results"
one_run() {  # round server pid url
    local round=$1 server=$2 p=$3 url=$4 t0 t1 out rps reqs non2xx errors p50 p99
    echo "== round $round, $server: wrk -t2 -c32 -d${seconds}s --latency $url; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    t0=$(tree_ticks "$p")
    out=$(wrk -t2 -c32 -d"${seconds}s" --latency "$url")
    t1=$(tree_ticks "$p")
    rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    errors=$(echo "$out" | sed -n 's/.*Socket errors: \(.*\)/\1/p')
    p50=$(wrk_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(wrk_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    awk -v r="$round" -v s="$server" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v t=$((t1 - t0)) \
        -v hz="$hz" -v reqs="${reqs:-0}" -v n="${non2xx:-0}" -v e="${errors:-none}" 'BEGIN {
        printf "%s|%s|%.0f|%s|%s|%.1f|%d|%d|%s\n", r, s, rps, p50, p99,
            (reqs > 0 ? t * 1e6 / hz / reqs : 0), reqs, n, e }' >> "$results"
    tail -1 "$results" | awk -F'|' '{printf "%s req/s, p50 %s ms, p99 %s ms, CPU %s us/request, non-2xx %s, socket errors %s\n", $3, $4, $5, $6, $8, $9}'
}

version="no nginx"
[ -n "$nginx" ] && version=$("$nginx" -v 2>&1 | sed 's/.*: //')
echo "== /health: hoteld $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') vs $version, $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
start_hoteld
[ -n "$nginx" ] && start_nginx
hurl="http://127.0.0.1:$hoteld_port/health" nurl="http://127.0.0.1:$nginx_port/h"
wrk -t2 -c32 -d2s "$hurl" >/dev/null
[ -n "$nginx" ] && wrk -t2 -c32 -d2s "$nurl" >/dev/null
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ] || [ -z "$nginx" ]; then
        one_run "$round" hoteld "$hoteld_pid" "$hurl"
        [ -n "$nginx" ] && one_run "$round" nginx "$nginx_pid" "$nurl"
    else
        one_run "$round" nginx "$nginx_pid" "$nurl"
        one_run "$round" hoteld "$hoteld_pid" "$hurl"
    fi
done
access_lines=$(wc -l < "$tmp/hoteld.log")
stop_hoteld

# --- idle connections ------------------------------------------------------------------------------
idle_results="$tmp/idle"   # server|rss before KiB|rss held KiB|holding|answered|failed|still open|fds
: > "$idle_results"
hold_idle() {  # server pid port path
    local server=$1 p=$2 port=$3 path=$4 before held line fds=""
    before=$(rss_kib "$p")
    echo "== $server: $idle idle keep-alive connections, GET $path once each, held ${hold}s"
    "$client" 127.0.0.1 "$port" "$path" "$idle" "$hold" > "$tmp/idle-$server.out" 2>&1 &
    client_pid=$!
    for _ in $(seq 1 900); do
        grep -q '^holding' "$tmp/idle-$server.out" && break
        kill -0 "$client_pid" 2>/dev/null || break
        sleep 0.1
    done
    line=$(grep '^holding' "$tmp/idle-$server.out" || true)
    [ -n "$line" ] || { cat "$tmp/idle-$server.out" >&2; die "idle_connections did not open its connections ($server)"; }
    sleep 1
    held=$(rss_kib "$p")
    [ "$server" = hoteld ] && fds=$(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    wait "$client_pid" || true
    client_pid=""
    echo "$line; $(grep '^still open' "$tmp/idle-$server.out" || echo 'still open: ?')"
    echo "$server|$before|$held|$(echo "$line" | awk '{print $2 "|" $4 "|" $6}')|$(sed -n 's/^still open after [0-9]* s: //p' "$tmp/idle-$server.out")|${fds:--}" >> "$idle_results"
}
start_hoteld
hold_idle hoteld "$hoteld_pid" "$hoteld_port" /health
stop_hoteld
[ -n "$nginx" ] && hold_idle nginx "$nginx_pid" "$nginx_port" /h

# --- the table -------------------------------------------------------------------------------------
median() { { grep -E '^[0-9.]+$' || true; } | sort -g | awk '{v[NR] = $1} END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'|' -v s="$1" -v c="$2" '$2 == s {print $c}' "$results"; }
hratio=$(awk -F'|' '$2 == "hoteld" {h[$1] = $3} $2 == "nginx" {n[$1] = $3}
    END { for (x in h) if (n[x] > 0) printf "%.3f\n", h[x] / n[x] }' "$results" | median)
echo
echo "== one table: $(date -u +%F), wrk -t2 -c32 -d${seconds}s, $rounds rounds, loopback; hoteld at log level info ($access_lines lines logged); ratio to nginx of the same round"
printf '| %-6s | %-6s | %9s | %8s | %-13s | %-15s | %s |\n' server round req/s "× nginx" "p50 / p99 ms" "CPU/request µs" "non-2xx, socket errors"
printf '|%s|\n' "--------|--------|-----------|----------|---------------|-----------------|------------------------"
for server in hoteld nginx; do
    for round in $(seq 1 "$rounds") median; do
        if [ "$round" = median ]; then
            [ "$rounds" -gt 1 ] || continue
            line="median|$server|$(col "$server" 3 | median)|$(col "$server" 4 | median)|$(col "$server" 5 | median)|$(col "$server" 6 | median)|||"
        else
            line=$(awk -F'|' -v s="$server" -v r="$round" '$1 == r && $2 == s' "$results")
        fi
        [ -n "$line" ] || continue
        if [ "$round" = median ]; then
            ratio=$hratio
        else
            ratio=$(awk -F'|' -v r="$round" '$1 == r && $2 == "hoteld" {h = $3} $1 == r && $2 == "nginx" {n = $3}
                END { if (n > 0) printf "%.3f", h / n }' "$results")
        fi
        echo "$line" | awk -F'|' -v ratio="${ratio:--}" -v s="$server" '{
            e = ($1 == "median") ? "" : $8 ", " $9
            printf "| %-6s | %-6s | %9.0f | %8s | %-13s | %-15s | %s |\n", s, $1, $3,
                (s == "nginx" ? "1" : (ratio == "-" ? "-" : sprintf("%.3f", ratio))),
                sprintf("%.2f / %.2f", $4, $5), sprintf("%.1f", $6), e }'
    done
done
echo
printf '| %-6s | %-14s | %-26s | %-14s | %-29s | %s |\n' server "RSS idle" "RSS, $idle connections held" "per connection" "answered 200 / failed" "still open after ${hold} s (fds)"
printf '|%s|\n' "--------|----------------|----------------------------|----------------|-------------------------------|------------------------"
while IFS='|' read -r server before held holding answered failed still fds; do
    awk -v s="$server" -v b="$before" -v h="$held" -v n="$idle" -v a="$answered" -v f="$failed" \
        -v st="$still" -v fds="$fds" 'BEGIN {
        printf "| %-6s | %10.1f MiB | %22.1f MiB | %10.1f KiB | %-29s | %s |\n", s, b / 1024, h / 1024,
            (h - b) / n, a " / " f, st (fds == "-" ? "" : " (" fds " fds)") }'
done < "$idle_results"

echo
echo "== targets"
awk -v v="$hratio" 'BEGIN { if (v == "-") print "  /health >= 1.0x nginx: not measured (no nginx)";
    else printf "  /health / nginx (median of the rounds) %.3f  >= 1.0  %s\n", v, (v >= 1.0 ? "met" : "NOT met") }'
awk -F'|' -v n="$idle" '$1 == "hoteld" { mib = $3 / 1024
    printf "  hoteld RSS with %d idle connections %.1f MiB  <= 150 MB (143.1 MiB)  %s\n", n, mib,
        (mib * 1048576 <= 150e6 && $5 == n ? "met" : "NOT met") }' "$idle_results"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
