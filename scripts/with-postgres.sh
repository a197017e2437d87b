#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#   scripts/with-postgres.sh npx vitest run tests/integration
# initdb's a cluster in a temp dir, starts it on 127.0.0.1 on a free port, creates database
# `tokenloom_test`, exports DATABASE_URL (and a throwaway TOKENLOOM_SECRET unless one is set: a web
# server refuses DATABASE_URL without one, server/env.ts), runs the command, then stops the server and deletes
# the dir. Exits with the command's exit code. Installs nothing: it needs PostgreSQL's server
# binaries (Debian: the `postgresql` package; PG_BIN=/path/to/bin to choose a version).
# As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
# Not handled here: keeping data between runs, TLS, passwords (local trust auth, loopback only).
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [[ -z "${PG_BIN:-}" ]]; then
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$PG_BIN" ]] || PG_BIN="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
fi
if [[ ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
  echo "with-postgres: no PostgreSQL server binaries found (looked in $PG_BIN); install the postgresql package or set PG_BIN." >&2
  exit 2
fi

DB_USER=postgres
DB_NAME=tokenloom_test
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tokenloom-pg.XXXXXX")"
DATA_DIR="$WORK_DIR/data"
LOG_FILE="$WORK_DIR/server.log"

# Run a PostgreSQL binary as the user that owns the cluster.
if [[ "$(id -u)" -eq 0 ]]; then
  chown postgres:postgres "$WORK_DIR"
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

server_started=0
cleanup() {
  if [[ "$server_started" -eq 1 ]]; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$DB_USER" --auth=trust --encoding=UTF8 --no-locale >"$WORK_DIR/initdb.log" 2>&1 || {
  cat "$WORK_DIR/initdb.log" >&2
  echo "with-postgres: initdb failed" >&2
  exit 2
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pick a random free port; if another process takes it before we bind, try another.
PORT=""
for _attempt in 1 2 3 4 5 6 7 8 9 10; do
  candidate=$((20000 + RANDOM % 40000))
  port_in_use "$candidate" && continue
  if as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $candidate -c unix_socket_directories=$WORK_DIR -c fsync=off -c full_page_writes=off" \
      start >/dev/null 2>&1; then
    PORT="$candidate"
    server_started=1
    break
  fi
done
if [[ -z "$PORT" ]]; then
  cat "$LOG_FILE" >&2 2>/dev/null || true
  echo "with-postgres: could not start PostgreSQL" >&2
  exit 2
fi

as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME"

export DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PORT/$DB_NAME"
export TOKENLOOM_SECRET="${TOKENLOOM_SECRET:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, DATABASE_URL=$DATABASE_URL" >&2

# Run the command without `set -e` so its failure reaches our exit code instead of aborting here.
set +e
"$@"
status=$?
set -e
exit "$status"
