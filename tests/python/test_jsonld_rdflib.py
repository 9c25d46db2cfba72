"""JSON-LD interop: the CLI's graph.jsonld loads in rdflib and answers
SPARQL over schema.org terms.

Run as: /usr/bin/python3 test_jsonld_rdflib.py BINARY SOURCE_DIR
Runs `BINARY run --out TMP --format graphml,jsonld SOURCE_DIR/../shared/corpus/seed.txt`.
The expected people, titles and organisations are read from the corpus's
gold file (seed.gold.json), not written here.
Prints "N passed, M failed"; exits non-zero when anything failed.
"""
import json
import os
import subprocess
import sys
import tempfile
import traceback

import rdflib
from rdflib.namespace import XSD

BINARY, SOURCE_DIR = sys.argv[1], sys.argv[2]
CORPUS = os.path.join(SOURCE_DIR, "..", "shared", "corpus")
SEED = os.path.join(CORPUS, "seed.txt")

ROLE_QUERY = """
PREFIX schema: <https://schema.org/>
SELECT ?n ?t ?on WHERE {
  ?p a schema:Person ; schema:name ?n ; schema:affiliation ?r .
  ?r schema:roleName ?t ; schema:affiliation ?o .
  ?o schema:name ?on .
}"""


def run_cli(inp, out):
    cmd = [BINARY, "run", "--out", out, "--format", "graphml,jsonld", inp]
    r = subprocess.run(cmd, capture_output=True, timeout=600)
    assert r.returncode == 0, "CLI %s exited %d:\n%s" % (
        " ".join(cmd), r.returncode, (r.stdout + r.stderr).decode("utf-8", "replace"))


_graph = None


def seed_graph():
    global _graph
    if _graph is None:
        with tempfile.TemporaryDirectory(prefix="eg-jsonld-") as tmp:
            run_cli(SEED, tmp)
            path = os.path.join(tmp, "graph.jsonld")
            with open(path, "rb") as f:
                json.loads(f.read().decode("utf-8"))  # strict UTF-8 JSON first
            g = rdflib.Graph()
            g.parse(path, format="json-ld")
            _graph = g
    return _graph


def gold_roles():
    """(name, title, org) for the gold's first two persons: the panel's
    moderator and its first speaker, each with one titled role."""
    with open(os.path.join(CORPUS, "seed.gold.json"), encoding="utf-8") as f:
        gold = json.load(f)
    out = []
    for p in gold["persons"][:2]:
        r = p["roles"][0]
        out.append((p["name"], r["title"], r["org"]))
    return out


def test_rdflib_parses():
    g = seed_graph()
    assert len(g) > 50, "only %d triples" % len(g)


def test_sparql_roles():
    g = seed_graph()
    rows = {(str(n), str(t), str(on)) for n, t, on in g.query(ROLE_QUERY)}
    assert rows, "the role query returned nothing"
    for want in gold_roles():
        assert want in rows, "missing %r; query returned:\n  %s" % (
            want, "\n  ".join(map(repr, sorted(rows))))


def test_persons_and_types():
    g = seed_graph()
    q = "PREFIX schema: <https://schema.org/> SELECT DISTINCT ?p WHERE { ?p a schema:Person }"
    persons = list(g.query(q))
    assert len(persons) >= 6, "only %d persons" % len(persons)
    for t in ("Organization", "Place", "Event", "CreativeWork", "OrganizationRole"):
        q = "PREFIX schema: <https://schema.org/> ASK { ?x a schema:%s }" % t
        assert g.query(q).askAnswer, "no schema:%s node" % t


def test_event_dates_and_performers():
    g = seed_graph()
    q = """PREFIX schema: <https://schema.org/>
    SELECT ?d ?role ?n WHERE { ?e a schema:Event ; schema:startDate ?d ;
      schema:performer ?pr . ?pr a schema:PerformanceRole ; schema:roleName ?role ;
      schema:performer ?p . ?p schema:name ?n }"""
    rows = list(g.query(q))
    assert rows, "no event with dated performers"
    for d, role, n in rows:
        assert d.datatype == XSD.date, "startDate %r is not typed xsd:date" % d
    assert {str(r) for _, r, _ in rows} & {"speaker", "moderator"}, "no speaker or moderator"


def main():
    tests = [(k, v) for k, v in globals().items() if k.startswith("test_") and callable(v)]
    passed = failed = 0
    for name, fn in tests:
        try:
            fn()
            passed += 1
            print("PASS %s" % name)
        except Exception:  # report every failure, then exit non-zero
            failed += 1
            print("FAIL %s\n%s" % (name, traceback.format_exc()))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
