"""graph.gexf opens in NetworkX's read_gexf and holds the same graph as graph.graphml.

Run: /usr/bin/python3 tests/python/test_gexf_networkx.py BINARY SOURCE_DIR
Debian's NetworkX 2.8 predates GEXF 1.3 in its reader's version table; the
test registers 1.3 exactly as NetworkX 3 does (namespaces http://gexf.net/1.3
and http://gexf.net/1.3/viz) and leaves the reader itself untouched.
"""
import math
import os
import subprocess
import sys
import tempfile

import networkx as nx
from networkx.readwrite.gexf import GEXF

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("ok: " if ok else "FAIL: ") + what)
    if ok:
        passed += 1
    else:
        failed += 1


def main():
    binary, source = sys.argv[1], sys.argv[2]
    shared = os.environ.get("EG_SHARED_DIR", os.path.join(source, "..", "shared"))
    if "1.3" not in GEXF.versions:
        GEXF.versions["1.3"] = {
            "NS_GEXF": "http://gexf.net/1.3",
            "NS_VIZ": "http://gexf.net/1.3/viz",
            "NS_XSI": "http://www.w3.org/2001/XMLSchema-instance",
            "SCHEMALOCATION": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            "VERSION": "1.3",
        }
    inputs = [os.path.join(shared, "corpus", "seed.txt")]
    dev = os.path.join(shared, "corpus", "dev")
    inputs += sorted(os.path.join(dev, f) for f in os.listdir(dev) if f.endswith(".txt"))[:10]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([binary, "run", "--format", "gexf,graphml", "--out", tmp] + inputs,
                       check=True, stderr=subprocess.DEVNULL)
        g = nx.read_gexf(os.path.join(tmp, "graph.gexf"), version="1.3")
        gm = nx.read_graphml(os.path.join(tmp, "graph.graphml"))
    check(g.is_directed(), "GEXF graph is directed")
    check(g.number_of_nodes() > 20, f"{g.number_of_nodes()} nodes read")
    check(set(g.nodes) == set(gm.nodes), "same node ids as GraphML")
    check(g.number_of_edges() == gm.number_of_edges(),
          f"same edge count as GraphML ({g.number_of_edges()} vs {gm.number_of_edges()})")
    types = {d.get("type") for _, d in g.nodes(data=True)}
    check({"Person", "Organization", "Role", "Event", "Document"} <= types, f"node types {sorted(types)}")
    same_label = all(g.nodes[n].get("label") == gm.nodes[n].get("label") for n in g.nodes)
    check(same_label, "node labels equal GraphML's")
    same_type = all(g.nodes[n].get("type") == gm.nodes[n].get("type") for n in g.nodes)
    check(same_type, "node types equal GraphML's")
    colors = {}
    ok_viz = True
    for n, d in g.nodes(data=True):
        viz = d.get("viz", {})
        c = viz.get("color")
        size = viz.get("size")
        mentions = int(d.get("mentions", 0))
        if c is None or size is None or abs(size - (5 + 3 * math.log2(1 + mentions))) > 1e-3:
            ok_viz = False
        colors.setdefault(d["type"], set()).add((c["r"], c["g"], c["b"]) if c else None)
    check(ok_viz, "every node has viz:color and viz:size = 5+3*log2(1+mentions)")
    check(all(len(v) == 1 for v in colors.values()), "one colour per node type")
    check(len({next(iter(v)) for v in colors.values()}) == len(colors), "different types, different colours")
    edges_ok = True
    for u, v, d in g.edges(data=True):
        if d.get("label") != d.get("type") or float(d.get("weight", 0)) < 1:
            edges_ok = False
    check(edges_ok, "every edge has label = type and weight >= 1")
    wsum = sum(float(d["weight"]) for _, _, d in g.edges(data=True))
    wsum_ml = sum(float(d["weight"]) for _, _, d in gm.edges(data=True))
    check(abs(wsum - wsum_ml) < 1e-6, f"total edge weight equals GraphML's ({wsum})")
    speakers = [d for _, _, d in g.edges(data=True) if d.get("type") == "PARTICIPATED_IN" and d.get("as") == "speaker"]
    check(len(speakers) >= 5, f"{len(speakers)} PARTICIPATED_IN edges with as=speaker")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a crash is a failure, reported
        import traceback
        traceback.print_exc()
        failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
