#!/usr/bin/env bash
# UI figures on the 100,000-product demo store, each beside a baseline from
# the same run: cold start to the sign-in screen's first frame (from exec,
# measured outside the process) and idle RSS after signing in — the real app
# under Xvfb, against a bare Fyne window with 50 labels — then scan-to-line
# and search-as-you-type p50/p99 with the Fyne test driver, against a bare
# list refresh, the barcode lookup and the FTS query.
set -euo pipefail
data="${OPENTILL_BENCH_DIR:-${TMPDIR:-/tmp}/opentill-ui-bench-100k}"
go build -o bin/pos ./cmd/pos
if [[ ! -f "$data/till.db" ]]; then
  echo "seeding $data (100,000 products)…"
  go build -o bin/posctl ./cmd/posctl
  ./bin/posctl seed --data "$data" --products 100000 >/dev/null
fi
export LANG="${LANG:-C.UTF-8}"
measure() { # label args...
  local label="$1"; shift
  local out t0 drawn
  out="$(xvfb-run -a -s "-screen 0 1366x800x24" bash -c 'echo "t0 $(date +%s%3N)"; exec "$@"' _ "$@")"
  t0="$(awk '/^t0/{print $2}' <<<"$out")"
  drawn="$(awk '/^drawn_unix_ms/{print $2}' <<<"$out")"
  printf '%-9s start_from_exec_ms %-6s ' "$label" "$((drawn - t0))"
  grep -E 'rss|heap' <<<"$out" | tr '\n' ' '
  echo
}
for i in 1 2 3; do
  measure baseline ./bin/pos --bench --baseline
  measure till ./bin/pos --bench --data "$data" --idle 0
done
OPENTILL_BENCH_DIR="$data" go test -run '^$' -bench . -benchtime 400x ./ui | grep -E '^Benchmark'
