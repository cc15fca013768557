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

// Throws UsageError for values that only make sense against the data (an
// integer max_features above the number of features, min_samples_split=1, ...).
TreeOptions resolve_tree_options(const ParameterSet& params, const std::string& owner, int n_samples,
                                 int n_features);

}  // namespace genrelab::tree
