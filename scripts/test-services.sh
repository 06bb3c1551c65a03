#!/usr/bin/env bash
# Makes sure what the tests talk to is there: the machine's PostgreSQL (127.0.0.1:5432) and
# MariaDB (127.0.0.1:3306), started if they are down, and Debian's python3-alembic with its
# PostgreSQL and MySQL drivers (the reference retort is compared and interoperates with),
# installed if missing.
# Run by `npm test` before vitest; safe to run again.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "test-services: $name did not come up" >&2
  exit 1
}

# (Port checks need no client: the same script serves CI containers as services.)
if ! port_open 5432; then
  echo "test-services: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  wait_for PostgreSQL port_open 5432
fi

if ! port_open 3306; then
  echo "test-services: starting MariaDB" >&2
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  wait_for MariaDB port_open 3306
fi

# Alembic itself and its PostgreSQL and MySQL drivers, for the comparison and interop tests.
if ! /usr/bin/python3 -c "import alembic, psycopg2, pymysql" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-services: installing python3-alembic, python3-psycopg2, python3-pymysql from Debian" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-alembic python3-psycopg2 python3-pymysql >/dev/null
  else
    echo "test-services: install python3-alembic python3-psycopg2 python3-pymysql (apt-get) for the Alembic tests" >&2
  fi
fi
