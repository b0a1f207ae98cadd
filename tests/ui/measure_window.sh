#!/bin/bash
# Measures the window under Xvfb: start-up to the first painted frame (median of 5 launches),
# and CPU use over 10 s at 60 fps with spectrum (8192-point FFT), spectrogram, meters and tuner
# all visible, for the GUI thread alone and for the whole process (audio and analysis included).
# usage: tests/ui/measure_window.sh [BUILD_DIR] [extra liverack options...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
shift || true
extra=("$@")
[[ ${#extra[@]} -eq 0 ]] && extra=(--api null --source pink)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"  # never the user's session
tck=$(getconf CLK_TCK)

# The inner script takes its values as arguments, so its $ expansions stay in single quotes.
# shellcheck disable=SC2016
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    set -euo pipefail
    build=$1; work=$2; tck=$3; overlap=$4; shift 4
    for i in 1 2 3 4 5; do
        LIVERACK_REPORT_STARTUP=1 "$build/app/liverack" --fresh "$@" 2>"$work/err$i" &
        pid=$!
        for _ in $(seq 100); do grep -q "first window painted" "$work/err$i" && break; sleep 0.05; done
        kill $pid; wait $pid || true
        grep -o "painted [0-9]* ms" "$work/err$i" | grep -o "[0-9]*" >>"$work/startup"
    done
    echo "start-up to first painted window (ms, 5 runs): $(sort -n "$work/startup" | tr "\n" " ")"
    echo "median: $(sort -n "$work/startup" | sed -n 3p) ms"

    LIVERACK_REPORT_FRAMES=1 "$build/app/liverack" "$@" 2>"$work/frames" &
    pid=$!
    sleep 5   # warm up: plans made, docks laid out, spectrogram scrolling
    ticks() { awk "{print \$14 + \$15}" "$1"; }
    gui0=$(ticks /proc/$pid/task/$pid/stat); all0=$(ticks /proc/$pid/stat); t0=$(date +%s.%N)
    sleep 10
    gui1=$(ticks /proc/$pid/task/$pid/stat); all1=$(ticks /proc/$pid/stat); t1=$(date +%s.%N)
    kill $pid; wait $pid || true
    grep -E "redraws per second|paints per second" "$work/frames" | tail -2
    awk -v g=$((gui1 - gui0)) -v a=$((all1 - all0)) -v t0=$t0 -v t1=$t1 -v tck=$tck "BEGIN {
        s = t1 - t0
        printf \"CPU over %.1f s: GUI thread %.1f %% of one core, whole process %.1f %%\n\",
               s, 100 * g / tck / s, 100 * a / tck / s }"
' bash "$build" "$work" "$tck" "${OVERLAP:-2}" "${extra[@]}"
