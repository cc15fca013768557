// Why a model predicts what it predicts: per-track feature contributions and
// per-genre summaries of them.
//
// Methods, by model:
//  * gradient_boosting: TreeSHAP as XGBoost computes it (pred_contribs) on
//    the raw margin (log-odds scale before softmax) of the explained class;
//    contributions + bias == margin.
//  * decision_tree, random_forest, extra_trees: path-dependent TreeSHAP
//    (Lundberg et al. 2018, Algorithm 2) on the class probability, averaged
//    over trees for forests; contributions + bias == predicted probability.
//  * every other model: occlusion. Contribution of feature j =
//    p(x) - p(x with feature j set to its training mean), for the explained
//    class. Not additive: bias is p(the all-means track), and contributions
//    plus bias need not equal p(x).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/model_file.h"
#include "genrelab/model.h"
#include "genrelab/pipeline.h"
#include "genrelab/table.h"

namespace genrelab {

// Contributions (model.h): the per-row result of every method.

// Which method explain_rows uses for `model` (see above).
std::string explanation_method(const std::string& model);

// Contributions toward class target[i] for row i of X (raw features, before
// scaling). `reference` is the training mean of each feature (occlusion).
Contributions explain_rows(const Pipeline& pipeline, const std::string& model, const Matrix& X,
                           const Labels& target, const Vector& reference);

struct FeatureEffect {
  std::string feature;
  double mean = 0;      // mean signed contribution
  double mean_abs = 0;  // mean |contribution|
};

struct GenreExplanation {
  std::string genre;
  std::size_t tracks = 0;              // tracks predicted as this genre
  std::vector<FeatureEffect> features;  // sorted by |mean| (the value explain prints), largest first
};

// Per genre: contributions toward that genre over the tracks the model
// predicts as that genre (no labels needed, so it works on new tracks too).
// Global: mean |contribution| over all tracks, each toward its own predicted
// genre, next to the model's own importances where it has them.
struct ModelExplanation {
  std::string model, method, output;
  bool additive = false;
  std::size_t rows = 0;
  std::vector<GenreExplanation> genres;
  std::vector<FeatureEffect> global;     // sorted by mean_abs
  std::vector<std::string> feature_names;
  std::vector<double> model_importances;  // per feature, in feature order; empty where none
  double max_additivity_error = 0;       // max |sum + bias - output| (additive methods)
};

ModelExplanation explain_model(const ModelFile& file, const Table& tracks);
nlohmann::json explanation_json(const ModelExplanation& explanation);
std::string explanation_text(const ModelExplanation& explanation, std::size_t top = 8);

}  // namespace genrelab
