#!/usr/bin/env bash
# Installs what is missing, builds a Release build and starts LiveRack. Arguments are passed on
# (see `liverack --help`). With no display it runs the engine headless.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LIVERACK_BUILD_DIR:-$root/build-release}

"$root/packaging/install-dependencies.sh" build
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DLIVERACK_BUILD_TESTS=OFF -DLIVERACK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target liverack

if [[ $# -eq 0 && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "run.sh: no display found; starting LiveRack headless (Ctrl+C stops it)." >&2
    exec "$build/app/liverack" --headless
fi
exec "$build/app/liverack" "$@"
