#!/usr/bin/env bash
# The web app in a real browser (issue 14): Debian's chromium driven by playwright-core (pinned in
# scripts/lib.sh, installed under build/web-tests), headless, against a real hoteld serving the
# app on a database of its own (demo data) on the cluster in PGHOST. Each flow is a file
# tests/web/*.test.mjs; screenshots of the screens go to build/web-tests/screenshots.
#   tests/web/run.sh <directory holding hoteld and hotel-migrate> [script.mjs ...]
# Other scripts (bench/tape_chart.mjs) may be given to run instead of the tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/lib.sh"
bin="${1:?usage: tests/web/run.sh <directory of hoteld and hotel-migrate>}"
[ -n "${PGHOST:-}" ] || die "the browser tests run against the cluster in PGHOST (./hotel test sets it)"
ensure_web_test_tools || exit 1

tools="$ROOT/build/web-tests"
HOTEL_WEB_DIR="${HOTEL_WEB_DIR_UNDER_TEST:-$ROOT/web}" serve_demo "$bin" "hotel_web_tests_$$" $((30000 + $$ % 2700)) \
    "$tools/hoteld.log" web-tests-admin-123 --stays

# The tests run from a copy beside the installed packages (ES modules resolve them from there).
work="$tools/work"
rm -rf "$work" && mkdir -p "$work" "$tools/screenshots"
cp "$ROOT"/tests/web/*.mjs "$work/"
ln -s "$tools/node_modules" "$work/node_modules"
scripts=("$work"/*.test.mjs)
if [ $# -gt 1 ]; then
    scripts=()
    for s in "${@:2}"; do
        cp "$s" "$work/" && scripts+=("$work/$(basename "$s")")
    done
fi
rc=0
for t in "${scripts[@]}"; do
    say "browser test $(basename "$t")"
    timeout 120 node "$t" "$DEMO_URL" "$tools/screenshots" || rc=1
done
exit "$rc"
