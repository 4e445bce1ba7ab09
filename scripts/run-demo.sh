#!/usr/bin/env bash
# Opens the Fyne till on the demo store in the data folder given (the till
# seeds 5,000 products there on first start). Without a display it says so
# and opens the interactive text till on the same data folder instead.
set -euo pipefail
data="$1"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "No display found: the OpenTill window needs X11 or Wayland (try: xvfb-run make run)." >&2
  echo "Opening the text till on $data instead (type help at its prompt)." >&2
  if [[ ! -f "$data/till.db" ]]; then
    ./bin/posctl seed --data "$data" --products 5000
  fi
  exec ./bin/posctl till --data "$data"
fi
# PROFILE picks another hardware profile, e.g. PROFILE=peripherals/profile/demo-zvt.toml
# (card payments through the ZVT driver to the ZVT terminal simulator).
exec ./bin/pos --data "$data" --demo ${PROFILE:+--profile "$PROFILE"}
