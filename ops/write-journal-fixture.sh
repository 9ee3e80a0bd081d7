#!/usr/bin/env bash
# Writes a small journal with this checkout's service, for the old-journal fixtures the tests recover:
#   ops/write-journal-fixture.sh OUT_DIR [POSTGRES_CONNECTION_STRING]
# Starts the host on 127.0.0.1 (SQLite under OUT_DIR, or the PostgreSQL database given), drives a scripted workload that
# writes every kind of event and at least one snapshot, stops the host. On SQLite the journal is OUT_DIR/creditactors.db;
# on PostgreSQL dump it afterwards (see tests/CreditActors.Host.Tests/Fixtures/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: ops/write-journal-fixture.sh OUT_DIR [POSTGRES_CONNECTION_STRING]}
connection=${2:-}
mkdir -p "$out"
port=$(( 20000 + RANDOM % 20000 ))
base="http://127.0.0.1:$port"

dotnet build src/CreditActors.Host -c Release --nologo -v q >/dev/null
storage=(--Storage:Provider=Sqlite "--Storage:DataDirectory=$out")
[ -n "$connection" ] && storage=(--Storage:Provider=PostgreSql "--Storage:ConnectionString=$connection")
dotnet src/CreditActors.Host/bin/Release/net10.0/CreditActors.Host.dll --urls "$base" "${storage[@]}" --Logging:MinimumLevel=Warning &
host=$!
trap 'kill $host 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$base/health" >/dev/null && break; sleep 0.5; done

call() { # METHOD PATH [BODY] [ACTOR]: fails the script on any answer but 2xx
  local status
  status=$(curl -s -o /tmp/fixture-answer.json -w '%{http_code}' -X "$1" "$base$2" -H 'content-type: application/json' \
    -H "X-Actor: ${4:-anna.li}" ${3:+-d "$3"})
  case "$status" in 2??) ;; *) echo "$1 $2 answered $status: $(cat /tmp/fixture-answer.json)" >&2; exit 1 ;; esac
}

call POST /accounts '{"accountId":"FIX-1","name":"Shanghai Acme Trading","currency":"CNY","creditLimit":50000,"paymentTermsDays":30,"contact":"Li Wei","tier":"strategic"}'
call PATCH /accounts/FIX-1/profile '{"phone":"+86 21 5555 0100"}'
call PUT /accounts/FIX-1/credit-limit '{"creditLimit":60000,"reason":"annual review"}'
call PUT /accounts/FIX-1/credit-limit '{"creditLimit":200000,"reason":"new supply contract"}'
call POST /accounts/FIX-1/credit-limit-requests/"$(sed -E 's/.*"requestId":"([^"]+)".*/\1/' /tmp/fixture-answer.json)"/approve '{"comment":"guarantee on file"}' wang.fang
call PUT /accounts/FIX-1/credit-limit '{"creditLimit":500000,"reason":"peak season"}'
call POST /accounts/FIX-1/credit-limit-requests/"$(sed -E 's/.*"requestId":"([^"]+)".*/\1/' /tmp/fixture-answer.json)"/reject '{"reason":"no guarantee for this much"}' wang.fang
call POST /accounts/FIX-1/holds '{"holdId":"SO-1","amount":12000,"orderReference":"SO-1"}'
call POST /accounts/FIX-1/invoices '{"invoiceNumber":"INV-1","amount":12000,"issueDate":"2026-03-01","holdId":"SO-1","discount":{"percent":2,"withinDays":10}}'
call POST /accounts/FIX-1/payments '{"paymentReference":"P-1","amount":11760,"receivedDate":"2026-03-05"}'
call POST /accounts/FIX-1/holds '{"holdId":"SO-2","amount":300}'
call POST /accounts/FIX-1/holds/SO-2/release '{"reason":"order cancelled"}'
expires=$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)
call POST /accounts/FIX-1/holds "{\"holdId\":\"SO-3\",\"amount\":200,\"expiresAt\":\"$expires\"}"
call POST /accounts/FIX-1/block '{"reason":"cheque returned unpaid"}'
call POST /accounts/FIX-1/unblock '{"reason":"paid in cash"}'
for i in $(seq 100 159); do
  call POST /accounts/FIX-1/holds "{\"holdId\":\"SO-$i\",\"amount\":10}"
  call POST /accounts/FIX-1/holds/SO-$i/release
done
# Invoices that are overdue by now come after the holds, which an overdue account would be refused.
call POST /accounts/FIX-1/invoices '{"invoiceNumber":"INV-2","amount":5000,"issueDate":"2026-03-10","installments":[{"dueDate":"2026-04-10","amount":2500},{"dueDate":"2026-05-10","amount":2500}]}'
call POST /accounts/FIX-1/credit-notes '{"creditNoteNumber":"CN-1","invoiceNumber":"INV-2","amount":500,"reason":"damaged in transit"}'
call POST /accounts/FIX-1/write-offs '{"writeOffId":"WO-1","invoiceNumber":"INV-2","line":2,"amount":100,"reason":"disputed freight, settled"}'
call POST /accounts/FIX-1/payments '{"paymentReference":"P-2","amount":4000,"receivedDate":"2026-04-01"}'
call POST /accounts/FIX-1/invoices '{"invoiceNumber":"INV-3","amount":1000,"issueDate":"2026-04-02"}'
sleep 5   # SO-3 expires by the account's timer

call POST /accounts '{"accountId":"FIX-2","name":"Closed Ltd","currency":"EUR","creditLimit":1000,"paymentTermsDays":14}'
call POST /accounts/FIX-2/invoices '{"invoiceNumber":"E-1","amount":99.99,"issueDate":"2026-02-01"}'
call POST /accounts/FIX-2/payments '{"paymentReference":"EP-1","amount":99.99,"receivedDate":"2026-02-10","allocations":[{"invoiceNumber":"E-1","amount":99.99}]}'
call POST /accounts/FIX-2/close '{"reason":"customer ceased trading"}'

call POST /accounts '{"accountId":"FIX-3","name":"Osaka Parts","currency":"JPY","creditLimit":5000000,"paymentTermsDays":60}'
call POST /accounts/FIX-3/payments '{"paymentReference":"JP-1","amount":300000,"receivedDate":"2026-01-15"}'
call POST /accounts/FIX-3/invoices '{"invoiceNumber":"J-1","amount":450000,"issueDate":"2026-01-20"}'

curl -sf "$base/accounts/FIX-1" && echo
kill -INT $host; wait $host || true
trap - EXIT
echo "journal written under $out"
