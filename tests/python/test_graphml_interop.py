"""GraphML interop: the CLI's graph.graphml loads in NetworkX and igraph.

Run as: /usr/bin/python3 test_graphml_interop.py BINARY SOURCE_DIR
Runs `BINARY run --out TMP --format graphml,jsonld SOURCE_DIR/../shared/corpus/seed.txt`
and checks that both libraries read the file with the contract's keys and
types. Also feeds a text full of control characters, a NUL and invalid UTF-8
through the CLI and checks both outputs still parse (NetworkX, rdflib).
Prints "N passed, M failed"; exits non-zero when anything failed.
"""
import os
import subprocess
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import rdflib

BINARY, SOURCE_DIR = sys.argv[1], sys.argv[2]
SEED = os.path.join(SOURCE_DIR, "..", "shared", "corpus", "seed.txt")
GML = "{http://graphml.graphdrawing.org/xmlns}"
PREFIX = {"Person": "person", "Organization": "org", "Role": "role", "Place": "place",
          "Event": "event", "Topic": "topic", "Document": "doc"}
NODE_TYPES = set(PREFIX)


def run_cli(inp, out):
    cmd = [BINARY, "run", "--out", out, "--format", "graphml,jsonld", inp]
    r = subprocess.run(cmd, capture_output=True, timeout=600)
    assert r.returncode == 0, "CLI %s exited %d:\n%s" % (
        " ".join(cmd), r.returncode, (r.stdout + r.stderr).decode("utf-8", "replace"))
    for name in ("graph.graphml", "graph.jsonld"):
        assert os.path.isfile(os.path.join(out, name)), "CLI wrote no %s in %s" % (name, out)


class SeedRun:
    """Runs the CLI over seed.txt once, for all the seed tests."""
    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="eg-graphml-")
        run_cli(SEED, self.tmp.name)
        self.path = os.path.join(self.tmp.name, "graph.graphml")
        root = ET.parse(self.path).getroot()
        self.xml_nodes = root.findall(".//%snode" % GML)
        self.xml_edges = root.findall(".//%sedge" % GML)


_seed = None


def seed():
    global _seed
    if _seed is None:
        _seed = SeedRun()
    return _seed


def test_networkx_reads_seed():
    s = seed()
    g = nx.read_graphml(s.path)
    assert g.is_directed(), "graph should be directed"
    assert g.number_of_nodes() == len(s.xml_nodes) > 0, \
        "NetworkX saw %d nodes, file has %d" % (g.number_of_nodes(), len(s.xml_nodes))
    assert g.number_of_edges() == len(s.xml_edges) > 0, \
        "NetworkX saw %d edges, file has %d" % (g.number_of_edges(), len(s.xml_edges))
    types = {d.get("type") for _, d in g.nodes(data=True)}
    assert types <= NODE_TYPES, "unknown node types %s" % (types - NODE_TYPES)
    for t in ("Person", "Organization", "Place", "Event", "Document", "Role"):
        assert t in types, "no %s node in %s" % (t, sorted(types))
    persons = [n for n, d in g.nodes(data=True) if d.get("type") == "Person"]
    assert len(persons) >= 6, "only %d persons: %s" % (len(persons), persons)
    for n, d in g.nodes(data=True):
        assert d.get("label"), "node %s has no label" % n
        assert n.split(":", 1)[0] == PREFIX[d["type"]], "id %s does not match type %s" % (n, d["type"])
        assert isinstance(d["mentions"], int) and d["mentions"] >= 1, "mentions of %s: %r" % (n, d.get("mentions"))
        assert d["degree"] == g.degree(n), "degree of %s: file %r, graph %r" % (n, d["degree"], g.degree(n))
    for u, v, d in g.edges(data=True):
        assert isinstance(d["weight"], float), "weight %r of %s->%s is not a float" % (d.get("weight"), u, v)
        assert d["weight"] >= 1.0
        assert d["label"] == d["type"], "edge label %r != type %r" % (d["label"], d["type"])
    # Components as the file says them agree with NetworkX's.
    comps = list(nx.weakly_connected_components(g))
    for comp in comps:
        ids = {g.nodes[n]["component"] for n in comp}
        assert len(ids) == 1, "one weak component carries component ids %s" % ids
    assert len({d["component"] for _, d in g.nodes(data=True)}) == len(comps)


def test_igraph_reads_seed():
    s = seed()
    g = igraph.Graph.Read_GraphML(s.path)
    assert g.is_directed()
    assert g.vcount() == len(s.xml_nodes), "igraph saw %d nodes, file has %d" % (g.vcount(), len(s.xml_nodes))
    assert g.ecount() == len(s.xml_edges), "igraph saw %d edges, file has %d" % (g.ecount(), len(s.xml_edges))
    for attr in ("label", "type", "degree", "component", "mentions"):
        assert attr in g.vs.attributes(), "vertex attribute %s missing: %s" % (attr, g.vs.attributes())
    for attr in ("type", "label", "weight"):
        assert attr in g.es.attributes(), "edge attribute %s missing: %s" % (attr, g.es.attributes())
    assert set(g.vs["type"]) <= NODE_TYPES
    assert "Person" in g.vs["type"]
    assert all(isinstance(w, float) and w >= 1.0 for w in g.es["weight"]), "weights not floats"
    assert g.vs["degree"] == g.degree(), "degree attribute disagrees with igraph"


def bad_text():
    """seed.txt with control characters and invalid UTF-8 bytes worked in,
    padded past 8 KiB (so the reader does not take it for binary) and then a
    NUL, a stray high byte and an escape sequence."""
    with open(SEED, "rb") as f:
        text = f.read()
    text = text.replace(b"Panel on", b"\x01Panel\x0b on \xff\xfe", 1)
    text = text.replace(b"Event description", b"Event \xc3\x28description \xed\xa0\x80", 1)
    text += b"\n" + b"filler line for the binary sniffer\n" * 300
    text += b"A\x00B \x1b[31m red \x85 \xf0\x28\x8c\x28 end\n"
    return text


def test_bad_input_still_parses():
    with tempfile.TemporaryDirectory(prefix="eg-bad-") as tmp:
        inp = os.path.join(tmp, "bad.txt")
        with open(inp, "wb") as f:
            f.write(bad_text())
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        run_cli(inp, out)
        g = nx.read_graphml(os.path.join(out, "graph.graphml"))
        assert g.number_of_nodes() > 0, "bad input produced an empty graph"
        igraph.Graph.Read_GraphML(os.path.join(out, "graph.graphml"))
        rg = rdflib.Graph()
        rg.parse(os.path.join(out, "graph.jsonld"), format="json-ld")
        assert len(rg) > 0, "bad input produced an empty JSON-LD graph"


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
