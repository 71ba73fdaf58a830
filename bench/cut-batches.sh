#!/usr/bin/env bash
# Cuts the shared flights parquet into monthly CSV batches (see bench/CutBatches.java for the rules).
#   bench/cut-batches.sh                               full size into bench/out/flights-monthly/
#   bench/cut-batches.sh --sample-per-month 15000 --faults --out data/flights/raw
# Environment: MLCYCLE_SHARED_DATA, the folder holding flights-3m.parquet (default ../shared/data beside
# this checkout); JAVA_HOME (a JDK 17); MLCYCLE_HEAP (default 6g).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MLCYCLE_SHARED_DATA="${MLCYCLE_SHARED_DATA:-$home/../shared/data}"

# The launcher builds the project when the build is missing or stale, which writes the class path used here.
"$home/mlcycle" --help >/dev/null

launcher="$home/jobs/target/launcher"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
read -r -a spark_opts < "$launcher/jvm-options"
exec "$java" "${spark_opts[@]}" -Xmx"${MLCYCLE_HEAP:-6g}" \
  -Dlog4j2.configurationFile="$home/conf/log4j2.properties" \
  -Dmlcycle.log.dir="${MLCYCLE_LOG_DIR:-$PWD/logs}" \
  -Dmlcycle.home="$home" \
  -cp "$(cat "$launcher/classpath"):$(cat "$launcher/classpath-provided")" \
  "$home/bench/CutBatches.java" "$@"
