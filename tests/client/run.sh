#!/usr/bin/env bash
# The contract as a generated client meets it (issue 16): TypeScript types generated from
# api/openapi.json (openapi-typescript), tests/client/strict_client.ts compiled with tsc --strict,
# then run with node against a real hoteld on a database of its own (demo data) on the cluster
# in PGHOST, checking every response against the document. The npm packages are pinned in
# scripts/lib.sh (ensure_client_tools) and installed under build/client.
#   tests/client/run.sh <directory holding hoteld and hotel-migrate>
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/lib.sh"
bin="${1:?usage: tests/client/run.sh <directory of hoteld and hotel-migrate>}"
[ -n "${PGHOST:-}" ] || die "the strict client runs against the cluster in PGHOST (./hotel test sets it)"
ensure_client_tools || exit 1

tools="$ROOT/build/client"
work="$tools/work"
rm -rf "$work" && mkdir -p "$work"
cp "$ROOT/tests/client/strict_client.ts" "$ROOT/tests/client/tsconfig.json" "$work/"
echo '{"type": "module"}' > "$work/package.json"
"$tools/node_modules/.bin/openapi-typescript" "$ROOT/api/openapi.json" -o "$work/api.ts" \
    >"$work/generate.log" 2>&1 || { cat "$work/generate.log" >&2; die "openapi-typescript failed"; }
# The compiled client resolves its packages from build/client/node_modules.
ln -s "$tools/node_modules" "$work/node_modules"
# No non-null assertion (x!.y): every field the client reads is typed as the document says.
if grep -nE '[A-Za-z0-9_)]!([.;,)[]|$)' "$ROOT/tests/client/strict_client.ts"; then
    die "the strict client uses a non-null assertion (above)"
fi
(cd "$work" && "$tools/node_modules/.bin/tsc" -p tsconfig.json) ||
    die "the strict client does not compile against the generated types"

db="hotel_strict_client_$$"
port=$((20000 + $$ % 10000))
log="$work/hoteld.log"
psql -qtAX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >/dev/null
url="postgresql:///$db?host=$PGHOST&user=${PGUSER:-postgres}"
pid=""
cleanup() {
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
    psql -qtAX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
DATABASE_URL="$url" "$bin/hotel-migrate" >/dev/null
DATABASE_URL="$url" HOTEL_DEMO_ADMIN_PASSWORD=strict-client-admin-1 \
    "$bin/hoteld" demo-data --admin-email admin@example.com >/dev/null
DATABASE_URL="$url" HOTEL_LISTEN="127.0.0.1:$port" HOTEL_THREADS=2 HOTEL_LOG_LEVEL=warn \
    HOTEL_JWT_SECRET="strict-client-secret-strict-client-secret" "$bin/hoteld" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    curl -fs "127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || die "hoteld stopped: $(tail -3 "$log")"
    sleep 0.1
done
curl -fs "127.0.0.1:$port/ready" >/dev/null || die "hoteld did not become ready: $(tail -3 "$log")"
timeout 120 node "$work/out/strict_client.js" "http://127.0.0.1:$port" "$ROOT/api/openapi.json"
