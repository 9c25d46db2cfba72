#!/usr/bin/env python3
"""The held-out measurement path: run `eventgraph run --format jsonld` on each
text alone, read graph.jsonld with rdflib by the schema.org terms of
DESIGN.md only, turn it into a prediction, and score it with score.py. The
scores must be at least those of `eventgraph eval` (which scores the
extractor's annotations directly): nothing may be lost on the way through the
JSON-LD. (They can be higher: two forms of one body that the text names
separately meet in one node when the gazetteer knows both.)

usage: test_jsonld_eval.py EVENTGRAPH SOURCE_DIR
"""
import json, os, shutil, subprocess, sys, tempfile
import rdflib
from rdflib.namespace import RDF

BIN, SRC = sys.argv[1], sys.argv[2]
CORPUS = os.path.join(SRC, "..", "shared", "corpus")
sys.path.insert(0, CORPUS)
import score  # noqa: E402

S = rdflib.Namespace("https://schema.org/")


def names(g, node):
    out = [str(x) for x in g.objects(node, S.name)] + [str(x) for x in g.objects(node, S.alternateName)]
    return out


def prediction(path, doc_id):
    g = rdflib.Graph().parse(path, format="json-ld")
    pred = {"id": doc_id, "persons": [], "organizations": [], "places": [], "topics": [], "event": None}
    for o in g.subjects(RDF.type, S.Organization):
        n = names(g, o)
        pred["organizations"].append({"name": str(g.value(o, S.name)), "aliases": [x for x in n[1:]]})
    for p in g.subjects(RDF.type, S.Place):
        nm = str(g.value(p, S.name))
        if nm != "Online":
            pred["places"].append(nm)
    events = list(g.subjects(RDF.type, S.Event))
    parts = {}
    if events:
        ev = events[0]
        def date(prop):
            v = g.value(ev, prop)
            return str(v) if v is not None else None
        title = g.value(ev, S.name)
        pred["event"] = {"title": str(title) if title is not None else None, "start": date(S.startDate), "end": date(S.endDate),
                         "places": [str(g.value(x, S.name)) for x in g.objects(ev, S.location)],
                         "organizers": [str(g.value(x, S.name)) for x in g.objects(ev, S.organizer)]}
        for pr in g.objects(ev, S.performer):
            who = g.value(pr, S.performer)
            parts[who] = str(g.value(pr, S.roleName))
        for who in g.objects(ev, S.attendee):
            parts.setdefault(who, "participant")
        pred["topics"] = sorted(str(g.value(t, S.termCode)) for t in g.objects(ev, S.about))
    docs = list(g.subjects(RDF.type, S.CreativeWork))
    if docs and not pred["topics"]:
        pred["topics"] = sorted(str(g.value(t, S.termCode)) for t in g.objects(docs[0], S.about))
    for p in g.subjects(RDF.type, S.Person):
        n = names(g, p)
        roles = []
        for a in g.objects(p, S.affiliation):
            if (a, RDF.type, S.OrganizationRole) in g:
                body = g.value(a, S.affiliation)
                roles.append({"title": str(g.value(a, S.roleName)), "org": str(g.value(body, S.name)) if body else None})
            else:
                roles.append({"title": None, "org": str(g.value(a, S.name))})
        titled = {r["title"] for r in roles if r["title"]}
        for t in g.objects(p, S.jobTitle):
            if str(t) not in titled:
                roles.append({"title": str(t), "org": None})
        pred["persons"].append({"name": n[0], "aliases": n[1:], "roles": roles, "event_role": parts.get(p, "mentioned")})
    return pred


def main():
    with tempfile.TemporaryDirectory() as d:
        gold, preds = os.path.join(d, "gold"), os.path.join(d, "pred")
        os.makedirs(gold); os.makedirs(preds)
        texts = [(os.path.join(CORPUS, "dev", f[:-4]), f[:-4]) for f in sorted(os.listdir(os.path.join(CORPUS, "dev"))) if f.endswith(".txt")]
        texts.append((os.path.join(CORPUS, "seed"), "seed"))
        for base, name in texts:
            shutil.copy(base + ".gold.json", gold)
            shutil.copy(base + ".txt", gold)
            out = os.path.join(d, "out-" + name)
            r = subprocess.run([BIN, "run", "--quiet", "--format", "jsonld", "--out", out, base + ".txt"], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            json.dump(prediction(os.path.join(out, "graph.jsonld"), name), open(os.path.join(preds, name + ".pred.json"), "w"))
        via_jsonld = json.loads(subprocess.run([sys.executable, os.path.join(CORPUS, "score.py"), gold, preds, "--json"],
                                               capture_output=True, text=True, check=True).stdout)["scores"]
        direct = json.loads(subprocess.run([BIN, "eval", "--json", "--gold", gold], capture_output=True, text=True, check=True).stdout)["scores"]
    failed = 0
    for c in score.CATEGORIES:
        a, b = via_jsonld[c]["f1"], direct[c]["f1"]
        ok = a >= b - 1e-9
        failed += not ok
        print("%-18s json-ld %.3f  eval %.3f  %s" % (c, a, b, "ok" if ok else "LOST ON THE WAY"))
    print("%d passed, %d failed" % (len(score.CATEGORIES) - failed, failed))
    return 1 if failed else 0


sys.exit(main())
