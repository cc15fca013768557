// Path-dependent TreeSHAP, written from Lundberg, Erion & Lee (2018),
// "Consistent Individualized Feature Attribution for Tree Ensembles",
// Algorithm 2. Exact Shapley values of the tree's class probability where a
// feature left out of a coalition is integrated out along the training
// covers (node weights), in O(leaves * depth^2) per row instead of 2^features.
//
// The path m holds, for each feature met on the way from the root, the
// fraction of cover that flows down this path when the feature is absent
// (zero), whether x takes this path when present (one), and the weights of
// subsets of each size; extend() adds a feature to every subset size,
// unwind() removes one again (a feature seen twice on a path is merged).
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "genrelab/error.h"
#include "models/tree/tree.h"

namespace genrelab::tree {
namespace {

struct PathElement {
  int feature;
  double zero, one, weight;
};

// m has `len` elements; appends one.
void extend(PathElement* m, int len, double zero, double one, int feature) {
  m[len] = {feature, zero, one, len == 0 ? 1.0 : 0.0};
  for (int i = len - 1; i >= 0; --i) {
    m[i + 1].weight += one * m[i].weight * (i + 1) / static_cast<double>(len + 1);
    m[i].weight = zero * m[i].weight * (len - i) / static_cast<double>(len + 1);
  }
}

// m has `len` elements; removes element i, leaving len - 1.
void unwind(PathElement* m, int len, int i) {
  const int l = len - 1;
  const double one = m[i].one, zero = m[i].zero;
  double next = m[l].weight;
  for (int j = l - 1; j >= 0; --j) {
    if (one != 0.0) {
      const double t = m[j].weight;
      m[j].weight = next * (l + 1) / ((j + 1) * one);
      next = t - m[j].weight * zero * (l - j) / static_cast<double>(l + 1);
    } else {
      m[j].weight = m[j].weight * (l + 1) / (zero * (l - j));
    }
  }
  for (int j = i; j < l; ++j) {
    m[j].feature = m[j + 1].feature;
    m[j].zero = m[j + 1].zero;
    m[j].one = m[j + 1].one;
  }
}

// Sum of the weights unwind(m, len, i) would leave, without changing m.
double unwound_sum(const PathElement* m, int len, int i) {
  const int l = len - 1;
  const double one = m[i].one, zero = m[i].zero;
  double total = 0.0;
  if (one != 0.0) {
    double next = m[l].weight;
    for (int j = l - 1; j >= 0; --j) {
      const double t = next * (l + 1) / ((j + 1) * one);
      total += t;
      next = m[j].weight - t * zero * (l - j) / static_cast<double>(l + 1);
    }
  } else {
    for (int j = l - 1; j >= 0; --j) total += m[j].weight * (l + 1) / (zero * (l - j));
  }
  return total;
}

}  // namespace

double Tree::expected_value(int cls) const {
  if (nodes_.empty() || nodes_.front().weight <= 0.0) return 0.0;
  double sum = 0.0;
  for (const Node& nd : nodes_) {
    if (nd.feature >= 0) continue;
    for (std::uint32_t v = nd.value_begin; v < nd.value_end; ++v)
      if (value_class_[v] == cls) sum += nd.weight * value_proba_[v];
  }
  return sum / nodes_.front().weight;
}

void Tree::add_shap(const Matrix& X, Eigen::Index row, int cls, double scale, double* phi) const {
  // Longest root-to-leaf path, from the structure (children follow parents).
  std::vector<int> level(nodes_.size(), 0);
  int max_depth = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& nd = nodes_[i];
    if (nd.feature < 0) continue;
    level[static_cast<std::size_t>(nd.left)] = level[static_cast<std::size_t>(nd.right)] = level[i] + 1;
    max_depth = std::max(max_depth, level[i] + 1);
  }
  // The recursion below is as deep as the tree; refuse what could overflow the stack.
  if (max_depth > 4000)
    throw InputError(fmt::format("TreeSHAP: a tree {} levels deep is too deep to explain; limit max_depth", max_depth));
  // One path segment per depth: the segment at depth t holds up to t + 1 elements.
  std::vector<PathElement> storage(static_cast<std::size_t>(max_depth + 2) * static_cast<std::size_t>(max_depth + 3) / 2);

  const auto leaf_value = [&](const Node& nd) {
    for (std::uint32_t v = nd.value_begin; v < nd.value_end; ++v)
      if (value_class_[v] == cls) return value_proba_[v];
    return 0.0;
  };

  // parent: the parent's segment with parent_len elements; this node's
  // segment starts right after the parent's capacity (depth + 1 elements).
  const auto recurse = [&](auto& self, int j, const PathElement* parent, int parent_len, PathElement* m,
                           double zero, double one, int feature) -> void {
    std::copy(parent, parent + parent_len, m);
    extend(m, parent_len, zero, one, feature);
    int len = parent_len + 1;
    const Node& nd = nodes_[static_cast<std::size_t>(j)];
    if (nd.feature < 0) {
      const double v = leaf_value(nd);
      if (v == 0.0) return;
      for (int i = 1; i < len; ++i)
        phi[m[i].feature] += scale * unwound_sum(m, len, i) * (m[i].one - m[i].zero) * v;
      return;
    }
    const bool go_left = X(row, nd.feature) <= nd.threshold;
    const int hot = go_left ? nd.left : nd.right, cold = go_left ? nd.right : nd.left;
    double incoming_zero = 1.0, incoming_one = 1.0;
    for (int k = 1; k < len; ++k) {
      if (m[k].feature == nd.feature) {
        incoming_zero = m[k].zero;
        incoming_one = m[k].one;
        unwind(m, len, k);
        --len;
        break;
      }
    }
    const double w = nd.weight;
    const double hot_share = w > 0.0 ? nodes_[static_cast<std::size_t>(hot)].weight / w : 0.0;
    const double cold_share = w > 0.0 ? nodes_[static_cast<std::size_t>(cold)].weight / w : 0.0;
    PathElement* child = m + (parent_len + 1);
    self(self, hot, m, len, child, incoming_zero * hot_share, incoming_one, nd.feature);
    self(self, cold, m, len, child, incoming_zero * cold_share, 0.0, nd.feature);
  };
  recurse(recurse, 0, storage.data(), 0, storage.data(), 1.0, 1.0, -1);
}

Contributions tree_shap(const std::vector<const Tree*>& trees, const Matrix& X, const Labels& target,
                        const Matrix& P) {
  const Eigen::Index n = X.rows(), d = X.cols();
  Contributions c;
  c.method = "treeshap";
  c.output = "probability";
  c.additive = true;
  c.values = Matrix::Zero(n, d);
  c.bias = Vector::Zero(n);
  c.output_value.resize(n);
  const double scale = 1.0 / static_cast<double>(trees.size());
  // Rows are independent; each thread writes only its own rows.
#pragma omp parallel
  {
    std::vector<double> phi(static_cast<std::size_t>(d));
#pragma omp for schedule(dynamic, 16)
    for (Eigen::Index i = 0; i < n; ++i) {
      std::fill(phi.begin(), phi.end(), 0.0);
      const int cls = target[static_cast<std::size_t>(i)];
      double bias = 0.0;
      for (const Tree* t : trees) {
        t->add_shap(X, i, cls, scale, phi.data());
        bias += scale * t->expected_value(cls);
      }
      for (Eigen::Index j = 0; j < d; ++j) c.values(i, j) = phi[static_cast<std::size_t>(j)];
      c.bias(i) = bias;
      c.output_value(i) = P(i, cls);
    }
  }
  return c;
}

}  // namespace genrelab::tree
