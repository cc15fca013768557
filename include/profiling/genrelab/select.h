// Which K genres are the most mutually distinct (genrelab select).
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/evaluation.h"
#include "genrelab/separability.h"

namespace genrelab {

struct SubsetSearch {
  std::vector<int> members;  // ascending codes
  double min_separability = 0, mean_separability = 0;
  std::string method;             // "exact" or "greedy+swap"
  std::size_t subsets_examined = 0;
};
// The k-subset maximising the minimum pairwise entry of `separability`, ties
// broken by the larger mean, then the lexicographically first set. Exact
// branch and bound when C(n, k) <= exact_limit, greedy + swaps otherwise.
SubsetSearch most_distinct_subset(const Matrix& separability, int k, double exact_limit = 5e6);

struct GenreSetSummary {
  std::vector<int> members;
  double min_separability = 0, mean_separability = 0;
  int weakest_a = -1, weakest_b = -1;
  bool has_cv = false;
  CrossValidation cv;  // multi-class CV on the set's tracks
};

struct SelectRequest {
  int k = 6;
  SeparabilityRequest separability;
  std::vector<std::string> compare;  // a user-given set to compare with
  bool multiclass = true;            // multi-class CV on the chosen / compared sets
};

struct Selection {
  SelectRequest request;
  Separability separability;
  SubsetSearch search;
  GenreSetSummary chosen;
  bool has_compare = false;
  GenreSetSummary compared;
};

Selection select_genres(const Dataset& data, const SelectRequest& request, std::ostream* progress = nullptr);
// select JSON: { "format": "genrelab-select/1", "k", "method", "subsets_examined",
//   "chosen": SET, "compared": SET (when --compare), "separability": separability.json }
// SET = {"genres", "min_separability", "mean_separability", "weakest_pair": [a, b],
//        "pairwise": [[..]] (within the set, in "genres" order),
//        "multiclass_cv": {"model", "accuracy", "accuracy_sd", "balanced_accuracy", "f1_macro"}}
nlohmann::json selection_json(const Selection& s);
std::string selection_text(const Selection& s);

}  // namespace genrelab
