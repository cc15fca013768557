// Model-agnostic feature importance: how much the held-out score drops when
// one feature's values are shuffled across tracks (Breiman 2001; as
// sklearn.inspection.permutation_importance). Works for every model.
#pragma once

#include <cstdint>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/pipeline.h"
#include "genrelab/tuning.h"

namespace genrelab {

struct PermutationImportance {
  double baseline = 0;                        // score on the unshuffled data
  std::vector<double> mean, sd;               // per feature: drop in score (population sd over repeats)
  std::vector<std::vector<double>> repeats;   // per feature, per repeat
};

// `model` must be fitted; X, y are rows it did not train on. Feature f in
// repeat r is shuffled with its own seeded stream, so results do not depend on
// the thread count.
PermutationImportance permutation_importance(const Pipeline& model, const Matrix& X, const Labels& y,
                                             int n_classes, int repeats, std::uint64_t seed,
                                             Scoring scoring = Scoring::Accuracy);

double score_predictions(const Labels& y_true, const Labels& y_pred, int n_classes, Scoring scoring);

}  // namespace genrelab
