#!/usr/bin/env bash
# Builds the Debian package: a Release build without tests, whose binary finds its factory
# presets only where the package puts them (no fallback to this source tree), then CPack.
# Prints the path of the .deb on its last line. Environment: LIVERACK_DEB_BUILD_DIR (default
# build-deb).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LIVERACK_DEB_BUILD_DIR:-$root/build-deb}
# Paths relative to the source tree in ccache's keys: objects built by packaging/test.sh are reused.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}

"$root/packaging/install-dependencies.sh" build
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
      -DLIVERACK_BUILD_TESTS=OFF -DLIVERACK_BUILD_BENCHMARKS=OFF \
      -DLIVERACK_SOURCE_TREE_PRESETS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
rm -f "$build"/liverack_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/liverack_*.deb)
echo "$deb"
