#!/usr/bin/env bash
# Fuzzes the preset reader, the session parser and the RTP and SDP parsers: builds tests/fuzz with
# clang, libFuzzer, ASan and UBSan in a build directory of its own (only the preset, DSP and network
# sources), then runs a bounded number of inputs from the seed corpora. Exits non-zero on a crash,
# a leak, a hang or a failed build. Environment: LIVERACK_FUZZ_BUILD_DIR (default build-fuzz),
# LIVERACK_FUZZ_RUNS (preset inputs, default 150000), LIVERACK_FUZZ_SESSION_RUNS (default 60000),
# LIVERACK_FUZZ_NETWORK_RUNS (default 200000), LIVERACK_FUZZ_MAX_SECONDS (default 90 per target, a
# safety cap on each run).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LIVERACK_FUZZ_BUILD_DIR:-$root/build-fuzz}
runs=${LIVERACK_FUZZ_RUNS:-150000}
session_runs=${LIVERACK_FUZZ_SESSION_RUNS:-60000}
network_runs=${LIVERACK_FUZZ_NETWORK_RUNS:-200000}
max_seconds=${LIVERACK_FUZZ_MAX_SECONDS:-90}
jobs=$(nproc)

# clang and its libFuzzer runtime are in packaging/dependencies.txt, role "test".
"$root/packaging/install-dependencies.sh" test

echo "== Build (clang, libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer)"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DLIVERACK_BUILD_FUZZERS=ON -DLIVERACK_BUILD_TESTS=OFF -DLIVERACK_BUILD_GUI=OFF \
    -DLIVERACK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target PresetReaderFuzz SessionFuzz NetworkParsersFuzz -j"$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0

# fuzz NAME RUNS DICTIONARY SEED_FOLDER...: new inputs go to a scratch corpus in the build
# directory; the seeds in the source tree (and the shipped presets) are only read. DICTIONARY is a
# libFuzzer dictionary, or - for none.
fuzz() {
    local name=$1 runs=$2 dictionary=()
    [[ $3 != - ]] && dictionary=(-dict="$3")
    shift 3
    local work="$build/fuzz-corpus/$name" artifacts="$build/fuzz-artifacts/$name/"
    local log="$build/fuzz-$name.log"
    mkdir -p "$work" "$artifacts"
    echo "== Fuzz $name ($runs runs at most, $max_seconds s at most)"
    local start result=0
    start=$(date +%s)
    "$build/tests/fuzz/$name" -runs="$runs" -max_total_time="$max_seconds" -timeout=5 \
        -rss_limit_mb=2048 -max_len=65536 "${dictionary[@]}" \
        -artifact_prefix="$artifacts" -print_final_stats=1 "$work" "$@" >"$log" 2>&1 ||
        result=$?
    local elapsed=$(($(date +%s) - start))
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || true
    if [[ $result -ne 0 ]]; then
        echo "error: $name failed (exit $result) after ${elapsed}s; the failing input is in" \
             "$artifacts; the end of $log follows" >&2
        tail -n 40 "$log" >&2
        status=1
    else
        echo "$name: no crash, leak or hang in ${elapsed}s"
    fi
}

fuzz PresetReaderFuzz "$runs" "$root/tests/fuzz/preset.dict" "$root/tests/fuzz/corpus" \
    "$root/resources/presets"
fuzz SessionFuzz "$session_runs" "$root/tests/fuzz/preset.dict" "$root/tests/fuzz/corpus-session"
fuzz NetworkParsersFuzz "$network_runs" - "$root/tests/fuzz/corpus-network"
exit $status
