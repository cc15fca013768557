// `genrelab compare`: several models on the same splits, optionally tuned,
// with permutation importance; as values, JSON and text.
#pragma once

#include <iosfwd>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/evaluate.h"
#include "genrelab/importance.h"
#include "genrelab/protocol.h"
#include "genrelab/tuning.h"

namespace genrelab {

struct CompareRequest {
  std::vector<std::string> models;  // empty: every model in the factory
  protocol::Protocol protocol;  // 0 folds or no held-out part refused; scoring ranks and tunes
  bool tune = false;  // choose parameters by CV on the training part, then test once
  std::string importance;  // "" or "permutation": permutation importance on the held-out part
  int repeats = 5;
  std::map<std::string, ParamMap> params;  // per-model fixed parameters
  std::map<std::string, std::string> grids;  // per-model grid searched when tuning; absent: default_grid
  bool confirmed = false;  // --yes: tune with grids above protocol::kMaxFitsUnconfirmed fits
};
// The request's own consistency, checked before any data is read: no model
// twice, parameters and grids only for models that run, grids only with
// tuning, no search too large unconfirmed. UsageError naming the option.
void check_compare_request(const CompareRequest& request);

struct ModelComparison {
  std::string model;
  EvaluationResult evaluation;  // holdout always; cv = CV on all rows (no tuning) or on the training part
  bool tuned = false;
  TuneResult tuning;
  bool has_permutation = false;
  PermutationImportance permutation;
  // Time spent on this model. Untuned, its fits share the cores with other
  // models' fits, so this is the sum of its own fits' durations (and of the
  // permutation importance); tuned, models run one after another and this is
  // the wall-clock time of its tuning, final fit and importance.
  double seconds = 0;
};

// Permutation importance as JSON (features ranked by mean drop) and as text.
nlohmann::json permutation_json(const PermutationImportance& p, const Dataset& data, Scoring scoring, int repeats);
std::string permutation_text(const PermutationImportance& p, const Dataset& data, const std::string& model,
                             Scoring scoring, int repeats, std::size_t top);

std::vector<ModelComparison> compare_models(const Dataset& data, const CompareRequest& request,
                                            std::ostream* progress = nullptr);
nlohmann::json comparison_json(const std::vector<ModelComparison>& results, const CompareRequest& request,
                               const Dataset& data);
std::string comparison_text(const std::vector<ModelComparison>& results, const CompareRequest& request,
                            const Dataset& data);

}  // namespace genrelab
