#!/usr/bin/env bash
# Benchmark of the features job: the full 3M flights (6 monthly batches) with the 7-day window
# aggregates, airport lookups and reference statistics, on this machine, through ./mlcycle.
#   bench/features.sh [DATA_DIR] [RUNS]
# DATA_DIR holds flights-3m.parquet and airports.csv (default: ../shared/data next to the checkout).
# Prints one line per run (wall seconds of the process, seconds of the features step, rows/s, Spark
# jobs) and the medians; the silver table is made once under bench/out/features/ and reused. Each run
# also times the floor, bench/FeaturesFloor.java (the same three windows written to Delta, nothing else),
# in its own JVM, and reports the features step over the floor.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(cd "${1:-$home/../shared/data}" && pwd)"
runs="${2:-3}"
work="$home/bench/out/features"
root="$work/root"
mkdir -p "$work"

(cd "$home" && ./mlcycle --help >/dev/null)   # builds the project when needed
read -r -a jvm_opts < "$home/jobs/target/launcher/jvm-options"
if [[ ! -d "$root/silver/flights/_delta_log" ]]; then
  echo "making silver/flights from $data/flights-3m.parquet ..." >&2
  java "${jvm_opts[@]}" -Xmx4g -Dlog4j2.configurationFile="$home/conf/log4j2.properties" \
    -cp "$(cat "$home/jobs/target/launcher/classpath"):$(cat "$home/jobs/target/launcher/classpath-provided")" \
    "$home/bench/MakeFlightsSilver.java" "$data/flights-3m.parquet" "$root/silver/flights" >&2
fi

results="$work/results.tsv"
: > "$results"
for run in $(seq 1 "$runs"); do
  rm -rf "$root/features" "$root/_mlcycle/feature_versions" "$root/_mlcycle/feature_reference"
  start=$(date +%s.%N)
  MLCYCLE_LOG_DIR="$work/logs" "$home/mlcycle" features --pipeline flights-features \
    --set mlcycle.storage.root="$root" \
    --set pipeline.reference-tables.airports.path="$data/airports.csv" \
    --summary-out "$work/summary.json" > "$work/out.txt"
  end=$(date +%s.%N)
  rm -rf "$work/floor"
  java "${jvm_opts[@]}" -XX:-DontCompileHugeMethods -Xmx"${MLCYCLE_HEAP:-4g}" \
    -Dlog4j2.configurationFile="$home/conf/log4j2.properties" -Dmlcycle.log.dir="$work/logs" \
    -cp "$(cat "$home/jobs/target/launcher/classpath"):$(cat "$home/jobs/target/launcher/classpath-provided")" \
    "$home/bench/FeaturesFloor.java" "$root/silver/flights" "$work/floor" 2>> "$work/floor.err" > "$work/floor.json"
  python3 - "$work/summary.json" "$start" "$end" "$run" "$work/floor.json" >> "$results" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
c = s["counts"]
step = c["features_seconds"]
floor = json.loads(open(sys.argv[5]).read().strip().splitlines()[-1])["seconds"]
print(f'{sys.argv[4]}\t{wall:.1f}\t{step:.1f}\t{c["rows"]}\t{c["rows"] / step:.0f}\t{c["spark_jobs"]}\t{floor:.1f}'
      f'\t{step / floor:.2f}')
PY
  tail -1 "$results" | awk -F'\t' '{printf "run %s: process %s s, features step %s s, %s rows, %s rows/s, %s Spark jobs; floor %s s, step / floor %s\n", $1, $2, $3, $4, $5, $6, $7, $8}'
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
med = lambda i: statistics.median(float(r[i]) for r in rows)
print(f"median of {len(rows)} runs: process {med(1):.1f} s, features step {med(2):.1f} s, "
      f"{med(4):,.0f} rows/s, {med(5):.0f} Spark jobs; floor {med(6):.1f} s, step / floor {med(7):.2f} "
      f"({int(rows[0][3]):,} rows, {len(rows)} runs, {__import__('os').cpu_count()} cores)")
PY
