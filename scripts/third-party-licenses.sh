#!/usr/bin/env bash
# Prints the licence texts of every module compiled into the released
# binaries (cmd/pos, cmd/posctl, cmd/scaleunit on Linux and Windows), for
# THIRD_PARTY_LICENSES.txt in each package. A module without a licence file
# fails the run: it cannot be shipped until someone has looked.
set -euo pipefail
cd "$(dirname "$0")/.."
main=$(go list -m)
mods=$( { go list -deps -f '{{with .Module}}{{.Path}}@{{.Version}} {{.Dir}}{{end}}' ./cmd/pos ./cmd/posctl ./cmd/scaleunit
          GOOS=windows CGO_ENABLED=1 go list -deps -f '{{with .Module}}{{.Path}}@{{.Version}} {{.Dir}}{{end}}' ./cmd/pos ./cmd/posctl ./cmd/scaleunit
        } | grep -v "^$main@" | sort -u)
echo "Third-party software in the OpenTill binaries"
echo "============================================="
echo
echo "The OpenTill binaries are compiled from OpenTill's source (LICENSE, Apache-2.0)"
echo "and the Go standard library (BSD-3-Clause, below as go.dev) together with the"
echo "modules below, each under its own licence."
echo
echo "The demo catalog's product pictures (offline/demo/images) are glyphs of the"
echo "Noto Color Emoji font, Copyright 2013-2017 Google Inc., under the Apache"
echo "License 2.0 (https://github.com/googlefonts/noto-emoji)."
echo
gotree=$(go env GOROOT)
{ echo "golang.org/go@$(go env GOVERSION) $gotree"; echo "$mods"; } | while read -r mod dir; do
  [[ -z "$mod" ]] && continue
  files=$(find "$dir" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) | sort)
  if [[ -z "$files" ]]; then
    echo "third-party-licenses: $mod has no licence file in $dir" >&2
    exit 1
  fi
  printf '%s\n%s\n' "----------------------------------------------------------------------" "$mod"
  for f in $files; do
    printf '\n== %s\n\n' "$(basename "$f")"
    cat "$f"
  done
  echo
done
