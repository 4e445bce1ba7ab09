#!/usr/bin/env bash
# Every benchmark table, each figure beside a baseline measured in the same run.
# Stores are generated deterministically under ${BENCH_DIR:-/tmp/opentill-bench}:
# 100,000 products for add_item and checkout_commit, 1,000,000 for search,
# seed_1m and rss_selling. BENCH_QUICK=1 runs only the selling-core table.
# Extra arguments go to posctl bench (e.g. --json).
set -euo pipefail
dir="${BENCH_DIR:-/tmp/opentill-bench}"
mkdir -p "$dir"
if [[ ! -f "$dir/100k/till.db" ]]; then
  ./bin/posctl seed --data "$dir/100k" --products 100000 --quiet
fi
echo "== selling core (posctl bench)"
./bin/posctl bench --data "$dir/100k" --data-1m "$dir/1m" "$@"
[[ "${BENCH_QUICK:-}" == 1 ]] && exit 0
echo "== pricing and promotions (1,000 promotions)"
go test -run '^$' -bench Reprice ./pos/pricing | grep -E '^Benchmark'
echo "== peripherals (ESC/POS encoding, commit to printer, scale to line)"
go test -run '^$' -bench . ./peripherals/escpos ./peripherals/station | grep -E '^Benchmark'
echo "== sync (1,000,000-product first download, price changes, drain, 10 tills; a few minutes)"
go test -run '^$' -bench . -benchtime 1x -timeout 30m ./offline/tillsync | grep -E '^Benchmark|first download'
echo "== stock (1,000,000-product store: count scan, lookup; a 10,000-line count posted on SQLite and PostgreSQL)"
OPENTILL_BENCH_PRODUCTS=1000000 go test -run '^$' -bench 'CountScan|InventoryLookup|ByBarcode$|BareUpsertFsync' -benchtime 3000x -timeout 30m ./offline/store | grep -E '^Benchmark'
go test -run '^$' -bench 'PostCount10000|SetFigures10000' -benchtime 3x ./offline/scaleunit | grep -E '^Benchmark'
echo "== the till on screen (Xvfb)"
OPENTILL_BENCH_DIR="$dir/ui100k" ./scripts/bench-ui.sh
