#!/usr/bin/env bash
# The web app in a real browser (issue 14): Debian's chromium driven by playwright-core (pinned in
# scripts/lib.sh, installed under build/web-tests), headless, against a real hoteld serving the
# app on a database of its own (demo data) on the cluster in PGHOST. Each flow is a file
# tests/web/*.test.mjs; screenshots of the screens go to build/web-tests/screenshots.
#   tests/web/run.sh <directory holding hoteld and hotel-migrate>
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/lib.sh"
bin="${1:?usage: tests/web/run.sh <directory of hoteld and hotel-migrate>}"
[ -n "${PGHOST:-}" ] || die "the browser tests run against the cluster in PGHOST (./hotel test sets it)"
ensure_web_test_tools || exit 1

tools="$ROOT/build/web-tests"
db="hotel_web_tests_$$"
port=$((30000 + $$ % 10000))
log="$tools/hoteld.log"
psql -qtAX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >/dev/null
url="postgresql:///$db?host=$PGHOST&user=${PGUSER:-postgres}"
pid=""
cleanup() {
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
    psql -qtAX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
DATABASE_URL="$url" "$bin/hotel-migrate" >/dev/null
DATABASE_URL="$url" HOTEL_DEMO_ADMIN_PASSWORD=web-tests-admin-123 \
    "$bin/hoteld" demo-data --admin-email admin@example.com >/dev/null
DATABASE_URL="$url" HOTEL_LISTEN="127.0.0.1:$port" HOTEL_THREADS=2 HOTEL_LOG_LEVEL=warn \
    HOTEL_WEB_DIR="$ROOT/web" HOTEL_JWT_SECRET="web-tests-secret-web-tests-secret-web" \
    "$bin/hoteld" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    curl -fs "127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || die "hoteld stopped: $(tail -3 "$log")"
    sleep 0.1
done
curl -fs "127.0.0.1:$port/ready" >/dev/null || die "hoteld did not become ready: $(tail -3 "$log")"

# The tests run from a copy beside the installed packages (ES modules resolve them from there).
work="$tools/work"
rm -rf "$work" && mkdir -p "$work" "$tools/screenshots"
cp "$ROOT"/tests/web/*.mjs "$work/"
ln -s "$tools/node_modules" "$work/node_modules"
rc=0
for t in "$work"/*.test.mjs; do
    say "browser test $(basename "$t")"
    timeout 120 node "$t" "http://127.0.0.1:$port" "$tools/screenshots" || rc=1
done
exit "$rc"
