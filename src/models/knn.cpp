// Exact neighbour search in two back ends behind one small interface, then the
// scikit-learn vote. Distances are kept "reduced" (squared for p = 2, summed
// p-th powers otherwise) during search, which preserves their order, and are
// turned into true distances only for distance weighting.
#include "models/knn.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nanoflann.hpp>
#include <queue>

#include "genrelab/error.h"
#include "genrelab/bytes.h"

namespace genrelab {

struct KnnNeighbour {
  double dist;  // reduced
  int index;
  bool operator<(const KnnNeighbour& o) const { return dist < o.dist || (dist == o.dist && index < o.index); }
};
using KnnNeighbourLists = std::vector<std::vector<KnnNeighbour>>;

class KnnIndex {
 public:
  virtual ~KnnIndex() = default;
  virtual std::string kind() const = 0;
  // The k nearest training rows of every row of Q, sorted by (distance, index).
  virtual KnnNeighbourLists search(const Matrix& Q, std::size_t k) const = 0;
  // The training rows, for saving the model.
  virtual Matrix rows() const = 0;
  double p = 2;
  Eigen::Index n_features = 0;
};

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double reduced_distance(const double* a, const double* b, Eigen::Index d, double p) {
  double s = 0;
  if (p == 2) {
    for (Eigen::Index j = 0; j < d; ++j) s += (a[j] - b[j]) * (a[j] - b[j]);
  } else if (p == 1) {
    for (Eigen::Index j = 0; j < d; ++j) s += std::abs(a[j] - b[j]);
  } else {
    for (Eigen::Index j = 0; j < d; ++j) s += std::pow(std::abs(a[j] - b[j]), p);
  }
  return s;
}

double true_distance(double reduced, double p) {
  if (p == 1) return reduced;
  if (p == 2) return std::sqrt(reduced);
  return std::pow(reduced, 1.0 / p);
}

// Keeps the k best by (distance, index). nanoflann only offers a point when it
// is strictly closer than worstDist(), so we report the worst slightly inflated:
// points at exactly the worst distance still arrive and the lower index wins,
// and rounding in the tree's incremental bounds cannot prune a true tie.
class TieAwareResultSet {
 public:
  using DistanceType = double;
  using IndexType = std::uint32_t;
  explicit TieAwareResultSet(std::size_t k) : k_(k) {}
  bool full() const { return heap_.size() == k_; }
  std::size_t size() const { return heap_.size(); }
  bool addPoint(double dist, IndexType index) {
    const KnnNeighbour n{dist, static_cast<int>(index)};
    if (!full()) {
      heap_.push(n);
    } else if (n < heap_.top()) {
      heap_.pop();
      heap_.push(n);
    }
    return true;
  }
  double worstDist() const {
    if (!full()) return std::numeric_limits<double>::infinity();
    const double w = heap_.top().dist;
    return w + std::abs(w) * 1e-9 + std::numeric_limits<double>::denorm_min();
  }
  std::vector<KnnNeighbour> sorted() {
    std::vector<KnnNeighbour> out;
    while (!heap_.empty()) out.push_back(heap_.top()), heap_.pop();
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  std::size_t k_;
  std::priority_queue<KnnNeighbour> heap_;  // max-heap: worst on top
};

struct RowsAdaptor {
  const RowMatrix* rows;
  std::size_t kdtree_get_point_count() const { return static_cast<std::size_t>(rows->rows()); }
  double kdtree_get_pt(std::uint32_t i, std::size_t dim) const {
    return (*rows)(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(dim));
  }
  template <class Box>
  bool kdtree_get_bbox(Box&) const {
    return false;
  }
};

template <class Metric>
class KdTreeIndex : public KnnIndex {
 public:
  KdTreeIndex(const Matrix& X, std::size_t leaf_size)
      : data_(X), adaptor_{&data_},
        tree_(static_cast<std::size_t>(X.cols()), adaptor_, nanoflann::KDTreeSingleIndexAdaptorParams(leaf_size)) {
  }  // nanoflann builds the tree in its constructor
  std::string kind() const override { return "kd_tree"; }
  Matrix rows() const override { return data_; }
  KnnNeighbourLists search(const Matrix& Q, std::size_t k) const override {
    const RowMatrix q = Q;
    KnnNeighbourLists out(static_cast<std::size_t>(q.rows()));
#pragma omp parallel for schedule(dynamic, 32)
    for (Eigen::Index i = 0; i < q.rows(); ++i) {
      TieAwareResultSet result(k);
      tree_.findNeighbors(result, q.row(i).data(), nanoflann::SearchParams());
      out[static_cast<std::size_t>(i)] = result.sorted();
    }
    return out;
  }

