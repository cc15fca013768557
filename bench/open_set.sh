#!/bin/bash
# The open-set acceptance runs of issue 17 (bench/results/open_set.md):
# accuracy numbers, not timings, so a loaded machine is fine.
# usage: bench/open_set.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
G=${1:-build}/genrelab
OUT=${2:-/tmp/open_set}
DATA=${GENRELAB_DATA:-/work/shared/data}
mkdir -p "$OUT"
RF="--model random_forest --param max_depth=10"
# 1. Seed data: every genre left out in turn.
$G evaluate seed $RF --open-set 1 --open-set-each --json "$OUT/seed_each.json" > "$OUT/seed_each.txt"
# 2. 90 % prediction sets over 20 split seeds (no genre hidden): seed data and the 114k set by track_id.
$G evaluate seed $RF --open-set 0 --open-set-repeats 20 --json "$OUT/seed_sets.json" > "$OUT/seed_sets.txt"
$G evaluate "$DATA/spotify_tracks_114k/tracks.csv" --group-by track_id $RF --open-set 0 --open-set-repeats 20 \
  --json "$OUT/s114k_sets.json" > "$OUT/s114k_sets.txt"
# 3. GTZAN 30 s features: 3 of 10 genres hidden, 20 rounds.
$G evaluate "$DATA/gtzan_features/features_30_sec.csv" $RF --open-set 3 --open-set-repeats 20 \
  --json "$OUT/gtzan_3.json" > "$OUT/gtzan_3.txt"
for f in seed_each:each seed_sets:coverage s114k_sets:coverage gtzan_3:summary; do
  echo "== ${f%%:*}"
  python3 "$(dirname "$0")/open_set_tables.py" "${f##*:}" "$OUT/${f%%:*}.json"
done
