#!/usr/bin/python3
"""Map/merge eventgraph over a Dask distributed cluster.

Map: the input files are split into N shards (sorted paths, round-robin, so
the split depends only on the inputs), and each shard runs
`eventgraph extract --fragments` as one Dask task (a subprocess on a worker).
Reduce: the fragment files come back to this process and one
`eventgraph merge FRAGMENTS... --out DIR --format LIST` writes the graph.
Because fragments merge associatively and commutatively, the result is
byte-identical to one `eventgraph run` over all the inputs.

    /usr/bin/python3 scripts/dask_run.py --eventgraph build/eventgraph \\
        --shards 8 --out out --format graphml,jsonld corpus/*.txt
    /usr/bin/python3 scripts/dask_run.py --scheduler tcp://head:8786 ...

Without --scheduler a LocalCluster with --workers worker processes
(default 2) is started. With a scheduler, the eventgraph binary and the
input files must be at the same paths on every worker (a shared file
system); the fragments travel back through Dask, so no shared output folder
is needed. Needs Debian's python3-distributed; run it with /usr/bin/python3.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def expand_inputs(inputs):
    """Files as given; folders walked (sorted). Paths stay as the user wrote
    them, since eventgraph names documents by path: a relative path is run
    from this process's working directory on the worker too."""
    files = []
    for path in inputs:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files += [os.path.join(root, n) for n in sorted(names)]
        else:
            files.append(path)
    return sorted(files)


def split_shards(files, n):
    """Round-robin over the sorted list: deterministic, balanced in count."""
    n = max(1, min(n, len(files)))
    return [files[i::n] for i in range(n)]


def extract_shard(binary, shard_files, threads, pipeline, cwd):
    """Runs on a worker: extract one shard, return (rc, fragments bytes, stderr)."""
    with tempfile.TemporaryDirectory(prefix="eg-shard-") as tmp:
        out = os.path.join(tmp, "shard.jsonl")
        cmd = [binary, "extract", "--fragments", out, "--threads", str(threads), "--quiet"]
        if pipeline:
            cmd += ["--pipeline", pipeline]
        proc = subprocess.run(cmd + shard_files, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              cwd=cwd if os.path.isdir(cwd) else None)
        data = b""
        if proc.returncode == 0 and os.path.exists(out):
            with open(out, "rb") as f:
                data = f.read()
        return proc.returncode, data, proc.stderr.decode("utf-8", "replace")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scheduler", help="Dask scheduler address (default: a LocalCluster)")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    p.add_argument("--eventgraph", default="eventgraph", help="path of the eventgraph binary")
    p.add_argument("--shards", type=int, default=0, help="number of shards (default: 2 per worker)")
    p.add_argument("--threads", type=int, default=1, help="threads per extract task (default 1)")
    p.add_argument("--pipeline", help="pipeline spec passed to extract")
    p.add_argument("--out", required=True, help="output folder of the merged graph")
    p.add_argument("--format", default="graphml,jsonld", help="export formats of the merge")
    p.add_argument("--keep-fragments", help="also keep the shard fragments in this folder")
    p.add_argument("inputs", nargs="+")
    return p.parse_args(argv)


def run(args, client):
    binary = os.path.abspath(args.eventgraph) if os.path.sep in args.eventgraph else args.eventgraph
    pipeline = os.path.abspath(args.pipeline) if args.pipeline else None
    files = expand_inputs(args.inputs)
    if not files:
        print("dask_run: no input files", file=sys.stderr)
        return 2
    workers = len(client.scheduler_info()["workers"])
    shards = split_shards(files, args.shards or 2 * max(1, workers))
    print(f"dask_run: {len(files)} files in {len(shards)} shards on {workers} workers", file=sys.stderr)
    futures = [client.submit(extract_shard, binary, shard, args.threads, pipeline, os.getcwd(),
                             key=f"eventgraph-extract-{i}", pure=False)
               for i, shard in enumerate(shards)]
    results = client.gather(futures)
    frag_dir = args.keep_fragments or tempfile.mkdtemp(prefix="eg-fragments-")
    os.makedirs(frag_dir, exist_ok=True)
    frag_files = []
    for i, (rc, data, err) in enumerate(results):
        if err.strip():
            sys.stderr.write(err)
        if rc != 0:
            print(f"dask_run: shard {i} failed (exit {rc})", file=sys.stderr)
            return rc
        path = os.path.join(frag_dir, f"shard-{i:05d}.jsonl")
        with open(path, "wb") as f:
            f.write(data)
        frag_files.append(path)
    cmd = [binary, "merge", "--out", args.out, "--format", args.format, "--quiet"] + frag_files
    rc = subprocess.run(cmd).returncode
    if not args.keep_fragments:
        for path in frag_files:
            os.remove(path)
        os.rmdir(frag_dir)
    if rc == 0:
        print(f"dask_run: merged {len(frag_files)} shards into {args.out}", file=sys.stderr)
    return rc


def main(argv):
    args = parse_args(argv)
    from dask.distributed import Client, LocalCluster
    if args.scheduler:
        with Client(args.scheduler) as client:
            return run(args, client)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        return run(args, client)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
