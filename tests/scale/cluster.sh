#!/usr/bin/env bash
# Past one machine, on loopback (issue 15, part 3): two PostgreSQL 15 members managed by Patroni
# (a single-node etcd as its store; Patroni's own initdb, then a replica by pg_basebackup,
# synchronous), HAProxy in front of everything (the writable member by Patroni's GET /primary,
# replicas by GET /replica for DATABASE_READ_URL, two hoteld nodes by GET /ready), and two hoteld
# nodes. Every daemon listens on 127.0.0.1 only, on ports from HOTEL_CLUSTER_PORT_BASE (31400) to
# base + 50, with its data under one mktemp directory; everything is killed and removed on exit.
#
#   tests/scale/cluster.sh --check BIN  the scenario, bounded (about 2 minutes): a booking load
#       through HAProxy with idempotency keys and retries; kill -9 of one hoteld, then its
#       restart; the primary member killed (its Patroni and its PostgreSQL, as when its machine
#       dies), the replica promoted; then every acknowledged booking is checked in SQL on the new
#       primary (exactly once, I1, I2, I3) and the seconds without service are printed; then the
#       old primary rejoins as a replica and must hold every acknowledged booking too.
#       Non-zero exit on any failure. ./hotel test runs it.
#   tests/scale/cluster.sh --demo BIN   starts it all, prints the addresses and what to try, and
#       stays up until Ctrl-C (./hotel cluster-demo).
# BIN: a directory holding hoteld and hotel-migrate.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
mode="${1:-}"
bin="${2:-}"
case "$mode" in --check | --demo) ;; *) die "usage: tests/scale/cluster.sh --check|--demo BIN" ;; esac
[ -x "$bin/hoteld" ] && [ -x "$bin/hotel-migrate" ] || die "no hoteld and hotel-migrate in '$bin'"
cluster_tools_present || die "the cluster needs: sudo apt-get install -y ${CLUSTER_PACKAGES[*]}"
# Patroni and the load are Debian's python3 (its modules), whatever python3 comes first in PATH.
PY=/usr/bin/python3
# The cluster's own addresses are given in full below; the test cluster's PG* must not leak in.
unset PGHOST PGPORT PGUSER PGDATABASE

# Below Linux's range of ephemeral ports (32768-60999 by default): inside it, a connection that
# a daemon opens meanwhile (to etcd, to PostgreSQL) may take a port the next daemon is about to
# listen on (a CI run lost Patroni 2's REST port that way, after the check below had passed).
B="${HOTEL_CLUSTER_PORT_BASE:-31400}"
read -r ephemeral_low ephemeral_high < /proc/sys/net/ipv4/ip_local_port_range
if [ "$((B + 50))" -ge "$ephemeral_low" ] && [ "$B" -le "$ephemeral_high" ]; then
    echo "cluster: warning: ports $B-$((B + 50)) are inside the ephemeral range $ephemeral_low-$ephemeral_high; a daemon may find its port taken" >&2
fi
HTTP=$B                              # HAProxy: the two hoteld nodes
NODE_PORT=("" $((B + 1)) $((B + 2))) # hoteld node1, node2
PG_RW=$((B + 10))                    # HAProxy: the writable member (DATABASE_URL)
PG_RO=$((B + 11))                    # HAProxy: a replica, else the primary (DATABASE_READ_URL)
PG_PORT=("" $((B + 21)) $((B + 22))) # PostgreSQL members pg1, pg2
REST=("" $((B + 31)) $((B + 32)))    # their Patroni REST APIs
ETCD=$((B + 41)) ETCD_PEER=$((B + 42))
STATS=$((B + 50))                    # HAProxy's statistics page
for p in $HTTP "${NODE_PORT[@]:1}" $PG_RW $PG_RO "${PG_PORT[@]:1}" "${REST[@]:1}" $ETCD $ETCD_PEER $STATS; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        die "port $p on 127.0.0.1 is taken (set HOTEL_CLUSTER_PORT_BASE to move the cluster)"
    fi
done

