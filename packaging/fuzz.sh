#!/usr/bin/env bash
# Fuzzes the preset reader: builds tests/fuzz with clang, libFuzzer, ASan and UBSan in a build
# directory of its own (only the preset and DSP sources), then runs a bounded number of inputs
# from the seed corpus. Exits non-zero on a crash, a leak, a hang or a failed build.
# Environment: LIVERACK_FUZZ_BUILD_DIR (default build-fuzz), LIVERACK_FUZZ_RUNS (default 200000),
# LIVERACK_FUZZ_MAX_SECONDS (default 120, a safety cap on the run itself).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LIVERACK_FUZZ_BUILD_DIR:-$root/build-fuzz}
runs=${LIVERACK_FUZZ_RUNS:-200000}
max_seconds=${LIVERACK_FUZZ_MAX_SECONDS:-120}
jobs=$(nproc)

# clang and its libFuzzer runtime (packaging/dependencies.txt, role "test").
missing=()
for package in clang libclang-rt-14-dev; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "Installing: ${missing[*]}"
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== Build (clang, libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer)"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DLIVERACK_BUILD_FUZZERS=ON -DLIVERACK_BUILD_TESTS=OFF -DLIVERACK_BUILD_GUI=OFF \
    -DLIVERACK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target PresetReaderFuzz -j"$jobs"

echo "== Fuzz the preset reader ($runs runs at most, $max_seconds s at most)"
# New inputs go to a scratch corpus in the build directory; the seeds in the source tree and the
# shipped presets are only read.
work="$build/fuzz-corpus"
artifacts="$build/fuzz-artifacts"
mkdir -p "$work" "$artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
start=$(date +%s)
status=0
"$build/tests/fuzz/PresetReaderFuzz" -runs="$runs" -max_total_time="$max_seconds" -timeout=5 \
    -rss_limit_mb=2048 -max_len=65536 -dict="$root/tests/fuzz/preset.dict" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$work" "$root/tests/fuzz/corpus" "$root/resources/presets" >"$build/fuzz.log" 2>&1 ||
    status=$?
elapsed=$(($(date +%s) - start))
grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$build/fuzz.log" || true
if [[ $status -ne 0 ]]; then
    echo "error: the preset fuzzer failed (exit $status) after ${elapsed}s; the last lines of" \
         "$build/fuzz.log follow, the failing input is in $artifacts" >&2
    tail -n 40 "$build/fuzz.log" >&2
    exit 1
fi
echo "preset fuzzer: no crash, leak or hang in ${elapsed}s"
