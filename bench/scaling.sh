#!/usr/bin/env bash
# The benchmark of issue 17 in one run: mlcycle's whole path against pandas + scikit-learn at 1M, 3M and 10M
# rows, side by side with the path's floor, then the job-latency chain; prints the tables for bench/README.md
# and draws bench/scaling.png.
#   bench/scaling.sh
# Per size and run, interleaved so that all three see the same machine:
#   mlcycle   bench/MlcyclePath.java: ingest -> validate -> features -> train (bench/flights-bench.conf) in one
#             JVM, with the launcher's JVM options and heap (MLCYCLE_HEAP, default 4g like ./mlcycle)
#   sklearn   bench/baseline_sklearn.py on the same CSV
#   floor     bench/PathFloor.java: the same CSV through the same three stages and Delta tables, nothing else
# Inputs: the first 1M and all 3M rows of the flights (bench/cut-batches.sh --single-csv) and 10M rows
# repeated from them with shifted years and fresh ids (bench/repeat-flights.sh); made once under bench/out/.
# Then bench/job-latency.sh LATENCY_RUNS LATENCY_VARIANTS. Results: bench/out/scaling/.
# Environment: SIZES (default "1M 3M 10M"), RUNS_1M and RUNS_3M (default 3), RUNS_10M (default 1),
# LATENCY_RUNS (default 2; 0 skips it), LATENCY_VARIANTS (default "default c1"), MLCYCLE_HEAP (default 4g).
# Needs /usr/bin/python3 with python3-sklearn and python3-pandas.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$home/bench/out/scaling"
sizes="${SIZES:-1M 3M 10M}"
mkdir -p "$out/logs"

"$home/mlcycle" --help > /dev/null   # builds the project when needed
csv3m="$home/bench/out/flights-3m.csv"
[[ -f "$csv3m" ]] || "$home/bench/cut-batches.sh" --single-csv "$csv3m" >&2
csv1m="$home/bench/out/flights-1m.csv"
[[ -f "$csv1m" ]] || head -n 1000001 "$csv3m" > "$csv1m"
csv10m="$home/bench/out/flights-10m.csv"
[[ -f "$csv10m" ]] || "$home/bench/repeat-flights.sh" 10000000 "$csv3m" "$csv10m"

launcher="$home/jobs/target/launcher"
classpath="$home/jobs/target/classes:$(cat "$launcher/classpath"):$(cat "$launcher/classpath-provided")"
read -r -a spark_opts < "$launcher/jvm-options"
# The launcher's own JVM options (see ./mlcycle), so the path runs as a user's job would.
jvm=(java "${spark_opts[@]}" -XX:-DontCompileHugeMethods -Xmx"${MLCYCLE_HEAP:-4g}"
  -Dlog4j2.configurationFile="$home/conf/log4j2.properties" -Dmlcycle.log.dir="$out/logs")
javac -d "$out/classes" -cp "$classpath" "$home/bench/MlcyclePath.java" "$home/bench/PathFloor.java"

results="$out/results.jsonl"
: > "$results"

record() {   # record SIZE RUN COMMAND...: the command's last stdout line, with the size, run and load added
  local size="$1" run="$2" line
  shift 2
  line="$("$@" | tail -n 1)"
  echo "${line%\}}, \"size\": \"$size\", \"run\": $run, \"load\": $(cut -d' ' -f1 /proc/loadavg)}" | tee -a "$results" >&2
}

mlcycle_path() {
  rm -rf "$out/root"
  "${jvm[@]}" -cp "$out/classes:$classpath" MlcyclePath \
    ingest --input "$1" --batch-id bench :: validate :: features :: train \
    --all --pipeline "$home/bench/flights-bench.conf" --set "mlcycle.storage.root=$out/root" \
    --set "mlcycle.spark.master=local[2]" 2>> "$out/mlcycle.log"
}

sklearn() {
  /usr/bin/python3 "$home/bench/baseline_sklearn.py" --csv "$1" --model-out "$out/sklearn-model.joblib"
}

floor() {
  rm -rf "$out/floor"
  "${jvm[@]}" -cp "$out/classes:$classpath" PathFloor "$1" "$out/floor" 2>> "$out/floor.log"
}

for size in $sizes; do
  case "$size" in
    1M) csv="$csv1m" n="${RUNS_1M:-3}" ;;
    3M) csv="$csv3m" n="${RUNS_3M:-3}" ;;
    10M) csv="$csv10m" n="${RUNS_10M:-1}" ;;
    *) echo "scaling: unknown size '$size' (1M, 3M, 10M)" >&2; exit 2 ;;
  esac
  for ((i = 1; i <= n; i++)); do
    record "$size" "$i" mlcycle_path "$csv"
    record "$size" "$i" sklearn "$csv"
    record "$size" "$i" floor "$csv"
  done
done

latency="$out/latency.tsv"
rm -f "$latency"
if [[ "${LATENCY_RUNS:-2}" -gt 0 ]]; then
  # shellcheck disable=SC2086
  "$home/bench/job-latency.sh" "${LATENCY_RUNS:-2}" ${LATENCY_VARIANTS:-default c1}
  cp "$home/bench/out/job-latency/results.tsv" "$latency"
fi

java -cp "$classpath" "$home/bench/ScalingReport.java" "$results" "$latency" "$home/bench/scaling.png" \
  | tee "$out/report.md"
