// Growing one CART tree, depth first, with scikit-learn's stopping rules.
//
// Where the time goes and why it is organised this way:
//  * A node's samples must be visited in order of each candidate feature.
//    Values are replaced by their rank among the feature's distinct values
//    once per fit (TrainingData), so ordering a node is a counting sort when
//    the node is large compared with the value range it spans, an LSD radix
//    sort when it is large but the range is wide, and a comparison sort of
//    packed (rank, sample) integers only for small nodes.
//  * scikit-learn recomputes child impurities in O(n_classes) at every
//    candidate threshold, which dominates with 100+ genres. Here the gini
//    proxy sum_k w_k^2 (and sum_k w_k log w_k for entropy) is updated in O(1)
//    as each sample moves from the right child to the left one.
#include "models/tree/tree.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace genrelab::tree {
namespace {

constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

double xlogx(double x) { return x > 0.0 ? x * std::log2(x) : 0.0; }

double impurity_of(const double* w, int n_classes, double total, Criterion criterion) {
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

struct Split {
  int feature = -1;
  double threshold = 0.0;
  std::uint32_t rank_left = 0;  // best splitter: samples with rank <= this go left
  double proxy = -std::numeric_limits<double>::infinity();
};

// Orders samples[0..m) by their rank in R (ranks within [lo, hi]) into ws.order.
void order_by_rank(const int* samples, int m, const std::uint32_t* R, std::uint32_t lo, std::uint32_t hi,
                   Workspace& ws) {
  ws.order.resize(static_cast<std::size_t>(m));
  const std::size_t range = static_cast<std::size_t>(hi - lo) + 1;
  // A counts array much larger than the node thrashes the cache; past that
  // the radix sort below, with 256 counters per pass, is faster.
  if (range <= static_cast<std::size_t>(m) && range <= (std::size_t{1} << 15)) {
    ws.counts.assign(range + 1, 0);
    for (int j = 0; j < m; ++j) ++ws.counts[R[samples[j]] - lo + 1];
    for (std::size_t r = 1; r <= range; ++r) ws.counts[r] += ws.counts[r - 1];
    for (int j = 0; j < m; ++j) ws.order[ws.counts[R[samples[j]] - lo]++] = samples[j];
    return;
  }
  ws.keys.resize(static_cast<std::size_t>(m));
  for (int j = 0; j < m; ++j)
    ws.keys[static_cast<std::size_t>(j)] =
        (static_cast<std::uint64_t>(R[samples[j]] - lo) << 32) | static_cast<std::uint32_t>(samples[j]);
  if (m < 256) {
    std::sort(ws.keys.begin(), ws.keys.end());
  } else {
    ws.keys_tmp.resize(static_cast<std::size_t>(m));
    std::uint64_t* src = ws.keys.data();
    std::uint64_t* dst = ws.keys_tmp.data();
    std::uint32_t count[257];
    for (unsigned shift = 32; (static_cast<std::uint64_t>(hi - lo) >> (shift - 32)) != 0; shift += 8) {
      std::fill(count, count + 257, 0u);
      for (int j = 0; j < m; ++j) ++count[((src[j] >> shift) & 0xFF) + 1];
      for (int b = 1; b <= 256; ++b) count[b] += count[b - 1];
      for (int j = 0; j < m; ++j) dst[count[(src[j] >> shift) & 0xFF]++] = src[j];
      std::swap(src, dst);
    }
    if (src != ws.keys.data()) std::copy(src, src + m, ws.keys.data());
  }
  for (int j = 0; j < m; ++j) ws.order[static_cast<std::size_t>(j)] = static_cast<int>(ws.keys[static_cast<std::size_t>(j)] & 0xFFFFFFFFu);
}

}  // namespace

TrainingData::TrainingData(const Matrix& X, const Labels& y, int n_classes)
    : n_samples_(static_cast<int>(X.rows())),
      n_features_(static_cast<int>(X.cols())),
      n_classes_(n_classes),
      y_(y),
      ranks_(static_cast<std::size_t>(X.cols())),
      distinct_(static_cast<std::size_t>(X.cols())) {
#pragma omp parallel for schedule(dynamic)
  for (int f = 0; f < n_features_; ++f) {
    const double* col = X.data() + static_cast<std::ptrdiff_t>(f) * n_samples_;
    // Sorting (value, row) pairs keeps every comparison in cache, unlike
    // sorting row indices through the column.
    std::vector<std::pair<double, int>> sorted(static_cast<std::size_t>(n_samples_));
    for (int i = 0; i < n_samples_; ++i) sorted[static_cast<std::size_t>(i)] = {col[i], i};
    std::sort(sorted.begin(), sorted.end());
    auto& ranks = ranks_[static_cast<std::size_t>(f)];
    auto& values = distinct_[static_cast<std::size_t>(f)];
    ranks.resize(static_cast<std::size_t>(n_samples_));
    for (const auto& [value, i] : sorted) {
      if (values.empty() || value != values.back()) values.push_back(value);
      ranks[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(values.size() - 1);
    }
  }
}

void Tree::grow(const TrainingData& data, const Matrix& X, const std::vector<double>& w,
                const TreeOptions& opt, Rng& rng, Workspace& ws) {
  const int K = data.n_classes();
  const int p = data.n_features();
  const int n = data.n_samples();
  n_classes_ = K;
  nodes_.clear();
  value_class_.clear();
  value_proba_.clear();

  ws.samples.clear();
  for (int i = 0; i < n; ++i)
    if (w[static_cast<std::size_t>(i)] > 0.0) ws.samples.push_back(i);
  ws.features.resize(static_cast<std::size_t>(p));
  std::iota(ws.features.begin(), ws.features.end(), 0);
  ws.class_node.resize(static_cast<std::size_t>(K));
  ws.class_left.resize(static_cast<std::size_t>(K));
  ws.class_right.resize(static_cast<std::size_t>(K));
  double* cn = ws.class_node.data();
  double* cl = ws.class_left.data();
  double* cr = ws.class_right.data();
  const int* y = data.labels().data();
  const double* wt = w.data();

  double root_weight = 0.0;
  for (int s : ws.samples) root_weight += wt[s];

  struct Pending {
    int start, end, depth, parent;
    bool is_left;
  };
  std::vector<Pending> stack;
  stack.push_back({0, static_cast<int>(ws.samples.size()), 0, -1, false});

  while (!stack.empty()) {
    const Pending job = stack.back();
    stack.pop_back();
    const int id = static_cast<int>(nodes_.size());
    nodes_.emplace_back();
    if (job.parent >= 0) {
      auto& parent = nodes_[static_cast<std::size_t>(job.parent)];
      (job.is_left ? parent.left : parent.right) = id;
    }
    int* samples = ws.samples.data() + job.start;
    const int m = job.end - job.start;

    std::fill(cn, cn + K, 0.0);
    double W = 0.0;
    for (int j = 0; j < m; ++j) {
      cn[y[samples[j]]] += wt[samples[j]];
      W += wt[samples[j]];
    }
    const double impurity = impurity_of(cn, K, W, opt.criterion);

    bool leaf = job.depth >= opt.max_depth || m < opt.min_samples_split || m < 2 * opt.min_samples_leaf ||
                impurity <= kEpsilon;

    Split best;
    if (!leaf) {
      Proxy proxy{opt.criterion};
      int visited = 0, non_constant = 0;
      for (int j = 0; j < p; ++j) {
        // scikit-learn keeps drawing past max_features while every feature
        // drawn so far was constant in this node.
        if (visited >= opt.max_features && non_constant > 0) break;
        const int pick = j + static_cast<int>(rng.uniform_index(static_cast<std::uint64_t>(p - j)));
        std::swap(ws.features[static_cast<std::size_t>(j)], ws.features[static_cast<std::size_t>(pick)]);
        const int f = ws.features[static_cast<std::size_t>(j)];
        ++visited;
        const std::uint32_t* R = data.ranks(f);
        std::uint32_t lo = R[samples[0]], hi = lo;
        for (int q = 1; q < m; ++q) {
          lo = std::min(lo, R[samples[q]]);
          hi = std::max(hi, R[samples[q]]);
        }
        if (lo == hi) continue;
        ++non_constant;
        const auto& values = data.distinct(f);

        if (opt.random_thresholds) {
          const double vmin = values[lo], vmax = values[hi];
          double thr = vmin + rng.uniform() * (vmax - vmin);
          if (thr == vmax) thr = vmin;
          const double* col = X.data() + static_cast<std::ptrdiff_t>(f) * n;
          std::fill(cl, cl + K, 0.0);
          int nl = 0;
          double wl = 0.0;
          for (int q = 0; q < m; ++q) {
            const int s = samples[q];
            if (col[s] <= thr) {
              cl[y[s]] += wt[s];
              wl += wt[s];
              ++nl;
            }
          }
          if (nl < opt.min_samples_leaf || m - nl < opt.min_samples_leaf) continue;
          double left = 0.0, right = 0.0;
          for (int k = 0; k < K; ++k) {
            const double r = cn[k] - cl[k];
            if (opt.criterion == Criterion::gini) {
              left += cl[k] * cl[k];
              right += r * r;
            } else {
              left += xlogx(cl[k]);
              right += xlogx(r);
            }
          }
          Proxy pr{opt.criterion, left, right};
          const double v = pr.value(wl, W - wl);
          if (v > best.proxy) {
            best.proxy = v;
            best.feature = f;
            best.threshold = thr;
          }
          continue;
        }

        order_by_rank(samples, m, R, lo, hi, ws);
        const int* order = ws.order.data();
        std::fill(cl, cl + K, 0.0);
        std::copy(cn, cn + K, cr);
        proxy.reset(cn, K);
        double wl = 0.0;
        const int last = m - opt.min_samples_leaf;  // left may hold at most this many
        for (int q = 0; q < last; ++q) {
          const int s = order[q];
          const int c = y[s];
          const double ws_ = wt[s];
          proxy.move(cl[c], cr[c], ws_);
          cl[c] += ws_;
          cr[c] -= ws_;
          wl += ws_;
          if (q + 1 < opt.min_samples_leaf) continue;
          const std::uint32_t r_here = R[s], r_next = R[order[q + 1]];
          if (r_here == r_next) continue;
          const double v = proxy.value(wl, W - wl);
          if (v > best.proxy) {
            best.proxy = v;
            best.feature = f;
            best.rank_left = r_here;
            double thr = values[r_here] / 2.0 + values[r_next] / 2.0;
            if (thr == values[r_next] || !std::isfinite(thr)) thr = values[r_here];
            best.threshold = thr;
          }
        }
      }
      leaf = best.feature < 0;
    }

    int split_pos = 0;
    double improvement = 0.0;
    if (!leaf) {
      const int f = best.feature;
      int* mid;
      if (opt.random_thresholds) {
        const double* col = X.data() + static_cast<std::ptrdiff_t>(f) * n;
        const double thr = best.threshold;
        mid = std::partition(samples, samples + m, [col, thr](int s) { return col[s] <= thr; });
      } else {
        const std::uint32_t* R = data.ranks(f);
        const std::uint32_t rl = best.rank_left;
        mid = std::partition(samples, samples + m, [R, rl](int s) { return R[s] <= rl; });
      }
      split_pos = static_cast<int>(mid - samples);
      // Exact child impurities (not the incrementally updated proxy) decide
      // min_impurity_decrease and feed the importances.
      std::fill(cl, cl + K, 0.0);
      double wl = 0.0;
      for (int q = 0; q < split_pos; ++q) {
        cl[y[samples[q]]] += wt[samples[q]];
        wl += wt[samples[q]];
      }
      for (int k = 0; k < K; ++k) cr[k] = cn[k] - cl[k];
      const double wr = W - wl;
      const double imp_l = impurity_of(cl, K, wl, opt.criterion);
      const double imp_r = impurity_of(cr, K, wr, opt.criterion);
      improvement = (W / root_weight) * (impurity - (wr / W) * imp_r - (wl / W) * imp_l);
      if (improvement + kEpsilon < opt.min_impurity_decrease) leaf = true;
    }

    Node& node = nodes_[static_cast<std::size_t>(id)];
    node.impurity = impurity;
    node.weight = W;
    node.n_samples = m;
    node.depth = job.depth;
    if (leaf) {
      node.value_begin = static_cast<std::uint32_t>(value_class_.size());
      for (int k = 0; k < K; ++k) {
        if (cn[k] > 0.0) {
          value_class_.push_back(k);
          value_proba_.push_back(cn[k] / W);
        }
      }
      node.value_end = static_cast<std::uint32_t>(value_class_.size());
    } else {
      node.feature = best.feature;
      node.threshold = best.threshold;
      // Right pushed first so the left subtree is built first, as scikit-learn does.
      stack.push_back({job.start + split_pos, job.end, job.depth + 1, id, false});
      stack.push_back({job.start, job.start + split_pos, job.depth + 1, id, true});
    }
  }
}

int Tree::apply(const Matrix& X, Eigen::Index row) const {
  int id = 0;
  const Node* nodes = nodes_.data();
  while (nodes[id].feature >= 0) {
    const Node& nd = nodes[id];
    id = X(row, nd.feature) <= nd.threshold ? nd.left : nd.right;
  }
  return id;
}

void Tree::add_leaf_proba(int leaf, double scale, double* out) const {
  const Node& nd = nodes_[static_cast<std::size_t>(leaf)];
  for (std::uint32_t v = nd.value_begin; v < nd.value_end; ++v) out[value_class_[v]] += scale * value_proba_[v];
}

Matrix Tree::predict_proba(const Matrix& X) const {
  Matrix P = Matrix::Zero(X.rows(), n_classes_);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const Node& nd = nodes_[static_cast<std::size_t>(apply(X, i))];
    for (std::uint32_t v = nd.value_begin; v < nd.value_end; ++v) P(i, value_class_[v]) = value_proba_[v];
  }
  return P;
}

std::vector<double> Tree::importances(int n_features) const {
  std::vector<double> imp(static_cast<std::size_t>(n_features), 0.0);
  for (const Node& nd : nodes_) {
    if (nd.feature < 0) continue;
    const Node& l = nodes_[static_cast<std::size_t>(nd.left)];
    const Node& r = nodes_[static_cast<std::size_t>(nd.right)];
    imp[static_cast<std::size_t>(nd.feature)] += nd.weight * nd.impurity - l.weight * l.impurity - r.weight * r.impurity;
  }
  const double total = std::accumulate(imp.begin(), imp.end(), 0.0);
  if (total > 0.0)
    for (double& v : imp) v /= total;
  return imp;
}

int Tree::n_leaves() const {
  return static_cast<int>(std::count_if(nodes_.begin(), nodes_.end(), [](const Node& nd) { return nd.feature < 0; }));
}

int Tree::depth() const {
  int d = 0;
  for (const Node& nd : nodes_) d = std::max(d, nd.depth);
  return d;
}

std::vector<int> Tree::leaf_sample_counts() const {
  std::vector<int> out;
  for (const Node& nd : nodes_)
    if (nd.feature < 0) out.push_back(nd.n_samples);
  return out;
}

}  // namespace genrelab::tree
