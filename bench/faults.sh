#!/usr/bin/env bash
# The fault-injection suite in full mode: the flights loop (18 commands over four months: ingest, validate,
# features, train, evaluate, score, monitor, retrain, promote) run once cleanly and once with every
# attempt in its own JVM, killed with SIGKILL right after each commit file it writes and once at a random
# time per command, each kill followed by the same command; then every table and model file is compared
# with the clean run's, and a planted secret is searched for in every output, log, file and table row.
#   bench/faults.sh [SEED]
# Prints the report (kills per job, attempts, reruns, tables and rows compared, differences, failures) and
# leaves it in jobs/target/faults/report-full.txt. About 40 to 60 minutes on two idle cores; run nothing
# beside it. The short mode (a dozen kills) runs in every `mvn verify` as FaultInjectionTest.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seed="${1:-15}"
cd "$home"
mvn -B -q -pl jobs -am test -Dtest=FaultInjectionTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmlcycle.faults=full -Dmlcycle.faults.seed="$seed" || status=$?
cat jobs/target/faults/report-full.txt 2>/dev/null || echo "no report: see jobs/target/surefire-reports" >&2
exit "${status:-0}"
