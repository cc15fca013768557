// Binning once per fit, and growing a tree from per-bin class histograms.
//
// Where the time goes and why it is organised this way:
//  * A node's rows are a range of one per-tree index array, kept ascending
//    by row and partitioned in place (stably, through a spill buffer), so
//    reading their codes walks the row-major code matrix forward. Deep
//    nodes hold rows scattered over the whole matrix; row-major codes make
//    that one cache miss a row (prefetched ahead) instead of one a feature.
//  * With max_features below the number of features (random forests), each
//    node draws its own features, so a parent's histograms rarely cover what
//    a child needs: the drawn features are histogrammed directly, up to
//    kFeaturesPerPass of them in one pass over the rows, O(rows), and each
//    scored in O(non-empty bins x classes).
//  * With every feature a candidate (decision_tree's default, adaboost's
//    trees), a node histograms all features, and only the smaller child is
//    built: the larger one is its parent's histogram minus the smaller's.
//  * A small node (rows log rows below the cost of scoring the histogram,
//    which grows with bins x classes) sorts its codes instead and sweeps its
//    rows as the exact search does: with hundreds of genres a deep node
//    would otherwise spend its time on bins and classes it does not hold.
#include "models/tree/histogram.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <type_traits>
#include <stdexcept>

#include "genrelab/error.h"
#include "genrelab/random.h"
#include "models/tree/split_common.h"
#include "models/tree/tree.h"

namespace genrelab::tree {

namespace {

// Edge between distinct values a < b: their midpoint, or a when the
// midpoint rounds to b (as the exact search picks its thresholds).
double edge_between(double a, double b) {
  const double mid = a / 2.0 + b / 2.0;
  return (mid == b || !std::isfinite(mid)) ? a : mid;
}

// Edges from sorted sample values: between every pair of consecutive
// distinct values when there are at most max_bins of them, else after the
// distinct value at which the cumulative count passes each j/max_bins
// quantile (a value holding several quantiles gives one edge).
std::vector<double> edges_from_sorted(const std::vector<double>& v, int max_bins) {
  std::vector<double> distinct;
  std::vector<std::size_t> cum;  // values <= distinct[i]
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i == 0 || v[i] != v[i - 1]) {
      distinct.push_back(v[i]);
      cum.push_back(0);
    }
    ++cum.back();
  }
  for (std::size_t i = 1; i < cum.size(); ++i) cum[i] += cum[i - 1];
  std::vector<double> edges;
  if (distinct.size() <= static_cast<std::size_t>(max_bins)) {
    for (std::size_t i = 0; i + 1 < distinct.size(); ++i) edges.push_back(edge_between(distinct[i], distinct[i + 1]));
    return edges;
  }
  const double total = static_cast<double>(v.size());
  int j = 1;  // next quantile j / max_bins to pass
  for (std::size_t i = 0; i + 1 < distinct.size() && j < max_bins; ++i) {
    if (static_cast<double>(cum[i]) >= total * j / max_bins) {
      edges.push_back(edge_between(distinct[i], distinct[i + 1]));
      while (j < max_bins && static_cast<double>(cum[i]) >= total * j / max_bins) ++j;
    }
  }
  return edges;
}

}  // namespace