tmp="$(mktemp -d /tmp/hotel-cluster.XXXXXX)"
chmod 0755 "$tmp"
declare -A PID=()
cleanup() {
    local name
    for name in "${!PID[@]}"; do
        kill -9 "${PID[$name]}" 2>/dev/null || true
    done
    for name in "${!PID[@]}"; do
        wait "${PID[$name]}" 2>/dev/null || true
    done
    # A member's PostgreSQL outlives its Patroni when Patroni is killed.
    pg_stop "$tmp/pg1" immediate
    pg_stop "$tmp/pg2" immediate
    if [ -n "${HOTEL_CLUSTER_KEEP:-}" ]; then say "cluster files kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s; fails after SECONDS.
wait_until() {
    local seconds=$1 what=$2 i
    shift 2
    for ((i = 0; i < seconds * 5; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    say "timed out after ${seconds}s waiting for $what"
    return 1
}
http_ok() { curl -fsS -m 2 -o /dev/null "$1"; }
# The process runs as postgres when root (initdb and postgres refuse root), exec'd directly so
# that $! is the daemon itself.
as_pg_bg() {
    if [ "$(id -u)" -eq 0 ]; then
        exec env HOME="$tmp" setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        exec env HOME="$tmp" "$@"
    fi
}
logs_on_failure() {
    local f
    for f in "$tmp"/*.log; do
        echo "--- ${f##*/} (last lines)" >&2
        tail -n 15 "$f" >&2 || true
    done
}

# --- etcd, then the two Patroni members --------------------------------------------------------
etcd --name hotel-dcs --data-dir "$tmp/etcd" --logger zap --log-level warn \
    --listen-client-urls "http://127.0.0.1:$ETCD" --advertise-client-urls "http://127.0.0.1:$ETCD" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
    --initial-cluster "hotel-dcs=http://127.0.0.1:$ETCD_PEER" --initial-cluster-state new \
    >"$tmp/etcd.log" 2>&1 &
PID[etcd]=$!
wait_until 30 "etcd" http_ok "http://127.0.0.1:$ETCD/health" || { logs_on_failure; exit 1; }

# member N: its Patroni configuration. Synchronous mode: a booking is acknowledged only once the
# replica has it, so a failover loses no acknowledged booking. TTL 10 s, a loop of 1 s: the
# leader key of a dead primary expires within 10 s, then the replica takes it. fsync is off: a
# killed process loses nothing the kernel holds (no machine here loses power), and the shared
# test machine's disk is spared.
patroni_config() {
    local n=$1
    mkdir -p "$tmp/run$n"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$tmp/run$n"
    pg_dir_usable "$tmp/pg$n" || die "cannot create $tmp/pg$n"
    cat >"$tmp/patroni$n.yml" <<EOF
scope: hotel-cluster
namespace: /hotel-cluster/
name: pg$n
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:${REST[$n]}
  connect_address: 127.0.0.1:${REST[$n]}
etcd3:
  host: 127.0.0.1:$ETCD
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_log_hints: "on"
        wal_level: logical
        max_wal_senders: 32
        max_replication_slots: 32
        max_connections: 200
        wal_keep_size: 256MB
        hot_standby: "on"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:${PG_PORT[$n]}
  connect_address: 127.0.0.1:${PG_PORT[$n]}
  data_dir: $tmp/pg$n
  bin_dir: $PG_BIN
  pgpass: $tmp/run$n/pgpass
  authentication:
    superuser:
      username: postgres
      password: hotel-cluster-demo
    replication:
      username: replicator
      password: hotel-cluster-demo
  parameters:
    unix_socket_directories: '$tmp/run$n'
    fsync: "off"
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
EOF
    [ "$(id -u)" -eq 0 ] && { touch "$tmp/patroni$n.log"; chown postgres:postgres "$tmp/patroni$n.log"; }
    return 0
}
start_member() {
    local n=$1
    as_pg_bg patroni "$tmp/patroni$n.yml" >>"$tmp/patroni$n.log" 2>&1 &
    PID[patroni$n]=$!
}
patroni_config 1
patroni_config 2
start_member 1
wait_until 90 "pg1 to bootstrap as the primary" http_ok "http://127.0.0.1:${REST[1]}/primary" ||
    { logs_on_failure; exit 1; }
start_member 2
wait_until 90 "pg2 to stream from pg1" http_ok "http://127.0.0.1:${REST[2]}/replica" ||
    { logs_on_failure; exit 1; }
wait_until 30 "pg2 to become the synchronous standby" http_ok "http://127.0.0.1:${REST[2]}/sync" ||
    { logs_on_failure; exit 1; }
say "Patroni: pg1 primary on ${PG_PORT[1]}, pg2 synchronous replica on ${PG_PORT[2]} (etcd on $ETCD)"

# --- HAProxy ----------------------------------------------------------------------------------
cat >"$tmp/haproxy.cfg" <<EOF
global
    maxconn 4000
defaults
    timeout connect 1s
    timeout client 10m
    timeout server 10m
    timeout check 1s
    default-server inter 500ms fall 2 rise 1
listen stats
    mode http
    bind 127.0.0.1:$STATS
    stats enable
    stats uri /
# The hoteld nodes: a node is in while GET /ready answers 200 (its database answers, its search
# index is loaded).
frontend http_in
    mode http
    bind 127.0.0.1:$HTTP
    timeout client 30s
    default_backend hoteld
backend hoteld
    mode http
    timeout server 30s
    option httpchk
    http-check send meth GET uri /ready ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    option redispatch
    retries 2
    server node1 127.0.0.1:${NODE_PORT[1]} check
    server node2 127.0.0.1:${NODE_PORT[2]} check
# PostgreSQL: the member whose Patroni answers GET /primary with 200 (the leader, running); its
# sessions are cut when it stops being that, so that no client keeps writing to a demoted member.
frontend pg_writes
    mode tcp
    bind 127.0.0.1:$PG_RW
    default_backend pg_primary
backend pg_primary
    mode tcp
    option httpchk GET /primary
    http-check expect status 200
    default-server on-marked-down shutdown-sessions
    server pg1 127.0.0.1:${PG_PORT[1]} check port ${REST[1]}
    server pg2 127.0.0.1:${PG_PORT[2]} check port ${REST[2]}
# Reads that may lag: a running replica (GET /replica), else the primary.
frontend pg_reads
    mode tcp
    bind 127.0.0.1:$PG_RO
    use_backend pg_replicas if { nbsrv(pg_replicas) gt 0 }
    default_backend pg_primary
backend pg_replicas
    mode tcp
    option httpchk GET /replica
    http-check expect status 200
    default-server on-marked-down shutdown-sessions
    server pg1 127.0.0.1:${PG_PORT[1]} check port ${REST[1]}
    server pg2 127.0.0.1:${PG_PORT[2]} check port ${REST[2]}
EOF
haproxy -c -q -f "$tmp/haproxy.cfg" || die "HAProxy refuses its configuration ($tmp/haproxy.cfg)"
haproxy -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1 &
PID[haproxy]=$!
psql_rw() { psql -h 127.0.0.1 -p "$PG_RW" -U postgres -qtAX -v ON_ERROR_STOP=1 "$@"; }
# HAProxy counts a server up until its first checks fail: wait until its statistics show the
# members where Patroni says they are.
haproxy_sees() { # BACKEND SERVER STATUS
    curl -fsS -m 2 "http://127.0.0.1:$STATS/;csv" | awk -F, -v b="$1" -v s="$2" -v st="$3" \
        '$1 == b && $2 == s && $18 == st { found = 1 } END { exit !found }'
}
haproxy_settled() {
    haproxy_sees pg_primary pg1 UP && haproxy_sees pg_primary pg2 DOWN &&
        haproxy_sees pg_replicas pg1 DOWN && haproxy_sees pg_replicas pg2 UP
}
wait_until 30 "HAProxy to see pg1 as the primary and pg2 as the replica" haproxy_settled ||
    { logs_on_failure; exit 1; }

# --- the database and the two hoteld nodes ------------------------------------------------------
psql_rw -d postgres -c "CREATE DATABASE hotel"
URL="postgresql://postgres@127.0.0.1:$PG_RW/hotel"
READ_URL="postgresql://postgres@127.0.0.1:$PG_RO/hotel"
ADMIN_PASSWORD=cluster-admin-123
DATABASE_URL="$URL" "$bin/hotel-migrate" >/dev/null
DATABASE_URL="$URL" HOTEL_DEMO_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    "$bin/hoteld" demo-data --admin-email admin@example.com >/dev/null

# A node killed mid-request leaves its key claimed for HOTEL_IDEMPOTENCY_LEASE_S: 3 s here, so that
# a client's retry on the other node takes it over soon.
start_node() {
    local n=$1
    DATABASE_URL="$URL" DATABASE_READ_URL="$READ_URL" HOTEL_LISTEN="127.0.0.1:${NODE_PORT[$n]}" \
        HOTEL_NODE_NAME="node$n" HOTEL_THREADS=2 HOTEL_LOG_LEVEL=warn HOTEL_WEB_DIR="$ROOT/web" \
        HOTEL_JWT_SECRET="cluster-demo-secret-cluster-demo-secret-0123" \
        HOTEL_MAX_UNSECURED_BOOKINGS=1000000 HOTEL_IDEMPOTENCY_LEASE_S=3 HOTEL_DB_POOL_SIZE=8 \
        HOTEL_WEBHOOK_WORKERS=1 "$bin/hoteld" >>"$tmp/node$n.log" 2>&1 &
    PID[node$n]=$!
}
start_node 1
start_node 2
for n in 1 2; do
    wait_until 60 "node$n to be ready" http_ok "http://127.0.0.1:${NODE_PORT[$n]}/ready" ||
        { logs_on_failure; exit 1; }
done
wait_until 10 "HAProxy to see a ready node" http_ok "http://127.0.0.1:$HTTP/ready" || { logs_on_failure; exit 1; }
say "hoteld node1 on ${NODE_PORT[1]}, node2 on ${NODE_PORT[2]}, behind HAProxy on $HTTP"

leader() {
    local n
    for n in 1 2; do
        if http_ok "http://127.0.0.1:${REST[$n]}/primary"; then echo "$n"; return 0; fi
    done
    return 1
}

if [ "$mode" = --demo ]; then
    cat >&2 <<EOF

  the web app and the API (HAProxy, two nodes):  http://127.0.0.1:$HTTP/   admin@example.com / $ADMIN_PASSWORD
  the nodes themselves:     http://127.0.0.1:${NODE_PORT[1]}/ready   http://127.0.0.1:${NODE_PORT[2]}/ready
  HAProxy's statistics:     http://127.0.0.1:$STATS/
  PostgreSQL, the primary:  psql -h 127.0.0.1 -p $PG_RW -U postgres hotel   (reads: -p $PG_RO)
  Patroni:                  patronictl -c $tmp/patroni1.yml list
  logs:                     $tmp/*.log

  try: kill -9 ${PID[node1]}   (node1): HAProxy sends everything to node2 (its statistics page);
       kill -9 ${PID[patroni1]}; $PG_BIN/pg_ctl -D $tmp/pg1 -m immediate stop
           (as the postgres user: pg1's Patroni, then its PostgreSQL, when pg1 is the Leader):
           pg2 is promoted within about 10 s and the nodes carry on against it.
  Ctrl-C stops everything and removes $tmp.
EOF
    # wait returns at once when a signal arrives (the EXIT trap then stops everything).
    while true; do
        sleep 3600 &
        PID[sleep]=$!
        wait "${PID[sleep]}" || true
    done
fi

# --- the scenario --------------------------------------------------------------------------------
api() { # METHOD PATH [TOKEN] [BODY] -> body on stdout
    local args=(-sS -m 10 -X "$1" "http://127.0.0.1:$HTTP$2" -H "Content-Type: application/json")
    [ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
    [ -n "${4:-}" ] && args+=(--data "$4")
    curl "${args[@]}"
}
token_of() { $PY -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
guests_json="[" sep=""
for g in 1 2 3 4; do
    email="load-guest-$g@example.com"
    api POST /v1/auth/register "" "{\"email\":\"$email\",\"password\":\"load guest password $g\",\"name\":\"Load Guest $g\"}" >/dev/null
    token="$(api POST /v1/auth/login "" "{\"email\":\"$email\",\"password\":\"load guest password $g\"}" | token_of)"
    guests_json+="$sep{\"email\":\"$email\",\"token\":\"$token\"}"
    sep=,
done
guests_json+="]"
stays_json="$(psql_rw -d hotel -c "SELECT json_agg(json_build_object('hotel_id', t.hotel_id,
    'room_type_id', t.id, 'rate_plan_id', p.id)) FROM room_types t
    JOIN rate_plans p ON p.hotel_id = t.hotel_id AND p.code = 'FLEX'")"
cat >"$tmp/load.json" <<EOF
{"url": "http://127.0.0.1:$HTTP", "guests": $guests_json, "stays": $stays_json,
 "workers": 4, "seconds": 150, "key_seconds": 60, "first_day": 2, "days": 300}
EOF
marks="$tmp/marks"
: >"$marks"
mark() { echo "$1 $(date +%s.%N)" >>"$marks"; }

say "booking load through HAProxy: 4 clients, idempotency keys, retries"
$PY "$ROOT/tests/scale/booking_load.py" "$tmp/load.json" "$tmp/load-out.json" "$tmp/stop" &
PID[load]=$!
sleep 4

say "kill -9 node1 (pid ${PID[node1]})"
mark node-killed
kill -9 "${PID[node1]}"
wait "${PID[node1]}" 2>/dev/null || true
unset 'PID[node1]'
sleep 4
say "restarting node1"
mark node-restarted
start_node 1
wait_until 60 "node1 to be ready again" http_ok "http://127.0.0.1:${NODE_PORT[1]}/ready" ||
    { logs_on_failure; exit 1; }
rejoin=$($PY -c "import sys,time; print('%.1f' % (time.time() - float(sys.argv[1])))" \
    "$(awk '$1 == "node-restarted" {print $2}' "$marks")")
say "node1 ready again ${rejoin}s after its start (its search index loaded)"
wait_until 10 "HAProxy to send to node1 again" haproxy_sees hoteld node1 UP || { logs_on_failure; exit 1; }
sleep 4

# Reads that may lag reach the replica: the booking list's connection shows there, not on the
# primary (application_name hoteld-read:<node>).
api GET "/v1/bookings?per_page=1" "$(echo "$guests_json" | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["token"])')" >/dev/null
old=$(leader) || { logs_on_failure; die "no primary before the failover"; }
psql_member() { psql -h 127.0.0.1 -p "${PG_PORT[$1]}" -U postgres -d hotel -qtAX -c "$2"; }
reads_on() { psql_member "$1" "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'hoteld-read:%'"; }
if [ "$(psql_member $((3 - old)) "SELECT pg_is_in_recovery()")" != t ] || [ "$(reads_on $((3 - old)))" = 0 ] ||
    [ "$(reads_on "$old")" != 0 ]; then
    logs_on_failure; die "the read pool is not on the replica (replica: $(reads_on $((3 - old))), primary: $(reads_on "$old"))"
fi
say "the read pool's connections are on the replica pg$((3 - old)) ($(reads_on $((3 - old)))), none on the primary"

old=$(leader) || { logs_on_failure; die "no primary before the failover"; }
new=$((3 - old))
say "failover: kill -9 pg$old's Patroni, then its PostgreSQL stopped at once (-m immediate)"
mark failover
kill -9 "${PID[patroni$old]}"
wait "${PID[patroni$old]}" 2>/dev/null || true
unset "PID[patroni$old]"
as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg$old" -m immediate -w -t 30 stop >/dev/null
wait_until 60 "pg$new to be promoted" http_ok "http://127.0.0.1:${REST[$new]}/primary" ||
    { logs_on_failure; exit 1; }
mark promoted
say "pg$new promoted; load goes on for 8 s"
sleep 8
touch "$tmp/stop"
rc=0
wait "${PID[load]}" || rc=$?
unset 'PID[load]'
[ "$rc" -eq 0 ] || { logs_on_failure; die "the booking load failed"; }

# --- after: every acknowledged booking exactly once, on the new primary -----------------------------
$PY - "$tmp/load-out.json" "$tmp/acked.csv" "$tmp/given_up.csv" <<'EOF'
import csv, json, sys
out = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    for a in out["acked"]:
        w.writerow([a["id"], a["key"], a["guest"]])
with open(sys.argv[3], "w", newline="") as f:
    w = csv.writer(f)
    for g in out["given_up"]:
        w.writerow([g["key"], g["guest"]])
EOF
result="$(psql_rw -d hotel <<EOF
CREATE TEMP TABLE acked (id uuid, key text, email text);
CREATE TEMP TABLE given_up (key text, email text);
\copy acked FROM '$tmp/acked.csv' WITH (FORMAT csv)
\copy given_up FROM '$tmp/given_up.csv' WITH (FORMAT csv)
SELECT 'acked=' || count(*) FROM acked;
-- I2: every acknowledged booking is there, confirmed, once.
SELECT 'missing=' || count(*) FROM acked a
 WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = a.id AND b.status = 'confirmed');
SELECT 'acked_twice=' || count(*) FROM (SELECT id FROM acked GROUP BY id HAVING count(*) > 1) d;
-- I3: each acknowledged key names its booking; no booking of the load's guests besides those
-- acknowledged and those of keys whose retries ran out (no key gave two bookings).
SELECT 'key_mismatch=' || count(*) FROM acked a JOIN users u ON u.email = a.email
 LEFT JOIN idempotency_keys k ON k.user_id = u.id AND k.key = a.key
 WHERE k.booking_id IS DISTINCT FROM a.id;
SELECT 'unexplained=' || count(*) FROM bookings b JOIN users u ON u.id = b.guest_id
 WHERE u.email LIKE 'load-guest-%' AND b.id NOT IN (SELECT id FROM acked)
   AND NOT EXISTS (SELECT 1 FROM idempotency_keys k JOIN given_up g ON g.key = k.key
                   JOIN users gu ON gu.email = g.email AND gu.id = k.user_id
                   WHERE k.booking_id = b.id);
-- I1: no overlapping active bookings for a room.
SELECT 'overlaps=' || count(*) FROM bookings a JOIN bookings b ON a.hotel_id = b.hotel_id
   AND a.room_id = b.room_id AND a.id < b.id AND a.period && b.period
 WHERE a.status IN ('confirmed','checked_in','checked_out')
   AND b.status IN ('confirmed','checked_in','checked_out');
EOF
)"
echo "$result" | tr '\n' ' ' >&2; echo >&2
value() { echo "$result" | sed -n "s/^$1=//p"; }
problems=0
[ "$(value acked)" -gt 50 ] || { say "FAILED: too few bookings acknowledged ($(value acked))"; problems=1; }
for k in missing acked_twice key_mismatch unexplained overlaps; do
    [ "$(value $k)" = 0 ] || { say "FAILED: $k = $(value $k)"; problems=1; }
done

# The replica path: the booking list (DATABASE_READ_URL) answers from the surviving member.
admin="$(api POST /v1/auth/login "" "{\"email\":\"admin@example.com\",\"password\":\"$ADMIN_PASSWORD\"}" | token_of)"
listed="$(api GET "/v1/bookings?per_page=1" "$admin" | $PY -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
stays="$(psql_rw -d hotel -c "SELECT count(*) FROM bookings WHERE kind = 'stay'")"
[ "$listed" = "$stays" ] || { say "FAILED: GET /v1/bookings lists $listed stays, the primary holds $stays"; problems=1; }

# Seconds without service: from the first request that failed after an event to the first one
# answered after it.
$PY - "$tmp/load-out.json" "$marks" <<'EOF' || problems=1
import json, sys
out = json.load(open(sys.argv[1]))
marks = dict(line.split() for line in open(sys.argv[2]))
attempts = out["attempts"]
back_every_time = True
for event in ("node-killed", "failover"):
    t0 = float(marks[event])
    first_fail = next((t for t, ok in attempts if t >= t0 and not ok), None)
    if first_fail is None:
        print("without service after %s: 0.0 s (no request failed)" % event)
        continue
    back = next((t for t, ok in attempts if t > first_fail and ok), None)
    back_every_time = back_every_time and back is not None
    print("without service after %s: %s" % (event, "never back" if back is None
                                            else "%.1f s (first failure %.1f s after it)"
                                            % (back - first_fail, first_fail - t0)))
sys.exit(0 if back_every_time else 1)
EOF

# The old primary rejoins: its Patroni, started again, brings it onto the new primary's timeline
# (with pg_rewind when its WAL went further: use_pg_rewind, wal_log_hints) as a replica, which
# then holds every acknowledged booking too.
say "pg$old's Patroni started again: it rejoins as a replica"
mark rejoin
start_member "$old"
if wait_until 90 "pg$old to rejoin as a replica" http_ok "http://127.0.0.1:${REST[$old]}/replica"; then
    say "pg$old streams from pg$new again, $($PY -c "import sys,time; print('%.1f' % (time.time() - float(sys.argv[1])))" \
        "$(awk '$1 == "rejoin" {print $2}' "$marks")")s after its start"
    # A standby takes no temporary table: the ids go in as one array literal, from a file.
    { printf "SELECT count(*) FROM bookings WHERE status = 'confirmed' AND id = ANY ('{"
      cut -d, -f1 "$tmp/acked.csv" | paste -sd, - | tr -d '\n'
      printf "}'::uuid[]);\n"; } >"$tmp/on-replica.sql"
    on_replica() {
        [ "$(psql -h 127.0.0.1 -p "${PG_PORT[$old]}" -U postgres -d hotel -qtAX \
            -f "$tmp/on-replica.sql")" = "$(value acked)" ]
    }
    wait_until 30 "pg$old to hold every acknowledged booking" on_replica ||
        { say "FAILED: the rejoined pg$old lacks acknowledged bookings"; problems=1; }
else
    problems=1
fi
[ "$problems" -eq 0 ] || { logs_on_failure; say "cluster scenario FAILED"; exit 1; }
say "cluster scenario passed: every acknowledged booking exactly once on the new primary (I1, I2, I3)"
