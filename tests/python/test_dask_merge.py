"""Map/merge on a Dask LocalCluster (2 worker processes) equals one run.

Runs scripts/dask_run.py over ../shared/corpus/dev/*.txt in 5 shards and
compares graph.graphml and graph.jsonld with a single `eventgraph run` over
the same inputs: they must be byte-identical. Also checks that the work was
really sharded (each shard's fragments hold only part of the graph) and that
the merge is order-independent (shards merged in reverse give the same bytes).

Run: /usr/bin/python3 tests/python/test_dask_merge.py BINARY SOURCE_DIR
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("ok: " if ok else "FAIL: ") + what)
    if ok:
        passed += 1
    else:
        failed += 1


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    binary, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    shared = os.environ.get("EG_SHARED_DIR", os.path.join(source, "..", "shared"))
    inputs = sorted(glob.glob(os.path.join(shared, "corpus", "dev", "*.txt")))
    check(len(inputs) >= 10, f"{len(inputs)} dev inputs")
    with tempfile.TemporaryDirectory() as tmp:
        frags = os.path.join(tmp, "fragments")
        proc = subprocess.run(
            ["/usr/bin/python3", os.path.join(source, "scripts", "dask_run.py"),
             "--eventgraph", binary, "--workers", "2", "--shards", "5",
             "--out", os.path.join(tmp, "dask"), "--format", "graphml,jsonld",
             "--keep-fragments", frags] + inputs,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
        print(proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else "")
        check(proc.returncode == 0, f"dask_run.py exit {proc.returncode}")
        if proc.returncode != 0:
            print(proc.stderr)
            return
        check("5 shards on 2 workers" in proc.stderr, "ran 5 shards on a LocalCluster of 2 workers")
        subprocess.run([binary, "run", "--quiet", "--format", "graphml,jsonld,fragments",
                        "--out", os.path.join(tmp, "single")] + inputs, check=True)
        for name in ("graph.graphml", "graph.jsonld"):
            a, b = read(os.path.join(tmp, "dask", name)), read(os.path.join(tmp, "single", name))
            check(len(b) > 10000 and a == b, f"{name}: Dask map/merge byte-identical to one run ({len(b)} bytes)")

        whole = read(os.path.join(tmp, "single", "graph.fragments.jsonl")).splitlines()
        shard_files = sorted(glob.glob(os.path.join(frags, "*.jsonl")))
        check(len(shard_files) == 5, f"{len(shard_files)} shard fragment files")
        sizes = [len(read(f).splitlines()) for f in shard_files]
        check(all(0 < s < len(whole) for s in sizes), f"each shard holds part of the graph: {sizes} of {len(whole)} lines")
        docs = [sum(1 for l in read(f).splitlines() if json.loads(l).get("type") == "Document") for f in shard_files]
        check(sum(docs) == len(inputs), f"documents split across shards {docs}, {sum(docs)} in all")

        subprocess.run([binary, "merge", "--quiet", "--format", "graphml,jsonld", "--out",
                        os.path.join(tmp, "reverse")] + shard_files[::-1], check=True)
        check(read(os.path.join(tmp, "reverse", "graph.graphml")) == read(os.path.join(tmp, "single", "graph.graphml")),
              "merging the shards in reverse order gives the same GraphML")


if __name__ == "__main__":
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc()
        failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
