#!/bin/bash
# Renders the whole LiveRack window under Xvfb, streaming a plucked-string demo clip through a
# five-effect chain on a private JACK dummy server (or the null device when jackd is missing),
# and saves it as resources/screenshot.png.
# usage: tests/ui/make_screenshot.sh [BUILD_DIR] [OUT.png]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
out=${2:-$root/resources/screenshot.png}
work=$(mktemp -d)
server="liverack-shot-$$"
cleanup() {
    if [[ -n "${jack_pid:-}" ]]; then
        kill "$jack_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/demo_clip.py" "$work/demo.wav" 16
cat > "$work/chain.json" <<'JSON'
{ "format": "liverack-preset", "version": 1, "name": "Screenshot",
  "chain": [
    { "type": "eq", "params": { "b1.type": "highpass", "b1.freq_hz": 90, "b1.slope_db": 24,
        "b2.type": "peak", "b2.freq_hz": 350, "b2.gain_db": -3, "b2.q": 1.2,
        "b3.type": "highshelf", "b3.freq_hz": 6000, "b3.gain_db": 3 } },
    { "type": "compressor", "params": { "threshold_db": -24, "ratio": 3, "makeup_db": 4 } },
    { "type": "delay", "bypass": true, "params": { "time_ms": 375, "feedback": 0.3, "mix": 0.2 } },
    { "type": "reverb", "params": { "room_size": 0.55, "mix": 0.22 } },
    { "type": "limiter", "params": { "ceiling_db": -1 } }
  ] }
JSON

api=null
if command -v jackd >/dev/null; then
    JACK_NO_AUDIO_RESERVATION=1 jackd -n "$server" --realtime -P 70 -d dummy -r 48000 -p 256 \
        >"$work/jackd.log" 2>&1 &
    jack_pid=$!
    export JACK_DEFAULT_SERVER=$server
    if timeout 10 jack_wait -w >/dev/null 2>&1; then api=jack; fi
fi

export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"  # never the user's session
timeout 60 xvfb-run -a -s "-screen 0 1280x800x24 -dpi 96" bash -c "
    '$build/app/liverack' --fresh --api $api --source 'file:$work/demo.wav' \
        --preset '$work/chain.json' --block 256 &
    pid=\$!
    sleep 24   # let the spectrogram fill its 20 s of history
    import -window root '$out'
    kill \$pid; wait \$pid || true
"
echo "saved $out ($api)"
