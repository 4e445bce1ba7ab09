#!/usr/bin/env bash
# The till's memory over a long selling soak: the real app under Xvfb on the
# demo store sells a five-line cash sale every second (pos --soak) and prints
# its resident memory each minute, at five minutes and at the end. The
# target: growth ≤ 10 % from the fifth minute to the end of an hour.
#   scripts/soak.sh [DURATION]     (default 1h)
set -euo pipefail
dur="${1:-1h}"
data="${OPENTILL_SOAK_DIR:-${TMPDIR:-/tmp}/opentill-soak}"
rm -rf "$data"
go build -o bin/pos ./cmd/pos
export LANG="${LANG:-C.UTF-8}"
xvfb-run -a -s "-screen 0 1366x800x24" ./bin/pos --soak "$dur" --data "$data" --demo --idle 0
