// How well each pair of genres can be told apart (genrelab separability).
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/matrix.h"
#include "genrelab/model_registry.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"

namespace genrelab {

struct SeparabilityRequest {
  std::string model = default_model();
  ParamMap params;  // unset ones: the registry's pairwise_params for the model, then its defaults
  // cv folds per pair (0 refused), seed for the folds and the model's
  // random_state unless given, stratify. Nothing is held out and every pair is
  // scored by balanced accuracy: test_size, sklearn_split and scoring unused.
  protocol::Protocol protocol;
  int bins = 20;            // histogram bins for the per-feature overlap
  bool per_feature = true;  // overlap and KS per feature
};

struct PairSeparability {
  int a = 0, b = 0;                  // genre codes, a < b
  MeanSd accuracy, balanced_accuracy;  // over the folds
  std::vector<double> overlap;       // per feature: sum over shared bins of min(p_a, p_b)
  std::vector<double> ks;            // per feature: KS statistic D
};

struct Dendrogram {
  // scipy.cluster.hierarchy.linkage layout: clusters 0..n-1 are the leaves,
  // merge i creates cluster n + i from `left` and `right`.
  struct Merge {
    int left = 0, right = 0;
    double distance = 0;
    int size = 0;
  };
  std::vector<Merge> merges;
  std::vector<int> order;  // leaves left to right
};
// UPGMA (average linkage) on a symmetric distance matrix; ties merge the
// lowest-numbered clusters first, and a merge lists its older cluster first.
Dendrogram average_linkage(const Matrix& distance);

struct Separability {
  SeparabilityRequest request;
  ParamMap params;  // the model's full parameters
  std::vector<std::string> genres, features;
  std::vector<PairSeparability> pairs;  // (0,1), (0,2), ..., (n-2,n-1)
  // separability(a, b): CV balanced accuracy of the pair (0.5 = chance, the
  // diagonal); similarity = clamp(2 (1 - separability), 0, 1): 1 for a pair no
  // better than chance, 0 for a perfectly separable pair.
  Matrix separability, similarity;
  Dendrogram clustering;  // average linkage on distance = separability
};

Separability genre_separability(const Dataset& data, const SeparabilityRequest& request,
                                std::ostream* progress = nullptr);
// separability.json layout:
// { "format": "genrelab-separability/1", "model", "params", "cv", "seed",
//   "metric": "balanced_accuracy", "genres": [..], "order": [genre names],
//   "order_index": [codes], "linkage": [[left, right, distance, size]],
//   "separability": [[n x n]], "similarity": [[n x n]] (both in "genres" order),
//   "pairs": [{"a", "b", "accuracy", "accuracy_sd", "balanced_accuracy",
//              "balanced_accuracy_sd",
//              "features": [{"feature", "overlap", "ks"}]  (when per-feature)}] }
nlohmann::json separability_json(const Separability& s);
std::string separability_text(const Separability& s);

}  // namespace genrelab
