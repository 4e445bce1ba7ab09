#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages OpenTill needs, when they are missing.
# As root (or with passwordless sudo) it uses apt-get; otherwise it prints the
# exact command to run and fails.
set -euo pipefail
pkgs=("$@")
missing=()
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
  exit 0
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0
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
$SUDO apt-get update -qq || true
if ! $SUDO apt-get install -y -qq "${missing[@]}"; then
  echo "deps: apt-get could not install ${missing[*]}; install them by hand:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
