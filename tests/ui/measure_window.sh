#!/bin/bash
# Measures the window under Xvfb on the null device streaming pink noise:
#  - start-up to the first painted frame (median of 5 launches);
#  - CPU over 10 s with every view in view (spectrum at 8192 points, spectrogram, meters and
#    loudness, and the tuner, whose tab is raised with a click), on a 60 Hz screen (frames at
#    every second refresh):
#    for the GUI thread, every other thread, and the whole process, with what was repainted;
#  - CPU over 10 s minimised, from UiMainWindowHiddenTest (a bare X server has no window manager
#    to minimise a window, the offscreen platform does), GUI thread and whole process.
# The machine's load is printed first: the figures mean little on a busy machine.
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
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The inner script takes its values as arguments, so its $ expansions stay in single quotes.
# shellcheck disable=SC2016
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    set -euo pipefail
    build=$1; work=$2; tck=$3; shift 3
    for i in 1 2 3 4 5; do
        LIVERACK_REPORT_STARTUP=1 "$build/app/liverack" --fresh "$@" 2>"$work/err$i" &
        pid=$!
        for _ in $(seq 100); do grep -q "first window painted" "$work/err$i" && break; sleep 0.05; done
        kill $pid; wait $pid || true
        grep -o "painted [0-9]* ms" "$work/err$i" | grep -o "[0-9]*" >>"$work/startup"
    done
    echo "start-up to first painted window (ms, 5 runs): $(sort -n "$work/startup" | tr "\n" " ")"
    echo "median: $(sort -n "$work/startup" | sed -n 3p) ms"

    LIVERACK_REPORT_FRAMES=1 "$build/app/liverack" --fresh "$@" 2>"$work/frames" &
    pid=$!
    sleep 2
    # The default layout keeps the tuner in a tab behind the transport: raise it.
    if command -v xdotool >/dev/null; then
        xdotool mousemove 977 760 click 1
    else
        echo "xdotool is missing: the tuner stays behind its tab"
    fi
    sleep 3   # warm up: plans made, docks laid out, spectrogram scrolling
    ticks() { awk "{print \$14 + \$15}" "$1"; }
    snapshot() { for t in /proc/$pid/task/*; do echo "$(basename "$t") $(ticks "$t/stat")"; done; }
    snapshot >"$work/threads0"; all0=$(ticks /proc/$pid/stat); t0=$(date +%s.%N)
    sleep 10
    snapshot >"$work/threads1"; all1=$(ticks /proc/$pid/stat); t1=$(date +%s.%N)
    for t in /proc/$pid/task/*; do echo "$(basename "$t") $(tr " " _ <"$t/comm")"; done >"$work/names"
    kill $pid; wait $pid || true
    grep -E "redraws per second|paints per second|in view" "$work/frames" | tail -3
    s=$(echo "$t1 - $t0" | bc -l)
    echo "visible, every view in view, over $(printf %.1f "$s") s:"
    join "$work/threads0" "$work/threads1" | join - "$work/names" | awk -v s="$s" -v tck="$tck" \
        -v gui="$pid" "{ d = \$3 - \$2; if (d > 0 || \$1 == gui)
            printf \"  thread %-16s %5.2f %% of one core\n\", (\$1 == gui ? \"GUI\" : \$4), 100 * d / tck / s }"
    awk -v a=$((all1 - all0)) -v s="$s" -v tck="$tck" "BEGIN {
        printf \"  whole process    %5.2f %% of one core\n\", 100 * a / tck / s }"
' bash "$build" "$work" "$tck" "${extra[@]}"

QT_QPA_PLATFORM=offscreen "$build/tests/ui/UiMainWindowHiddenTest" 2>&1 | grep -o "minimised, over.*" || {
    echo "UiMainWindowHiddenTest did not run (build with -DLIVERACK_BUILD_TESTS=ON)"
    exit 1
}
