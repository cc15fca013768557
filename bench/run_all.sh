#!/usr/bin/env bash
# Runs every benchmark and comparison; results go to bench/results/.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/results"
for b in "$build"/bench/*_bench; do
  [[ -x "$b" ]] && "$b" --benchmark_min_time=0.5 | tee "$here/results/$(basename "$b").txt"
done
"$here/seed_compare.py" "$build" --out "$here/results/seed_compare.md"
"$here/compare_seed.py" "$build" --out "$here/results/compare_seed.md"
"$here/forest_114k.py" "$build" --out "$here/results/forest_114k.md"
"$here/models_114k.py" "$build" --out "$here/results/models_114k.md"
"$here/gbc_114k.py" "$build" --out "$here/results/gbc_114k.md"
"$here/tuned_seed.py" "$build" --out "$here/results/tuned_seed.md"
"$here/csv_read.py" "$build" --out "$here/results/csv_read.md"
