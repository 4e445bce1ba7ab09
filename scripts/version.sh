#!/usr/bin/env bash
# Prints the build identity from git, for -ldflags (make build, make dist):
#   version.sh            the version: `git describe --tags --match 'v[0-9]*' --dirty`
#                         (v0.2.0, v0.2.0-3-gc917fb6, v0.2.0-dirty). In a clone
#                         without a release tag it is v0.0.0-N-gHASH, N the number
#                         of commits, as if v0.0.0 were tagged before the first
#                         commit (so later commits sort later); outside git "dev".
#   version.sh commit     the full commit hash ("unknown" outside git)
#   version.sh date       the commit's time in UTC, RFC 3339 (reproducible builds)
#   version.sh deb        the version as a Debian package version:
#                         v0.2.0 -> 0.2.0, v0.2.0-3-gc917fb6 -> 0.2.0+3.gc917fb6,
#                         a -dirty suffix -> +dirty (dpkg sorts each after the last)
#   version.sh ldflags    the -X flags for internal/version
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=github.com/opentill/opentill/internal/version
in_git() { git rev-parse --git-dir >/dev/null 2>&1; }
describe() {
  if ! in_git; then echo dev; return; fi
  local d
  if d=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
    echo "$d"; return
  fi
  local n h dirty=""
  n=$(git rev-list --count HEAD)
  h=$(git rev-parse --short=7 HEAD)
  git diff --quiet HEAD -- 2>/dev/null || dirty="-dirty"
  echo "v0.0.0-$n-g$h$dirty"
}
commit() { if in_git; then git rev-parse HEAD; else echo unknown; fi; }
date_() { if in_git; then TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ; else date -u +%Y-%m-%dT%H:%M:%SZ; fi; }
deb() {
  local v
  v=$(describe)
  v=${v#v}
  case "$v" in dev) echo 0.0.0; return ;; esac
  local dirty=""
  if [[ "$v" == *-dirty ]]; then dirty="+dirty"; v=${v%-dirty}; fi
  local tail=""
  if [[ "$v" =~ ^(.+)-([0-9]+)-g([0-9a-f]+)$ ]]; then
    v="${BASH_REMATCH[1]}" tail="+${BASH_REMATCH[2]}.g${BASH_REMATCH[3]}"
  fi
  # a pre-release tag v0.3.0-rc.1 sorts before 0.3.0 in dpkg with a tilde
  v="${v//-/\~}$tail"
  echo "$v$dirty"
}
case "${1:-version}" in
  version) describe ;;
  commit) commit ;;
  date) date_ ;;
  deb) deb ;;
  ldflags) echo "-X $pkg.version=$(describe) -X $pkg.commit=$(commit) -X $pkg.date=$(date_)" ;;
  *) echo "usage: $0 [version|commit|date|deb|ldflags]" >&2; exit 2 ;;
esac
