#!/usr/bin/env bash
# scripts/make-corpus: deterministic for a seed, different across seeds, valid JSONL,
# and a plain dump with the same documents separated by form feeds.
# Usage: bash test_make_corpus.sh BINARY SOURCE_DIR  (BINARY is not used here)
set -euo pipefail
src=${2:?usage: test_make_corpus.sh BINARY SOURCE_DIR}
gen="$src/scripts/make-corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

[[ -x $gen ]] || fail "$gen is not executable"
head -n1 "$gen" | grep -qx '#!/usr/bin/env python3' || fail "shebang"

"$gen" 2 7 --out-dir "$tmp/a"
PYTHONHASHSEED=12345 "$gen" 2 7 --out-dir "$tmp/b"   # no hash-order effects
(cd "$tmp/a" && "$gen" 2 8)   # default --out-dir is the current directory
mv "$tmp/a/corpus.jsonl" "$tmp/c.jsonl"; mv "$tmp/a/corpus.txt" "$tmp/c.txt"
"$gen" 2 7 --out-dir "$tmp/a"

for f in corpus.jsonl corpus.txt; do
  [[ -s $tmp/a/$f ]] || fail "$f missing or empty"
  cmp "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between two runs with seed 7"
done
cmp -s "$tmp/a/corpus.jsonl" "$tmp/c.jsonl" && fail "seeds 7 and 8 gave the same JSONL"
cmp -s "$tmp/a/corpus.txt" "$tmp/c.txt" && fail "seeds 7 and 8 gave the same text dump"
ls "$tmp/a" | grep -q tmp && fail "temporary files left behind"

# Sizes: the JSONL is at most 2 MiB and close to it; the dump is about as large.
python3 - "$tmp/a" <<'PY'
import json, os, sys
d = sys.argv[1]
jsize = os.path.getsize(os.path.join(d, "corpus.jsonl"))
tsize = os.path.getsize(os.path.join(d, "corpus.txt"))
assert 0.95 * 2 * 2**20 <= jsize <= 2 * 2**20, jsize
assert 0.8 * jsize <= tsize <= jsize, (tsize, jsize)

texts, ids, people_lines = [], set(), 0
with open(os.path.join(d, "corpus.jsonl"), "rb") as f:
    for n, raw in enumerate(f, 1):
        assert raw.endswith(b"\n"), "line %d not terminated" % n
        doc = json.loads(raw.decode("utf-8"))
        assert isinstance(doc, dict), "line %d is not an object" % n
        for k in ("id", "text", "url", "title", "date"):
            assert isinstance(doc.get(k), str) and doc[k], "line %d: bad %s" % (n, k)
        assert doc["id"] not in ids, "duplicate id " + doc["id"]
        ids.add(doc["id"])
        assert "\f" not in doc["text"]
        assert 500 <= len(doc["text"].encode()) <= 12000, len(doc["text"])
        assert doc["title"] in doc["text"]
        texts.append(doc["text"])
assert len(texts) > 100, len(texts)

with open(os.path.join(d, "corpus.txt"), "rb") as f:
    dump = f.read().decode("utf-8").split("\f")
assert len(dump) == len(texts), (len(dump), len(texts))
assert dump == texts, "the dump does not hold the same documents in the same order"

# Realistic content: non-ASCII names, and the phrasings the extractor must meet.
allt = "\n".join(texts)
assert any(ord(c) > 127 for c in allt)
for needle in ("SPEAKERS", "moderated by", " – ", "Head of ", "Director of ",
               "Permanent Representative of ", "featured", "Ministry of "):
    assert needle in allt, "no %r in the corpus" % needle
print("make-corpus ok: %d documents, %d + %d bytes" % (len(texts), jsize, tsize))
PY
echo PASS
