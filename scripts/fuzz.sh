#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan in
# build-fuzz/ and runs each for a bounded time on its seed corpus.
#   scripts/fuzz.sh [SECONDS] [TARGET...]    default: 30 s each, every target
# New inputs go to build-fuzz/corpus/<target>/ (the seeds in
# tests/fuzz/corpus/<target>/ are only read); crashes to build-fuzz/crashes/.
# Prints the executions per target; exits non-zero when a target crashed.
# EG_FUZZ_WITH_TESTS=1: also builds the C++ tests in build-fuzz/ (ASan+UBSan)
# and runs them with ctest before fuzzing (scripts/test.sh --ci does this).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
all=(fuzz_jsonl_reader fuzz_normaliser fuzz_rule_parser fuzz_extract_export)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
san="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DEVENTGRAPH_FUZZ=ON -DCMAKE_CXX_FLAGS="$san" >/dev/null
cmake --build build-fuzz -j "${JOBS:-$(nproc)}" --target "${targets[@]}"
if [[ ${EG_FUZZ_WITH_TESTS:-} == 1 ]]; then
  cmake --build build-fuzz -j "${JOBS:-$(nproc)}"
  (cd build-fuzz && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j "${JOBS:-$(nproc)}" -R '^(hostile|regression|reader|normaliser|graph|exporters|pipeline|cli):')
fi
mkdir -p build-fuzz/crashes
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  log="build-fuzz/$t.log"
  set +e
  "build-fuzz/tests/fuzz/$t" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$t-" \
    "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [[ $rc -ne 0 ]]; then
    failed=1
    echo "fuzz: $t: FAILED (exit $rc) after $execs executions; see $log and build-fuzz/crashes/"
    grep -E 'ERROR|SUMMARY|runtime error|abort' "$log" | head -5 || true
  else
    echo "fuzz: $t: $execs executions in ${secs} s, no crash"
  fi
done
exit $failed
