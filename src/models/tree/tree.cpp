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
//  * Random thresholds (extra trees) need no ordering, only each candidate's
//    range and one pass that counts classes on either side of the threshold.
//    That pass and its gather dominate, so they run over contiguous copies
//    and 16-bit codes, with every node's samples grouped by class (see
//    grow_random).
#include "models/tree/tree.h"

#include "models/tree/split_common.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace genrelab::tree {
namespace {

using detail::FeatureDraw;
using detail::impurity_of;
using detail::kEpsilon;
using detail::Proxy;
using detail::split_improvement;
using detail::xlogx;

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


// Left-child class weights and sample counts for threshold thr. The node's
// block is grouped by class, run i (ending at run_end[i]) holding class
// present[i], so each class is a plain sum of comparisons over a contiguous
// run: it vectorises and never waits on a scattered store. weights == nullptr
// means every weight is 1. Returns the samples going left, their weight in *wl.
template <class T>
int count_left(const T* vals, T thr, const double* weights, const int* present, const int* run_end, int n_present,
               double* cl, double* nl_class, double* wl) {
  int begin = 0, n_left = 0;
  double w_left = 0.0;
  for (int i = 0; i < n_present; ++i) {
    const int end = run_end[i], k = present[i];
    int c = 0;
    if (weights == nullptr) {
      for (int q = begin; q < end; ++q) c += vals[q] <= thr;
      cl[k] = c;
    } else {
      double sum = 0.0;
      for (int q = begin; q < end; ++q) {
        const bool go_left = vals[q] <= thr;
        c += go_left;
        sum += weights[q] * static_cast<double>(go_left);
      }
      cl[k] = sum;
      w_left += sum;
    }
    nl_class[k] = c;
    n_left += c;
    begin = end;
  }
  *wl = weights == nullptr ? n_left : w_left;
  return n_left;
}

// Moves the samples of a node block whose value (vals, aligned with the
// block) is <= thr to the front, keeping their relative order on both sides,
// and returns how many there are. Stability keeps each child grouped by
// class with rows ascending, so its class runs follow from its class counts
// and gathers from the columns run forward through memory. Weights (when not
// null) move along.
template <class T>
int partition_block(int* samples, double* weights, int m, const T* vals, T thr, Workspace& ws) {
  int* spill_s = ws.spill_samples.data();
  double* spill_w = ws.spill_weights.data();
  int nl = 0, nr = 0;
  // Each sample is written to both sides and only one cursor advances, which
  // avoids a branch on an unpredictable comparison. Writing at nl <= q never
  // clobbers a sample not yet read.
  if (weights == nullptr) {
    for (int q = 0; q < m; ++q) {
      const int s = samples[q];
      const bool go_left = vals[q] <= thr;
      samples[nl] = s;
      spill_s[nr] = s;
      nl += go_left;
      nr += !go_left;
    }
  } else {
    for (int q = 0; q < m; ++q) {
      const int s = samples[q];
      const double wq = weights[q];
      const bool go_left = vals[q] <= thr;
      samples[nl] = s;
      weights[nl] = wq;
      spill_s[nr] = s;
      spill_w[nr] = wq;
      nl += go_left;
      nr += !go_left;
    }
    std::copy(spill_w, spill_w + nr, weights + nl);
  }
  std::copy(spill_s, spill_s + nr, samples + nl);
  return nl;
}

}  // namespace