 private:
  using Tree = nanoflann::KDTreeSingleIndexAdaptor<Metric, RowsAdaptor, -1, std::uint32_t>;
  RowMatrix data_;
  RowsAdaptor adaptor_;
  Tree tree_;
};

using L2Tree = KdTreeIndex<nanoflann::L2_Simple_Adaptor<double, RowsAdaptor, double, std::uint32_t>>;
using L1Tree = KdTreeIndex<nanoflann::L1_Adaptor<double, RowsAdaptor, double, std::uint32_t>>;

class BruteIndex : public KnnIndex {
 public:
  explicit BruteIndex(const Matrix& X) : data_(X), norms_(X.rowwise().squaredNorm()) {}
  std::string kind() const override { return "brute"; }
  Matrix rows() const override { return data_; }
  KnnNeighbourLists search(const Matrix& Q, std::size_t k) const override {
    const Eigen::Index n = data_.rows();
    KnnNeighbourLists out(static_cast<std::size_t>(Q.rows()));
    // Blocks bound the distance matrix to ~32 MB however large the data.
    const Eigen::Index block = std::max<Eigen::Index>(1, std::min<Eigen::Index>(512, (4 << 20) / std::max<Eigen::Index>(n, 1)));
    const Eigen::Index n_blocks = (Q.rows() + block - 1) / block;
    const RowMatrix q = Q;
#pragma omp parallel
    {
      // Per thread: one block of query-to-training distances (row-major, so a
      // query's distances are contiguous) and one scratch list; each query
      // keeps only its k nearest.
      RowMatrix D;
      std::vector<KnnNeighbour> best;
      best.reserve(k);
#pragma omp for schedule(dynamic, 1)
      for (Eigen::Index b = 0; b < n_blocks; ++b) {
        const Eigen::Index start = b * block;
        const Eigen::Index rows = std::min(block, Q.rows() - start);
        if (p == 2) {
          // |q - x|^2 = |q|^2 + |x|^2 - 2 q.x: one matrix product instead of n*m loops.
          // The norms are added (and rounding negatives clipped) as each row is
          // scanned below, not in extra passes over the whole block.
          D.noalias() = -2.0 * (q.middleRows(start, rows) * data_.transpose());
        }
        for (Eigen::Index i = 0; i < rows; ++i) {
          const double q_norm = p == 2 ? q.row(start + i).squaredNorm() : 0.0;
          const double* d_row = p == 2 ? &D(i, 0) : nullptr;
          const double* x_norm = norms_.data();
          // The k smallest (distance, index) pairs in one pass: a max-heap of
          // the best so far, whose top is the bar a training row must beat.
          // Most rows fail that one comparison, so this costs about n
          // comparisons per query instead of materialising and selecting
          // all n pairs.
          best.clear();
          for (Eigen::Index j = 0; j < n; ++j) {
            const KnnNeighbour c{p == 2 ? std::max(0.0, (d_row[j] + q_norm) + x_norm[j])
                                        : reduced_distance(q.row(start + i).data(), data_.row(j).data(), q.cols(), p),
                                 static_cast<int>(j)};
            if (best.size() < k) {
              best.push_back(c);
              std::push_heap(best.begin(), best.end());
            } else if (c < best.front()) {
              std::pop_heap(best.begin(), best.end());
              best.back() = c;
              std::push_heap(best.begin(), best.end());
            }
          }
          std::sort_heap(best.begin(), best.end());
          out[static_cast<std::size_t>(start + i)] = best;
        }
      }
    }
    return out;
  }

