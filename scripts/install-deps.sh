#!/usr/bin/env bash
# Installs the Debian packages eventgraph needs to build and test, when missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite uses)
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config libre2-dev libboost-graph-dev nlohmann-json3-dev
      libtbb-dev zlib1g-dev libmimalloc-dev)
if [[ ${1:-} == --test ]]; then
  pkgs+=(catch2 python3-networkx python3-igraph python3-rdflib python3-distributed)
  # Node.js/npm (for the Kùzu and Oxigraph tests) and clang (libFuzzer): only
  # when the machine has none; a Node.js installed outside Debian's packages
  # counts, and Debian's npm would conflict with it.
  command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
  command -v clang >/dev/null 2>&1 || pkgs+=(clang)
  [[ -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ]] || pkgs+=(libclang-rt-14-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "eventgraph: installing ${missing[*]}" >&2
  SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
