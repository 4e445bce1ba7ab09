#!/usr/bin/env bash
# Seeds the demo store on first start and opens the till on it.
# Until the Fyne screens land, the till is the interactive text till
# (posctl till): sign in, scan, pay, return, suspend/recall, with receipts
# printed to the terminal.
set -euo pipefail
data="$1"
if [[ ! -f "$data/till.db" ]]; then
  echo "First start: seeding the demo store in $data (5,000 products)…"
  ./bin/posctl seed --data "$data" --products 5000
fi
exec ./bin/posctl till --data "$data"
