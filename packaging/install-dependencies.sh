#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages LiveRack needs that are not installed yet.
# Usage: install-dependencies.sh build|test   (test installs the build packages too)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
want=${1:-build}

missing=()
while read -r package role; do
    [[ -z "$package" || "$package" == \#* ]] && continue
    if [[ "$role" == build || "$role" == run || "$want" == test ]]; then
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    fi
done < "$here/dependencies.txt"

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
echo "Installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
        echo "error: these packages are missing and sudo is not available: ${missing[*]}" >&2
        exit 1
    fi
    sudo="sudo"
fi
# jackd2 asks about real-time priority unless told not to.
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo -E apt-get install -y -q --no-install-recommends "${missing[@]}"
