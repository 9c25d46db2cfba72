#!/usr/bin/env bash
# The README's first command: installs what is missing, builds Release and runs
# the default pipeline on samples/ into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DEVENTGRAPH_TESTS=OFF >/dev/null
cmake --build build --target eventgraph
./build/eventgraph run --out out samples/
echo
echo "Outputs:"
ls -1 "$PWD"/out/graph.* | sed 's/^/  /'
echo "Open out/graph.graphml in Gephi (File > Open) or NetworkX (networkx.read_graphml)."
