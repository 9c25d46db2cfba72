#!/usr/bin/env bash
# Loads the seed's graph.jsonld into Oxigraph (npm oxigraph, an RDF store, as
# application/ld+json with its inline @context, no network) and asks SPARQL
# over schema.org terms for person -> roleName -> organisation paths (the
# schema:OrganizationRole pattern) and the event's speakers (PerformanceRole).
# Expected values come from the seed's gold annotation at run time.
#   bash tests/shell/test_oxigraph.sh BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
shared=${EG_SHARED_DIR:-$src/../shared}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

node_modules=$(bash "$src/scripts/setup-node-deps.sh" | tail -n1)
"$bin" run --format jsonld --out "$tmp/out" "$shared/corpus/seed.txt" 2>"$tmp/run.log" \
  || { cat "$tmp/run.log" >&2; exit 1; }
echo "checked: eventgraph run --format jsonld wrote graph.jsonld ($(wc -c <"$tmp/out/graph.jsonld") bytes)"

cat >"$tmp/oxigraph_check.js" <<'JS'
const fs = require("fs");
const oxigraph = require("oxigraph");
const [jsonldPath, goldPath] = process.argv.slice(2);
const fold = (s) => (s || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
let failures = 0;
const check = (ok, what) => { console.log(`${ok ? "ok" : "FAIL"}: ${what}`); if (!ok) failures++; };

const store = new oxigraph.Store();
store.load(fs.readFileSync(jsonldPath, "utf8"), { format: "application/ld+json" });
check(store.size > 0, `loaded ${store.size} triples from graph.jsonld as application/ld+json`);

const rows = store.query(`
  PREFIX schema: <https://schema.org/>
  SELECT ?person ?role ?body WHERE {
    ?p a schema:Person ; schema:name ?person ; schema:affiliation ?r .
    ?r a schema:OrganizationRole ; schema:roleName ?role ; schema:affiliation ?o .
    ?o schema:name ?body .
  } ORDER BY ?person ?role`);
console.log("person -> roleName -> organisation (SPARQL):");
for (const b of rows) console.log(`  ${b.get("person").value} -> ${b.get("role").value} -> ${b.get("body").value}`);
const have = new Set(rows.map((b) => ["person", "role", "body"].map((k) => fold(b.get(k).value)).join("|")));
const gold = JSON.parse(fs.readFileSync(goldPath, "utf8"));
const goldPaths = [];
for (const gp of gold.persons) for (const r of gp.roles || [])
  if (r.title && r.org) goldPaths.push([gp.name, r.title, r.org]);
const first = goldPaths[0];
check(have.has(first.map(fold).join("|")), `path ${first.join(" -> ")} answered by SPARQL`);
const found = goldPaths.filter((g) => have.has(g.map(fold).join("|")));
check(found.length >= Math.ceil(goldPaths.length / 2),
      `${found.length} of ${goldPaths.length} gold paths answered (>= half)`);

const speakers = store.query(`
  PREFIX schema: <https://schema.org/>
  SELECT DISTINCT ?name WHERE {
    ?e a schema:Event ; schema:performer ?pr .
    ?pr a schema:PerformanceRole ; schema:roleName "speaker" ; schema:performer ?p .
    ?p schema:name ?name .
  }`);
const goldSpeakers = new Set(gold.persons.filter((p) => p.event_role === "speaker").map((p) => fold(p.name)));
const right = speakers.filter((b) => goldSpeakers.has(fold(b.get("name").value)));
console.log("speakers (SPARQL):", speakers.map((b) => b.get("name").value).join(", "));
check(right.length >= 5, `${right.length} gold speakers answered as schema:PerformanceRole "speaker" (>= 5)`);
process.exit(failures ? 1 : 0);
JS
NODE_PATH=$node_modules node "$tmp/oxigraph_check.js" "$tmp/out/graph.jsonld" "$shared/corpus/seed.gold.json"
echo "test_oxigraph: passed"
