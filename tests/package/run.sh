#!/usr/bin/env bash
# The Debian package (issue 15), as an operator gets it: built (build_package in scripts/lib.sh),
# checked by lintian (any error fails), unpacked with dpkg -x into a throwaway root, and its
# installed hotel-migrate and hoteld run against a database of their own on the cluster in PGHOST
# (./hotel test and ./hotel package --test start one): migrations, /ready, the web app at / from
# the installed files, --help against the README, the settings file against --help, the postinst's
# secret, hoteld started as its unit starts it, and the units checked by systemd-analyze where it
# can run. Every wait is bounded.
#   tests/package/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/lib.sh"
[ -n "${PGHOST:-}" ] || die "the package test runs against the cluster in PGHOST (./hotel test sets it)"
start=$(date +%s)
failures=0
check() {  # check DESCRIPTION COMMAND...: runs COMMAND, says ok or FAILED
    if "${@:2}"; then
        printf 'package: ok      %s  (%d s)\n' "$1" $(($(date +%s) - start)) >&2
    else
        printf 'package: FAILED  %s  (%d s)\n' "$1" $(($(date +%s) - start)) >&2
        failures=$((failures + 1))
    fi
}
# served URL FILE: GET URL answers 200 with FILE's bytes.
served() { curl -fsS --max-time 5 "$1" | cmp -s - "$2"; }
# served_page URL FILE: the page as hoteld serves it, which names the app's files under their
# release (/app/<12 hex digits>/): the installed page once that is taken out.
served_page() {
    curl -fsS --max-time 5 "$1" | grep -q '"/app/[0-9a-f]\{12\}/app.js"' \
        && curl -fsS --max-time 5 "$1" | sed 's|"/app/[0-9a-f]\{12\}/|"/app/|g' | cmp -s - "$2"
}
# stop_bounded PID: SIGTERM, then up to 15 s for the process to end (SIGKILL after); its exit
# status in STOPPED_RC (124 when it had to be killed).
stop_bounded() {
    local pid=$1 _
    STOPPED_RC=124
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
        if ! kill -0 "$pid" 2>/dev/null; then
            STOPPED_RC=0
            wait "$pid" || STOPPED_RC=$?
            return 0
        fi
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

build_package
deb="$PACKAGE_DEB"
say "package: $deb ($(du -k "$deb" | cut -f1) KiB)"
dpkg-deb --field "$deb" Package Version Architecture Depends >&2

# lintian: errors fail; warnings and notes are shown.
ensure_packages lintian
lint_log="$ROOT/build/package/lintian.log"
lint_rc=0
timeout 300 lintian --fail-on error --display-info --tag-display-limit 0 "$deb" >"$lint_log" 2>&1 \
    || lint_rc=$?
sed 's/^/  lintian: /' "$lint_log" >&2
check "lintian reports no errors (log: ${lint_log#"$ROOT"/})" test "$lint_rc" -eq 0

# The package's files, unpacked as dpkg would install them.
tmp="$(mktemp -d /tmp/hotel-package-test.XXXXXX)"
chmod 0755 "$tmp"
unit_pid=""
cleanup() {
    [ -z "$unit_pid" ] || stop_bounded "$unit_pid"
    [ -z "${DEMO_DB:-}" ] || stop_demo
    rm -rf "$tmp"
}
trap cleanup EXIT
root="$tmp/root"
dpkg -x "$deb" "$root"
bin="$root/usr/bin"
for f in usr/bin/hoteld usr/bin/hotel-migrate usr/share/hotel/web/index.html \
    lib/systemd/system/hotel.service lib/systemd/system/hotel-migrate.service \
    etc/hotel/hotel.env usr/share/doc/hotel/copyright usr/share/man/man1/hoteld.1.gz; do
    check "installs /$f" test -e "$root/$f"
done
dpkg-deb -e "$deb" "$tmp/control"
check "/etc/hotel/hotel.env is a conffile" grep -qx /etc/hotel/hotel.env "$tmp/control/conffiles"

# --help says what the README says: every variable of its Configuration section is one of the
# programs' (Env:...) settings, and every setting of hoteld is in the README.
help_envs() { { "$bin/hoteld" --help; "$bin/hoteld" create-admin --help
                "$bin/hoteld" demo-data --help; "$bin/hotel-migrate" --help; } \
              | grep -oE '\(Env:[A-Z_]+\)' | tr -d '()' | cut -d: -f2 | sort -u; }
# shellcheck disable=SC2016  # the backquotes are the README's
readme_envs="$(sed -n '/^## Configuration/,/^## /p' "$ROOT/README.md" \
    | grep -oE '`(DATABASE_[A-Z_]+|HOTEL_[A-Z_]+)`' | tr -d '`' | sort -u)"
missing_in_help="$(comm -23 <(echo "$readme_envs") <(help_envs))"
missing_in_readme="$(comm -13 <(echo "$readme_envs") \
    <("$bin/hoteld" --help | grep -oE '\(Env:[A-Z_]+\)' | tr -d '()' | cut -d: -f2 | sort -u))"
[ -z "$missing_in_help" ] || say "in the README, not in --help: $missing_in_help"
[ -z "$missing_in_readme" ] || say "in hoteld --help, not in the README: $missing_in_readme"
check "hoteld --help and the README name the same settings" \
    test -z "$missing_in_help$missing_in_readme"
check "the installed hoteld looks for the web app in /usr/share/hotel/web" \
    grep -q 'web-dir TEXT=/usr/share/hotel/web' <<<"$("$bin/hoteld" --help)"
# Each setting in hotel.env, set or commented out, is one hoteld knows.
env_keys="$(sed -n 's/^#\{0,1\}\([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$root/etc/hotel/hotel.env" | sort -u)"
unknown_keys="$(comm -23 <(echo "$env_keys") <(help_envs))"
[ -z "$unknown_keys" ] || say "hotel.env names settings hoteld does not know: $unknown_keys"
check "hotel.env names only settings hoteld knows" test -z "$unknown_keys"

