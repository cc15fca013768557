#include "models/decision_tree.h"

#include <fmt/format.h>

#include <algorithm>

#include "genrelab/error.h"

#include "genrelab/bytes.h"
#include "models/tree/histogram.h"
#include "models/tree/params.h"

namespace genrelab {

DecisionTree::DecisionTree() {
  params_.set_owner("decision_tree");
  tree::declare_tree_params(params_, "None");
  params_.declare_choice("splitter", "best", "best threshold per feature, or one random threshold (random)",
                         {"best", "random"});
  tree::declare_split_search_params(params_);
  params_.declare_choice("class_weight", "None", "balanced reweights classes inversely to their frequency",
                         {"None", "balanced"});
  // scikit-learn defaults to None (a fresh seed each run); genrelab results must
  // be reproducible, so the default is a fixed seed.
  params_.declare_int("random_state", "0", "seed for the feature order tried at each split", 0, 4294967295.0);
}

void DecisionTree::fit_model(const Matrix& X, const Labels& y, int n_classes) {
  fit_weighted_checked(X, y, n_classes, std::vector<double>(y.size(), 1.0));
}

void DecisionTree::fit_weighted(const Matrix& X, const Labels& y, int n_classes,
                                const std::vector<double>& sample_weight) {
  check_fit_input(X, y, n_classes);
  fit_weighted_checked(X, y, n_classes, sample_weight);
}

bool DecisionTree::uses_histogram_search(int n_samples) const {
  return tree::use_histogram_search(params_, name(), n_samples, params_.is_word("splitter", "random"));
}

void DecisionTree::fit_weighted_checked(const Matrix& X, const Labels& y, int n_classes,
                                        const std::vector<double>& sample_weight) {
  if (uses_histogram_search(static_cast<int>(X.rows()))) {
    const tree::BinnedData bins(X, static_cast<int>(params_.get_int("max_bins")),
                                static_cast<std::uint64_t>(params_.get_int("random_state")), name());
    fit_binned(bins, y, n_classes, sample_weight);
  } else {
    const tree::TrainingData data(X, y, n_classes);
    fit_prepared(data, X, sample_weight);
  }
}

void DecisionTree::fit_prepared(const tree::TrainingData& data, const Matrix& X,
                                const std::vector<double>& sample_weight) {
  fit_either(&data, nullptr, &X, data.labels(), data.n_classes(), sample_weight);
}

void DecisionTree::fit_binned(const tree::BinnedData& bins, const Labels& y, int n_classes,
                              const std::vector<double>& sample_weight) {
  fit_either(nullptr, &bins, nullptr, y, n_classes, sample_weight);
}

void DecisionTree::fit_either(const tree::TrainingData* data, const tree::BinnedData* bins, const Matrix* X,
                              const Labels& y, int n_classes, const std::vector<double>& sample_weight) {
  const int n_rows = bins ? bins->n_samples() : data->n_samples();
  const int n_cols = bins ? bins->n_features() : data->n_features();
  tree::TreeOptions opt = tree::resolve_tree_options(params_, name(), n_rows, n_cols);
  opt.random_thresholds = params_.is_word("splitter", "random");
  if (bins && opt.random_thresholds)
    throw UsageError(fmt::format("{}: split_search=hist searches best thresholds only; with splitter=random use "
                                 "split_search=exact or auto",
                                 name()));
  std::vector<double> w = sample_weight;
  if (params_.is_word("class_weight", "balanced")) {
    // As scikit-learn: class weights come from label counts, then multiply the sample weights.
    const auto cw = balanced_class_weights(y, n_classes);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] *= cw[static_cast<std::size_t>(y[i])];
  }
  Rng rng(static_cast<std::uint64_t>(params_.get_int("random_state")));
  tree::Workspace ws;
  if (bins)
    tree_.grow_hist(*bins, y, n_classes, w, opt, rng, ws);
  else
    tree_.grow(*data, *X, w, opt, rng, ws);
  n_classes_ = n_classes;
  n_features_ = n_cols;
}

Labels DecisionTree::predict_model(const Matrix& X) const {
  const int K = tree_.n_classes();
  std::vector<int> leaf_class(static_cast<std::size_t>(tree_.node_count()), -1);
  std::vector<double> distribution(static_cast<std::size_t>(K));
  Labels out(static_cast<std::size_t>(X.rows()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const int leaf = tree_.apply(X, i);
    int& c = leaf_class[static_cast<std::size_t>(leaf)];
    if (c < 0) {
      // The same values predict_proba would hold, and argmax_row's rule: first maximum wins.
      std::fill(distribution.begin(), distribution.end(), 0.0);
      tree_.add_leaf_proba(leaf, 1.0, distribution.data());
      c = static_cast<int>(std::max_element(distribution.begin(), distribution.end()) - distribution.begin());
    }
    out[static_cast<std::size_t>(i)] = c;
  }
  return out;
}

Matrix DecisionTree::predict_proba_model(const Matrix& X) const { return tree_.predict_proba(X); }

std::optional<Contributions> DecisionTree::contributions_toward(const Matrix& X, const Labels& target) const {
  check_predict_input(X);
  return tree::tree_shap({&tree_}, X, target, tree_.predict_proba(X));
}

std::vector<double> DecisionTree::feature_importances() const {
  if (n_features_ == 0) return {};
  return tree_.importances(n_features_);
}

void DecisionTree::save(ByteWriter& out) const {
  out.i32(n_classes_);
  out.i32(n_features_);
  tree_.save(out);
}

void DecisionTree::load(ByteReader& in) {
  const int n_classes = in.int_in("decision_tree n_classes", 1, 1000000);
  const int n_features = in.int_in("decision_tree n_features", 1, 10000000);
  tree_.load(in, n_features, n_classes);
  n_classes_ = n_classes;
  n_features_ = n_features;
}

std::unique_ptr<Classifier> make_decision_tree() { return std::make_unique<DecisionTree>(); }

}  // namespace genrelab
