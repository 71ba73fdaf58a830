#!/usr/bin/env bash
# Benchmark of ingest + validate (+ quality report and profile) over monthly CSV batches, one batch per
# file, into a fresh storage root per run, side by side with its floor (bench/IngestFloor.java: the same
# batches through the same two stages and Delta tables, none of the checks). Prints one JSON line per run
# and the medians.
#   bench/ingest-validate.sh [--runs N] [--input DIR]
# Input default: bench/out/flights-monthly (the full 3M rows; make it with bench/cut-batches.sh).
# Rows/s counts the stages' own time (after the Spark session started); "wall" includes JVM and session
# start of the two processes. Needs python3 to read the summaries. Environment: MLCYCLE_HEAP (default 8g).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
input="$home/bench/out/flights-monthly"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--input DIR]" >&2; exit 2 ;;
  esac
done
if [[ ! -d "$input" ]]; then
  echo "bench: no input folder $input; run bench/cut-batches.sh first" >&2
  exit 2
fi
export MLCYCLE_HEAP="${MLCYCLE_HEAP:-8g}"
work="$(mktemp -d "${TMPDIR:-/tmp}/mlcycle-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

launcher="$home/jobs/target/launcher"
"$home/mlcycle" --help > /dev/null   # builds the project when needed
read -r -a spark_opts < "$launcher/jvm-options"
floor_java() {
  java "${spark_opts[@]}" -XX:-DontCompileHugeMethods -Xmx"$MLCYCLE_HEAP" \
    -Dlog4j2.configurationFile="$home/conf/log4j2.properties" -Dmlcycle.log.dir="$work" \
    -cp "$(cat "$launcher/classpath"):$(cat "$launcher/classpath-provided")" \
    "$home/bench/IngestFloor.java" "$2" "$input" "$1" 2>> "$work/floor.err"
}

for run in $(seq 1 "$runs"); do
  root="$work/run-$run"
  start=$(date +%s.%N)
  "$home/mlcycle" ingest --input "$input" --batch-per-file --set mlcycle.storage.root="$root" \
    --summary-out "$work/ingest-$run.json" >/dev/null 2>"$work/ingest-$run.err"
  "$home/mlcycle" validate --set mlcycle.storage.root="$root" \
    --summary-out "$work/validate-$run.json" >/dev/null 2>"$work/validate-$run.err"
  end=$(date +%s.%N)
  floor_root="$work/floor-$run"
  floor_java "$floor_root" bronze > "$work/floor-bronze-$run.json"
  floor_java "$floor_root" silver > "$work/floor-silver-$run.json"
  python3 - "$work/ingest-$run.json" "$work/validate-$run.json" "$start" "$end" "$run" \
      "$work/floor-bronze-$run.json" "$work/floor-silver-$run.json" <<'PY' | tee -a "$work/runs.jsonl"
import json, sys
ingest, validate = (json.load(open(f))["counts"] for f in sys.argv[1:3])
floor = sum(json.loads(open(f).read().strip().splitlines()[-1])["seconds"] for f in sys.argv[6:8])
batches = len(ingest["batch_ids"].split(","))
stage = ingest["seconds_ingest"] + validate["seconds_validate"]
print(json.dumps({
    "run": int(sys.argv[5]), "batches": batches, "rows": ingest["rows_read"],
    "rows_silver": validate["rows_silver"], "seconds_ingest": ingest["seconds_ingest"],
    "seconds_validate": validate["seconds_validate"], "rows_per_s": round(ingest["rows_read"] / stage),
    "wall_seconds": round(float(sys.argv[4]) - float(sys.argv[3]), 1),
    "spark_jobs_per_batch": round((ingest["spark_jobs_ingest"] + validate["spark_jobs_validate"]) / batches, 1),
    "floor_seconds": round(floor, 3), "floor_rows_per_s": round(ingest["rows_read"] / floor),
    "ratio_to_floor": round(stage / floor, 2)}))
PY
done
python3 - "$work/runs.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
median = {k: statistics.median(r[k] for r in runs) for k in
          ("rows_per_s", "seconds_ingest", "seconds_validate", "wall_seconds", "spark_jobs_per_batch",
           "floor_seconds", "floor_rows_per_s", "ratio_to_floor")}
print(json.dumps({"median_of_runs": len(runs), "rows": runs[0]["rows"], **median}))
PY
