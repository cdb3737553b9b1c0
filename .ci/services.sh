#!/usr/bin/env bash
# Installs (when missing) and starts the services the test suite talks to, on loopback only:
#   PostgreSQL on 127.0.0.1:55432 (trust auth, user postgres)  -> TEST_DATABASE_URL
#   Redis on 127.0.0.1:56379                                   -> TEST_REDIS_URL
# Source it (`. .ci/services.sh`) to get the variables exported. Safe to run again: running
# servers are reused.
set -euo pipefail

PG_PORT=${PG_PORT:-55432}
REDIS_PORT=${REDIS_PORT:-56379}
SERVICE_DIR=${SERVICE_DIR:-/tmp/gaoping-ci-services}
mkdir -p "$SERVICE_DIR"

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    echo "[services] apt-get update"
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
  echo "[services] apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  apt_install postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
command -v redis-server >/dev/null 2>&1 || apt_install redis-server

# PostgreSQL refuses to run as root: a private cluster owned by the postgres user.
pg_data="$SERVICE_DIR/pg"
if ! "$pg_bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q 2>/dev/null; then
  id postgres >/dev/null 2>&1 || useradd --system --home "$SERVICE_DIR" postgres
  chown postgres "$SERVICE_DIR"
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    rm -rf "$pg_data"
    su postgres -s /bin/sh -c "$pg_bin/initdb -D '$pg_data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null"
  fi
  su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$pg_data' -l '$SERVICE_DIR/pg.log' -w -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k /tmp -c fsync=off -c max_connections=300\" start >/dev/null"
fi
echo "[services] PostgreSQL ready on 127.0.0.1:$PG_PORT"

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --logfile "$SERVICE_DIR/redis.log" --dir "$SERVICE_DIR"
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "[services] Redis ready on 127.0.0.1:$REDIS_PORT"

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