namespace {

// Doubles mapped to unsigned integers in the same order (IEEE 754 bits with
// the sign handled), so features can be radix sorted. -0 is folded into +0
// because they compare equal.
std::uint64_t sort_key(double v) {
  v += 0.0;
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

struct Keyed {
  std::uint64_t key;
  int row;
};

// Stable LSD radix sort by key, one byte per pass; bytes that all keys share
// (most of them for small integers or 0/1 flags) cost no pass.
void radix_sort(std::vector<Keyed>& items, std::vector<Keyed>& tmp) {
  const std::size_t n = items.size();
  if (n == 0) return;
  tmp.resize(n);
  std::uint32_t hist[8][256] = {};
  for (const Keyed& it : items)
    for (int d = 0; d < 8; ++d) ++hist[d][(it.key >> (8 * d)) & 0xFF];
  Keyed* src = items.data();
  Keyed* dst = tmp.data();
  for (int d = 0; d < 8; ++d) {
    std::uint32_t* h = hist[d];
    if (h[(src[0].key >> (8 * d)) & 0xFF] == n) continue;
    std::uint32_t sum = 0;
    for (int b = 0; b < 256; ++b) {
      const std::uint32_t c = h[b];
      h[b] = sum;
      sum += c;
    }
    for (std::size_t i = 0; i < n; ++i) dst[h[(src[i].key >> (8 * d)) & 0xFF]++] = src[i];
    std::swap(src, dst);
  }
  if (src != items.data()) std::copy(src, src + n, items.data());
}

}  // namespace

TrainingData::TrainingData(const Matrix& X, const Labels& y, int n_classes, unsigned index)
    : n_samples_(static_cast<int>(X.rows())),
      n_features_(static_cast<int>(X.cols())),
      n_classes_(n_classes),
      y_(y),
      ranks_((index & kRanks) != 0 ? static_cast<std::size_t>(X.cols()) : 0),
      distinct_(static_cast<std::size_t>(X.cols())) {
  const auto n = static_cast<std::size_t>(n_samples_);
  const bool with_codes = (index & kCodes) != 0;
  if (with_codes) {
    coded_.assign(static_cast<std::size_t>(n_features_), 0);
    codes_.resize(n * static_cast<std::size_t>(n_features_));
  }
#pragma omp parallel
  {
    std::vector<Keyed> sorted(n), tmp;
    std::vector<std::uint32_t> local;
#pragma omp for schedule(dynamic)
    for (int f = 0; f < n_features_; ++f) {
      const double* col = X.data() + static_cast<std::ptrdiff_t>(f) * n_samples_;
      for (int i = 0; i < n_samples_; ++i) sorted[static_cast<std::size_t>(i)] = {sort_key(col[i]), i};
      // Stable, so among equal values the first row's is the one kept.
      radix_sort(sorted, tmp);
      auto& values = distinct_[static_cast<std::size_t>(f)];
      auto& ranks = (index & kRanks) != 0 ? ranks_[static_cast<std::size_t>(f)] : local;
      ranks.resize(n);
      for (std::size_t j = 0; j < n; ++j) {
        if (j == 0 || sorted[j].key != sorted[j - 1].key) values.push_back(col[sorted[j].row]);
        ranks[static_cast<std::size_t>(sorted[j].row)] = static_cast<std::uint32_t>(values.size() - 1);
      }
      if (with_codes && values.size() <= 65536) {
        coded_[static_cast<std::size_t>(f)] = 1;
        std::uint16_t* codes = codes_.data() + static_cast<std::size_t>(f) * n;
        for (std::size_t i = 0; i < n; ++i) codes[i] = static_cast<std::uint16_t>(ranks[i]);
      }
    }
  }
}

void Tree::grow(const TrainingData& data, const Matrix& X, const std::vector<double>& w,
                const TreeOptions& opt, Rng& rng, Workspace& ws) {
  if (opt.random_thresholds) {
    grow_random(data, X, w, opt, rng, ws);
  } else {
    if (!data.has_ranks()) throw std::logic_error("tree::grow: the best-threshold search needs TrainingData with ranks");
    grow_best(data, w, opt, rng, ws);
  }
}

void Tree::grow_best(const TrainingData& data, const std::vector<double>& w, const TreeOptions& opt, Rng& rng,
                     Workspace& ws) {
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
      FeatureDraw draw(ws.features, p, opt.max_features, rng);
      for (int f = draw.next(); f >= 0; f = draw.next()) {
        const std::uint32_t* R = data.ranks(f);
        std::uint32_t lo = R[samples[0]], hi = lo;
        for (int q = 1; q < m; ++q) {
          lo = std::min(lo, R[samples[q]]);
          hi = std::max(hi, R[samples[q]]);
        }
        if (lo == hi) continue;
        draw.non_constant();
        const auto& values = data.distinct(f);

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
      const std::uint32_t* R = data.ranks(f);
      const std::uint32_t rl = best.rank_left;
      int* mid = std::partition(samples, samples + m, [R, rl](int s) { return R[s] <= rl; });
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
      improvement = split_improvement(impurity, W, root_weight, cl, wl, cr, W - wl, K, opt.criterion);
      if (improvement + kEpsilon < opt.min_impurity_decrease) leaf = true;
    }

    Node& node = record_node(id, impurity, W, m, job.depth, leaf ? cn : nullptr, cn);
    if (!leaf) {
      node.feature = best.feature;
      node.threshold = best.threshold;
      // Right pushed first so the left subtree is built first, as scikit-learn does.
      stack.push_back({job.start + split_pos, job.end, job.depth + 1, id, false});
      stack.push_back({job.start, job.start + split_pos, job.depth + 1, id, true});
    }
  }
}

