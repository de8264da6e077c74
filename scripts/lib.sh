# Shared shell functions for ./hotel and .ci/run. Sourced, not executed.
# shellcheck shell=bash

HOTEL_PACKAGES=(
    g++ cmake ninja-build ccache pkg-config
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
    libpq-dev libspdlog-dev libhowardhinnant-date-dev libcli11-dev libsodium-dev
    libssl-dev ca-certificates
    libgtest-dev libgmock-dev zlib1g-dev
    postgresql-15 postgresql-client-15 tzdata util-linux
)
PG_BIN=/usr/lib/postgresql/15/bin

say() { printf '\033[1mhotel:\033[0m %s\n' "$*" >&2; }
die() { printf 'hotel: error: %s\n' "$*" >&2; exit 1; }

# Installs missing Debian packages when root; otherwise names them and stops.
ensure_packages() {
    local missing=() p
    for p in "${HOTEL_PACKAGES[@]}" "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install failed for: ${missing[*]}"
}

# ensure_packages_no_start PACKAGE...: ensure_packages for packages holding a server (nginx for
# the benchmarks), which Debian would start as a system service on installation: while they
# install, a policy-rc.d hook (Debian's way to keep services from starting) says no, and is
# removed afterwards. A hook already in place is left as it is.
ensure_packages_no_start() {
    local hook=/usr/sbin/policy-rc.d p missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing=yes
    done
    if [ -z "$missing" ] || [ -e "$hook" ] || [ "$(id -u)" -ne 0 ]; then
        ensure_packages "$@"
        return
    fi
    (
        trap 'rm -f "'"$hook"'"' EXIT
        printf '#!/bin/sh\n# written by ./hotel while it installs %s; removed afterwards\nexit 101\n' "$*" > "$hook"
        chmod 0755 "$hook"
        ensure_packages "$@"
    )
}

# configure_and_build BUILD_DIR BUILD_TYPE [cmake args...] -- [targets...]
configure_and_build() {
    local dir=$1 type=$2; shift 2
    local cmake_args=() targets=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmake_args+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    targets=("$@")
    export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
    # Paths relative to the checkout, and the working directory kept out of the hash (debug builds
    # hash it by default), so that other checkouts (worktrees, CI clones) hit the cache.
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${cmake_args[@]}" >/dev/null \
        || die "cmake configure failed"
    local target_args=()
    for t in "${targets[@]}"; do target_args+=(--target "$t"); done
    cmake --build "$dir" -j2 "${target_args[@]}" || die "build failed"
}

# --- private PostgreSQL clusters -------------------------------------------------------------
# initdb and postgres refuse to run as root: as root, the cluster belongs to `postgres`.

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_dirs_usable DIR: can the cluster's user create files in DIR?
pg_dir_usable() {
    local dir=$1
    mkdir -p "$dir" 2>/dev/null || return 1
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir" 2>/dev/null || return 1; fi
    chmod 0700 "$dir"
    as_pg test -w "$dir" 2>/dev/null
}

# pg_init DATA_DIR SOCKET_DIR [extra postgresql.conf lines...]
pg_init() {
    local data=$1 sock=$2; shift 2
    if [ ! -f "$data/PG_VERSION" ]; then
        as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; die "initdb failed"; }
        {
            echo "# written by ./hotel"
            echo "listen_addresses = ''"
            echo "unix_socket_directories = '$sock'"
            echo "unix_socket_permissions = 0700"
            echo "port = 5432"
            echo "max_connections = 200"
            # Each hoteld follows the database by logical decoding for its search index
            # (docs/ARCHITECTURE.md): one walsender and one temporary slot per node.
            echo "wal_level = logical"
            echo "max_wal_senders = 64"
            echo "max_replication_slots = 64"
            for line in "$@"; do echo "$line"; done
        } | as_pg tee -a "$data/postgresql.conf" >/dev/null
    fi
}

# pg_start DATA_DIR LOG_FILE
pg_start() {
    local data=$1 log=$2
    if as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        return 0
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
        || { tail -20 "$log" >&2 || true; die "PostgreSQL did not start (log: $log)"; }
}

