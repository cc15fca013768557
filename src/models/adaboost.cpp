#include "models/adaboost.h"

#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <optional>

#include "genrelab/error.h"
#include "genrelab/bytes.h"
#include "models/tree/histogram.h"
#include "models/tree/params.h"

namespace genrelab {

AdaBoost::AdaBoost() {
  params_.set_owner("adaboost");
  params_.declare_int("n_estimators", "50", "boosting rounds (fewer if a tree fits perfectly)", 1, 100000);
  params_.declare_float("learning_rate", "1.0", "shrinks each tree's vote", 0.0, 1e308, true);
  params_.declare_int("max_depth", "1", "depth of each boosted tree (1 = decision stumps)", 1, 1e308);
  // Only SAMME: scikit-learn 1.2's default SAMME.R needs probability trees
  // and was later removed from scikit-learn; the name is accepted for ported code.
  params_.declare_choice("algorithm", "SAMME", "boosting variant (SAMME only)", {"SAMME"});
  // scikit-learn defaults to None; genrelab results must be reproducible.
  params_.declare_int("random_state", "0", "seed for the trees' feature order", 0, 4294967295.0);
  tree::declare_split_search_params(params_);
}

void AdaBoost::fit_model(const Matrix& X, const Labels& y, int n_classes) {
  const std::size_t n = y.size();
  seen_.clear();
  {
    std::vector<bool> present(static_cast<std::size_t>(n_classes), false);
    for (int label : y) present[static_cast<std::size_t>(label)] = true;
    for (int k = 0; k < n_classes; ++k)
      if (present[static_cast<std::size_t>(k)]) seen_.push_back(k);
  }
  // SAMME's K is the number of classes scikit-learn would see in y.
  const double K = static_cast<double>(seen_.size());
  const int rounds = static_cast<int>(params_.get_int("n_estimators"));
  const double rate = params_.get_float("learning_rate");
  const auto seed = static_cast<std::uint64_t>(params_.get_int("random_state"));

  estimators_.clear();
  weights_.clear();
  errors_.clear();
  n_classes_ = n_classes;
  n_features_ = static_cast<int>(X.cols());
  std::vector<double> w(n, 1.0 / static_cast<double>(n));
  // The trees' search data, built once for every round.
  const bool hist = tree::use_histogram_search(params_, name(), static_cast<int>(n), false);
  std::optional<tree::BinnedData> bins;
  std::optional<tree::TrainingData> data;
  if (hist)
    bins.emplace(X, static_cast<int>(params_.get_int("max_bins")), seed, name());
  else
    data.emplace(X, y, n_classes);

  for (int round = 0; round < rounds; ++round) {
    DecisionTree stump;
    stump.set_param("max_depth", params_.get("max_depth"));
    stump.set_param("random_state", std::to_string(Rng::derive(seed, static_cast<std::uint64_t>(round)).next_u64() >> 32));
    if (hist)
      stump.fit_binned(*bins, y, n_classes, w);
    else
      stump.fit_prepared(*data, X, w);
    const Labels pred = stump.predict_unchecked(X);
    double wrong = 0.0, total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      total += w[i];
      if (pred[i] != y[i]) wrong += w[i];
    }
    const double error = wrong / total;
    if (error <= 0.0) {
      // A perfect tree ends boosting with unit weight, as scikit-learn does.
      estimators_.push_back(std::move(stump));
      weights_.push_back(1.0);
      errors_.push_back(0.0);
      break;
    }
    if (error >= 1.0 - 1.0 / K) {
      // No better than chance: discard it and stop.
      if (estimators_.empty())
        throw InputError(fmt::format(
            "adaboost: the first tree is no better than random guessing (weighted error {:.3f}); the ensemble cannot be fit",
            error));
      break;
    }
    const double alpha = rate * (std::log((1.0 - error) / error) + std::log(K - 1.0));
    estimators_.push_back(std::move(stump));
    weights_.push_back(alpha);
    errors_.push_back(error);
    if (round == rounds - 1) break;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (pred[i] != y[i] && w[i] > 0.0) w[i] = std::exp(std::log(w[i]) + alpha);
      sum += w[i];
    }
    if (!std::isfinite(sum) || sum <= 0.0) break;
    for (double& v : w) v /= sum;
  }
}

