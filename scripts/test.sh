#!/usr/bin/env bash
# The README's second command: installs what is missing, builds and runs every test.
#   scripts/test.sh              Release build in build-test/, all tests
#   scripts/test.sh --sanitize   ASan+UBSan build in build-asan/, all tests
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
dir=build-test; flags=(-DCMAKE_BUILD_TYPE=Release)
if [[ ${1:-} == --sanitize ]]; then
  dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVENTGRAPH_SANITIZE=ON)
fi
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
cd "$dir"
ctest --output-on-failure -j "$(nproc)"