BinnedData::BinnedData(const Matrix& X, int max_bins, std::uint64_t seed, const std::string& owner,
                       const std::vector<int>* subset)
    : n_samples_(static_cast<int>(subset ? subset->size() : static_cast<std::size_t>(X.rows()))),
      n_features_(static_cast<int>(X.cols())),
      edges_(static_cast<std::size_t>(X.cols())),
      bin_min_(static_cast<std::size_t>(X.cols())),
      bin_max_(static_cast<std::size_t>(X.cols())),
      offset_(static_cast<std::size_t>(X.cols()) + 1, 0) {
  if (max_bins < 2 || max_bins > kMaxBins)
    throw UsageError(fmt::format("{}: max_bins={} is not allowed; it must lie in [2, {}]", owner, max_bins, kMaxBins));
  const auto n = static_cast<std::size_t>(n_samples_);
  // Row of X holding sample i.
  auto row_of = [subset](std::size_t i) { return subset ? static_cast<std::size_t>((*subset)[i]) : i; };
  for (Eigen::Index j = 0; j < X.cols(); ++j)
    for (std::size_t i = 0; i < n; ++i) {
      const auto r = static_cast<Eigen::Index>(row_of(i));
      if (!std::isfinite(X(r, j))) throw InputError(Classifier::non_finite_message(owner, r, j, X(r, j)));
    }
  // The rows the edges come from: all of them, or a seeded sample without
  // replacement (ascending, so every feature reads its column forward).
  std::vector<int> rows;
  if (n_samples_ > kBinSampleRows) {
    std::vector<int> all(n);
    std::iota(all.begin(), all.end(), 0);
    Rng rng(seed);
    for (int j = 0; j < kBinSampleRows; ++j) {
      const int pick = j + static_cast<int>(rng.uniform_index(static_cast<std::uint64_t>(n_samples_ - j)));
      std::swap(all[static_cast<std::size_t>(j)], all[static_cast<std::size_t>(pick)]);
    }
    rows.assign(all.begin(), all.begin() + kBinSampleRows);
    std::sort(rows.begin(), rows.end());
  }
  // Edges per feature (in parallel over features), then codes per block of
  // rows (in parallel over blocks, so each thread writes whole rows of the
  // row-major codes), with each thread's smallest and largest value per bin
  // merged at the end (min and max do not depend on the order).
#pragma omp parallel
  {
    std::vector<double> values;
#pragma omp for schedule(dynamic)
    for (int f = 0; f < n_features_; ++f) {
      const double* col = X.data() + static_cast<std::ptrdiff_t>(f) * X.rows();
      if (rows.empty()) {
        values.resize(n);
        for (std::size_t i = 0; i < n; ++i) values[i] = col[row_of(i)];
      } else {
        values.resize(rows.size());
        for (std::size_t j = 0; j < rows.size(); ++j) values[j] = col[row_of(static_cast<std::size_t>(rows[j]))];
      }
      std::sort(values.begin(), values.end());
      edges_[static_cast<std::size_t>(f)] = edges_from_sorted(values, max_bins);
    }
  }
  for (int f = 0; f < n_features_; ++f)
    offset_[static_cast<std::size_t>(f) + 1] =
        offset_[static_cast<std::size_t>(f)] + static_cast<int>(edges_[static_cast<std::size_t>(f)].size()) + 1;
  const auto total = static_cast<std::size_t>(offset_.back());
  std::vector<double> lo(total, std::numeric_limits<double>::infinity());
  std::vector<double> hi(total, -std::numeric_limits<double>::infinity());
  const auto P = static_cast<std::size_t>(n_features_);
  codes_.resize(n * P);
  constexpr std::size_t kBlock = 4096;
  const auto blocks = static_cast<std::ptrdiff_t>((n + kBlock - 1) / kBlock);
#pragma omp parallel
  {
    std::vector<double> my_lo(total, std::numeric_limits<double>::infinity());
    std::vector<double> my_hi(total, -std::numeric_limits<double>::infinity());
#pragma omp for schedule(static)
    for (std::ptrdiff_t blk = 0; blk < blocks; ++blk) {
      const std::size_t begin = static_cast<std::size_t>(blk) * kBlock, end = std::min(n, begin + kBlock);
      for (std::size_t f = 0; f < P; ++f) {
        const double* col = X.data() + static_cast<std::ptrdiff_t>(f) * X.rows();
        const double* e = edges_[f].data();
        const int ne = static_cast<int>(edges_[f].size());
        double* flo = my_lo.data() + offset_[f];
        double* fhi = my_hi.data() + offset_[f];
        for (std::size_t i = begin; i < end; ++i) {
          const double v = col[row_of(i)];
          // Number of edges below v: a branch-free binary search over at most 254 edges.
          int b = 0;
          for (int step = 128; step > 0; step >>= 1)
            if (b + step <= ne && e[b + step - 1] < v) b += step;
          codes_[i * P + f] = static_cast<std::uint8_t>(b);
          flo[b] = std::min(flo[b], v);
          fhi[b] = std::max(fhi[b], v);
        }
      }
    }
#pragma omp critical
    for (std::size_t j = 0; j < total; ++j) {
      lo[j] = std::min(lo[j], my_lo[j]);
      hi[j] = std::max(hi[j], my_hi[j]);
    }
  }
  for (std::size_t f = 0; f < P; ++f) {
    const auto first = lo.begin() + offset_[f], last = lo.begin() + offset_[f + 1];
    bin_min_[f].assign(first, last);
    bin_max_[f].assign(hi.begin() + offset_[f], hi.begin() + offset_[f + 1]);
  }
}

