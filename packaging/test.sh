#!/usr/bin/env bash
# Installs what is missing, builds with tests, starts a private JACK dummy server and runs every
# test; then runs the unit and engine tests again under AddressSanitizer and UBSan, fuzzes the
# parsers, and builds, validates and runs the Debian package (packaging/package_test.sh).
# Exits non-zero on any failure. LIVERACK_SKIP_SANITIZERS=1 skips the second pass.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LIVERACK_BUILD_DIR:-$root/build-test}
asan_build=${LIVERACK_ASAN_BUILD_DIR:-$root/build-asan}
jobs=$(nproc)
# ccache keys on the compiler's arguments; with paths made relative to the source tree, the
# package's build (packaging/build-deb.sh) reuses the objects of the test build.
export CCACHE_BASEDIR="$root"

# section TITLE: a header with the minutes spent so far, so a slow stage is seen in CI's log.
section() {
    printf '== %s  [%d:%02d elapsed]\n' "$1" $((SECONDS / 60)) $((SECONDS % 60))
}

"$root/packaging/install-dependencies.sh" test

# The browser test's driver (playwright-core, pinned in tests/web/package-lock.json), from npm.
section "Browser driver (npm ci in tests/web)"
(cd "$root/tests/web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

section "Build (Release, with tests)"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLIVERACK_BUILD_TESTS=ON \
      -DLIVERACK_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j"$jobs"

# A JACK dummy server under a private name, so a user's own server is never touched. Engine
# tests start their own as well; this one serves the command-line smoke tests.
export JACK_NO_AUDIO_RESERVATION=1 JACK_NO_START_SERVER=1
# A JACK server that was killed (by a crash or an interrupted run) leaves its slot taken in JACK's
# shared registry, which holds only 8. With no jackd running at all, every entry is stale.
if ! pgrep -x jackd >/dev/null && ! pgrep -x jackdbus >/dev/null; then
    rm -f /dev/shm/jack-shm-registry /dev/shm/jack_sem.* /dev/shm/jack_db-* 2>/dev/null || true
fi
export LIVERACK_TEST_JACK_SERVER="liverack-test-$$"
# Real-time scheduling where allowed (jackd runs on without it otherwise), as the tests' servers.
jackd -n "$LIVERACK_TEST_JACK_SERVER" --realtime -P 70 -d dummy -r 48000 -p 256 \
      >"$build/jackd.log" 2>&1 &
jack_pid=$!
trap 'kill "$jack_pid" 2>/dev/null || true; wait "$jack_pid" 2>/dev/null || true' EXIT
if ! jack_wait -s "$LIVERACK_TEST_JACK_SERVER" -w -t 10 >/dev/null; then
    echo "error: the JACK dummy server did not start; see $build/jackd.log" >&2
    exit 1
fi
export QT_QPA_PLATFORM=offscreen

section "Tests (Release)"
status=0
(cd "$build" && ctest --output-on-failure -j"$jobs" --timeout 600) || status=1

if [[ "${LIVERACK_SKIP_SANITIZERS:-0}" != 1 ]]; then
    section "Build (AddressSanitizer + UndefinedBehaviorSanitizer; core, engine and app)"
    # -O1 with line tables: GCC compiles the instrumented code three times faster than at -O2 -g
    # (34 s against 12 s for one test file), and the reports still name file and line.
    cmake -S "$root" -B "$asan_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
          -DLIVERACK_SANITIZE=ON -DLIVERACK_BUILD_GUI=OFF -DLIVERACK_BUILD_BENCHMARKS=OFF >/dev/null
    cmake --build "$asan_build" -j"$jobs"
    section "Tests (sanitizers: unit and engine)"
    # Leaks are checked; only the audio-server client libraries' lifetime allocations are waived.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export LSAN_OPTIONS="suppressions=$root/packaging/lsan-suppressions.txt:print_suppressions=0"
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # Not the clock-drift test: a minute of timing whose receiver, jitter buffer and drift code
    # the relay and latency tests run under the sanitizers too.
    (cd "$asan_build" && ctest --output-on-failure -j"$jobs" --timeout 900 -L "unit|engine" \
        -E "ReceiverMeasuresTheSendersClockDrift") || status=1
fi
section "Fuzzing"
"$root/packaging/fuzz.sh" || status=1
section "Package (the .deb built, validated, unpacked and run)"
"$root/packaging/package_test.sh" || status=1
section "Done ($([[ $status == 0 ]] && echo passed || echo FAILED))"
exit $status
