#!/bin/sh
# Runs the collector's router tests (tests/collector) against a throwaway PostgreSQL cluster on
# 127.0.0.1, made with Debian's `postgresql` binaries in a temporary directory and removed after.
# Without those binaries it says so and exits 0: the SQLite run of `cargo test` still covers the
# suite. Meant to be called by `cargo xtask test` after the plain `cargo test`.
set -eu

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "rebound-collector: SKIPPED the PostgreSQL backend: initdb not found (apt-get install postgresql)"
    exit 0
fi

dir=$(mktemp -d /tmp/rebound-pg.XXXXXX)
# initdb refuses to run as root, so the cluster belongs to the postgres user then.
if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi
port=$((20000 + $$ % 20000))
cleanup() {
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

echo "rebound-collector: starting a throwaway PostgreSQL ($bindir) on 127.0.0.1:$port"
as_owner "$bindir/initdb" -D "$dir/data" -A trust -U rebound >/dev/null
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null

REBOUND_TEST_DATABASE="postgres://rebound@127.0.0.1:$port/postgres" \
    cargo test -p rebound-collector --test collector "$@"
