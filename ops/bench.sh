#!/usr/bin/env bash
# The benchmark harness: every figure of the service beside a baseline measured in the same run.
#
#   ops/bench.sh            full sizes (the ones the targets are stated for; about 20 minutes)
#   ops/bench.sh --quick    the same scenarios, smaller (under two minutes)
#   ops/bench.sh --no-sqlite          PostgreSQL only
#   ops/bench.sh --only holds,lag     some scenarios only (memory, check, http, holds, lag, recovery, aging, rating, backtest)
#
# Runs on SQLite (a fresh file) and on a throwaway PostgreSQL started here from the machine's binaries on 127.0.0.1
# (a temporary data directory, fsync on, as a production server would run). Set CREDITACTORS_PG to a connection
# string to use a server of your own, or CREDITACTORS_PG=none to skip PostgreSQL.
# Results: ops/bench-results/results-<mode>.json and .md.
set -euo pipefail
cd "$(dirname "$0")/.."

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

dotnet build ops/CreditActors.Benchmarks -c Release --nologo -v quiet >/dev/null

pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then
    as_postgres "$bin/pg_ctl" -D "$pg_dir" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

pg_args=()
if [ "${CREDITACTORS_PG:-}" = "none" ]; then
  :
elif [ -n "${CREDITACTORS_PG:-}" ]; then
  pg_args=(--postgres "$CREDITACTORS_PG")
else
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "PostgreSQL is not installed (sudo apt-get install -y postgresql), or set CREDITACTORS_PG=none" >&2; exit 1; }
  pg_dir=$(mktemp -d -t creditactors-bench-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_postgres "$bin/initdb" -D "$pg_dir" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  as_postgres "$bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir -c max_connections=200" -w start >/dev/null
  as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres creditactors_bench
  pg_args=(--postgres "Host=127.0.0.1;Port=$port;Database=creditactors_bench;Username=postgres;Pooling=true;Maximum Pool Size=100")
fi

dotnet ops/CreditActors.Benchmarks/bin/Release/net10.0/CreditActors.Benchmarks.dll --out ops/bench-results "${pg_args[@]}" "$@"
