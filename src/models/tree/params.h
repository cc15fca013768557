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

// scikit-learn's "balanced" class weights, n / (n_present_classes * count_k),
// computed over `y` restricted to the samples with count > 0 (each counted
// `count` times); classes absent from those samples get weight 0.
std::vector<double> balanced_class_weights(const Labels& y, const std::vector<double>& counts, int n_classes);

// Rejects empty data, mismatched sizes and labels outside [0, n_classes).
void check_fit_input(const std::string& owner, const Matrix& X, const Labels& y, int n_classes);

// Fails with a clear message when the model is used before fit or with a
// matrix of the wrong width.
void check_predict_input(const std::string& owner, int fitted_features, const Matrix& X);

}  // namespace genrelab::tree
