#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 in build-fuzz/ and runs each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 20); TARGETs default to all of tests/fuzz/. Each target first
# replays its regression inputs (tests/fuzz/regressions/TARGET/), then fuzzes a scratch copy of
# its seed corpus (tests/fuzz/corpus/TARGET/, never written to) with its dictionary, if any.
# Runs every target, then exits non-zero if any crashed, leaked, timed out or broke a property,
# naming the saved input.
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${1:-20}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
all_targets=(fuzz_dates fuzz_resolve fuzz_csv fuzz_json fuzz_vcard)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    [[ -f tests/fuzz/$t.cpp ]] || { echo "fuzz.sh: no target '$t' (tests/fuzz/$t.cpp)" >&2; exit 2; }
done

# clang-14 and its libFuzzer runtime (Debian: clang-14 libclang-rt-14-dev libfuzzer-14-dev,
# which scripts/deps.sh --test installs).
CC=${FUZZ_CC:-clang-14}
CXX=${FUZZ_CXX:-clang++-14}
if ! command -v "$CXX" >/dev/null; then
    echo "fuzz.sh: $CXX not found; install clang-14 (scripts/deps.sh --test)" >&2
    exit 1
fi
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
        "$CXX" -x c++ - -fsanitize=fuzzer,address,undefined -o /dev/null 2>/dev/null; then
    echo "fuzz.sh: $CXX cannot link -fsanitize=fuzzer,address,undefined;" \
         "install libclang-rt-14-dev and libfuzzer-14-dev (scripts/deps.sh --test)" >&2
    exit 1
fi

build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=$(nproc)
echo "== build fuzz targets ($CXX, -O1, ASan + UBSan + libFuzzer) in $build"
if [[ ! -f $build/CMakeCache.txt ]]; then
    CC=$CC CXX=$CXX cmake -S . -B "$build" -DFOLLOWUP_FUZZ=ON -DFOLLOWUP_TESTS=OFF \
        -DFOLLOWUP_BENCH=OFF -DFOLLOWUP_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
fi
cmake --build "$build" -j"$jobs" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/followup-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
artifacts=$root/$build/crashes
mkdir -p "$artifacts"

failed=()
for t in "${targets[@]}"; do
    bin=$root/$build/tests/fuzz/$t
    log=$scratch/$t.log
    regressions=(tests/fuzz/regressions/$t/*)
    if [[ -e ${regressions[0]} ]]; then
        echo "== $t: ${#regressions[@]} regression input(s)"
        if ! "$bin" -timeout=5 -rss_limit_mb=2048 "${regressions[@]}" >"$log" 2>&1; then
            tail -n 60 "$log" >&2
            input=$(grep -o "^Running: .*" "$log" | tail -n 1 | sed 's/^Running: //')
            echo "fuzz.sh: $t fails on regression input ${input:-in tests/fuzz/regressions/$t/}" >&2
            echo "fuzz.sh: reproduce with: $bin ${input:-tests/fuzz/regressions/$t/*}" >&2
            failed+=("$t (regression ${input##*/})")
            continue
        fi
    fi

    corpus=$scratch/corpus-$t
    mkdir -p "$corpus"
    [[ -d tests/fuzz/corpus/$t ]] && cp -r tests/fuzz/corpus/$t/. "$corpus/"
    dict=()
    [[ -f tests/fuzz/$t.dict ]] && dict=(-dict="$root/tests/fuzz/$t.dict")
    echo "== $t: ${seconds}s from $(find "$corpus" -type f | wc -l) seed(s)${dict:+, with ${dict[0]#-dict=$root/}}"
    mkdir -p "$artifacts/$t"
    if ! "$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
            -print_final_stats=1 -artifact_prefix="$artifacts/$t/" "${dict[@]}" "$corpus" \
            >"$log" 2>&1; then
        tail -n 80 "$log" >&2
        saved=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' || true)
        echo "fuzz.sh: $t found a crash; input saved to: ${saved:-$artifacts/$t/}" >&2
        echo "fuzz.sh: reproduce with: $bin ${saved:-INPUT}" >&2
        echo "fuzz.sh: once fixed, keep it: cp ${saved:-INPUT} tests/fuzz/regressions/$t/" >&2
        failed+=("$t (${saved:-$artifacts/$t/})")
        continue
    fi
    grep -E "^stat::number_of_executed_units|^Done [0-9]+ runs" "$log" | tail -n 1 | sed "s/^/   /"
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "== fuzzing: no findings (${seconds}s per target: ${targets[*]})"
