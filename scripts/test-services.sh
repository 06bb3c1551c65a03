#!/usr/bin/env bash
# Makes sure what the tests talk to is there: the machine's PostgreSQL (127.0.0.1:5432) and
# MariaDB (127.0.0.1:3306), started if they are down, and Debian's python3-alembic (the
# reference the differential test compares retort against), installed if missing.
# Run by `npm test` before vitest; safe to run again.
set -euo pipefail

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "test-services: $name did not come up" >&2
  exit 1
}

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "test-services: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  wait_for PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432
fi

if ! mariadb-admin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; then
  echo "test-services: starting MariaDB" >&2
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  wait_for MariaDB mariadb-admin -h 127.0.0.1 -P 3306 -u root ping
fi

if ! /usr/bin/python3 -c "import alembic" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-services: installing python3-alembic from Debian" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-alembic >/dev/null
  else
    echo "test-services: python3-alembic is missing: install it (apt-get install python3-alembic) for the Alembic comparison tests" >&2
  fi
fi
