#!/usr/bin/env bash
# Make sure PostgreSQL and Redis are reachable for `make run` and `make test`.
# A configured DATABASE_URL / REDIS_URL is trusted as is; otherwise the machine's own servers
# on 127.0.0.1 are started, and installed with apt first when running as root.
set -euo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do listening "$port" && return 0; sleep 0.5; done
  echo "error: $name did not start on 127.0.0.1:$port" >&2
  exit 1
}

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

apt_install() {
  if ! can_install; then
    echo "error: $* missing; install it with: sudo apt-get install -y $*" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ] || listening 5432; then return 0; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "installing PostgreSQL…"
    apt_install postgresql postgresql-contrib
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -1)
  echo "starting PostgreSQL $version…"
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  else
    echo "error: PostgreSQL is not running; start it with:" >&2
    echo "  sudo pg_ctlcluster --skip-systemctl-redirect $version main start" >&2
    exit 1
  fi
  wait_for 5432 PostgreSQL
  # Local development uses trust auth on loopback, as the README explains.
  if ! psql -h 127.0.0.1 -U postgres -tAc 'select 1' >/dev/null 2>&1; then
    local hba
    hba=$(su postgres -c "psql -tAc 'show hba_file'")
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    su postgres -c "psql -tAc 'select pg_reload_conf()'" >/dev/null
  fi
}

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ] || listening 6379; then return 0; fi
  command -v redis-server >/dev/null || { echo "installing Redis…"; apt_install redis-server; }
  echo "starting Redis…"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for 6379 Redis
}

ensure_postgres
ensure_redis
