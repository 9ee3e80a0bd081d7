#!/usr/bin/env bash
# A local three-node CreditActors cluster on 127.0.0.1 against one PostgreSQL.
#
#   ops/cluster.sh start     build the host, start PostgreSQL (unless CREDITACTORS_PG is set) and three nodes
#   ops/cluster.sh members   the cluster as node 1 sees it
#   ops/cluster.sh stop      stop the nodes one after another (each leaves the cluster), then PostgreSQL
#
# Nodes: HTTP 127.0.0.1:5081-5083, remoting 4051-4053; node 1 is the seed. PostgreSQL: 127.0.0.1:5433,
# data under data/cluster/pg. Set CREDITACTORS_PG to a connection string to use a server of your own.
# Logs and pid files: data/cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."

state=data/cluster
pg_port=5433
pg_data=$state/pg
http_ports=(5081 5082 5083)
remoting_ports=(4051 4052 4053)
seed="akka.tcp://credit-actors@127.0.0.1:${remoting_ports[0]}"
connection=${CREDITACTORS_PG:-"Host=127.0.0.1;Port=$pg_port;Database=creditactors;Username=postgres"}

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "PostgreSQL is not installed: sudo apt-get install -y postgresql" >&2; exit 1; }
  echo "$bin"
}

start_postgres() {
  [ -n "${CREDITACTORS_PG:-}" ] && return
  local bin; bin=$(pg_bin)
  mkdir -p "$pg_data"
  pg_data=$(cd "$pg_data" && pwd)
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$pg_data"
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_data" -w start >/dev/null
  fi
  as_postgres "$bin/psql" -h 127.0.0.1 -p $pg_port -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='creditactors'" | grep -q 1 \
    || as_postgres "$bin/createdb" -h 127.0.0.1 -p $pg_port -U postgres creditactors
  echo "PostgreSQL on 127.0.0.1:$pg_port"
}

start_node() {
  local i=$1
  local http=${http_ports[$i]} remoting=${remoting_ports[$i]}
  local log=$state/node$((i + 1)).log
  # The node runs detached: no terminal, its output in its log, its pid (the dotnet process itself) in a file.
  nohup dotnet "$state/bin/CreditActors.Host.dll" \
      --urls "http://127.0.0.1:$http" \
      --Cluster:Hostname=127.0.0.1 --Cluster:Port="$remoting" --Cluster:SeedNodes="$seed" \
      --Storage:Provider=PostgreSql --Storage:ConnectionString="$connection" \
      < /dev/null > "$log" 2>&1 &
  echo $! > "$state/node$((i + 1)).pid"
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$http/health" >/dev/null 2>&1 && { echo "node$((i + 1)) up: http://127.0.0.1:$http"; return; }
    sleep 0.5
  done
  echo "node$((i + 1)) did not come up; see $state/node$((i + 1)).log" >&2
  exit 1
}

case "${1:-}" in
  start)
    mkdir -p "$state"
    state=$(cd "$state" && pwd)
    dotnet publish src/CreditActors.Host -c Release -o "$state/bin" --nologo -v quiet >/dev/null
    start_postgres
    for i in 0 1 2; do start_node "$i"; done
    ;;
  members)
    curl -fs "http://127.0.0.1:${http_ports[0]}/cluster/members" | python3 -m json.tool
    ;;
  stop)
    for n in 3 2 1; do
      pid_file=$state/node$n.pid
      if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        kill -TERM "$(cat "$pid_file")"
        for _ in $(seq 1 60); do kill -0 "$(cat "$pid_file")" 2>/dev/null || break; sleep 0.5; done
        echo "node$n stopped"
      fi
      rm -f "$pid_file"
    done
    if [ -z "${CREDITACTORS_PG:-}" ] && [ -f "$pg_data/PG_VERSION" ]; then
      as_postgres "$(pg_bin)/pg_ctl" -D "$(cd "$pg_data" && pwd)" -m fast -w stop >/dev/null && echo "PostgreSQL stopped"
    fi
    ;;
  *)
    echo "usage: ops/cluster.sh start|members|stop" >&2
    exit 2
    ;;
esac