# pg_ensure_logical DATA_DIR LOG_FILE SOCKET_DIR: a cluster made before the search index (no
# wal_level = logical) is switched over and restarted once.
pg_ensure_logical() {
    local data=$1 log=$2 sock=$3 level
    level=$(psql -h "$sock" -U postgres -d postgres -tAXc "SHOW wal_level" 2>/dev/null || true)
    [ "$level" = logical ] && return 0
    say "switching the private PostgreSQL to wal_level = logical (for the search index) and restarting it"
    psql -h "$sock" -U postgres -d postgres -qXc "ALTER SYSTEM SET wal_level = logical" >/dev/null
    psql -h "$sock" -U postgres -d postgres -qXc "ALTER SYSTEM SET max_wal_senders = 64" >/dev/null
    psql -h "$sock" -U postgres -d postgres -qXc "ALTER SYSTEM SET max_replication_slots = 64" >/dev/null
    pg_stop "$data" fast
    pg_start "$data" "$log"
}

pg_stop() {
    local data=$1 mode=${2:-fast}
    if as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_pg "$PG_BIN/pg_ctl" -D "$data" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
    fi
}

# bench_cluster [postgresql.conf lines...]: a throwaway cluster for a benchmark, started, in a new
# directory BENCH_TMP under /tmp (socket in run/, data in pg/, server log in log); exports PGHOST
# and PGUSER. bench_cluster_stop stops it and removes the directory (for the caller's EXIT trap).
bench_cluster() {
    BENCH_TMP="$(mktemp -d /tmp/hotel-bench.XXXXXX)"
    chmod 0755 "$BENCH_TMP"; mkdir -p "$BENCH_TMP/run"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$BENCH_TMP/run"
    pg_dir_usable "$BENCH_TMP/pg" || die "cannot create $BENCH_TMP/pg"
    [ "$(id -u)" -eq 0 ] && { touch "$BENCH_TMP/log"; chown postgres:postgres "$BENCH_TMP/log"; }
    pg_init "$BENCH_TMP/pg" "$BENCH_TMP/run" "$@"
    pg_start "$BENCH_TMP/pg" "$BENCH_TMP/log"
    export PGHOST="$BENCH_TMP/run" PGUSER=postgres
}
bench_cluster_stop() {
    pg_stop "$BENCH_TMP/pg" immediate
    rm -rf "$BENCH_TMP"
}

# A benchmark target: a directory holding hoteld and hotel-migrate, optionally followed by
# settings for its hoteld, comma-separated: build/release/src,HOTEL_SEARCH=sql.
target_dir() { echo "${1%%,*}"; }
target_settings() { [ "${1%%,*}" = "$1" ] || echo "${1#*,}" | tr ',' ' '; }

# The libpq URL for a database on a socket directory.
pg_url() { echo "postgresql:///$2?host=$1&user=postgres"; }

# --- npm tools: the OpenAPI lint and the strict client ----------------------------------------
# Pinned packages installed with npm into a git-ignored folder under build/ (--no-save
# --no-package-lock: no lock file with download addresses is written). A stamp file names what
# was installed, so a changed pin installs again.
REDOCLY_VERSION=2.77.0
# What an integrator generates and compiles a client with (issue 16; tests/client/run.sh).
CLIENT_PACKAGES=(typescript@5.9.3 openapi-typescript@7.13.0 openapi-fetch@0.17.0 ajv@8.20.0
    @types/node@20.19.43)

# ensure_npm_packages DIR WHAT PACKAGE...: WHAT names the tool in messages.
ensure_npm_packages() {
    local dir=$1 what=$2; shift 2
    local stamp="$dir/installed"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$*" ]; then
        return 0
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null ||
        ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
                   process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
        say "$what needs Node.js >= 20.19 and npm (Debian 12 packages Node.js 18)"
        return 1
    fi
    mkdir -p "$dir"
    say "installing $* into ${dir#"$ROOT"/}"
    if ! (cd "$dir" && npm install --no-save --no-package-lock --no-audit --no-fund \
            --loglevel=error "$@" >"$dir/npm.log" 2>&1); then
        tail -5 "$dir/npm.log" >&2
        say "could not install $* with npm (is the npm registry reachable?)"
        return 1
    fi
    echo "$*" > "$stamp"
}

ensure_redocly() {
    ensure_npm_packages "$ROOT/build/tools" "the OpenAPI lint" "@redocly/cli@$REDOCLY_VERSION"
}

ensure_client_tools() {
    ensure_npm_packages "$ROOT/build/client" "the strict client" "${CLIENT_PACKAGES[@]}"
}

# The browser tests of the web app (issue 14; tests/web/run.sh): playwright-core driving Debian's
# chromium (never a downloaded browser).
WEB_TEST_PACKAGES=(playwright-core@1.65.1)
ensure_web_test_tools() {
    if [ "$(id -u)" -eq 0 ]; then
        ensure_packages chromium
    elif [ ! -x /usr/bin/chromium ]; then
        say "the browser tests need Debian's chromium (sudo apt-get install -y chromium)"
        return 1
    fi
    ensure_npm_packages "$ROOT/build/web-tests" "the browser tests" "${WEB_TEST_PACKAGES[@]}"
}