namespace {

// The tree's samples grouped by class, rows ascending within a class (a
// counting sort), and the workspace sized for them. Returns the number of
// samples with positive weight; unit_weights tells whether all are 1.
std::size_t group_samples_by_class(const int* y, const double* wt, int n, int K, int p, Workspace& ws,
                                   bool& unit_weights) {
  const auto Kz = static_cast<std::size_t>(K);
  ws.counts.assign(Kz + 1, 0);
  unit_weights = true;
  for (int i = 0; i < n; ++i) {
    const double wi = wt[i];
    if (wi > 0.0) {
      ++ws.counts[static_cast<std::size_t>(y[i]) + 1];
      unit_weights = unit_weights && wi == 1.0;
    }
  }
  for (std::size_t k = 1; k <= Kz; ++k) ws.counts[k] += ws.counts[k - 1];
  const std::size_t n_used = ws.counts[Kz];
  ws.samples.resize(n_used);
  for (int i = 0; i < n; ++i) {
    if (wt[i] > 0.0) {
      const std::uint32_t at = ws.counts[static_cast<std::size_t>(y[i])]++;
      ws.samples[at] = i;
    }
  }
  if (!unit_weights) {
    ws.weights.resize(n_used);
    ws.spill_weights.resize(n_used);
    for (std::size_t j = 0; j < n_used; ++j) ws.weights[j] = wt[ws.samples[j]];
  }
  ws.spill_samples.resize(n_used);
  ws.values.resize(n_used);
  ws.best_values.resize(n_used);
  ws.codes.resize(n_used);
  ws.best_codes.resize(n_used);
  ws.features.resize(static_cast<std::size_t>(p));
  std::iota(ws.features.begin(), ws.features.end(), 0);
  return n_used;
}

// The best of the random-threshold candidates at one node (extra_trees).
struct RandomSplit {
  int feature = -1;
  double threshold = 0.0;
  bool coded = false;  // found on codes, with this code threshold
  std::uint16_t code_threshold = 0;
  double proxy = -std::numeric_limits<double>::infinity();
  double weight_left = 0.0;
};

// One node's samples (weights null when all are 1) and its total weight.
struct NodeSamples {
  int* samples;
  double* weights;
  int m;
  double W;
};

// Per class, weight and sample count: of the node (cn, nn), of the left side
// of the candidate (cl, nl_class), of the left side of the best split (cb, nb).
struct ClassStats {
  double *cn, *nn, *cl, *nl_class, *cb, *nb;
  int K;
};

// Features in random order, one random threshold each, until max_features
// non-constant ones were tried; leaves the best split's left-side class
// weights and counts in cb / nb and its values (or codes) in ws.best_*.
RandomSplit find_random_split(const TrainingData& data, const Matrix& X, const TreeOptions& opt, Rng& rng,
                              Workspace& ws, const NodeSamples& node, const ClassStats& s) {
  const int K = s.K, p = data.n_features(), n = data.n_samples(), m = node.m;
  const double W = node.W;
  int* samples = node.samples;
  double* weights = node.weights;
  double *cn = s.cn, *nn = s.nn, *cl = s.cl, *nl_class = s.nl_class, *cb = s.cb, *nb = s.nb;
  RandomSplit best;
  // Per-candidate work is O(m + classes present): deep nodes hold a few
  // of the many genres, so absent ones are skipped.
  ws.present.clear();
  ws.run_end.clear();
  std::fill(cb, cb + 2 * K, 0.0);  // cb and nb
  int run = 0;
  for (int k = 0; k < K; ++k) {
    if (nn[k] > 0.0) {
      ws.present.push_back(k);
      run += static_cast<int>(nn[k]);
      ws.run_end.push_back(run);
    }
  }
  const int* present = ws.present.data();
  const int n_present = static_cast<int>(ws.present.size());

  FeatureDraw draw(ws.features, p, opt.max_features, rng);
  for (int f = draw.next(); f >= 0; f = draw.next()) {

    // One gather into contiguous memory for the range, then the counting
    // pass over that copy. Rows ascend within each class run, so the
    // gather walks the column forward K times at most.
    const bool coded = data.has_codes(f);
    double thr;
    std::uint16_t code_thr = 0;
    int nl;
    double wl;
    if (coded) {
      const std::uint16_t* col = data.code_column(f);
      std::uint16_t* codes = ws.codes.data();
      // The range in a second pass: it vectorises over the copy, while
      // the gather, bound by its loads, stays as short as possible.
      for (int q = 0; q < m; ++q) codes[q] = col[samples[q]];
      std::uint16_t lo = codes[0], hi = codes[0];
      for (int q = 1; q < m; ++q) {
        lo = std::min(lo, codes[q]);
        hi = std::max(hi, codes[q]);
      }
      if (lo == hi) continue;
      draw.non_constant();
      const auto& values = data.distinct(f);
      const double vmin = values[lo], vmax = values[hi];
      thr = vmin + rng.uniform() * (vmax - vmin);
      if (thr == vmax) thr = vmin;
      // A value is <= thr exactly when its code is at most that of the
      // largest distinct value <= thr.
      code_thr = static_cast<std::uint16_t>(
          std::upper_bound(values.begin() + lo, values.begin() + hi + 1, thr) - values.begin() - 1);
      nl = count_left(codes, code_thr, weights, present, ws.run_end.data(), n_present, cl, nl_class, &wl);
    } else {
      const double* col = X.data() + static_cast<std::ptrdiff_t>(f) * n;
      double* vals = ws.values.data();
      double vmin = col[samples[0]], vmax = vmin;
      for (int q = 0; q < m; ++q) {
        const double v = col[samples[q]];
        vals[q] = v;
        vmin = std::min(vmin, v);
        vmax = std::max(vmax, v);
      }
      if (vmin == vmax) continue;
      draw.non_constant();
      thr = vmin + rng.uniform() * (vmax - vmin);
      if (thr == vmax) thr = vmin;
      nl = count_left(vals, thr, weights, present, ws.run_end.data(), n_present, cl, nl_class, &wl);
    }

    double left = 0.0, right = 0.0;
    for (int i = 0; i < n_present; ++i) {
      const int k = present[i];
      const double r = cn[k] - cl[k];
      if (opt.criterion == Criterion::gini) {
        left += cl[k] * cl[k];
        right += r * r;
      } else {
        left += xlogx(cl[k]);
        right += xlogx(r);
      }
    }
    // Checked before the proxy, which divides by both sides' weights.
    const bool allowed = nl >= opt.min_samples_leaf && m - nl >= opt.min_samples_leaf;
    const double v = allowed ? Proxy{opt.criterion, left, right}.value(wl, W - wl) : best.proxy;
    if (v > best.proxy) {
      best.proxy = v;
      best.feature = f;
      best.threshold = thr;
      best.coded = coded;
      best.code_threshold = code_thr;
      best.weight_left = wl;
      for (int i = 0; i < n_present; ++i) {
        cb[present[i]] = cl[present[i]];
        nb[present[i]] = nl_class[present[i]];
      }
      if (coded)
        std::swap(ws.codes, ws.best_codes);
      else
        std::swap(ws.values, ws.best_values);
    }
  }
  return best;
}

}  // namespace

