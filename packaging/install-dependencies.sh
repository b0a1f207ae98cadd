#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages LiveRack needs that are not installed yet, as listed in
# dependencies.txt beside this script ("<package> <role> [<command>]" lines; with a command, the
# package is wanted only where that command is missing).
# Usage: install-dependencies.sh [build|test]
#   build (the default) installs the packages of roles build and run; test installs every role.
# Prints nothing and exits 0 when nothing is missing. Otherwise runs `apt-get update -q` and
# `apt-get install -y -q --no-install-recommends PACKAGES`: directly as root, through sudo as any
# other user; a user without sudo is told what to install and gets exit 1. Root-ness is `id -u`,
# looked up on PATH (tests/packaging/install_dependencies_test.sh puts a stand-in there first).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
want=${1:-build}
if [[ "$want" != build && "$want" != test ]]; then
    echo "usage: $0 [build|test]" >&2
    exit 2
fi

missing=()
while read -r package role command _ || [[ -n "${package:-}" ]]; do
    [[ -z "$package" || "$package" == \#* ]] && continue
    [[ "$want" == test || "$role" == build || "$role" == run ]] || continue
    # A third field names a command the package provides: where it exists already (npm inside
    # nodesource's nodejs, say), the package is not wanted.
    if [[ -n "${command:-}" ]] && command -v "$command" >/dev/null; then
        continue
    fi
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) || status=""
    [[ "$status" == *"install ok installed"* ]] || missing+=("$package")
done < "$here/dependencies.txt"

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

# jackd2 asks about real-time priority unless told not to. sudo resets the environment, so the
# variable is passed to apt-get by env.
export DEBIAN_FRONTEND=noninteractive
if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
    echo "error: these packages are missing: ${missing[*]}; run this script as root, or install" \
         "sudo, or install them yourself: apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "Installing: ${missing[*]}"
"${as_root[@]}" apt-get update -q || {
    result=$?
    echo "error: apt-get update failed (exit $result), so these packages were not installed:" \
         "${missing[*]}" >&2
    exit "$result"
}
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" || {
    result=$?
    echo "error: apt-get install failed (exit $result) for these packages: ${missing[*]}" >&2
    exit "$result"
}