std::size_t BinnedData::memory_bytes() const {
  std::size_t bytes = codes_.size();
  for (int f = 0; f < n_features_; ++f) bytes += 3 * sizeof(double) * static_cast<std::size_t>(n_bins(f));
  return bytes;
}

namespace {

using detail::FeatureDraw;
using detail::impurity_of;
using detail::kEpsilon;
using detail::Proxy;
using detail::split_improvement;

struct HistSplit {
  int feature = -1;
  int bin = 0;  // codes <= bin go left
  double threshold = 0.0;
  double proxy = -std::numeric_limits<double>::infinity();
};

// One node's rows, their labels and weights (aligned), class weights cn, total W.
// The codes of sample s are codes + s * stride: the shared BinnedData, or a
// node's own compact copy (see grow_hist).
struct NodeRows {
  const int* samples;
  const int* labels;
  const double* weights;
  int m;
  const double* cn;
  double W;
  const std::uint8_t* codes;
  std::size_t stride;
  const std::uint8_t* row(int q) const { return codes + static_cast<std::size_t>(samples[q]) * stride; }
};

// Whether a node of m rows scores a feature from its histogram (cost about
// m plus the bins it fills times the classes) rather than by sorting its
// codes (m log m).
bool use_histogram(int m, int K) {
  const double mm = static_cast<double>(m);
  return mm * std::log2(mm + 1.0) > mm + std::min(mm, static_cast<double>(BinnedData::kMaxBins)) * K;
}

// Prefetch distance, in rows, for the scattered row reads of a deep node.
constexpr int kPrefetchRows = 48;
// Largest compact copy of a subtree's codes: a share of the last-level
// cache that leaves room for the other threads' copies.
constexpr std::size_t kLocalCodeBytes = std::size_t{8} << 20;

// Histograms of nf features (feats) over the node's rows, in one pass: each
// row's codes are read once for all of them. hw[j] / hc[j] belong to feats[j].
template <typename W>
void build_features(const int* feats, int nf, const NodeRows& node, int K, W* const* hw,
                    std::uint32_t* const* hc) {
  for (int q = 0; q < node.m; ++q) {
    if (q + kPrefetchRows < node.m) {
      // A row of codes can straddle two cache lines.
      const std::uint8_t* ahead = node.row(q + kPrefetchRows);
      __builtin_prefetch(ahead);
      __builtin_prefetch(ahead + node.stride - 1);
    }
    const std::uint8_t* r = node.row(q);
    const int c = node.labels[q];
    // Whole-number weights add as integers: a shorter dependency chain when
    // consecutive rows land in the same bin and class.
    const auto wq = static_cast<W>(node.weights[q]);
    for (int j = 0; j < nf; ++j) {
      const int b = r[feats[j]];
      hw[j][static_cast<std::ptrdiff_t>(b) * K + c] += wq;
      ++hc[j][b];
    }
  }
}

class Scorer {
 public:
  Scorer(const BinnedData& bins, const TreeOptions& opt, int K, Workspace& ws)
      : bins_(bins), opt_(opt), K_(K), ws_(ws) {}

