#include "models/dummy.h"

#include <fmt/format.h>

#include <cmath>

#include "genrelab/error.h"
#include "genrelab/random.h"
#include "genrelab/bytes.h"

namespace genrelab {

Dummy::Dummy() {
  params_.set_owner("dummy");
  params_.declare_choice("strategy", "prior",
                         "most_frequent: always the commonest class; prior: class frequencies as probabilities; "
                         "stratified: random classes drawn by frequency; uniform: random classes, equally likely",
                         {"most_frequent", "prior", "stratified", "uniform"});
  // scikit-learn defaults to None (a fresh seed each run); genrelab results must
  // be reproducible, so the default is a fixed seed. As in scikit-learn with an
  // integer seed, every predict call draws the same numbers.
  params_.declare_int("random_state", "0", "seed for the stratified and uniform strategies", 0, 4294967295.0);
}

void Dummy::fit_model(const Matrix& X, const Labels& y, int n_classes) {
  fit_labels(y, n_classes, static_cast<int>(X.cols()));
}

// The rows' features are never read, so a fold costs no copy of them.
void Dummy::fit_rows_model(const Matrix& X, const std::vector<int>& /*rows*/, const Labels& y, int n_classes) {
  fit_labels(y, n_classes, static_cast<int>(X.cols()));
}

void Dummy::fit_labels(const Labels& y, int n_classes, int n_features) {
  prior_.assign(static_cast<std::size_t>(n_classes), 0.0);
  for (int label : y) {
    prior_[static_cast<std::size_t>(label)] += 1.0;
  }
  for (double& p : prior_) p /= static_cast<double>(y.size());
  n_classes_ = n_classes;
  n_features_ = n_features;
  fitted_ = true;
}

Matrix Dummy::predict_proba_model(const Matrix& X) const {
  const Eigen::Index n = X.rows();
  Matrix P = Matrix::Zero(n, n_classes_);
  const std::string& strategy = params_.get("strategy");
  if (strategy == "prior") {
    for (int k = 0; k < n_classes_; ++k) P.col(k).setConstant(prior_[static_cast<std::size_t>(k)]);
  } else if (strategy == "most_frequent") {
    int best = 0;
    for (int k = 1; k < n_classes_; ++k)
      if (prior_[static_cast<std::size_t>(k)] > prior_[static_cast<std::size_t>(best)]) best = k;
    P.col(best).setOnes();
  } else if (strategy == "uniform") {
    // Only classes seen in training, as scikit-learn (it knows no others).
    int seen = 0;
    for (double p : prior_) seen += p > 0.0 ? 1 : 0;
    for (int k = 0; k < n_classes_; ++k)
      if (prior_[static_cast<std::size_t>(k)] > 0.0) P.col(k).setConstant(1.0 / seen);
  } else {  // stratified: one-hot draws from the class prior
    Rng rng(static_cast<std::uint64_t>(params_.get_int("random_state")));
    for (Eigen::Index i = 0; i < n; ++i) {
      const double u = rng.uniform();
      double cum = 0.0;
      int k = 0;
      for (; k < n_classes_ - 1; ++k) {
        cum += prior_[static_cast<std::size_t>(k)];
        if (u < cum && prior_[static_cast<std::size_t>(k)] > 0.0) break;
      }
      while (prior_[static_cast<std::size_t>(k)] == 0.0) --k;  // rounding past the last seen class
      P(i, k) = 1.0;
    }
  }
  return P;
}

Labels Dummy::predict_model(const Matrix& X) const {
  if (params_.get("strategy") != "uniform") return Classifier::predict_model(X);
  // Uniform probabilities have no argmax worth reporting; scikit-learn draws a class.
  std::vector<int> seen;
  for (int k = 0; k < n_classes_; ++k)
    if (prior_[static_cast<std::size_t>(k)] > 0.0) seen.push_back(k);
  Rng rng(static_cast<std::uint64_t>(params_.get_int("random_state")));
  Labels out(static_cast<std::size_t>(X.rows()));
  for (auto& label : out) label = seen[rng.uniform_index(seen.size())];
  return out;
}

void Dummy::save(ByteWriter& out) const {
  out.i32(n_classes_);
  out.f64s(prior_);
}

void Dummy::load(ByteReader& in) {
  const int n_classes = in.int_in("dummy n_classes", 1, 1000000);
  auto prior = in.f64s();
  in.require(prior.size() == static_cast<std::size_t>(n_classes), "dummy's class prior has the wrong length");
  double sum = 0.0;
  for (double p : prior) {
    in.require(std::isfinite(p) && p >= 0.0 && p <= 1.0, "dummy's class prior holds an invalid value");
    sum += p;
  }
  // The stratified draw walks back to a class with positive prior; there must be one.
  in.require(sum > 0.0, "dummy's class prior is all zero");
  prior_ = std::move(prior);
  n_classes_ = n_classes;
  fitted_ = true;
}

std::unique_ptr<Classifier> make_dummy() { return std::make_unique<Dummy>(); }

}  // namespace genrelab
