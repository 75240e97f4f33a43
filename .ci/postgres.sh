#!/usr/bin/env bash
# Installs Debian's PostgreSQL if missing, starts it on loopback, and creates the test role (which may create
# databases) and database. Prints the connection URL on its last line. Idempotent: safe to run again.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing postgresql from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 >&2

su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='punchcard'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE punchcard LOGIN PASSWORD 'punchcard'\"" >&2
# CREATEDB: the fault benchmark gives each of its parallel Postgres runs a database of its own.
su postgres -c "psql -qc 'ALTER ROLE punchcard CREATEDB'" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='punchcard_test'\"" | grep -q 1 ||
  su postgres -c "psql -qc 'CREATE DATABASE punchcard_test OWNER punchcard'" >&2

echo "postgres://punchcard:punchcard@127.0.0.1:5432/punchcard_test"