  // Scores every split of feature f from its histogram (nb bins); returns
  // false when the node's rows all fall in one bin. cl is scratch (K).
  // W: double class weights, or uint32 when every weight is a whole number
  // (bootstrap counts): the sums are then exact either way, so both give the
  // same bits.
  template <typename W>
  bool from_histogram(int f, const W* hw, const std::uint32_t* hc, const NodeRows& node, double* cl,
                      HistSplit& best) const {
    const int nb = bins_.n_bins(f);
    std::fill(cl, cl + K_, 0.0);
    double wl = 0.0;
    long nl = 0;
    int prev = -1, filled = 0;
    for (int b = 0; b < nb; ++b) {
      if (hc[b] == 0) continue;
      ++filled;
      if (prev >= 0 && nl >= opt_.min_samples_leaf && node.m - nl >= opt_.min_samples_leaf) {
        double left = 0.0, right = 0.0;
        for (int k = 0; k < K_; ++k) {
          const double r = node.cn[k] - cl[k];
          if (opt_.criterion == Criterion::gini) {
            left += cl[k] * cl[k];
            right += r * r;
          } else {
            left += detail::xlogx(cl[k]);
            right += detail::xlogx(r);
          }
        }
        const double v = Proxy{opt_.criterion, left, right}.value(wl, node.W - wl);
        if (v > best.proxy) record(best, v, f, prev, b);
      }
      const W* h = hw + static_cast<std::ptrdiff_t>(b) * K_;
      for (int k = 0; k < K_; ++k) {
        const auto v = static_cast<double>(h[k]);
        cl[k] += v;
        wl += v;
      }
      nl += hc[b];
      prev = b;
    }
    return filled > 1;
  }

  // The same by sorting the node's codes and sweeping its rows (small nodes).
  bool by_sorting(int f, const NodeRows& node, double* cl, double* cr, HistSplit& best) const {
    const int m = node.m;
    auto& keys = ws_.keys;
    keys.resize(static_cast<std::size_t>(m));
    for (int q = 0; q < m; ++q)
      keys[static_cast<std::size_t>(q)] =
          (static_cast<std::uint64_t>(node.row(q)[f]) << 32) | static_cast<std::uint32_t>(q);
    std::sort(keys.begin(), keys.end());
    if ((keys.front() >> 32) == (keys.back() >> 32)) return false;
    std::fill(cl, cl + K_, 0.0);
    std::copy(node.cn, node.cn + K_, cr);
    Proxy proxy{opt_.criterion};
    proxy.reset(node.cn, K_);
    double wl = 0.0;
    const int last = m - opt_.min_samples_leaf;
    for (int j = 0; j < last; ++j) {
      const auto q = static_cast<int>(keys[static_cast<std::size_t>(j)] & 0xFFFFFFFFu);
      const int c = node.labels[q];
      const double w = node.weights[q];
      proxy.move(cl[c], cr[c], w);
      cl[c] += w;
      cr[c] -= w;
      wl += w;
      if (j + 1 < opt_.min_samples_leaf) continue;
      const auto here = static_cast<int>(keys[static_cast<std::size_t>(j)] >> 32);
      const auto next = static_cast<int>(keys[static_cast<std::size_t>(j) + 1] >> 32);
      if (here == next) continue;
      const double v = proxy.value(wl, node.W - wl);
      if (v > best.proxy) record(best, v, f, here, next);
    }
    return true;
  }

 private:
  // Left holds bins <= b, right the next filled bin b2 and above: the
  // threshold lies between the largest training value left and the smallest
  // right, as the exact search's does.
  void record(HistSplit& best, double v, int f, int b, int b2) const {
    best.proxy = v;
    best.feature = f;
    best.bin = b;
    const double lo = bins_.bin_max(f, b), hi = bins_.bin_min(f, b2);
    double thr = lo / 2.0 + hi / 2.0;
    if (thr == hi || !std::isfinite(thr)) thr = lo;
    best.threshold = thr;
  }