 private:
  RowMatrix data_;
  Vector norms_;
};

// Above this many features a k-d tree prunes little and brute force wins.
constexpr Eigen::Index kTreeMaxFeatures = 20;

}  // namespace

Knn::Knn() {
  params_.set_owner("knn");
  params_.declare_int("n_neighbors", "5", "number of neighbours that vote", 1);
  params_.declare_choice("weights", "uniform", "uniform: equal votes; distance: votes weighted by 1/distance",
                         {"uniform", "distance"});
  params_.declare_choice("metric", "minkowski", "distance: minkowski uses p; euclidean is p=2, manhattan p=1",
                         {"minkowski", "euclidean", "manhattan"});
  params_.declare_float("p", "2", "power of the Minkowski metric", 1.0, 1e308);
  params_.declare_choice("algorithm", "auto",
                         "auto: k-d tree up to 20 features with p 1 or 2, else brute force", {"auto", "kd_tree", "brute"});
  params_.declare_int("leaf_size", "30", "rows per k-d tree leaf (speed only, not results)", 1);
}

void Knn::fit_model(const Matrix& X, const Labels& y, int n_classes) {
  const long k = params_.get_int("n_neighbors");
  if (k > X.rows())
    throw InputError(fmt::format("knn: n_neighbors={} but only {} training rows; use a smaller n_neighbors", k,
                                 X.rows()));
  const std::string& metric = params_.get("metric");
  const double p = metric == "euclidean" ? 2.0 : metric == "manhattan" ? 1.0 : params_.get_float("p");
  const std::string& algorithm = params_.get("algorithm");
  const bool tree_metric = p == 1 || p == 2;
  if (algorithm == "kd_tree" && !tree_metric)
    throw UsageError(fmt::format("knn: algorithm=kd_tree supports p=1 and p=2 only (p={}); use algorithm=brute", p));
  const bool use_tree = algorithm == "kd_tree" || (algorithm == "auto" && tree_metric && X.cols() <= kTreeMaxFeatures);
  const auto leaf = static_cast<std::size_t>(params_.get_int("leaf_size"));
  std::shared_ptr<KnnIndex> index;
  if (use_tree && p == 2) index = std::make_shared<L2Tree>(X, leaf);
  else if (use_tree) index = std::make_shared<L1Tree>(X, leaf);
  else index = std::make_shared<BruteIndex>(X);
  index->p = p;
  index->n_features = X.cols();
  index_ = std::move(index);
  y_ = y;
  n_classes_ = n_classes;
}

int Knn::n_features_in() const { return index_ ? static_cast<int>(index_->n_features) : 0; }

std::string Knn::search_used() const { return index_ ? index_->kind() : ""; }

void Knn::kneighbors(const Matrix& X, std::vector<std::vector<int>>& index,
                     std::vector<std::vector<double>>& dist) const {
  check_predict_input(X);
  const KnnNeighbourLists found = index_->search(X, static_cast<std::size_t>(params_.get_int("n_neighbors")));
  index.assign(found.size(), {});
  dist.assign(found.size(), {});
  for (std::size_t i = 0; i < found.size(); ++i)
    for (const KnnNeighbour& n : found[i]) {
      index[i].push_back(n.index);
      dist[i].push_back(true_distance(n.dist, index_->p));
    }
}

Matrix Knn::predict_proba_model(const Matrix& X) const {
  std::vector<std::vector<int>> index;
  std::vector<std::vector<double>> dist;
  kneighbors(X, index, dist);
  const bool by_distance = params_.get("weights") == "distance";
  Matrix P = Matrix::Zero(X.rows(), n_classes_);
  for (std::size_t i = 0; i < index.size(); ++i) {
    // As scikit-learn: with an exact match among the neighbours, only the exact matches vote.
    const bool exact = by_distance && std::find(dist[i].begin(), dist[i].end(), 0.0) != dist[i].end();
    for (std::size_t j = 0; j < index[i].size(); ++j) {
      double w = 1.0;
      if (by_distance) w = exact ? (dist[i][j] == 0.0 ? 1.0 : 0.0) : 1.0 / dist[i][j];
      P(static_cast<Eigen::Index>(i), y_[static_cast<std::size_t>(index[i][j])]) += w;
    }
    P.row(static_cast<Eigen::Index>(i)) /= P.row(static_cast<Eigen::Index>(i)).sum();
  }
  return P;
}

// kNN's model is its training set; the search index is rebuilt on load,
// which gives the same neighbours because building it is deterministic.
void Knn::save(ByteWriter& out) const {
  if (!index_) throw UsageError("knn: save called before fit");
  out.i32(n_classes_);
  out.matrix(index_->rows());
  out.i32s(y_);
}

void Knn::load(ByteReader& in) {
  const int n_classes = in.int_in("knn n_classes", 1, 1000000);
  Matrix X = in.matrix();
  auto y = in.i32s();
  in.require(X.rows() >= 1 && X.cols() >= 1 && static_cast<std::size_t>(X.rows()) == y.size(),
             "knn's training rows and labels disagree");
  in.require(X.allFinite(), "knn's training rows hold a non-finite value");
  for (int label : y) in.require(label >= 0 && label < n_classes, "knn holds a label outside its classes");
  fit(X, y, n_classes);
}

std::unique_ptr<Classifier> make_knn() { return std::make_unique<Knn>(); }

}  // namespace genrelab
