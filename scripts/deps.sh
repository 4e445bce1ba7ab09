#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages OpenTill needs, when they are missing.
# As root (or with passwordless sudo) it uses apt-get; otherwise it prints the
# exact command to run and fails.
set -euo pipefail
pkgs=("$@")
missing=()
# The commands the build and the tests run (tests fail, never skip, without
# them); DEPS_TOOLS replaces the list (make dist checks its own).
read -r -a tools <<<"${DEPS_TOOLS:-go gcc pkg-config socat pdftotext}"
check_tools() {
  local absent=()
  for t in "${tools[@]}"; do
    command -v "$t" >/dev/null 2>&1 || absent+=("$t")
  done
  if [[ ${#absent[@]} -gt 0 ]]; then
    echo "deps: not on PATH: ${absent[*]}; install them (Go 1.26 or newer from https://go.dev/dl/; the rest from: ${pkgs[*]}) and run make test again" >&2
    exit 1
  fi
}
if ! command -v go >/dev/null 2>&1; then
  echo "Go is not on PATH. Install Go 1.26 or newer (https://go.dev/dl/) and run this again." >&2
  exit 1
fi
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$st" == "install ok installed" ]] || missing+=("$p")
  done
else
  echo "deps: not a Debian/Ubuntu system; make sure these (or your system's equivalents) are installed: ${pkgs[*]}" >&2
  check_tools
  exit 0
fi
if [[ ${#missing[@]} -eq 0 ]]; then
  check_tools
  exit 0
fi
echo "deps: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "deps: these packages are missing and I cannot install them without root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A failed index update is not fatal: the install below still works from the
# cached index, and fails loudly if it cannot.
$SUDO apt-get update -qq || echo "deps: apt-get update failed; trying the install with the cached package index" >&2
if ! $SUDO apt-get install -y -qq "${missing[@]}"; then
  echo "deps: apt-get could not install ${missing[*]}; install them by hand:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
check_tools
