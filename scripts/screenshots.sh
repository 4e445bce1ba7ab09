#!/usr/bin/env bash
# Runs the real till (bin/pos) under Xvfb in the desktop and the tablet
# layout, drives it through sign-in, opening the shift, sell, payment and the
# receipt preview, and saves a PNG of each screen in the folder given
# (docs/screenshots).
# Needs xvfb (make deps); with ImageMagick's `import` the PNGs are what the X
# server shows, otherwise Fyne's own rendering of the window.
set -euo pipefail
out="${1:-docs/screenshots}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export LANG="${LANG:-C.UTF-8}"
n=0
run() { # layout width height
  local layout="$1" w="$2" h="$3"; shift 3
  # a fresh demo store per run: each tour signs in to a till with no shift
  # open and shows the shift screen sign-in leads to
  n=$((n + 1)); local data="$tmp/$n"; mkdir -p "$data"
  xvfb-run -a -s "-screen 0 ${w}x${h}x24" ./bin/pos --data "$data" --demo --idle 0 --layout "$layout" --screenshots "$out" "$@"
}
# the smallest till screen, a tablet both ways, and German (dark, a German
# store: its receipts and amounts in de-DE) on the most common till screen
run desktop 1024 768 --size 1024x740
run tablet 800 1280
run tablet 1280 800 --size 1280x800
run desktop 1366 768 --size 1366x740 --dark --lang de --demo-locale de-DE
ls -1 "$out"/*.png
