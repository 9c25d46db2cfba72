#!/usr/bin/env bash
# Loads the Kùzu bundle of the seed text into a real Kùzu (npm kuzu 0.11.x on
# Node) and queries it: person -> role -> organisation paths (HOLDS_ROLE then
# ROLE_AT) and the event's speakers (PARTICIPATED_IN with as='speaker').
# Expected values come from the seed's gold annotation at run time, and every
# node of the graph (per graph.fragments.jsonl) must be in the database.
#   bash tests/shell/test_kuzu.sh BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1"); src=$(realpath "$2")
shared=${EG_SHARED_DIR:-$src/../shared}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

node_modules=$(bash "$src/scripts/setup-node-deps.sh" | tail -n1)
"$bin" run --format kuzu,jsonld,fragments --out "$tmp/out" "$shared/corpus/seed.txt" 2>"$tmp/run.log" \
  || { cat "$tmp/run.log" >&2; exit 1; }
echo "checked: eventgraph run --format kuzu,jsonld,fragments wrote $(ls "$tmp/out/kuzu" | wc -l) files in kuzu/"

cat >"$tmp/kuzu_check.js" <<'JS'
const fs = require("fs");
const path = require("path");
const kuzu = require("kuzu");
const [outDir, goldPath, dbPath] = process.argv.slice(2);
const fold = (s) => (s || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
const statements = (file) => fs.readFileSync(file, "utf8").split("\n")
  .filter((l) => l.trim() && !l.startsWith("//")).join("\n")
  .split(/;\s*\n/).map((s) => s.trim()).filter(Boolean);
let failures = 0;
const check = (ok, what) => { console.log(`${ok ? "ok" : "FAIL"}: ${what}`); if (!ok) failures++; };

(async () => {
  const db = new kuzu.Database(dbPath);
  const conn = new kuzu.Connection(db);
  const kuzuDir = path.join(outDir, "kuzu");
  process.chdir(kuzuDir);  // copy.cypher names files relative to kuzu/
  const schema = statements("schema.cypher"), copies = statements("copy.cypher");
  for (const q of schema) await conn.query(q);
  for (const q of copies) await conn.query(q);
  check(true, `loaded ${schema.length} DDL statements and ${copies.length} COPY statements`);

  // Every node and edge of the graph is in the database.
  const frags = fs.readFileSync(path.join(outDir, "graph.fragments.jsonl"), "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const nodesWanted = frags.filter((f) => f.kind === "node").length;
  const edgesWanted = frags.filter((f) => f.kind === "edge").length;
  const nodes = (await (await conn.query("MATCH (n) RETURN count(n) AS c")).getAll())[0].c;
  const edges = (await (await conn.query("MATCH ()-[e]->() RETURN count(e) AS c")).getAll())[0].c;
  check(Number(nodes) === nodesWanted, `nodes in Kùzu ${nodes} == nodes in fragments ${nodesWanted}`);
  check(Number(edges) === edgesWanted, `edges in Kùzu ${edges} == edges in fragments ${edgesWanted}`);

  const gold = JSON.parse(fs.readFileSync(goldPath, "utf8"));
  const paths = await (await conn.query(
    "MATCH (p:Person)-[:HOLDS_ROLE]->(r:Role)-[:ROLE_AT]->(o) RETURN p.name AS person, r.roleName AS role, o.name AS body, label(o) AS kind ORDER BY person, role")).getAll();
  console.log("person -> role -> organisation paths:");
  for (const p of paths) console.log(`  ${p.person} -> ${p.role} -> ${p.body} (${p.kind})`);
  const have = new Set(paths.map((p) => [fold(p.person), fold(p.role), fold(p.body)].join("|")));
  const goldPaths = [];
  for (const gp of gold.persons) for (const r of gp.roles || [])
    if (r.title && r.org) goldPaths.push([gp.name, r.title, r.org]);
  const found = goldPaths.filter((g) => have.has(g.map(fold).join("|")));
  const first = goldPaths[0];
  check(have.has(first.map(fold).join("|")), `path ${first.join(" -> ")} is in Kùzu`);
  check(found.length >= Math.ceil(goldPaths.length / 2),
        `${found.length} of ${goldPaths.length} gold person -> role -> organisation paths found (>= half)`);

  const speakers = await (await conn.query(
    "MATCH (p:Person)-[e:PARTICIPATED_IN]->(ev:Event) WHERE e.`as` = 'speaker' RETURN p.name AS person, ev.name AS event ORDER BY person")).getAll();
  console.log("speakers:", speakers.map((s) => s.person).join(", "));
  const goldSpeakers = new Set(gold.persons.filter((p) => p.event_role === "speaker").map((p) => fold(p.name)));
  const right = speakers.filter((s) => goldSpeakers.has(fold(s.person)));
  check(right.length >= 5, `${right.length} gold speakers returned by PARTICIPATED_IN {as: 'speaker'} (>= 5)`);
  check(speakers.every((s) => fold(s.event) === fold(speakers[0].event)), "all speakers are of one event");
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error("FAIL:", e.message); process.exit(1); });
JS
NODE_PATH=$node_modules node "$tmp/kuzu_check.js" "$tmp/out" "$shared/corpus/seed.gold.json" "$tmp/db"
echo "test_kuzu: passed"
