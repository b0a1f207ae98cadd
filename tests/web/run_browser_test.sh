#!/usr/bin/env bash
# The web monitor in a real browser, end to end: `liverack --headless` on the test JACK server
# ($LIVERACK_TEST_JACK_SERVER, started by packaging/test.sh) plays a 440 Hz sine at -18 dBFS and
# serves the monitor (with control, so the rack is on the page); monitor_browser_test.mjs opens
# it in headless Debian Chromium and checks meters, tuner and Listen. Screenshots go to OUT.
# Usage: run_browser_test.sh LIVERACK_BINARY OUT_FOLDER. Exits non-zero on any failed check.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=${1:?usage: run_browser_test.sh LIVERACK_BINARY OUT_FOLDER}
out=${2:?usage: run_browser_test.sh LIVERACK_BINARY OUT_FOLDER}
mkdir -p "$out"

if [[ ! -f "$here/node_modules/playwright-core/package.json" ]]; then
    echo "error: the browser driver is not installed; run 'npm ci' in $here" \
         "(packaging/test.sh does)" >&2
    exit 1
fi
if [[ -z "${LIVERACK_TEST_JACK_SERVER:-}" ]]; then
    echo "error: LIVERACK_TEST_JACK_SERVER names no JACK server; run this through" \
         "packaging/test.sh, or start 'jackd -n NAME -d dummy' and export it" >&2
    exit 1
fi

# liverack's stderr goes to a log and, through a FIFO, to this script, which reads it line by
# line until the monitor's address appears: the wait is for that event, bounded by read -t.
fifo=$(mktemp -u)
mkfifo "$fifo"
JACK_DEFAULT_SERVER=$LIVERACK_TEST_JACK_SERVER "$binary" --headless --api jack --no-autoconnect \
    --source sine:440 --gain-db 0 --web 0 --web-control \
    >"$out/liverack.json" 2> >(tee "$out/liverack.err" >"$fifo") &
liverack=$!
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    kill -INT "$liverack" 2>/dev/null || true
    wait "$liverack" 2>/dev/null || true
    rm -f "$fifo"
}
trap cleanup EXIT
url=""
exec 3<"$fifo"
while IFS= read -r -t 20 line <&3; do
    if [[ "$line" =~ with\ control:\ (http://[^ ]*\?token=[0-9a-f]+) ]]; then
        url=${BASH_REMATCH[1]}
        break
    fi
done
# Keep draining liverack's stderr so it never blocks on a full pipe.
cat <&3 >/dev/null &
if [[ -z "$url" ]]; then
    echo "error: liverack did not say where its web monitor is; its stderr:" >&2
    cat "$out/liverack.err" >&2
    exit 1
fi

status=0
node "$here/monitor_browser_test.mjs" --url "$url" --screenshot "$out/web-monitor.png" \
    --phone-screenshot "$out/web-monitor-phone.png" \
    --expect-peak-dbfs -18 --expect-note A4 --expect-hz 440 --listen-seconds 4 || status=1

kill -INT "$liverack"
liverack_status=0
wait "$liverack" || liverack_status=$?
trap 'rm -f "$fifo"' EXIT
if [[ $liverack_status -ne 0 ]]; then
    echo "error: liverack exited with $liverack_status; its stderr:" >&2
    cat "$out/liverack.err" >&2
    status=1
fi
echo "liverack: $(cat "$out/liverack.json")"
echo "screenshots: $out/web-monitor.png, $out/web-monitor-phone.png"
exit $status
