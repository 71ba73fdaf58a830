#!/usr/bin/env bash
# Runs the two training baselines (bench/baseline_sklearn.py, bench/BaselineNaiveMllib.java) on the first
# 1M and all 3M flights, RUNS times each (median reported), and writes the table into bench/README.md.
# The naive MLlib run on 3M is repeated only while a run stays under 4 minutes: on 2 shared cores one run
# already takes longer, and three would hold the machine for a quarter of an hour.
# Needs: /usr/bin/python3 with python3-sklearn and python3-pandas (Debian packages), a JDK 17.
# Environment: MLCYCLE_SHARED_DATA (see bench/cut-batches.sh), RUNS (default 3), MLLIB_HEAP (default 8g).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$home/bench/out/baselines"
runs="${RUNS:-3}"
mkdir -p "$out"

csv3m="$home/bench/out/flights-3m.csv"
if [[ ! -f "$csv3m" ]]; then
  "$home/bench/cut-batches.sh" --single-csv "$csv3m" >&2
fi
csv1m="$home/bench/out/flights-1m.csv"
head -n 1000001 "$csv3m" > "$csv1m"

launcher="$home/jobs/target/launcher"
classpath="$(cat "$launcher/classpath"):$(cat "$launcher/classpath-provided")"
read -r -a spark_opts < "$launcher/jvm-options"
# Compiled ahead so that the measured process does not include compiling the source file.
javac -d "$out/classes" -cp "$classpath" "$home/bench/BaselineNaiveMllib.java"

results="$out/results.jsonl"
: > "$results"

# One run: the program's JSON line, tagged with size, run number and the machine's load around it.
run() {
  local rows="$1" n="$2"; shift 2
  local load_before load_after line
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  line="$("$@" | tail -n 1)"
  load_after="$(cut -d' ' -f1 /proc/loadavg)"
  line="${line%\}}, \"size\": \"$rows\", \"run\": $n, \"load_before\": $load_before, \"load_after\": $load_after}"
  echo "$line" | tee -a "$results" >&2
  last_run_s="$(echo "$line" | /usr/bin/python3 -c 'import json,sys; print(int(json.load(sys.stdin)["whole_process_s"]))')"
}

sklearn() {
  /usr/bin/python3 "$home/bench/baseline_sklearn.py" --csv "$1" --model-out "$out/sklearn-model.joblib"
}

mllib() {
  java "${spark_opts[@]}" -Xmx"${MLLIB_HEAP:-8g}" \
    -Dlog4j2.configurationFile="$home/conf/log4j2.properties" -Dmlcycle.log.dir="$out/logs" \
    -cp "$out/classes:$classpath" BaselineNaiveMllib "$1" "$out/naive-mllib-model"
}

for size in 1M 3M; do
  csv="$csv1m"; [[ "$size" == 3M ]] && csv="$csv3m"
  for ((i = 1; i <= runs; i++)); do run "$size" "$i" sklearn "$csv"; done
  for ((i = 1; i <= runs; i++)); do
    run "$size" "$i" mllib "$csv"
    if [[ "$size" == 3M && "$last_run_s" -gt 240 ]]; then break; fi
  done
done

/usr/bin/python3 - "$results" "$home/bench/README.md" <<'PY'
import json, statistics, sys
results, readme = sys.argv[1], sys.argv[2]
rows = [json.loads(line) for line in open(results)]
lines = ["| implementation | rows | runs | whole process s | training step s | peak RSS GB | holdout AUC | best regParam | load avg (1 min) around the runs |",
         "|---|---|---|---|---|---|---|---|---|"]
for size in ("1M", "3M"):
    for impl in ("pandas+sklearn", "naive MLlib"):
        group = [r for r in rows if r["size"] == size and r["implementation"] == impl]
        if not group:
            continue
        med = lambda key: statistics.median(r[key] for r in group)
        loads = [r[k] for r in group for k in ("load_before", "load_after")]
        lines.append(f"| {impl} | {size} | {len(group)} | {med('whole_process_s'):.1f} | {med('training_s'):.1f} | "
                     f"{med('peak_rss_gb'):.2f} | {med('holdout_auc'):.4f} | "
                     f"{', '.join(sorted({str(r['best_params']['regParam']) for r in group}))} | "
                     f"{min(loads):.1f} – {max(loads):.1f} |")
table = "\n".join(lines)
text = open(readme).read()
start, end = "<!-- baselines:start -->", "<!-- baselines:end -->"
head, rest = text.split(start)
open(readme, "w").write(head + start + "\n" + table + "\n" + end + rest.split(end)[1])
print(table)
PY
