#!/usr/bin/env bash
# Prints the SHA-256 of an API key, which is what Auth:Keys:N:Sha256 takes. The key itself is never configured.
#   ops/hash-key.sh 'the-secret-key'
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: ops/hash-key.sh KEY" >&2; exit 2; }
printf '%s' "$1" | sha256sum | cut -d' ' -f1
