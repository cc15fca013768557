#!/usr/bin/env bash
# Writes the committed fixture models tests/data/models/small_<model>.glab, one
# small model per family, and what each predicts on tests/data/models/tracks.csv
# (small_<model>.predictions.csv). tests/model_file_test.cpp
# (CommittedModelsStillLoad) loads every one and expects those predictions, so
# a change that breaks reading files written today must bump
# kModelFormatVersion and keep a reader for version 1.
#
#   scripts/make_test_models.sh [BUILD_DIR]                   train and record
#   PREDICTIONS_ONLY=1 scripts/make_test_models.sh [BUILD_DIR]  record what the
#                                         committed models predict, retrain nothing
# BUILD_DIR defaults to build/. ONLY=knn limits either to one model.
#
# Run it only when a new model family is added (or a fixture is deliberately
# replaced): regenerating them all would hide exactly the incompatibility the
# test is there to catch.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
genrelab=${1:-$root/build}/genrelab
out=$root/tests/data/models
genres=classical,ska,sleep
features=danceability,energy,loudness,key,Major

# The input the predictions are recorded on: every 15th track of the three
# genres in the seed data (20 rows), the feature columns and the label.
if [[ ! -f "$out/tracks.csv" ]]; then
  python3 - "$root/data/seed/all_genres.csv" "$out/tracks.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline='')) if r['Genre'] in ('classical', 'ska', 'sleep')]
cols = ['danceability', 'energy', 'loudness', 'key', 'Major', 'Genre']
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(cols)
    for r in rows[::15]:
        w.writerow([r[c] for c in cols])
PY
fi

# model name, then its parameters (small, so the files stay small)
models=(
  "dummy"
  "decision_tree max_depth=3"
  "random_forest n_estimators=3 max_depth=3"
  "extra_trees n_estimators=3 max_depth=3"
  "svm C=1.0 probability=true"
  "linear_svm C=1.0"
  "gradient_boosting n_estimators=3 max_depth=2"
  "adaboost n_estimators=5 max_depth=1"
  "knn"
  "naive_bayes"
  "logistic_regression C=1.0"
)
only=${ONLY:-}
for spec in "${models[@]}"; do
  read -r model params <<<"$spec"
  [[ -n "$only" && "$only" != "$model" ]] && continue
  args=()
  for p in $params; do args+=(--param "$p"); done
  if [[ -z "${PREDICTIONS_ONLY:-}" ]]; then
    "$genrelab" train seed --genres "$genres" --features "$features" --model "$model" "${args[@]}" --seed 42 \
      -o "$out/small_$model.glab" >/dev/null
  fi
  "$genrelab" predict "$out/small_$model.glab" "$out/tracks.csv" --proba -o "$out/small_$model.predictions.csv"
  echo "small_$model: predictions recorded"
done