void Tree::grow_random(const TrainingData& data, const Matrix& X, const std::vector<double>& w,
                       const TreeOptions& opt, Rng& rng, Workspace& ws) {
  const int K = data.n_classes();
  const int p = data.n_features();
  const int n = data.n_samples();
  n_classes_ = K;
  nodes_.clear();
  value_class_.clear();
  value_proba_.clear();
  const int* y = data.labels().data();
  const double* wt = w.data();

  bool unit_weights = true;
  const std::size_t n_used = group_samples_by_class(y, wt, n, K, p, ws, unit_weights);
  const auto Kz = static_cast<std::size_t>(K);
  // Per class, weight and sample count: of the node (cn, nn), of the left
  // side of the candidate (cl, nl_class), of the left (cb, nb) and right
  // (cr, nr) sides of the best split. Counts are kept apart from weights
  // because they give the class runs. Each pair is adjacent, so a pair
  // moves to and from ws.pending_counts as one block.
  ws.class_stats.assign(8 * Kz, 0.0);
  double* cn = ws.class_stats.data();
  double* nn = cn + K;
  double* cl = nn + K;
  double* nl_class = cl + K;
  double* cb = nl_class + K;
  double* nb = cb + K;
  double* cr = nb + K;
  double* nr = cr + K;

  // A node's class weights and counts come from its parent's split, so only
  // the root counts its samples. They wait in ws.pending_counts (2K values
  // per node) in the same last-in first-out order as the stack.
  double root_weight = 0.0;
  for (std::size_t j = 0; j < n_used; ++j) {
    const double wj = unit_weights ? 1.0 : ws.weights[j];
    const int c = y[ws.samples[j]];
    cn[c] += wj;
    nn[c] += 1.0;
    root_weight += wj;
  }
  ws.pending_counts.assign(cn, cn + 2 * K);

  struct Pending {
    int start, end, depth, parent;
    bool is_left;
    double weight;
  };
  std::vector<Pending> stack;
  stack.push_back({0, static_cast<int>(n_used), 0, -1, false, root_weight});

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
    double* weights = unit_weights ? nullptr : ws.weights.data() + job.start;
    const int m = job.end - job.start;
    const double W = job.weight;
    std::copy(ws.pending_counts.end() - 2 * K, ws.pending_counts.end(), cn);  // cn, then nn
    ws.pending_counts.resize(ws.pending_counts.size() - 2 * Kz);

    const double impurity = impurity_of(cn, K, W, opt.criterion);
    bool leaf = job.depth >= opt.max_depth || m < opt.min_samples_split || m < 2 * opt.min_samples_leaf ||
                impurity <= kEpsilon;

    RandomSplit best;
    if (!leaf) {
      best = find_random_split(data, X, opt, rng, ws, {samples, weights, m, W}, {cn, nn, cl, nl_class, cb, nb, K});
      leaf = best.feature < 0;
    }

    int split_pos = 0;
    double wl = 0.0;
    if (!leaf) {
      split_pos = best.coded ? partition_block(samples, weights, m, ws.best_codes.data(),
                                               best.code_threshold, ws)
                             : partition_block(samples, weights, m, ws.best_values.data(),
                                               best.threshold, ws);
      // Exact child impurities (from the split's class weights, not the
      // proxy) decide min_impurity_decrease and feed the importances.
      wl = best.weight_left;
      const double wr = W - wl;
      for (int k = 0; k < K; ++k) {
        nr[k] = nn[k] - nb[k];
        // Exactly zero for a class with no sample left, whatever the rounding.
        cr[k] = nr[k] > 0.0 ? cn[k] - cb[k] : 0.0;
      }
      const double improvement = split_improvement(impurity, W, root_weight, cb, wl, cr, wr, K, opt.criterion);
      if (improvement + kEpsilon < opt.min_impurity_decrease) leaf = true;
    }

    Node& node = record_node(id, impurity, W, m, job.depth, leaf ? nn : nullptr, cn);
    if (!leaf) {
      node.feature = best.feature;
      node.threshold = best.threshold;
      // Right pushed first so the left subtree is built first, as scikit-learn does.
      stack.push_back({job.start + split_pos, job.end, job.depth + 1, id, false, W - wl});
      ws.pending_counts.insert(ws.pending_counts.end(), cr, cr + 2 * K);  // cr, then nr
      stack.push_back({job.start, job.start + split_pos, job.depth + 1, id, true, wl});
      ws.pending_counts.insert(ws.pending_counts.end(), cb, cb + 2 * K);  // cb, then nb
    }
  }
}

Tree::Node& Tree::record_node(int id, double impurity, double weight, int n_samples, int depth,
                             const double* leaf_present, const double* leaf_weight) {
  Node& node = nodes_[static_cast<std::size_t>(id)];
  node.impurity = impurity;
  node.weight = weight;
  node.n_samples = n_samples;
  node.depth = depth;
  if (leaf_present) {
    node.value_begin = static_cast<std::uint32_t>(value_class_.size());
    for (int k = 0; k < n_classes_; ++k) {
      if (leaf_present[k] > 0.0) {
        value_class_.push_back(k);
        value_proba_.push_back(leaf_weight[k] / weight);
      }
    }
    node.value_end = static_cast<std::uint32_t>(value_class_.size());
  }
  return node;
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