  const BinnedData& bins_;
  const TreeOptions& opt_;
  int K_;
  Workspace& ws_;
};

// Histograms of every feature (max_features = all), kept in Workspace slots.
class SlotPool {
 public:
  SlotPool(Workspace& ws, std::size_t weights, std::size_t counts, int max_slots)
      : ws_(ws), weights_(weights), counts_(counts), max_slots_(max_slots) {
    ws_.free_slots.clear();
    for (int s = 0; s < static_cast<int>(ws_.slot_weight.size()); ++s) ws_.free_slots.push_back(s);
  }
  // A cleared slot, or -1 when the pool is full.
  int acquire() {
    int s;
    if (!ws_.free_slots.empty()) {
      s = ws_.free_slots.back();
      ws_.free_slots.pop_back();
    } else if (static_cast<int>(ws_.slot_weight.size()) < max_slots_) {
      s = static_cast<int>(ws_.slot_weight.size());
      ws_.slot_weight.emplace_back();
      ws_.slot_count.emplace_back();
    } else {
      return -1;
    }
    ws_.slot_weight[static_cast<std::size_t>(s)].assign(weights_, 0.0);
    ws_.slot_count[static_cast<std::size_t>(s)].assign(counts_, 0);
    return s;
  }
  void release(int s) {
    if (s >= 0) ws_.free_slots.push_back(s);
  }
  double* weight(int s) { return s >= 0 ? ws_.slot_weight[static_cast<std::size_t>(s)].data() : ws_.scratch_weight.data(); }
  std::uint32_t* count(int s) { return s >= 0 ? ws_.slot_count[static_cast<std::size_t>(s)].data() : ws_.scratch_count.data(); }
  void clear_scratch() {
    ws_.scratch_weight.assign(weights_, 0.0);
    ws_.scratch_count.assign(counts_, 0);
  }

 private:
  Workspace& ws_;
  std::size_t weights_, counts_;
  int max_slots_;
};

// Features per pass over a node's rows: their histograms (kMaxBins x K
// weights each) stay in the core's L2 cache while the rows stream by.
constexpr int kFeaturesPerPass = 8;

void build_all(const BinnedData& bins, const NodeRows& node, int K, double* hw, std::uint32_t* hc) {
  int feats[kFeaturesPerPass];
  double* w[kFeaturesPerPass];
  std::uint32_t* c[kFeaturesPerPass];
  for (int f0 = 0; f0 < bins.n_features(); f0 += kFeaturesPerPass) {
    const int nf = std::min(kFeaturesPerPass, bins.n_features() - f0);
    for (int j = 0; j < nf; ++j) {
      feats[j] = f0 + j;
      const int off = bins.bin_offset(f0 + j);
      w[j] = hw + static_cast<std::ptrdiff_t>(off) * K;
      c[j] = hc + off;
    }
    build_features(feats, nf, node, K, w, c);
  }
}

}  // namespace

