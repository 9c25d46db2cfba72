#!/usr/bin/env bash
# Throughput benchmark (issue 6). Not a test: it prints figures, see BENCHMARKS.md.
#
#   scripts/bench.sh [SIZE_MB]      default 1024 (a 1 GiB corpus); scripts/bench.sh 100 for a quick run
#
# Environment: SEED (corpus seed, default 1), THREADS (the "all cores" run, default
# $(nproc)), BENCH_DIR (default build-bench), KEEP_OUT=1 keeps the graph outputs,
# EVENTGRAPH=/path/to/eventgraph benchmarks that binary instead of building one,
# GREP_ONLY=1 measures the corpus and the grep baseline only, ROUNDS=N (default 1) makes
# the 1-thread and the N-thread runs take turns N times and reports medians.
#
# Steps: builds the Release binary in build-bench/, generates (or reuses) the corpus
# build-bench/corpus/SIZE-SEED/corpus.jsonl with scripts/make-corpus, then in the same
# run measures one grep pass over the file (page cache warmed first) and
#   eventgraph run --quiet --format graphml,jsonld --out OUT --threads T corpus.jsonl
# for T = 1 and T = THREADS under /usr/bin/time -v (wall seconds, peak RSS). Prints
# one table and checks that the 1-thread and N-thread graph files are byte-identical.
# Exit status: 0 when every run succeeded and the outputs are identical, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

size=${1:-1024}
seed=${SEED:-1}
threads=${THREADS:-$(nproc)}
bdir=${BENCH_DIR:-build-bench}
[[ $size =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "usage: scripts/bench.sh [SIZE_MB]" >&2; exit 2; }

if [[ ! -x /usr/bin/time ]]; then
  echo "bench: installing /usr/bin/time (package time)" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq time >/dev/null
  else sudo apt-get install -y -qq time >/dev/null; fi
fi

mkdir -p "$bdir"
if [[ -n ${EVENTGRAPH:-} ]]; then
  bin=$(realpath "$EVENTGRAPH")
  echo "== binary: $bin (not rebuilt)"
else
  echo "== build (Release, $bdir)"
  cmake -S . -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEVENTGRAPH_TESTS=OFF >/dev/null
  cmake --build "$bdir" --target eventgraph -j "$(nproc)"
  bin=$root/$bdir/eventgraph
fi

cdir=$root/$bdir/corpus/$size-$seed
corpus=$cdir/corpus.jsonl
# A finished corpus has a stamp written after make-corpus succeeded, naming the
# generator's checksum, so a changed generator regenerates.
stamp="size=$size seed=$seed gen=$(cksum < scripts/make-corpus | cut -d' ' -f1)"
if [[ -f $cdir/STAMP && $(cat "$cdir/STAMP") == "$stamp" && -f $corpus ]]; then
  echo "== corpus: reusing $corpus"
else
  echo "== corpus: generating $size MiB, seed $seed"
  rm -rf "$cdir"
  t0=$(date +%s.%N)
  python3 scripts/make-corpus "$size" "$seed" --out-dir "$cdir"
  t1=$(date +%s.%N)
  echo "$stamp" > "$cdir/STAMP"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "   generated in %.1f s\n", b - a }'
fi
bytes=$(stat -c %s "$corpus")
docs=$(wc -l < "$corpus")
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "   $corpus: $bytes bytes ($mib MiB), $docs documents"

# Runs a command under /usr/bin/time -v, stdout to $log.out (never /dev/null: GNU
# grep stops at the first match when its output is /dev/null). Sets run_secs (wall,
# from date +%s.%N), run_rss_mib (peak RSS) and run_rc.
timed() {
  local log=$1; shift
  local t0 t1
  set +e
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$log.time" "$@" > "$log.out" 2> "$log.err"
  run_rc=$?
  t1=$(date +%s.%N)
  set -e
  run_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  run_cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$log.time")
  run_rss_mib=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$log.time")
}

work=$root/$bdir/bench-out
rm -rf "$work"; mkdir -p "$work"

echo "== warm page cache"
cat "$corpus" > /dev/null

