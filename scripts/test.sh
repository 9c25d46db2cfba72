#!/usr/bin/env bash
# The README's second command: installs what is missing, builds and runs every test.
#   scripts/test.sh              Release build in build-test/, all tests
#   scripts/test.sh --sanitize   ASan+UBSan build in build-asan/, all tests
#   scripts/test.sh --tsan       TSan build in build-tsan/, the parallel pipeline and CLI tests
#   scripts/test.sh --ci         all tests, then (clang, build-fuzz/) the C++ tests under
#                                ASan+UBSan and each libFuzzer target for FUZZ_SECONDS (10) s.
#                                CI=true in the environment (as CI sets it) means --ci.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
mode=${1:-}
if [[ -z $mode && ${CI:-} == true ]]; then mode=--ci; fi
dir=build-test; flags=(-DCMAKE_BUILD_TYPE=Release); tests=()
if [[ $mode == --sanitize ]]; then
  dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVENTGRAPH_SANITIZE=ON)
elif [[ $mode == --tsan ]]; then
  dir=build-tsan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVENTGRAPH_TSAN=ON); tests=(-R 'pipeline:|cli:')
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
fi
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
(cd "$dir" && ctest --output-on-failure -j "$(nproc)" "${tests[@]}")
if [[ $mode == --ci ]]; then
  # One clang build serves both: the library and tests with ASan+UBSan (and
  # libFuzzer's coverage hooks), the fuzz targets linked against it. Only
  # the C++ test stages run under ASan (the Python and shell interop tests
  # read large corpora through the binary and gain nothing from it).
  start=$SECONDS
  EG_FUZZ_WITH_TESTS=1 scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
  echo "ci: sanitizer suite and fuzzing took $((SECONDS - start)) s"
fi
