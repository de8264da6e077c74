#!/usr/bin/env bash
# Runs the isolationtester specs against a freshly migrated database on the test cluster.
# Usage: run_isolation.sh HOTEL_MIGRATE_BIN SPEC_DIR OUTPUT_DIR
set -euo pipefail
migrate=$1 spec_dir=$2 out=$3
regress=/usr/lib/postgresql/15/lib/pgxs/src/test/isolation/pg_isolation_regress
[ -x "$regress" ] || { echo "pg_isolation_regress not found at $regress (package postgresql-15)"; exit 1; }
db="hotel_iso_$$"
export PGOPTIONS="-c client_min_messages=warning"
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
trap 'psql -qX -d postgres -c "DROP DATABASE IF EXISTS '"$db"' WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
DATABASE_URL="dbname=$db" "$migrate" >/dev/null
rm -rf "$out" && mkdir -p "$out"
rc=0
"$regress" --use-existing --dbname="$db" --inputdir="$spec_dir" --outputdir="$out" \
    --schedule="$spec_dir/isolation_schedule" || rc=$?
if [ "$rc" -ne 0 ] && [ -f "$out/regression.diffs" ]; then cat "$out/regression.diffs"; fi
exit "$rc"