Matrix AdaBoost::decision(const Matrix& X) const {
  const int K = static_cast<int>(seen_.size());
  std::vector<int> column(static_cast<std::size_t>(n_classes_), -1);
  for (int j = 0; j < K; ++j) column[static_cast<std::size_t>(seen_[static_cast<std::size_t>(j)])] = j;
  Matrix D = Matrix::Zero(X.rows(), K);
  double total = 0.0;
  for (std::size_t e = 0; e < estimators_.size(); ++e) {
    const Labels pred = estimators_[e].predict_unchecked(X);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      // A tree only votes for classes seen in training; the check keeps a
      // damaged model file from indexing outside D.
      const int c = column[static_cast<std::size_t>(pred[static_cast<std::size_t>(i)])];
      if (c >= 0) D(i, c) += weights_[e];
    }
    total += weights_[e];
  }
  return D / total;
}

Matrix AdaBoost::predict_proba_model(const Matrix& X) const {
  const int K = static_cast<int>(seen_.size());
  Matrix P = Matrix::Zero(X.rows(), n_classes_);
  if (K == 1) {
    P.col(seen_[0]).setOnes();
    return P;
  }
  Matrix D = decision(X);
  // scikit-learn 1.2 SAMME probabilities: softmax of decision / (K - 1); with
  // two classes the decision is the difference d = D1 - D0 and the scores are
  // (-d/2, d/2), which is the same softmax.
  if (K == 2) {
    const Eigen::VectorXd d = D.col(1) - D.col(0);
    D.col(0) = -d / 2.0;
    D.col(1) = d / 2.0;
  } else {
    D /= static_cast<double>(K - 1);
  }
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const double top = D.row(i).maxCoeff();
    double sum = 0.0;
    for (int j = 0; j < K; ++j) sum += std::exp(D(i, j) - top);
    for (int j = 0; j < K; ++j) P(i, seen_[static_cast<std::size_t>(j)]) = std::exp(D(i, j) - top) / sum;
  }
  return P;
}

std::vector<double> AdaBoost::feature_importances() const {
  if (estimators_.empty()) return {};
  // As scikit-learn: the estimator-weighted mean of the trees' importances.
  std::vector<double> out(static_cast<std::size_t>(n_features_), 0.0);
  const double total = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  for (std::size_t e = 0; e < estimators_.size(); ++e) {
    const auto imp = estimators_[e].feature_importances();
    for (std::size_t f = 0; f < out.size(); ++f) out[f] += weights_[e] * imp[f] / total;
  }
  return out;
}

void AdaBoost::save(ByteWriter& out) const {
  out.i32(n_classes_);
  out.i32(n_features_);
  out.i32s(seen_);
  out.f64s(weights_);
  out.f64s(errors_);
  for (const auto& e : estimators_) e.save(out);
}

void AdaBoost::load(ByteReader& in) {
  const int n_classes = in.int_in("adaboost n_classes", 1, 1000000);
  const int n_features = in.int_in("adaboost n_features", 1, 10000000);
  auto seen = in.i32s();
  auto weights = in.f64s();
  auto errors = in.f64s();
  in.require(!seen.empty() && seen.size() <= static_cast<std::size_t>(n_classes), "adaboost's class list is invalid");
  for (std::size_t k = 0; k < seen.size(); ++k)
    in.require(seen[k] >= 0 && seen[k] < n_classes && (k == 0 || seen[k] > seen[k - 1]), "adaboost's class list is invalid");
  in.require(!weights.empty() && weights.size() == errors.size(), "adaboost's estimator lists differ in length");
  double total = 0.0;
  for (double w : weights) {
    in.require(std::isfinite(w), "adaboost holds an invalid estimator weight");
    total += w;
  }
  in.require(total != 0.0 && std::isfinite(total), "adaboost's estimator weights sum to zero");
  std::vector<DecisionTree> estimators(weights.size());
  for (auto& e : estimators) {
    e.load(in);
    in.require(e.n_classes() == n_classes && e.feature_importances().size() == static_cast<std::size_t>(n_features),
               "an adaboost tree does not match its ensemble");
  }
  estimators_ = std::move(estimators);
  seen_ = std::move(seen);
  weights_ = std::move(weights);
  errors_ = std::move(errors);
  n_classes_ = n_classes;
  n_features_ = n_features;
}

std::unique_ptr<Classifier> make_adaboost() { return std::make_unique<AdaBoost>(); }

}  // namespace genrelab