# Lints api/openapi.json with the rules of redocly.yaml; non-zero on any error.
openapi_lint() {
    # Without a recent enough Node.js the lint cannot run: a failure under CI (which has one),
    # a visible skip elsewhere, so that `./hotel test` keeps working on a plain Debian 12.
    if ! ensure_redocly; then
        if [ -n "${CI:-}" ]; then
            say "OpenAPI lint FAILED: it could not run"
            return 1
        fi
        say "OpenAPI lint SKIPPED (install Node.js >= 20.19 to run it)"
        return 0
    fi
    say "linting api/openapi.json (@redocly/cli $REDOCLY_VERSION, redocly.yaml)"
    local out rc=0
    out="$(cd "$ROOT" && NO_COLOR=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
        "$ROOT/build/tools/node_modules/.bin/redocly" lint --config redocly.yaml \
        api/openapi.json 2>&1)" || rc=$?
    if [ "$rc" -ne 0 ]; then
        printf '%s\n' "$out" >&2
        say "OpenAPI lint FAILED"
        return 1
    fi
    # Warnings do not fail the lint, but they are shown.
    printf '%s\n' "$out" | grep -E 'Warning was generated|valid|warnings' >&2 || true
    return 0
}

# --- fuzzing ---------------------------------------------------------------------------------
# libFuzzer targets (tests/fuzz) in their own clang build, ASan + UBSan.
HOTEL_FUZZ_TARGETS=(fuzz_http_request fuzz_json_body fuzz_query fuzz_jwt fuzz_money fuzz_date)

build_fuzz() {
    ensure_packages clang-14 libclang-rt-14-dev
    CXX=clang++-14 configure_and_build "$ROOT/build/fuzz" RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++-14 -DHOTEL_TESTS=OFF -DHOTEL_FUZZ=ON -- "${HOTEL_FUZZ_TARGETS[@]}"
}

