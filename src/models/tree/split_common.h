// Pieces shared by the exact (tree.cpp) and histogram (histogram.cpp) split
// searches: impurities, the split-quality proxy, and the candidate-feature
// draw. One copy, so the searches score splits and consume random numbers
// the same way.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "genrelab/random.h"
#include "models/tree/tree.h"

namespace genrelab::tree::detail {

constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

inline double xlogx(double x) { return x > 0.0 ? x * std::log2(x) : 0.0; }

inline double impurity_of(const double* w, int n_classes, double total, Criterion criterion) {
  if (total <= 0.0) return 0.0;
  double acc = 0.0;
  if (criterion == Criterion::gini) {
    for (int k = 0; k < n_classes; ++k) acc += w[k] * w[k];
    return 1.0 - acc / (total * total);
  }
  for (int k = 0; k < n_classes; ++k) {
    if (w[k] > 0.0) {
      const double p = w[k] / total;
      acc -= p * std::log2(p);
    }
  }
  return acc;
}

// Weighted impurity decrease of a split, as a share of the root's weight
// (scikit-learn's definition, used for min_impurity_decrease and importances).
inline double split_improvement(double impurity, double W, double root_weight, const double* left, double wl,
                         const double* right, double wr, int n_classes, Criterion criterion) {
  const double imp_l = impurity_of(left, n_classes, wl, criterion);
  const double imp_r = impurity_of(right, n_classes, wr, criterion);
  return (W / root_weight) * (impurity - (wr / W) * imp_r - (wl / W) * imp_l);
}

// The part of weight * impurity summed over both children that depends on the
// split; larger is better. Gini: sum_k w_k^2 / W per child. Entropy:
// sum_k w_k log w_k - W log W per child.
struct Proxy {
  Criterion criterion;
  double left = 0.0, right = 0.0;  // sum of squares or sum of x log x

  void reset(const double* node_w, int n_classes) {
    left = 0.0;
    right = 0.0;
    for (int k = 0; k < n_classes; ++k) right += criterion == Criterion::gini ? node_w[k] * node_w[k] : xlogx(node_w[k]);
  }
  // One sample of weight w and class with current left/right weights wl, wr moves left.
  void move(double wl, double wr, double w) {
    if (criterion == Criterion::gini) {
      left += w * (2.0 * wl + w);
      right += w * (w - 2.0 * wr);
    } else {
      left += xlogx(wl + w) - xlogx(wl);
      right += xlogx(wr - w) - xlogx(wr);
    }
  }
  double value(double wl_total, double wr_total) const {
    if (criterion == Criterion::gini) return left / wl_total + right / wr_total;
    return left - xlogx(wl_total) + right - xlogx(wr_total);
  }
};

// The candidate features of one node, drawn as scikit-learn's splitters draw
// them: without replacement, by a partial Fisher-Yates shuffle of `features`
// (one rng draw per feature drawn), until max_features were drawn and at
// least one of them varies in the node; while every feature drawn so far was
// constant, it keeps drawing. One helper for both growers, so the two cannot
// drift apart: the order of rng draws is part of every seeded result.
class FeatureDraw {
 public:
  FeatureDraw(std::vector<int>& features, int n_features, int max_features, Rng& rng)
      : features_(features), p_(n_features), max_features_(max_features), rng_(rng) {}

  // The next feature to try, or -1 when the draw is over.
  int next() {
    if (j_ >= p_ || (j_ >= max_features_ && non_constant_ > 0)) return -1;
    const int pick = j_ + static_cast<int>(rng_.uniform_index(static_cast<std::uint64_t>(p_ - j_)));
    std::swap(features_[static_cast<std::size_t>(j_)], features_[static_cast<std::size_t>(pick)]);
    return features_[static_cast<std::size_t>(j_++)];
  }
  // The feature next() returned last varies in the node.
  void non_constant() { ++non_constant_; }

 private:
  std::vector<int>& features_;
  int p_, max_features_;
  Rng& rng_;
  int j_ = 0;  // features drawn so far: features_[0..j_)
  int non_constant_ = 0;
};

}  // namespace genrelab::tree::detail
