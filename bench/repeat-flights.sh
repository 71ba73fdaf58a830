#!/usr/bin/env bash
# The scaling benchmark's large input: the 3M-row flights CSV (bench/cut-batches.sh --single-csv) repeated
# with shifted years and fresh flight ids until it has ROWS data rows. Copy k (0, 1, 2, ...) moves every
# date k years later (2001 -> 2001 + k; 2001 has no 29 February, so every shifted date exists) and numbers
# its flights F<8 digits> from k x 3,000,000 + 1, so ids stay unique and in date order. Never committed.
#   bench/repeat-flights.sh ROWS IN.csv OUT.csv       e.g. 10000000 bench/out/flights-3m.csv bench/out/flights-10m.csv
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 ROWS IN.csv OUT.csv" >&2
  exit 2
fi
rows="$1" in="$2" out="$3"
per_copy=$(($(wc -l < "$in") - 1))
copies=$(((rows + per_copy - 1) / per_copy))
# One awk reads the input once per copy and stops at ROWS (a head at the end of a pipe would break it).
inputs=()
for ((k = 0; k < copies; k++)); do inputs+=("$in"); done
awk -F, -v OFS=, -v per="$per_copy" -v rows="$rows" '
  FNR == 1 { if (NR == 1) print; k = NR == 1 ? 0 : k + 1; next }
  written == rows { exit }
  {
    $1 = sprintf("F%08d", k * per + substr($1, 2))
    $2 = (substr($2, 1, 4) + k) substr($2, 5)
    print
    written++
  }' "${inputs[@]}" > "$out.partial"
mv "$out.partial" "$out"
echo "wrote $rows rows ($copies copies of $per_copy) to $out" >&2
