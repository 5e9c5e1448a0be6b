#!/usr/bin/env bash
# postgres.sh — a throwaway, real PostgreSQL server on 127.0.0.1 for tests.
#
#   scripts/postgres.sh start    install Debian's postgresql if missing, initdb,
#                                start, create role+db; prints the URL
#   scripts/postgres.sh stop     stop that server (pg_ctl stop -m fast) and delete
#                                its state dir (keep it with PANTAU_PG_KEEP=1)
#   scripts/postgres.sh status   exit 0 if running, 1 if not
#   scripts/postgres.sh url      print postgres://pantau:pantau@127.0.0.1:PORT/pantau_test
#
# The server listens on 127.0.0.1 only (unix socket in the state dir), trusts
# local and loopback connections, and has role `pantau` (password `pantau`,
# CREATEDB) owning database `pantau_test`. fsync is off: data is disposable.
# As root (CI), initdb/postgres run as the `postgres` system user via runuser,
# and the state dir is owned by it. Environment:
#   PANTAU_PG_DIR   state dir: data/, socket, log   (default /tmp/pantau-pg)
#   PANTAU_PG_PORT  TCP port                        (default 15432)
#   PANTAU_PG_KEEP  1 = stop keeps the state dir    (default 0)
set -euo pipefail

DIR=$(realpath -m "${PANTAU_PG_DIR:-/tmp/pantau-pg}")
cd /   # the postgres user may not be able to read the caller's cwd
PORT=${PANTAU_PG_PORT:-15432}
DATA=$DIR/data
URL=postgres://pantau:pantau@127.0.0.1:$PORT/pantau_test
MARK=$DIR/.pantau-pg   # only a dir holding this marker is ever deleted

say() { echo "postgres.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# newest installed server binaries, e.g. /usr/lib/postgresql/15/bin
# shellcheck disable=SC2012
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }

install_pg() {
  [[ -n $(pg_bin) && -x $(pg_bin)/initdb ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "PostgreSQL server is not installed and installing needs root (apt-get install postgresql)"
  say "installing PostgreSQL from Debian packages (apt-get)"
  # no packaged 'main' cluster on :5432 — we only want the binaries
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/pantau.conf
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  apt-get install -y -qq postgresql >&2 || die "apt-get install -y postgresql failed"
  [[ -x $(pg_bin)/initdb ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
}

# commands run as the data dir's owner: initdb, pg_ctl and postgres refuse root
if [[ $(id -u) -eq 0 ]]; then
  AS=(runuser -u postgres --)
else
  AS=()
fi

running() {
  local bin; bin=$(pg_bin)
  [[ -n $bin && -f $DATA/PG_VERSION ]] && "${AS[@]}" "$bin/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

init_cluster() {
  local bin=$1
  [[ -f $DATA/PG_VERSION ]] && return 0
  if [[ -e $DIR ]]; then
    [[ -f $MARK || -z $(ls -A "$DIR") ]] || die "$DIR exists, is not empty and is not a pantau-pg state dir: refusing to touch it"
    rm -rf "$DIR"
  fi
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres \
      || die "no 'postgres' user and useradd failed"
    install -d -m 0700 -o postgres -g postgres "$DIR"
  else
    install -d -m 0700 "$DIR"
  fi
  "${AS[@]}" touch "$MARK"
  "${AS[@]}" "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed (log above)"; }
  "${AS[@]}" tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
# --- pantau test server (scripts/postgres.sh) ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
}

start() {
  if running; then say "already running (data $DATA)"; echo "$URL"; return 0; fi
  install_pg
  local bin; bin=$(pg_bin)
  port_open "$PORT" && die "port $PORT is taken by another process (set PANTAU_PG_PORT)"
  init_cluster "$bin"
  "${AS[@]}" "$bin/pg_ctl" start -D "$DATA" -l "$DIR/postgres.log" -w -t 60 >/dev/null \
    || { tail -n 20 "$DIR/postgres.log" >&2 || true; die "pg_ctl start failed (log: $DIR/postgres.log)"; }
  local i
  for i in $(seq 1 60); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
    (( i < 60 )) || die "pg_isready: server on 127.0.0.1:$PORT not ready after 30s"
    sleep 0.5
  done
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres >/dev/null <<'SQL' \
    || die "creating role pantau / database pantau_test failed"
SELECT 'CREATE ROLE pantau LOGIN CREATEDB PASSWORD ''pantau'''
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pantau') \gexec
SELECT 'CREATE DATABASE pantau_test OWNER pantau'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'pantau_test') \gexec
SQL
  say "ready on 127.0.0.1:$PORT (data $DATA, log $DIR/postgres.log)"
  echo "$URL"
}

stop() {
  local bin; bin=$(pg_bin)
  if running; then
    "${AS[@]}" "$bin/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >/dev/null || die "pg_ctl stop failed for $DATA"
    say "stopped"
  else
    say "not running"
  fi
  if [[ ${PANTAU_PG_KEEP:-0} != 1 && -f $MARK ]]; then rm -rf "$DIR"; say "removed $DIR"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "postgres running on 127.0.0.1:$PORT (data $DATA)"; else echo "postgres not running"; exit 1; fi ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
