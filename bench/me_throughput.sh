#!/usr/bin/env bash
# GET /v1/me throughput (an authenticated request that reads one user) under wrk, loopback only.
# Each target is a directory holding hoteld and hotel-migrate, optionally followed by
# ",NAME=VALUE" settings for that run; every target gets a fresh database in one throwaway
# cluster and the same load, one after the other. Run from the repository root:
#   bench/me_throughput.sh [seconds=10] [connections=32] [target ...]
# Default target: build/release/src (built by ./hotel build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
seconds=${1:-10}
connections=${2:-32}
shift 2 || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("$ROOT/build/release/src")
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

bench_cluster
tmp="$BENCH_TMP"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; bench_cluster_stop' EXIT
export PGDATABASE=postgres
secret="bench-secret-bench-secret-bench-secret-42"
port=18089
n=0
for target in "${targets[@]}"; do
    n=$((n + 1))
    bin="$(target_dir "$target")"
    read -r -a settings <<< "$(target_settings "$target")"
    db="bench_me_$n"
    psql -qX -c "CREATE DATABASE $db" >/dev/null
    url="$(pg_url "$tmp/run" "$db")"
    DATABASE_URL="$url" "$bin/hotel-migrate" >/dev/null
    DATABASE_URL="$url" "$bin/hoteld" create-admin --email bench@example.com \
        --password bench-password-1 >/dev/null
    env DATABASE_URL="$url" HOTEL_LISTEN="127.0.0.1:$port" HOTEL_THREADS=2 HOTEL_LOG_LEVEL=warn \
        HOTEL_JWT_SECRET="$secret" "${settings[@]}" "$bin/hoteld" >"$tmp/hoteld-$n.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        curl -fs "127.0.0.1:$port/health" >/dev/null 2>&1 && break
        sleep 0.1
    done
    token="$(curl -fs -X POST "127.0.0.1:$port/v1/auth/login" -H 'Content-Type: application/json' \
        -d '{"email":"bench@example.com","password":"bench-password-1"}' |
        sed 's/.*"access_token":"\([^"]*\)".*/\1/')"
    echo "== $bin ${settings[*]:-}: GET /v1/me, $connections connections, 2 wrk threads, ${seconds}s"
    wrk -t2 -c"$connections" -d1s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/me" >/dev/null
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/v1/me" | grep -E "Requests/sec|Non-2xx|50%|99%"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    pid=""
done