# run_fuzz SECONDS: each target for SECONDS, two at a time, from the seed corpus in
# tests/fuzz/corpus/<target> plus what earlier runs found (build/fuzz/corpus/<target>).
# Prints one line per target (executions, coverage) and fails when any target found a crash.
run_fuzz() {
    local seconds=$1 dir="$ROOT/build/fuzz" t
    mkdir -p "$dir/logs" "$dir/artifacts"
    local pids=() names=() failed=()
    fuzz_one() {
        local t=$1
        mkdir -p "$dir/corpus/$t"
        local dict=()
        [ -f "$ROOT/tests/fuzz/$t.dict" ] && dict=("-dict=$ROOT/tests/fuzz/$t.dict")
        ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$dir/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -max_len=8192 -print_final_stats=1 "${dict[@]}" \
            -artifact_prefix="$dir/artifacts/$t-" "$dir/corpus/$t" "$ROOT/tests/fuzz/corpus/$t" \
            >"$dir/logs/$t.log" 2>&1
    }
    report_one() {
        local t=$1 rc=$2 log="$dir/logs/$1.log"
        local execs cov ft corpus
        execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)"
        cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')"
        ft="$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2}')"
        corpus="$(find "$dir/corpus/$t" -type f | wc -l)"
        printf 'fuzz: %-18s %s  executions=%s cov=%s ft=%s corpus=%s (log: %s)\n' "$t" \
            "$([ "$rc" -eq 0 ] && echo ok || echo FAILED)" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
            "$corpus" "${log#"$ROOT"/}" >&2
        if [ "$rc" -ne 0 ]; then
            grep -E 'ERROR|SUMMARY|property failed|runtime error' "$log" | head -5 >&2 || true
            return 1
        fi
    }
    say "fuzzing ${#HOTEL_FUZZ_TARGETS[@]} targets for ${seconds} s each, two at a time"
    local i=0
    while [ $i -lt ${#HOTEL_FUZZ_TARGETS[@]} ]; do
        pids=() names=()
        for t in "${HOTEL_FUZZ_TARGETS[@]:$i:2}"; do
            fuzz_one "$t" &
            pids+=($!) names+=("$t")
        done
        local k rc
        for k in "${!pids[@]}"; do
            rc=0
            wait "${pids[$k]}" || rc=$?
            report_one "${names[$k]}" "$rc" || failed+=("${names[$k]}")
        done
        i=$((i + 2))
    done
    if [ ${#failed[@]} -gt 0 ]; then
        say "fuzzing found problems in: ${failed[*]} (inputs in build/fuzz/artifacts)"
        return 1
    fi
    return 0
}

# --- a hoteld on demo data, for the tests that drive it from outside ---------------------------
# serve_demo BIN DB PORT LOG PASSWORD [demo-data option...]: database DB on the cluster in PGHOST,
# migrated, with the demo data (admin admin@example.com / PASSWORD), and BIN/hoteld serving it on
# 127.0.0.1:PORT (output in LOG; further settings from the caller's environment) once it is
# ready. An EXIT trap stops hoteld and drops the database. Sets DEMO_URL.
serve_demo() {
    local bin=$1 db=$2 port=$3 log=$4 password=$5
    shift 5
    psql -qtAX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >/dev/null
    local url="postgresql:///$db?host=$PGHOST&user=${PGUSER:-postgres}"
    DEMO_PID=""
    DEMO_DB=$db
    trap 'stop_demo' EXIT
    DATABASE_URL="$url" "$bin/hotel-migrate" >/dev/null
    DATABASE_URL="$url" HOTEL_DEMO_ADMIN_PASSWORD="$password" \
        "$bin/hoteld" demo-data --admin-email admin@example.com "$@" >/dev/null
    DATABASE_URL="$url" HOTEL_LISTEN="127.0.0.1:$port" HOTEL_THREADS=2 HOTEL_LOG_LEVEL=warn \
        HOTEL_JWT_SECRET="${HOTEL_JWT_SECRET:-demo-tests-secret-demo-tests-secret-demo}" \
        "$bin/hoteld" >"$log" 2>&1 &
    DEMO_PID=$!
    local _
    for _ in $(seq 1 300); do
        curl -fs "127.0.0.1:$port/ready" >/dev/null 2>&1 && break
        kill -0 "$DEMO_PID" 2>/dev/null || die "hoteld stopped: $(tail -3 "$log")"
        sleep 0.1
    done
    curl -fs "127.0.0.1:$port/ready" >/dev/null || die "hoteld did not become ready: $(tail -3 "$log")"
    DEMO_URL="http://127.0.0.1:$port"
}

stop_demo() {
    [ -n "${DEMO_PID:-}" ] && { kill "$DEMO_PID" 2>/dev/null; wait "$DEMO_PID" 2>/dev/null || true; }
    psql -qtAX -d postgres -c "DROP DATABASE IF EXISTS $DEMO_DB WITH (FORCE)" >/dev/null 2>&1 || true
}

# --- two nodes, a replica and failover (tests/scale/cluster.sh) -------------------------------------
# Debian's haproxy, patroni and etcd-server: installed (without starting their services) when
# root; otherwise present or not.
CLUSTER_PACKAGES=(haproxy patroni etcd-server curl)
cluster_tools_present() {
    if [ "$(id -u)" -eq 0 ]; then
        ensure_packages_no_start "${CLUSTER_PACKAGES[@]}"
        return 0
    fi
    local p
    for p in "${CLUSTER_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
}

# --- the Debian package (issue 15; docs/OPERATIONS.md, "Packages and systemd") ---------------
# build_package: a Release build whose hoteld looks for the web app where the package puts it
# (its own build directory, build/deb, so build/release keeps the checkout's web/), hardened as
# Debian builds its packages (fortified C library calls, stack protector, -z relro -z now),
# packed by scripts/build_deb.sh into build/package/. Sets PACKAGE_DEB to the .deb's path.
build_package() {
    ensure_packages dpkg-dev
    configure_and_build "$ROOT/build/deb" Release -DHOTEL_TESTS=OFF \
        -DHOTEL_WEB_DIR_DEFAULT=/usr/share/hotel/web \
        "-DCMAKE_CXX_FLAGS=-D_FORTIFY_SOURCE=2 -fstack-protector-strong" \
        "-DCMAKE_EXE_LINKER_FLAGS=-Wl,-z,relro -Wl,-z,now" \
        -- hoteld hotel-migrate
    PACKAGE_DEB="$(bash "$ROOT/scripts/build_deb.sh" "$ROOT/build/deb" "$ROOT/build/package")" \
        || die "building the package failed"
}

# Can the package test run? As root, ensure_packages installs what it needs (dpkg-dev, lintian);
# otherwise they must be there already.
package_test_tools() {
    [ "$(id -u)" -eq 0 ] && return 0
    local p
    for p in dpkg-dev lintian; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            say "the package test needs $p (sudo apt-get install -y $p)"
            return 1
        fi
    done
}
