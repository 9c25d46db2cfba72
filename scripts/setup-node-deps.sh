#!/usr/bin/env bash
# Installs the Node packages the database tests use -- kuzu (0.11.x, an
# embedded graph database with Cypher) and oxigraph (an RDF store with
# SPARQL) -- into build-tools/node_modules (not the repo root), from the npm
# registry. Idempotent: when both are already installed at the wanted
# versions it returns at once.
#   scripts/setup-node-deps.sh [PREFIX]   (default PREFIX: <repo>/build-tools)
# Prints the node_modules folder to use as NODE_PATH on its last line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-${EG_NODE_PREFIX:-$repo/build-tools}}
kuzu_version=${EG_KUZU_VERSION:-0.11.3}
oxigraph_version=${EG_OXIGRAPH_VERSION:-0.5}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

installed() {  # name version-prefix
  local pj="$prefix/node_modules/$1/package.json"
  [[ -f $pj ]] && node -e 'const v=require(process.argv[1]).version; process.exit(v.startsWith(process.argv[2])?0:1)' "$pj" "$2"
}
check_load() {
  (cd "$prefix" && node -e 'require("kuzu"); require("oxigraph");') 2>/dev/null
}

if installed kuzu "$kuzu_version" && installed oxigraph "$oxigraph_version" && check_load; then
  echo "$prefix/node_modules"
  exit 0
fi

command -v npm >/dev/null || { echo "setup-node-deps: npm not found (apt-get install nodejs npm)" >&2; exit 2; }
[[ -f $prefix/package.json ]] || echo '{"name":"eventgraph-build-tools","private":true}' >"$prefix/package.json"
# Serialise concurrent installs (ctest -j runs several tests at once).
exec 9>"$prefix/.install.lock"
flock 9
if ! (installed kuzu "$kuzu_version" && installed oxigraph "$oxigraph_version" && check_load); then
  echo "setup-node-deps: installing kuzu@$kuzu_version oxigraph@$oxigraph_version into $prefix" >&2
  (cd "$prefix" && npm install --no-audit --no-fund --loglevel=error \
     "kuzu@$kuzu_version" "oxigraph@$oxigraph_version" >&2)
fi
check_load || { echo "setup-node-deps: kuzu/oxigraph installed but do not load" >&2; exit 2; }
echo "$prefix/node_modules"
