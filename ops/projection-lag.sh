#!/usr/bin/env bash
# Measures how far the projections fall behind under a sustained write load on one node (SQLite by default).
# Starts the service on a throwaway data directory, sends WRITES holds across ACCOUNTS accounts with CLIENTS
# parallel clients, samples GET /projections every 200 ms while it runs, and prints the worst lag seen.
#   ops/projection-lag.sh                 # 3000 writes, 100 accounts, 8 clients
#   WRITES=10000 CLIENTS=16 ops/projection-lag.sh
set -euo pipefail
cd "$(dirname "$0")/.."
writes=${WRITES:-3000}; accounts=${ACCOUNTS:-100}; clients=${CLIENTS:-8}; port=${PORT:-5099}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
trap 'kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build src/CreditActors.Host -c Release --nologo -v quiet >/dev/null
dotnet run --project src/CreditActors.Host -c Release --no-build -- --urls "$base" \
  --Storage:DataDirectory="$work/data" --Logging:MinimumLevel=Warning --Auth:RequestsPerSecondPerKey=100000 > "$work/service.log" 2>&1 &
service=$!
for _ in $(seq 1 120); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.5; done

for a in $(seq 1 "$accounts"); do
  curl -fs -o /dev/null -X POST "$base/accounts" -H 'content-type: application/json' \
    -d "{\"accountId\":\"LAG-$a\",\"name\":\"Lag $a\",\"currency\":\"CNY\",\"creditLimit\":100000000,\"paymentTermsDays\":30}"
done

sample() {
  while true; do
    curl -fs "$base/projections" | python3 -c 'import json,sys,time; [print(time.time(), p["projection"], p["eventsBehind"], p["secondsBehind"] or 0) for p in json.load(sys.stdin)]' >> "$work/samples" || true
    sleep 0.2
  done
}
sample & sampler=$!

start=$(date +%s.%N)
seq 1 "$writes" | xargs -P "$clients" -I{} sh -c \
  "curl -fs -o /dev/null -X POST $base/accounts/LAG-\$(( {} % $accounts + 1 ))/holds -H 'content-type: application/json' -d '{\"holdId\":\"H-{}\",\"amount\":1}'"
end=$(date +%s.%N)
# Let the projections catch up, then stop sampling.
for _ in $(seq 1 100); do
  behind=$(curl -fs "$base/projections" | python3 -c 'import json,sys; print(sum(p["eventsBehind"] for p in json.load(sys.stdin)))')
  [ "$behind" = 0 ] && break; sleep 0.2
done
caught_up=$(date +%s.%N)
kill "$sampler"

python3 - "$work/samples" "$writes" "$start" "$end" "$caught_up" <<'PY'
import sys
samples = [l.split() for l in open(sys.argv[1])]
writes, start, end, caught = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
during = [s for s in samples if start <= float(s[0]) <= end]
for name in sorted({s[1] for s in samples}):
    mine = [s for s in during if s[1] == name]
    events = sorted(int(s[2]) for s in mine) or [0]
    seconds = sorted(float(s[3]) for s in mine) or [0.0]
    p99 = lambda xs: xs[min(len(xs) - 1, int(len(xs) * 0.99))]
    print(f"{name}: samples {len(mine)}, events behind p50 {events[len(events)//2]} p99 {p99(events)} max {events[-1]}, "
          f"seconds behind p50 {seconds[len(seconds)//2]:.2f} p99 {p99(seconds):.2f} max {seconds[-1]:.2f}")
print(f"writes {writes} in {end - start:.1f} s ({writes / (end - start):.0f}/s); projections caught up {caught - end:.2f} s after the last write")
PY
