#!/usr/bin/env python3
"""Extraction quality checks through the CLI.

usage: test_quality.py EVENTGRAPH SOURCE_DIR

1. seed: the graph built from ../shared/corpus/seed.txt holds exactly what
   seed.gold.json holds (issue 2): every category scores P = R = 1 with
   `eventgraph eval`, and the GraphML/JSON-LD of `eventgraph run` name the
   gold's people, merged bodies and the event's date and place.
2. samples/: each sample text against its NAME.expected.json (written by hand
   from the text); F1 floors per category, so a regression in a rule shows.
3. dev/: F1 floors on ../shared/corpus/dev plus seed (the starting point of
   issue 3's targets), so quality cannot silently fall.
"""
import json, os, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

BIN, SRC = sys.argv[1], sys.argv[2]
SHARED = os.path.join(SRC, "..", "shared", "corpus")
results = []


def check(name, fn):
    try:
        fn()
        results.append((name, None))
        print("PASS", name)
    except AssertionError as e:
        results.append((name, str(e)))
        print("FAIL", name, "\n ", e)


def eval_json(gold_dir):
    out = subprocess.run([BIN, "eval", "--json", "--gold", gold_dir], capture_output=True, text=True)
    assert out.returncode == 0, "eval failed: %s" % out.stderr
    return json.loads(out.stdout)["scores"]


def seed_eval_exact():
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(os.path.join(SHARED, "seed.txt"), d)
        shutil.copy(os.path.join(SHARED, "seed.gold.json"), d)
        scores = eval_json(d)
    wrong = {c: s for c, s in scores.items() if s["fp"] or s["fn"]}
    assert not wrong, "seed categories not exact: %s" % json.dumps(wrong)


def seed_graph_contents():
    gold = json.load(open(os.path.join(SHARED, "seed.gold.json"), encoding="utf-8"))
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run([BIN, "run", "--quiet", "--out", d, os.path.join(SHARED, "seed.txt")], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
        root = ET.parse(os.path.join(d, "graph.graphml")).getroot()
        keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", ns)}
        nodes = []
        for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node"):
            attrs = {keys[x.get("key")]: x.text for x in n.findall("g:data", ns)}
            nodes.append(attrs)
        persons = {a["label"] for a in nodes if a.get("type") == "Person"}
        want = {p["name"] for p in gold["persons"]}
        assert persons == want, "persons %s != gold %s" % (sorted(persons), sorted(want))
        orgs = [a for a in nodes if a.get("type") == "Organization"]
        assert len(orgs) == len(gold["organizations"]), "%d organisation nodes, gold has %d: %s" % (
            len(orgs), len(gold["organizations"]), sorted(a["label"] for a in orgs))
        doc = json.load(open(os.path.join(d, "graph.jsonld"), encoding="utf-8"))
        events = [x for x in doc["@graph"] if x.get("@type") == "Event"]
        assert len(events) == 1, "events: %r" % events
        assert events[0].get("startDate") == gold["event"]["start"], events[0]


def floors(gold_dir, want):
    scores = eval_json(gold_dir)
    low = {c: scores[c]["f1"] for c, f in want.items() if scores[c]["f1"] < f}
    assert not low, "below the floor: %s (floors %s)" % (low, want)


def samples_floor():
    sdir = os.path.join(SRC, "samples")
    with tempfile.TemporaryDirectory() as d:
        for f in os.listdir(sdir):
            if f.endswith(".expected.json") and os.path.exists(os.path.join(sdir, f[:-14] + ".txt")):
                shutil.copy(os.path.join(sdir, f), os.path.join(d, f[:-14] + ".gold.json"))
                shutil.copy(os.path.join(sdir, f[:-14] + ".txt"), d)
        golds = json.load(open(os.path.join(sdir, "f_dump.expected.json"), encoding="utf-8"))
        recs = [json.loads(l) for l in open(os.path.join(sdir, "f_dump.jsonl"), encoding="utf-8") if l.strip()]
        for g, r in zip(golds, recs):
            json.dump(g, open(os.path.join(d, r["id"] + ".gold.json"), "w", encoding="utf-8"))
            open(os.path.join(d, r["id"] + ".txt"), "w", encoding="utf-8").write(r["text"])
        # Regression guards a little under the scores of the 15 samples (2026-11-27:
        # .975 .926 .981 .953 .909 .963 1.0 .966 .80).
        floors(d, {"persons": 0.95, "organizations": 0.90, "places": 0.95, "roles": 0.92, "affiliations": 0.88,
                   "participation": 0.94, "event.title": 0.95, "event.start": 0.95, "topics": 0.78})


def dev_floor():
    with tempfile.TemporaryDirectory() as d:
        for f in os.listdir(os.path.join(SHARED, "dev")):
            if f.endswith(".txt") or f.endswith(".gold.json"):
                shutil.copy(os.path.join(SHARED, "dev", f), d)
        shutil.copy(os.path.join(SHARED, "seed.txt"), d)
        shutil.copy(os.path.join(SHARED, "seed.gold.json"), d)
        # Issue 3's targets are the floor where the dev scores reach them, a guard
        # just under the score elsewhere (2026-11-27: .973 .905 .957 .902 .908 .946
        # 1.0 .971 .776).
        floors(d, {"persons": 0.95, "organizations": 0.90, "places": 0.94, "roles": 0.89, "affiliations": 0.89,
                   "participation": 0.93, "event.title": 0.95, "event.start": 0.95, "topics": 0.75})


check("seed: eval is exact in every category", seed_eval_exact)
check("seed: GraphML and JSON-LD hold the gold's people, bodies and event", seed_graph_contents)
check("samples: F1 floors", samples_floor)
check("dev: F1 floors", dev_floor)
failed = sum(1 for _, e in results if e)
print("%d passed, %d failed" % (len(results) - failed, failed))
sys.exit(1 if failed else 0)
