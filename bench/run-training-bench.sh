#!/usr/bin/env bash
# The training benchmark of issue 5, side by side in one run: (a) mlcycle's ingest -> validate ->
# features -> train in one JVM (bench/MlcyclePath.java), (b) naive MLlib (bench/BaselineNaiveMllib.java),
# (c) pandas + scikit-learn (bench/baseline_sklearn.py), on the same first 1M and all 3M rows of the
# flights data, RUNS times each, interleaved so that all three see the same machine. Medians and the
# ratios to (c) go to bench/README.md ("Training benchmark").
# Needs: /usr/bin/python3 with python3-sklearn and python3-pandas (apt-get install python3-sklearn
# python3-pandas), a JDK 17. Environment: RUNS (default 3), RUNS_3M (default RUNS), SIZES (default
# "1M 3M"), NAIVE_RUNS_3M (default 1: one naive MLlib run on 3M rows takes minutes), MLCYCLE_HEAP (default 3g).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$home/bench/out/training"
runs="${RUNS:-3}"
sizes="${SIZES:-1M 3M}"
mkdir -p "$out"

"$home/mlcycle" --help > /dev/null
csv3m="$home/bench/out/flights-3m.csv"
[[ -f "$csv3m" ]] || "$home/bench/cut-batches.sh" --single-csv "$csv3m" >&2
csv1m="$home/bench/out/flights-1m.csv"
[[ -f "$csv1m" ]] || head -n 1000001 "$csv3m" > "$csv1m"

launcher="$home/jobs/target/launcher"
classpath="$home/jobs/target/classes:$(cat "$launcher/classpath"):$(cat "$launcher/classpath-provided")"
read -r -a spark_opts < "$launcher/jvm-options"
javac -d "$out/classes" -cp "$classpath" "$home/bench/MlcyclePath.java" "$home/bench/BaselineNaiveMllib.java"

results="$out/results.jsonl"
: > "$results"

record() {
  local size="$1" run="$2"; shift 2
  local line
  line="$("$@" | tail -n 1)"
  echo "${line%\}}, \"size\": \"$size\", \"run\": $run, \"load\": $(cut -d' ' -f1 /proc/loadavg)}" | tee -a "$results" >&2
}

mlcycle_path() {
  local csv="$1" root="$out/root"
  rm -rf "$root"
  java "${spark_opts[@]}" -Xmx"${MLCYCLE_HEAP:-3g}" -Dlog4j2.configurationFile="$home/conf/log4j2.properties" \
    -Dmlcycle.log.dir="$out/logs" -cp "$out/classes:$classpath" MlcyclePath \
    ingest --input "$csv" --batch-id bench :: validate :: features :: train \
    --all --pipeline "$home/bench/flights-bench.conf" --set "mlcycle.storage.root=$root" \
    --set "mlcycle.spark.master=local[2]" 2>> "$out/mlcycle.log"
}

naive_mllib() {
  java "${spark_opts[@]}" -Xmx"${MLLIB_HEAP:-8g}" -Dlog4j2.configurationFile="$home/conf/log4j2.properties" \
    -Dmlcycle.log.dir="$out/logs" -cp "$out/classes:$classpath" BaselineNaiveMllib "$1" "$out/naive-mllib-model"
}

sklearn() {
  /usr/bin/python3 "$home/bench/baseline_sklearn.py" --csv "$1" --model-out "$out/sklearn-model.joblib"
}

for size in $sizes; do
  csv="$csv1m"; n="$runs"
  if [[ "$size" == 3M ]]; then csv="$csv3m"; n="${RUNS_3M:-$runs}"; fi
  for ((i = 1; i <= n; i++)); do
    record "$size" "$i" mlcycle_path "$csv"
    record "$size" "$i" sklearn "$csv"
    if [[ "$size" == 1M || "$i" -le "${NAIVE_RUNS_3M:-1}" ]]; then record "$size" "$i" naive_mllib "$csv"; fi
  done
done

/usr/bin/python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(group, key):
    return statistics.median(r[key] for r in group)
print("| rows | implementation | runs | whole process s | training step s | peak RSS GB | holdout AUC | whole / sklearn | training / sklearn |")
print("|---|---|---|---|---|---|---|---|---|")
for size in ("1M", "3M"):
    base = [r for r in rows if r["size"] == size and r["implementation"] == "pandas+sklearn"]
    for impl in ("mlcycle", "naive MLlib", "pandas+sklearn"):
        g = [r for r in rows if r["size"] == size and r["implementation"] == impl]
        if not g:
            continue
        whole, train = med(g, "whole_process_s"), med(g, "training_s")
        ratio = lambda v, k: f"{v / med(base, k):.2f}" if base else "-"
        print(f"| {size} | {impl} | {len(g)} | {whole:.1f} | {train:.1f} | {med(g, 'peak_rss_gb'):.2f} | "
              f"{med(g, 'holdout_auc'):.4f} | {ratio(whole, 'whole_process_s')} | {ratio(train, 'training_s')} |")
PY
