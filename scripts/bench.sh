#!/usr/bin/env bash
# The whole-system benchmark table of the selling core. Stores are generated
# deterministically under ${BENCH_DIR:-/tmp/opentill-bench}: 100,000 products
# for add_item and checkout_commit, 1,000,000 for search, seed_1m and rss_selling.
set -euo pipefail
dir="${BENCH_DIR:-/tmp/opentill-bench}"
mkdir -p "$dir"
if [[ ! -f "$dir/100k/till.db" ]]; then
  ./bin/posctl seed --data "$dir/100k" --products 100000 --quiet
fi
exec ./bin/posctl bench --data "$dir/100k" --data-1m "$dir/1m" "$@"
