"""The neo4j/ bundle follows `neo4j-admin database import`'s documented CSV format.

Runs `eventgraph run --format neo4j,fragments` over the seed and dev texts and
checks, with Python's csv module (RFC 4180): node files have `id:ID(Entity)`
first and `:LABEL` last, typed headers are name:type with a known type,
relationship files start `:START_ID(Entity),:END_ID(Entity),:TYPE,weight:double`,
every row has as many fields as its header, ids are unique, every
:START_ID/:END_ID is a node :ID, the counts equal the graph's (fragments), and
import.sh runs `neo4j-admin database import full` with every file and the ';'
array delimiter.

Run: /usr/bin/python3 tests/python/test_neo4j_csv.py BINARY SOURCE_DIR
"""
import csv
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

passed = failed = 0
TYPES = {"string", "long", "double", "int", "boolean", "float", "date", "string[]", "long[]", "double[]"}


def check(ok, what):
    global passed, failed
    print(("ok: " if ok else "FAIL: ") + what)
    if ok:
        passed += 1
    else:
        failed += 1


def rows_of(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f, strict=True))


def typed_ok(field):
    if ":" not in field:
        return re.fullmatch(r"\w+", field) is not None
    name, typ = field.rsplit(":", 1)
    return re.fullmatch(r"\w+", name) is not None and typ in TYPES


def main():
    binary, source = sys.argv[1], sys.argv[2]
    shared = os.environ.get("EG_SHARED_DIR", os.path.join(source, "..", "shared"))
    inputs = [os.path.join(shared, "corpus", "seed.txt")] + sorted(glob.glob(os.path.join(shared, "corpus", "dev", "*.txt")))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([binary, "run", "--quiet", "--format", "neo4j,fragments", "--out", tmp] + inputs, check=True)
        folder = os.path.join(tmp, "neo4j")
        frags = [json.loads(l) for l in open(os.path.join(tmp, "graph.fragments.jsonl"), encoding="utf-8")]
        node_files = sorted(glob.glob(os.path.join(folder, "nodes_*.csv")))
        rel_files = sorted(glob.glob(os.path.join(folder, "rels_*.csv")))
        check(len(node_files) >= 5 and len(rel_files) >= 5, f"{len(node_files)} node files, {len(rel_files)} relationship files")

        ids, width_ok, headers_ok, labels_ok = set(), True, True, True
        dup = 0
        for path in node_files:
            rows = rows_of(path)
            h = rows[0]
            label = os.path.basename(path)[len("nodes_"):-len(".csv")]
            headers_ok &= h[0] == "id:ID(Entity)" and h[-1] == ":LABEL" and all(typed_ok(x) for x in h[1:-1])
            for r in rows[1:]:
                width_ok &= len(r) == len(h)
                dup += r[0] in ids
                ids.add(r[0])
                labels_ok &= r[-1].split(";")[0] == label
        check(headers_ok, "node headers: id:ID(Entity) ... name:type ... :LABEL")
        check(width_ok, "every node row has as many fields as its header")
        check(dup == 0, "node ids unique across files")
        check(labels_ok, "each node file holds its own label first in :LABEL")
        want_nodes = {f["id"] for f in frags if f["kind"] == "node"}
        check(ids == want_nodes, f"{len(ids)} node :IDs == the graph's {len(want_nodes)} nodes")

        rels, refs_ok, rel_headers_ok, types_ok = 0, True, True, True
        for path in rel_files:
            rows = rows_of(path)
            h = rows[0]
            rel_headers_ok &= h[:4] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "weight:double"]
            rel_headers_ok &= all(typed_ok(x) for x in h[4:])
            for r in rows[1:]:
                rels += 1
                width_ok &= len(r) == len(h)
                refs_ok &= r[0] in ids and r[1] in ids
                types_ok &= os.path.basename(path) == f"rels_{r[2]}.csv" and float(r[3]) >= 1
        check(rel_headers_ok, "relationship headers: :START_ID(Entity),:END_ID(Entity),:TYPE,weight:double,...")
        check(refs_ok, "every :START_ID and :END_ID exists as a node :ID")
        check(types_ok, "each relationship file holds one :TYPE, weights >= 1")
        want_rels = sum(1 for f in frags if f["kind"] == "edge" and f["from"] in want_nodes and f["to"] in want_nodes)
        check(rels == want_rels, f"{rels} relationships == the graph's {want_rels} edges")

        script = open(os.path.join(folder, "import.sh"), encoding="utf-8").read()
        check("database import full" in script and '--array-delimiter=";"' in script,
              "import.sh runs neo4j-admin database import full --array-delimiter=\";\"")
        named = all(f"--nodes={os.path.basename(p)}" in script for p in node_files) and \
            all(f"--relationships={os.path.basename(p)}" in script for p in rel_files)
        check(named, "import.sh names every CSV file")
        syntax = subprocess.run(["bash", "-n", os.path.join(folder, "import.sh")]).returncode
        check(syntax == 0, "import.sh is valid bash")


if __name__ == "__main__":
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc()
        failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
