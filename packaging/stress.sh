#!/usr/bin/env bash
# Runs every test that touches a real audio server or a real clock (ctest labels engine and jack)
# N times in a row (default 20) while stress-ng keeps every core busy, as a loaded CI machine
# would: a test that fails here without a product fault is a defect. Needs the Release test build
# (packaging/test.sh makes it). Usage: stress.sh [N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LIVERACK_BUILD_DIR:-$root/build-test}
repeats=${1:-20}
"$root/packaging/install-dependencies.sh" test

export JACK_NO_AUDIO_RESERVATION=1 JACK_NO_START_SERVER=1 QT_QPA_PLATFORM=offscreen
if ! pgrep -x jackd >/dev/null && ! pgrep -x jackdbus >/dev/null; then
    rm -f /dev/shm/jack-shm-registry /dev/shm/jack_sem.* /dev/shm/jack_db-* 2>/dev/null || true
fi
export LIVERACK_TEST_JACK_SERVER="liverack-stress-$$"
jackd -n "$LIVERACK_TEST_JACK_SERVER" --realtime -P 70 -d dummy -r 48000 -p 256 >/dev/null 2>&1 &
jack_pid=$!
stress-ng --cpu "$(nproc)" --quiet &
stress_pid=$!
trap 'kill "$stress_pid" "$jack_pid" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
jack_wait -s "$LIVERACK_TEST_JACK_SERVER" -w -t 10 >/dev/null 2>&1
cd "$build"
ctest --output-on-failure -L 'engine|jack' -j"$(nproc)" --timeout 900 --repeat until-fail:"$repeats"