void Tree::grow_hist(const BinnedData& bins, const Labels& y, int K, const std::vector<double>& w,
                     const TreeOptions& opt, Rng& rng, Workspace& ws) {
  if (opt.random_thresholds) throw std::logic_error("tree::grow_hist: random thresholds use the exact search");
  const int p = bins.n_features();
  const int n = bins.n_samples();
  n_classes_ = K;
  nodes_.clear();
  value_class_.clear();
  value_proba_.clear();
  const auto Kz = static_cast<std::size_t>(K);

  // Rows of this tree (positive weight), ascending, with labels and weights alongside.
  ws.samples.clear();
  ws.labels.clear();
  ws.weights.clear();
  for (int i = 0; i < n; ++i) {
    const double wi = w[static_cast<std::size_t>(i)];
    if (wi > 0.0) {
      ws.samples.push_back(i);
      ws.labels.push_back(y[static_cast<std::size_t>(i)]);
      ws.weights.push_back(wi);
    }
  }
  const std::size_t n_used = ws.samples.size();
  ws.spill_samples.resize(n_used);
  ws.spill_labels.resize(n_used);
  ws.spill_weights.resize(n_used);
  ws.features.resize(static_cast<std::size_t>(p));
  std::iota(ws.features.begin(), ws.features.end(), 0);
  ws.class_node.assign(Kz, 0.0);
  ws.class_left.assign(Kz, 0.0);
  ws.class_right.assign(Kz, 0.0);
  ws.class_right_direct.assign(Kz, 0.0);
  double* cn = ws.class_node.data();
  double* cl = ws.class_left.data();
  double* cr = ws.class_right.data();
  // One histogram per feature of a pass (max_features below all).
  const std::size_t hist_stride_w = static_cast<std::size_t>(BinnedData::kMaxBins) * Kz;
  const auto hist_stride_c = static_cast<std::size_t>(BinnedData::kMaxBins);
  // Bootstrap counts (no class weights) are whole numbers: their histograms
  // are then uint32, exact, and half the size. A bin's sum is at most the
  // total weight, which is checked to fit.
  double weight_sum = 0.0;
  bool whole_weights = true;
  for (double wi : ws.weights) {
    whole_weights = whole_weights && wi == std::floor(wi) && wi < 16777216.0;
    weight_sum += wi;
  }
  whole_weights = whole_weights && weight_sum < 4294967295.0;
  if (whole_weights) ws.hist_whole.assign(hist_stride_w * kFeaturesPerPass, 0u);
  else ws.hist_weight.assign(hist_stride_w * kFeaturesPerPass, 0.0);
  ws.hist_count.assign(hist_stride_c * kFeaturesPerPass, 0);

  // Every feature a candidate at every node: histograms of all features,
  // with subtraction. The pool is bounded (64 MB a thread, 2 to 32 slots);
  // a node that finds it full builds its own in the scratch slot.
  const bool all_features = opt.max_features >= p;
  const std::size_t slot_weights = static_cast<std::size_t>(bins.total_bins()) * Kz;
  const std::size_t slot_counts = static_cast<std::size_t>(bins.total_bins());
  const std::size_t slot_bytes = slot_weights * sizeof(double) + slot_counts * sizeof(std::uint32_t);
  const int max_slots = static_cast<int>(std::clamp<std::size_t>((std::size_t{64} << 20) / slot_bytes, 2, 32));
  SlotPool pool(ws, all_features ? slot_weights : 0, all_features ? slot_counts : 0, max_slots);

  double root_weight = 0.0;
  for (double wi : ws.weights) root_weight += wi;
  Scorer scorer(bins, opt, K, ws);
  const auto P = static_cast<std::size_t>(p);
  int local_begin = -1, local_end = -1;  // the range of ws.samples holding local-code indexes

  struct Pending {
    int start, end, depth, parent;
    bool is_left;
    int slot;  // all_features: the slot holding this node's histograms, or -1
  };
  std::vector<Pending> stack;
  stack.push_back({0, static_cast<int>(n_used), 0, -1, false, -1});
  auto leaf_by_size = [&](int m, int depth) {
    return depth >= opt.max_depth || m < opt.min_samples_split || m < 2 * opt.min_samples_leaf;
  };

  // Class weights and total weight of each node waiting on the stack, at its
  // stack position (K + 1 doubles): summed by the parent while it partitions,
  // in the rows' order, so they equal what the child would sum itself.
  const std::size_t pending_stride = Kz + 1;
  while (!stack.empty()) {
    const Pending job = stack.back();
    const std::size_t position = stack.size() - 1;
    stack.pop_back();
    const int id = static_cast<int>(nodes_.size());
    nodes_.emplace_back();
    if (job.parent >= 0) {
      auto& parent = nodes_[static_cast<std::size_t>(job.parent)];
      (job.is_left ? parent.left : parent.right) = id;
    }
    int* samples = ws.samples.data() + job.start;
    int* labels = ws.labels.data() + job.start;
    double* weights = ws.weights.data() + job.start;
    const int m = job.end - job.start;

    double W = 0.0;
    if (job.parent < 0) {
      std::fill(cn, cn + K, 0.0);
      for (int q = 0; q < m; ++q) {
        cn[labels[q]] += weights[q];
        W += weights[q];
      }
    } else {
      const double* saved = ws.pending_counts.data() + position * pending_stride;
      std::copy(saved, saved + K, cn);
      W = saved[K];
    }
    const double impurity = impurity_of(cn, K, W, opt.criterion);
    bool leaf = leaf_by_size(m, job.depth) || impurity <= kEpsilon;
    // A subtree whose rows' codes fit in cache gets a compact copy of them
    // (rows in node order), used by every node of the subtree: deep nodes
    // then read cache, not rows scattered over the whole code matrix. The
    // stack is depth-first, so a subtree is finished before any node
    // outside it is taken, and one copy is live at a time.
    if (local_end > 0 && !(job.start >= local_begin && job.end <= local_end)) local_begin = local_end = -1;
    const bool in_local = local_end > 0;
    if (!in_local && !leaf && static_cast<std::size_t>(m) * P <= kLocalCodeBytes) {
      ws.local_codes.resize(static_cast<std::size_t>(m) * P);
      std::uint8_t* dst = ws.local_codes.data();
      for (int q = 0; q < m; ++q) {
        if (q + kPrefetchRows < m) {
          const std::uint8_t* ahead = bins.row(samples[q + kPrefetchRows]);
          __builtin_prefetch(ahead);
          __builtin_prefetch(ahead + P - 1);
        }
        std::memcpy(dst + static_cast<std::size_t>(q) * P, bins.row(samples[q]), P);
        samples[q] = q;
      }
      local_begin = job.start;
      local_end = job.end;
    }
    const std::uint8_t* codes = local_end > 0 ? ws.local_codes.data() : bins.row(0);
    const NodeRows node{samples, labels, weights, m, cn, W, codes, P};
    const bool hist = use_histogram(m, K);
    int slot = job.slot;  // -1 with all_features and hist: built in scratch
    if (leaf) {
      pool.release(slot);
      slot = -1;
    }

    HistSplit best;
    if (!leaf) {
      if (all_features && hist && job.slot < 0) {
        slot = pool.acquire();
        if (slot < 0) pool.clear_scratch();
        build_all(bins, node, K, pool.weight(slot), pool.count(slot));
      }
      FeatureDraw draw(ws.features, p, opt.max_features, rng);
      // Histograms of the drawn features, kFeaturesPerPass at a time from
      // one pass over the rows; scored in the order drawn, so the result is
      // the one a feature-at-a-time search gives. The first max_features
      // draws never depend on what the features hold (FeatureDraw), so a
      // pass can take them before any is scored.
      int pass[kFeaturesPerPass];
      int in_pass = 0, drawn = 0;
      auto score_with = [&](auto* base) {
        using W = std::remove_pointer_t<decltype(base)>;
        W* hw[kFeaturesPerPass];
        std::uint32_t* hc[kFeaturesPerPass];
        for (int j = 0; j < in_pass; ++j) {
          hw[j] = base + hist_stride_w * static_cast<std::size_t>(j);
          hc[j] = ws.hist_count.data() + hist_stride_c * static_cast<std::size_t>(j);
        }
        build_features(pass, in_pass, node, K, hw, hc);
        for (int j = 0; j < in_pass; ++j) {
          const int nb = bins.n_bins(pass[j]);
          if (scorer.from_histogram(pass[j], hw[j], hc[j], node, cl, best)) draw.non_constant();
          std::fill(hw[j], hw[j] + static_cast<std::ptrdiff_t>(nb) * K, W{0});
          std::fill(hc[j], hc[j] + nb, 0u);
        }
        in_pass = 0;
      };
      auto score_pass = [&] {
        if (whole_weights) score_with(ws.hist_whole.data());
        else score_with(ws.hist_weight.data());
      };
      for (int f = draw.next(); f >= 0; f = draw.next()) {
        ++drawn;
        if (hist && !all_features) {
          pass[in_pass++] = f;
          // Past max_features each further draw depends on the scores so far.
          if (in_pass == kFeaturesPerPass || drawn >= opt.max_features) score_pass();
          continue;
        }
        bool varies;
        if (!hist) {
          varies = scorer.by_sorting(f, node, cl, cr, best);
        } else {
          const int off = bins.bin_offset(f);
          varies = scorer.from_histogram(f, pool.weight(slot) + static_cast<std::ptrdiff_t>(off) * K,
                                         pool.count(slot) + off, node, cl, best);
        }
        if (varies) draw.non_constant();
      }
      if (in_pass > 0) score_pass();
      leaf = best.feature < 0;
    }

    int split_pos = 0;
    // Class weights of the two sides, [0] right and [1] left.
    double* side_w[2] = {ws.class_right_direct.data(), cl};
    double side_total[2] = {0.0, 0.0};
    if (!leaf) {
      // Stable partition: both children keep their rows ascending.
      const int bf = best.feature;
      const auto bin = static_cast<std::uint8_t>(best.bin);
      int nl = 0, nr = 0;
      std::fill(cl, cl + K, 0.0);
      std::fill(side_w[0], side_w[0] + K, 0.0);
      int* ss = ws.spill_samples.data();
      int* sl = ws.spill_labels.data();
      double* sw = ws.spill_weights.data();
      for (int q = 0; q < m; ++q) {
        if (q + kPrefetchRows < m) __builtin_prefetch(node.row(q + kPrefetchRows) + bf);
        const int s = samples[q];
        const int c = labels[q];
        const double wq = weights[q];
        const bool go_left = node.row(q)[bf] <= bin;
        samples[nl] = s;
        labels[nl] = c;
        weights[nl] = wq;
        ss[nr] = s;
        sl[nr] = c;
        sw[nr] = wq;
        nl += go_left;
        nr += !go_left;
        side_w[go_left][c] += wq;
        side_total[go_left] += wq;
      }
      std::copy(ss, ss + nr, samples + nl);
      std::copy(sl, sl + nr, labels + nl);
      std::copy(sw, sw + nr, weights + nl);
      split_pos = nl;
      // Exact child impurities decide min_impurity_decrease and feed the importances.
      const double wl = side_total[1];
      for (int k = 0; k < K; ++k) cr[k] = cn[k] - cl[k];
      const double improvement = split_improvement(impurity, W, root_weight, cl, wl, cr, W - wl, K, opt.criterion);
      if (improvement + kEpsilon < opt.min_impurity_decrease) leaf = true;
    }

    Node& rec = record_node(id, impurity, W, m, job.depth, leaf ? cn : nullptr, cn);
    if (leaf) {
      pool.release(slot);
      continue;
    }
    rec.feature = best.feature;
    rec.threshold = best.threshold;

    Pending left{job.start, job.start + split_pos, job.depth + 1, id, true, -1};
    Pending right{job.start + split_pos, job.end, job.depth + 1, id, false, -1};
    if (all_features && slot >= 0) {
      // The larger child inherits this node's slot, minus the smaller
      // child's histograms; the smaller keeps those when it will use them.
      Pending& small = split_pos <= m - split_pos ? left : right;
      Pending& large = split_pos <= m - split_pos ? right : left;
      const int m_small = small.end - small.start, m_large = large.end - large.start;
      if (!leaf_by_size(m_large, large.depth) && use_histogram(m_large, K)) {
        const bool small_needs = !leaf_by_size(m_small, small.depth) && use_histogram(m_small, K);
        const int s_small = small_needs ? pool.acquire() : -1;
        if (s_small < 0) pool.clear_scratch();
        const NodeRows small_rows{ws.samples.data() + small.start, ws.labels.data() + small.start,
                                  ws.weights.data() + small.start, m_small, cn, 0.0, codes, P};
        double* hw = pool.weight(s_small);
        std::uint32_t* hc = pool.count(s_small);
        build_all(bins, small_rows, K, hw, hc);
        double* pw = pool.weight(slot);
        std::uint32_t* pc = pool.count(slot);
        for (std::size_t j = 0; j < slot_weights; ++j) pw[j] -= hw[j];
        for (std::size_t j = 0; j < slot_counts; ++j) pc[j] -= hc[j];
        large.slot = slot;
        small.slot = s_small;
      } else {
        pool.release(slot);
      }
    }
    // Right pushed first so the left subtree is built first, as scikit-learn does.
    ws.pending_counts.resize(std::max(ws.pending_counts.size(), (stack.size() + 2) * pending_stride));
    double* saved = ws.pending_counts.data() + stack.size() * pending_stride;
    std::copy(side_w[0], side_w[0] + K, saved);
    saved[K] = side_total[0];
    std::copy(cl, cl + K, saved + pending_stride);
    saved[pending_stride + K] = side_total[1];
    stack.push_back(right);
    stack.push_back(left);
  }
}

}  // namespace genrelab::tree
