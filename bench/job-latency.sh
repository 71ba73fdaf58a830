#!/usr/bin/env bash
# Job latency as an orchestrator sees it: each job its own ./mlcycle process, on one 15k-row monthly
# batch of the bundled flights sample (data/flights/raw).
#   bench/job-latency.sh [RUNS] [VARIANT ...]
# A root with months 2001-01 to 2001-03 ingested, validated, featured, trained and evaluated (a champion)
# is made once under bench/out/job-latency/prepared. Each run copies it and times the chain an
# orchestrator runs for the next month, 2001-04: ingest, validate, score, features, monitor, every job
# a fresh JVM, process wall time. Variants (default: all) differ only in how the JVM is started:
#   default    ./mlcycle as shipped (with its class-data-sharing archive, made before the first run)
#   no-cds     ./mlcycle with MLCYCLE_CDS=off (no class-data-sharing archive)
#   c1         ./mlcycle plus MLCYCLE_JAVA_OPTS=-XX:TieredStopAtLevel=1 (HotSpot's C1 compiler only, no C2)
#   no-huge    ./mlcycle plus -XX:+DontCompileHugeMethods (HotSpot's default back)
# Variants are interleaved per run, so all see the same machine. Prints one line per job and run, then
# the medians per variant and job; results in bench/out/job-latency/results.tsv.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
shift || true
variants=("$@")
((${#variants[@]})) || variants=(default no-cds c1 no-huge)
variant_env() {   # variant_env NAME: sets env_opts, the environment the variant starts ./mlcycle with
  case "$1" in
    default) env_opts=() ;;
    no-cds) env_opts=(MLCYCLE_CDS=off) ;;
    c1) env_opts=("MLCYCLE_JAVA_OPTS=-XX:TieredStopAtLevel=1") ;;
    no-huge) env_opts=("MLCYCLE_JAVA_OPTS=-XX:+DontCompileHugeMethods") ;;
    *) echo "job-latency: unknown variant '$1' (default, no-cds, c1, no-huge)" >&2; exit 2 ;;
  esac
}
for variant in "${variants[@]}"; do variant_env "$variant"; done   # a wrong name fails before any work
work="$home/bench/out/job-latency"
prepared="$work/prepared"
raw="$home/data/flights/raw"
mkdir -p "$work"
cd "$home"   # the flights pipeline's reference path, data/airports.csv, is relative to the checkout

./mlcycle --help >/dev/null   # builds the project when needed

job() {   # job ROOT NAME ARGS... : one ./mlcycle process on ROOT with env_opts, its output under $work/logs
  local root="$1" name="$2"
  shift 2
  env "${env_opts[@]}" MLCYCLE_LOG_DIR="$work/logs" ./mlcycle "$name" --set mlcycle.storage.root="$root" "$@" \
    > "$work/logs/$name.out" 2> "$work/logs/$name.err"
}

mkdir -p "$work/logs"
env_opts=()
if [[ ! -f "$prepared/.done" ]]; then
  echo "preparing $prepared (months 2001-01 to 2001-03 and a champion) ..." >&2
  rm -rf "$prepared"
  for month in 2001-01 2001-02 2001-03; do
    job "$prepared" ingest --input "$raw/$month.csv"
  done
  for name in validate features train evaluate; do
    job "$prepared" "$name"
  done
  touch "$prepared/.done"
fi

# The launcher's class-data-sharing archive is made by the first run of a build: not one of the timed.
rm -rf "$work/warm-up" && cp -r "$prepared" "$work/warm-up"
job "$work/warm-up" validate
rm -rf "$work/warm-up"

chain=(ingest validate score features monitor)
results="$work/results.tsv"
: > "$results"
for run in $(seq 1 "$runs"); do
  for variant in "${variants[@]}"; do
    root="$work/root-$variant"
    rm -rf "$root"
    cp -r "$prepared" "$root"
    variant_env "$variant"
    for name in "${chain[@]}"; do
      args=()
      [[ "$name" == ingest ]] && args=(--input "$raw/2001-04.csv")
      start=$(date +%s.%N)
      job "$root" "$name" "${args[@]}"
      end=$(date +%s.%N)
      seconds=$(echo "$end - $start" | bc)
      printf '%s\t%s\t%s\t%.1f\n' "$run" "$variant" "$name" "$seconds" >> "$results"
      printf 'run %s  %-8s %-9s %5.1f s\n' "$run" "$variant" "$name" "$seconds"
    done
  done
done

python3 - "$results" "${chain[*]}" <<'PY'
import collections, statistics, sys
times = collections.defaultdict(list)
for line in open(sys.argv[1]):
    run, variant, name, seconds = line.split("\t")
    times[(variant, name)].append(float(seconds))
chain = sys.argv[2].split()
variants = list(dict.fromkeys(v for v, _ in times))
print("| variant | " + " | ".join(chain) + " | chain |")
print("|---|" + "---|" * (len(chain) + 1))
for variant in variants:
    medians = [statistics.median(times[(variant, name)]) for name in chain]
    runs = len(times[(variant, chain[0])])
    print(f"| {variant} ({runs} runs) | " + " | ".join(f"{m:.1f}" for m in medians) + f" | {sum(medians):.1f} |")
PY