# The installed binaries against the test cluster: migrate, demo data, serve, from the package's
# own web files.
port=$((10000 + $$ % 9000))  # below the ephemeral ports (32768-60999), as every test server here
log="$ROOT/build/package/hoteld.log"
HOTEL_WEB_DIR="$root/usr/share/hotel/web" serve_demo "$bin" "hotel_package_$$" "$port" "$log" \
    package-admin-123
trap cleanup EXIT  # serve_demo set its own
ready_status="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "$DEMO_URL/ready" || true)"
check "the installed hoteld is ready ($DEMO_URL/ready: $ready_status)" test "$ready_status" = 200
check "GET / serves the installed web app" served_page "$DEMO_URL/" \
    "$root/usr/share/hotel/web/index.html"
check "GET /app/app.js serves the installed script" \
    served "$DEMO_URL/app/app.js" "$root/usr/share/hotel/web/app.js"
db_url="postgresql:///hotel_package_$$?host=$PGHOST&user=${PGUSER:-postgres}"
migrate_status="$(DATABASE_URL="$db_url" timeout 30 "$bin/hotel-migrate" --status 2>&1 || true)"
check "the installed hotel-migrate --status lists the migrations, none pending" \
    grep -qE '^[0-9]+ applied, 0 pending$' <<<"$migrate_status"
# hoteld as hotel.service starts it: the settings of the installed hotel.env (its database,
# address and web directory pointed at this test's) and the signing secret from the file the
# package's postinst makes (run here on the throwaway root's /etc/hotel). A login proves the
# secret signs tokens that the server then accepts.
sed "s|/etc/hotel/|$root/etc/hotel/|g" "$tmp/control/postinst" > "$tmp/postinst"
secret="$root/etc/hotel/jwt-secret"
postinst_rc=0
sh "$tmp/postinst" configure "" || postinst_rc=$?
check "the postinst runs (exit $postinst_rc)" test "$postinst_rc" -eq 0
check "the postinst makes a signing secret of 64 characters, readable by root only" \
    test "$(stat -c %a "$secret" 2>&1)" = 600 -a "$(wc -c < "$secret" 2>&1)" = 64
