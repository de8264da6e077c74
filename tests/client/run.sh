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

serve_demo "$bin" "hotel_strict_client_$$" $((20000 + $$ % 10000)) "$work/hoteld.log" \
    strict-client-admin-1
timeout 120 node "$work/out/strict_client.js" "$DEMO_URL" "$ROOT/api/openapi.json"
