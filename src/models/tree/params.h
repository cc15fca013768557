// Tree hyper-parameters shared by decision_tree, random_forest, extra_trees
// and adaboost: declared once with scikit-learn's names, and resolved against
// the shape of the training data at fit time (fractions become counts).
#pragma once

#include <string>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/parameters.h"
#include "models/tree/tree.h"

namespace genrelab::tree {

// criterion, max_depth, min_samples_split, min_samples_leaf, max_features,
// min_impurity_decrease.
void declare_tree_params(ParameterSet& params, const std::string& max_features_default);

// split_search (auto, hist, exact) and max_bins, for the models whose trees
// can use the histogram search (histogram.h). Not named `splitter`:
// decision_tree already has scikit-learn's splitter=best|random, which
// chooses thresholds, not how they are searched.
void declare_split_search_params(ParameterSet& params);

// Rows from which split_search=auto picks the histogram search: below it the
// exact search is fast enough, and results stay those of scikit-learn's
// exact trees (bench/scale.py shows accuracy parity above it).
constexpr int kAutoHistRows = 50000;

// Whether a fit on n_samples rows uses the histogram search. Random
// thresholds (splitter=random, extra trees) always search exactly; asking
// for split_search=hist with them is a UsageError.
bool use_histogram_search(const ParameterSet& params, const std::string& owner, int n_samples,
                          bool random_thresholds);

// Throws UsageError for values that only make sense against the data (an
// integer max_features above the number of features, min_samples_split=1, ...).
TreeOptions resolve_tree_options(const ParameterSet& params, const std::string& owner, int n_samples,
                                 int n_features);

}  // namespace genrelab::tree