# The regex pass, in the C locale (byte semantics: reproducible whatever the caller's
# locale, and the faster baseline; in C.UTF-8 GNU grep is several times slower).
# Best of 3 (the pass is short; one slow run on a shared machine would flatter us).
# Two files: corpus.jsonl (the file eventgraph reads; one document per line, so
# grep -c may stop reading a line's regex work at its first match) and corpus.txt
# (the same texts as short lines: every line is scanned to its end).
grep_pass() {  # FILE TAG -> sets g_secs, g_cpu (least of 3 each), g_count
  local i
  g_secs= g_cpu=
  for i in 1 2 3; do
    timed "$work/grep-$2-$i" env LC_ALL=C grep -cE '[A-Z][a-z]+ [A-Z][a-z]+' "$1"
    (( run_rc == 0 )) || { echo "grep failed on $1" >&2; exit 1; }
    g_secs=$(awk -v a="$g_secs" -v b="$run_secs" 'BEGIN { print (a == "" || b < a) ? b : a }')
    g_cpu=$(awk -v a="$g_cpu" -v b="$run_cpu" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
  g_count=$(cat "$work/grep-$2-1.out")
}
echo "== LC_ALL=C grep -cE '[A-Z][a-z]+ [A-Z][a-z]+' corpus.jsonl"
grep_pass "$corpus" jsonl; grep_secs=$g_secs; grep_cpu=$g_cpu
echo "   $g_count matching lines, best of 3: $grep_secs s wall, $grep_cpu s CPU"
txt=$cdir/corpus.txt
txt_bytes=$(stat -c %s "$txt")
cat "$txt" > /dev/null
echo "== LC_ALL=C grep -cE '[A-Z][a-z]+ [A-Z][a-z]+' corpus.txt"
grep_pass "$txt" txt; grep_txt_secs=$g_secs; grep_txt_cpu=$g_cpu
echo "   $g_count matching lines, best of 3: $grep_txt_secs s wall, $grep_txt_cpu s CPU"

# ROUNDS > 1: the 1-thread and the N-thread runs take turns that many times
# (1, N, then N, 1, ...), and the table gives each run's median and the median
# of the rounds' speed-ups: this machine's speed drifts by 10-40% within
# minutes, so a 1-thread run and an N-thread run made a quarter of an hour
# apart do not compare, while the two runs of one round do.
rounds=${ROUNDS:-1}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench: ROUNDS must be a positive number" >&2; exit 2; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A secs cpu rss nodes edges ok all_secs all_cpu differ
status=0
counts=(1)
[[ $threads != 1 ]] && counts+=("$threads")
[[ ${GREP_ONLY:-0} == 1 ]] && counts=()
for t in "${counts[@]}"; do ok[$t]=1; done
speedups=()
for ((r = 1; r <= rounds; r++)); do
  order=("${counts[@]}")
  (( r % 2 == 0 && ${#counts[@]} > 1 )) && order=("$threads" 1)
  declare -A round
  for t in "${order[@]}"; do
    out=$work/t$t
    rm -rf "$out"
    echo "== eventgraph run --threads $t$( (( rounds > 1 )) && echo " (round $r of $rounds)")"
    timed "$work/run$t" "$bin" run --quiet --format graphml,jsonld --out "$out" --threads "$t" "$corpus"
    if (( run_rc != 0 )) || [[ ! -f $out/graph.graphml || ! -f $out/graph.jsonld ]]; then
      echo "   FAILED (exit $run_rc); stderr:" >&2
      tail -n 20 "$work/run$t.err" >&2
      ok[$t]=0; status=1
      continue
    fi
    round[$t]=$run_secs
    all_secs[$t]="${all_secs[$t]:-} $run_secs"
    all_cpu[$t]="${all_cpu[$t]:-} $run_cpu"
    rss[$t]=$(awk -v a="${rss[$t]:-0}" -v b="$run_rss_mib" 'BEGIN { print (b > a) ? b : a }')
    nodes[$t]=$(grep -c '<node ' "$out/graph.graphml" || true)
    edges[$t]=$(grep -c '<edge ' "$out/graph.graphml" || true)
    echo "   $run_secs s wall, $run_cpu s CPU, peak RSS $run_rss_mib MiB"
  done
  if (( ${#counts[@]} > 1 )) && [[ ${ok[1]} == 1 && ${ok[$threads]} == 1 ]]; then
    speedups+=("$(awk -v a="${round[1]}" -v b="${round[$threads]}" 'BEGIN { printf "%.4f", a / b }')")
    (( rounds > 1 )) && echo "   round $r: speed-up ${speedups[-1]}"
    for f in graph.graphml graph.jsonld; do
      if ! cmp -s "$work/t1/$f" "$work/t$threads/$f"; then
        echo "DIFFERENT: $f at 1 and $threads threads in round $r ($(cmp "$work/t1/$f" "$work/t$threads/$f" 2>&1 | head -n1))"
        differ[$f]=1
        status=1
      fi
    done
  fi
  unset round
done
for t in "${counts[@]}"; do
  [[ ${ok[$t]} == 1 ]] || continue
  # shellcheck disable=SC2086
  secs[$t]=$(median ${all_secs[$t]})
  # shellcheck disable=SC2086
  cpu[$t]=$(median ${all_cpu[$t]})
done

rate() { awk -v b="$1" -v s="$2" 'BEGIN { r = (s > 0) ? b / 1048576 / s : 0; printf (r < 10) ? "%.3f" : "%.1f", r }'; }
per() { awk -v d="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0) ? d / s : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0) ? a / b : 0 }'; }
row() { printf '| %-22s | %8s | %7s | %7s | %8s | %8s | %7s | %8s | %9s | %11s | %7s |\n' "$@"; }

echo
echo "Corpus: make-corpus $size $seed: $mib MiB JSONL ($bytes bytes), $docs documents;" \
     "$(nproc) cores; $(date -u +%Y-%m-%d)"
echo
row run seconds "CPU s" "MiB/s" "docs/s" "RSS MiB" nodes edges "vs grep" "vs grep txt" speedup
echo '|------------------------|---------:|--------:|--------:|---------:|---------:|--------:|---------:|----------:|------------:|--------:|'
row "grep -cE, corpus.jsonl" "$grep_secs" "$grep_cpu" "$(rate "$bytes" "$grep_secs")" "$(per "$docs" "$grep_secs")" \
    - - - 1.00x "$(ratio "$grep_secs" "$grep_txt_secs")" -
row "grep -cE, corpus.txt" "$grep_txt_secs" "$grep_txt_cpu" "$(rate "$txt_bytes" "$grep_txt_secs")" \
    "$(per "$docs" "$grep_txt_secs")" - - - "$(ratio "$grep_txt_secs" "$grep_secs")" 1.00x -
for t in "${counts[@]}"; do
  name="eventgraph, $t thread$([[ $t == 1 ]] || echo s)"
  if [[ ${ok[$t]} != 1 ]]; then
    row "$name" FAILED - - - - - - - - -
    continue
  fi
  s=${secs[$t]}
  speed=-
  [[ ${ok[1]} == 1 && $t == 1 ]] && speed=1.00x
  [[ $t != 1 && ${#speedups[@]} -gt 0 ]] && speed=$(awk -v r="$(median "${speedups[@]}")" 'BEGIN { printf "%.2fx", r }')
  row "$name" "$s" "${cpu[$t]}" "$(rate "$bytes" "$s")" "$(per "$docs" "$s")" "${rss[$t]}" "${nodes[$t]}" \
      "${edges[$t]}" "$(ratio "$s" "$grep_secs")" "$(ratio "$s" "$grep_txt_secs")" "$speed"
done
echo
echo "seconds = wall clock; CPU s = user + system; MiB/s = bytes of corpus.jsonl (corpus.txt for the txt grep row) / 2^20 / wall seconds;"
echo "vs grep = wall time / grep time (lower is better); speedup = 1-thread time / this time."
if (( rounds > 1 )); then
  echo "$rounds rounds: seconds and CPU s are medians; speedup is the median of the rounds' ratios (each round's runs back to back)."
  for t in "${counts[@]}"; do echo "  --threads $t, each round's seconds:${all_secs[$t]:-}"; done
  (( ${#speedups[@]} )) && echo "  speed-ups by round: ${speedups[*]}"
fi
echo "On a busy machine compare CPU seconds: wall times include waiting for a core."
echo

if (( ${#counts[@]} > 1 )) && [[ ${ok[1]} == 1 && ${ok[$threads]} == 1 ]]; then
  for f in graph.graphml graph.jsonld; do
    if [[ -z ${differ[$f]:-} ]]; then
      echo "identical: $f at 1 and $threads threads$( (( rounds > 1 )) && echo " (every round)")"
    else
      echo "DIFFERENT: $f at 1 and $threads threads (see above)"
    fi
  done
elif (( ${#counts[@]} == 1 )); then
  echo "(one thread only: no determinism check)"
fi
[[ ${KEEP_OUT:-0} == 1 ]] || rm -rf "$work"/t*
exit $status
