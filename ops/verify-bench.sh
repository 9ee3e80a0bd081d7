#!/usr/bin/env bash
# How long `creditactors verify` takes on a large journal: builds a SQLite journal of N events (default 1,000,000) in
# 20,000 streams from the fixture's schema, chains and seals it (`creditactors seal`), then times a full and an
# incremental verify. Not part of the test suite. Usage: ops/verify-bench.sh [events]
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp tests/CreditActors.Host.Tests/Fixtures/journal-v1/creditactors.db "$work/creditactors.db"
python3 - "$work/creditactors.db" "$events" <<'PY'
import random, sqlite3, sys
path, total = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(path)
c.execute("DELETE FROM journal"); c.execute("DELETE FROM snapshot")
random.seed(1)
seq, rows = {}, []
for i in range(total):
    stream = f"credit-account-B{random.randrange(20000):05d}"
    seq[stream] = seq.get(stream, 0) + 1
    message = ('{"meta":{"effectiveDate":"2026-11-01","recordedAt":"2026-11-01T09:00:00+00:00","actor":"x","correlationId":"c%d"},'
               '"invoiceNumber":"INV-%d","amount":%d.00,"padding":"%s"}' % (i, i, random.randrange(100000), "x" * 150)).encode()
    rows.append((638000000000000000 + i, 0, stream, seq[stream], message, ";credit-account;", "credit-account.invoice-issued.v1", 4301, "w"))
    if len(rows) == 50000:
        c.executemany("INSERT INTO journal (created,deleted,persistence_id,sequence_number,message,tags,manifest,identifier,writer_uuid) VALUES (?,?,?,?,?,?,?,?,?)", rows)
        rows = []
if rows:
    c.executemany("INSERT INTO journal (created,deleted,persistence_id,sequence_number,message,tags,manifest,identifier,writer_uuid) VALUES (?,?,?,?,?,?,?,?,?)", rows)
c.commit()
PY
dotnet build src/CreditActors.Cli -c Release -v q -nologo >/dev/null
cli=(dotnet src/CreditActors.Cli/bin/Release/net10.0/creditactors.dll --sqlite "$work/creditactors.db" -q)
for step in "seal" "verify" "verify --incremental"; do
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "${cli[@]}" $step >/dev/null
  end=$(date +%s.%N)
  printf '%-22s %8.1f s (%s events)\n' "$step" "$(echo "$end - $start" | bc)" "$events"
done