cp "$secret" "$tmp/secret.before" 2>/dev/null || true
sh "$tmp/postinst" configure 0.0.1-1 || true
check "an upgrade keeps the signing secret" cmp -s "$secret" "$tmp/secret.before"
port2=$((port + 1))
(
    set -a
    # shellcheck disable=SC1091
    . "$root/etc/hotel/hotel.env"
    set +a
    unset HOTEL_JWT_SECRET
    DATABASE_URL="$db_url" HOTEL_LISTEN="127.0.0.1:$port2" HOTEL_WEB_DIR="$root$HOTEL_WEB_DIR" \
    HOTEL_JWT_SECRET_FILE="$secret" HOTEL_THREADS=2 exec "$bin/hoteld"
) >"$ROOT/build/package/hoteld-unit.log" 2>&1 &
unit_pid=$!
for _ in $(seq 1 300); do
    curl -fs --max-time 2 "127.0.0.1:$port2/ready" >/dev/null 2>&1 && break
    kill -0 "$unit_pid" 2>/dev/null || break
    sleep 0.1
done
token="$(curl -fsS --max-time 10 -X POST "127.0.0.1:$port2/v1/auth/login" \
    -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"package-admin-123"}' 2>/dev/null \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' || true)"
me_status="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer ${token:-none}" "127.0.0.1:$port2/v1/me" 2>/dev/null || true)"
check "hoteld with hotel.env and the secret file logs the demo admin in (GET /v1/me: $me_status)" \
    test -n "$token" -a "$me_status" = 200
check "hoteld with hotel.env serves the web app from /usr/share/hotel/web" \
    served_page "127.0.0.1:$port2/" "$root/usr/share/hotel/web/index.html"
stop_bounded "$unit_pid"
unit_pid=""

# SIGTERM: hoteld stops cleanly (exit 0) within its shutdown timeout.
stop_bounded "$DEMO_PID"
DEMO_PID=""
check "the installed hoteld stops with exit 0 on SIGTERM (got $STOPPED_RC)" test "$STOPPED_RC" -eq 0

# The units, by systemd's own checker (it needs no running systemd): copies whose ExecStart is the
# unpacked binary, since verify checks that it exists. It warns, and still exits 0, on an unknown
# key or a bad value: any output fails. Where it cannot run at all, a visible skip.
if command -v systemd-analyze >/dev/null; then
    for unit in hotel.service hotel-migrate.service; do
        sed "s|^ExecStart=/usr/bin/|ExecStart=$root/usr/bin/|" "$root/lib/systemd/system/$unit" \
            > "$tmp/$unit"
        verify_rc=0
        verify_out="$(timeout 60 systemd-analyze verify --man=no "$tmp/$unit" 2>&1)" || verify_rc=$?
        if [ "$verify_rc" -ne 0 ] && printf '%s' "$verify_out" | grep -qiE 'failed to (initialize|connect|set ?up|allocate)|not supported|operation not permitted'; then
            say "systemd-analyze verify $unit SKIPPED: it cannot run here: $(printf '%s' "$verify_out" | head -1)"
        else
            [ -z "$verify_out" ] || printf '%s\n' "$verify_out" | sed 's/^/  systemd-analyze: /' >&2
            check "systemd-analyze verify $unit" test "$verify_rc" -eq 0 -a -z "$verify_out"
        fi
    done
else
    say "systemd-analyze verify SKIPPED: systemd-analyze is not installed"
fi

say "package test: $failures failure(s), $(($(date +%s) - start)) s"
[ "$failures" -eq 0 ]
