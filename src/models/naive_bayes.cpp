#include "models/naive_bayes.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "genrelab/error.h"
#include "genrelab/bytes.h"

namespace genrelab {

NaiveBayes::NaiveBayes() {
  params_.set_owner("naive_bayes");
  params_.declare_float("var_smoothing", "1e-09",
                        "fraction of the largest feature variance added to every variance, for stability", 0.0,
                        1e308);
}

void NaiveBayes::fit_model(const Matrix& X, const Labels& y, int n_classes) {
  const Eigen::Index d = X.cols();
  mean_ = Matrix::Zero(n_classes, d);
  var_ = Matrix::Zero(n_classes, d);
  std::vector<long> count(static_cast<std::size_t>(n_classes), 0);
  for (std::size_t i = 0; i < y.size(); ++i) {
    ++count[static_cast<std::size_t>(y[i])];
    mean_.row(y[i]) += X.row(static_cast<Eigen::Index>(i));
  }
  for (int c = 0; c < n_classes; ++c)
    if (count[static_cast<std::size_t>(c)] > 0) mean_.row(c) /= static_cast<double>(count[static_cast<std::size_t>(c)]);
  // Two passes (mean, then squared deviations) rather than E[x^2]-E[x]^2, which cancels badly.
  for (std::size_t i = 0; i < y.size(); ++i)
    var_.row(y[i]) += (X.row(static_cast<Eigen::Index>(i)) - mean_.row(y[i])).array().square().matrix();
  for (int c = 0; c < n_classes; ++c)
    if (count[static_cast<std::size_t>(c)] > 0) var_.row(c) /= static_cast<double>(count[static_cast<std::size_t>(c)]);

  // As GaussianNB: epsilon is relative to the largest per-feature variance of all of X.
  double max_var = 0;
  for (Eigen::Index j = 0; j < d; ++j) {
    const double m = X.col(j).mean();
    max_var = std::max(max_var, (X.col(j).array() - m).square().mean());
  }
  var_.array() += params_.get_float("var_smoothing") * max_var;
  // A constant feature with var_smoothing 0 would divide by zero; GaussianNB
  // gives NaN there, we prefer the smallest positive variance.
  var_ = var_.cwiseMax(std::numeric_limits<double>::min());

  prior_.assign(static_cast<std::size_t>(n_classes), 0.0);
  for (int c = 0; c < n_classes; ++c)
    prior_[static_cast<std::size_t>(c)] = static_cast<double>(count[static_cast<std::size_t>(c)]) / static_cast<double>(y.size());
  n_classes_ = n_classes;
  fitted_ = true;
}

Matrix NaiveBayes::predict_proba_model(const Matrix& X) const {
  const Eigen::Index n = X.rows();
  Matrix joint(n, n_classes_);
  for (int c = 0; c < n_classes_; ++c) {
    const double prior = prior_[static_cast<std::size_t>(c)];
    if (prior == 0.0) {
      // A class absent from the training rows can never be predicted.
      joint.col(c).setConstant(-std::numeric_limits<double>::infinity());
      continue;
    }
    const Eigen::ArrayXd inv_var = var_.row(c).array().inverse().transpose();
    const double log_norm = std::log(prior) - 0.5 * (2.0 * M_PI * var_.row(c).array()).log().sum();
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::ArrayXd diff = (X.row(i) - mean_.row(c)).array().transpose();
      joint(i, c) = log_norm - 0.5 * (diff.square() * inv_var).sum();
    }
  }
  // Normalise in log space (log-sum-exp) so tiny likelihoods do not underflow to 0/0.
  Matrix P(n, n_classes_);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double top = joint.row(i).maxCoeff();
    P.row(i) = (joint.row(i).array() - top).exp().matrix();
    P.row(i) /= P.row(i).sum();
  }
  return P;
}

void NaiveBayes::save(ByteWriter& out) const {
  out.i32(n_classes_);
  out.matrix(mean_);
  out.matrix(var_);
  out.f64s(prior_);
}

void NaiveBayes::load(ByteReader& in) {
  const int n_classes = in.int_in("naive_bayes n_classes", 1, 1000000);
  Matrix mean = in.matrix();
  Matrix var = in.matrix();
  auto prior = in.f64s();
  in.require(mean.rows() == n_classes && mean.cols() >= 1 && var.rows() == mean.rows() && var.cols() == mean.cols() &&
                 prior.size() == static_cast<std::size_t>(n_classes),
             "naive_bayes' arrays have inconsistent shapes");
  in.require(mean.allFinite() && var.allFinite() && (var.array() > 0.0).all(), "naive_bayes holds an invalid mean or variance");
  bool any = false;
  for (double p : prior) {
    in.require(std::isfinite(p) && p >= 0.0 && p <= 1.0, "naive_bayes' class prior holds an invalid value");
    any = any || p > 0.0;
  }
  in.require(any, "naive_bayes' class prior is all zero");
  mean_ = std::move(mean);
  var_ = std::move(var);
  prior_ = std::move(prior);
  n_classes_ = n_classes;
  fitted_ = true;
}

std::unique_ptr<Classifier> make_naive_bayes() { return std::make_unique<NaiveBayes>(); }

}  // namespace genrelab
