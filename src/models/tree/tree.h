// CART classification trees shared by decision_tree, random_forest,
// extra_trees and adaboost. The split rules follow scikit-learn's
// DecisionTreeClassifier (Breiman et al. 1984; Geurts et al. 2006 for random
// thresholds) so that accuracies match; the search itself is organised for
// speed with many classes (see tree.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/model.h"
#include "genrelab/random.h"

namespace genrelab {
class ByteWriter;
class ByteReader;
}  // namespace genrelab

namespace genrelab::tree {

enum class Criterion { gini, entropy };

// Stopping and search rules, already resolved to absolute numbers for one fit.
struct TreeOptions {
  Criterion criterion = Criterion::gini;
  bool random_thresholds = false;  // splitter="random" / extra trees
  int max_depth = 1 << 30;         // root has depth 0
  int min_samples_split = 2;
  int min_samples_leaf = 1;
  int max_features = 1;            // candidate features per node, 1..n_features
  double min_impurity_decrease = 0.0;
};

// Everything about the training matrix that does not depend on the tree:
// built once per fit and shared read-only by all trees (and threads).
class TrainingData {
 public:
  // Which indexes to build; each serves one search, so a fit pays only for
  // the one it uses (both sort every feature once).
  enum Index : unsigned {
    kRanks = 1,  // best thresholds (random_forest, decision_tree)
    kCodes = 2,  // random thresholds (extra_trees)
  };
  TrainingData(const Matrix& X, const Labels& y, int n_classes, unsigned index = kRanks);

  int n_samples() const { return n_samples_; }
  int n_features() const { return n_features_; }
  int n_classes() const { return n_classes_; }
  int label(int i) const { return y_[static_cast<std::size_t>(i)]; }
  const Labels& labels() const { return y_; }
  bool has_ranks() const { return !ranks_.empty(); }
  // Position of X(i, f) among the sorted distinct values of feature f. Ranks
  // let a node's samples be ordered by counting or radix sort instead of
  // comparison sorts on doubles.
  const std::uint32_t* ranks(int f) const { return ranks_[static_cast<std::size_t>(f)].data(); }
  const std::vector<double>& distinct(int f) const { return distinct_[static_cast<std::size_t>(f)]; }

  // Codes: the same ranks in 16 bits, by feature, for features with at most
  // 65536 distinct values. The random-threshold search gathers these instead
  // of the doubles: a quarter of the bytes through the cache.
  bool has_codes(int f) const { return !coded_.empty() && coded_[static_cast<std::size_t>(f)] != 0; }
  const std::uint16_t* code_column(int f) const {
    return codes_.data() + static_cast<std::size_t>(f) * static_cast<std::size_t>(n_samples_);
  }

 private:
  int n_samples_, n_features_, n_classes_;
  Labels y_;
  std::vector<std::vector<std::uint32_t>> ranks_;
  std::vector<std::vector<double>> distinct_;
  std::vector<std::uint8_t> coded_;  // not vector<bool>: filled by several threads
  std::vector<std::uint16_t> codes_;
};

// Scratch memory for growing trees, one per thread, reused across nodes and
// trees so the hot loops never allocate.
struct Workspace {
  std::vector<int> samples;
  std::vector<int> features;
  std::vector<double> class_left, class_right, class_node;
  std::vector<std::uint64_t> keys, keys_tmp;
  std::vector<int> order;
  std::vector<std::uint32_t> counts;
  // Random-threshold search. The samples of every node stay grouped by
  // class (rows ascending within a class), so a node's classes are runs
  // given by its class counts: no label lookups, no scattered increments.
  // Weights, unless all are 1, sit at the index of their sample and move
  // with it, so a node reads its block contiguously.
  std::vector<double> weights;
  // The node's values (or codes) of the feature being tried and of the best
  // one so far; the split is applied from the latter without a second gather.
  std::vector<double> values, best_values;
  std::vector<std::uint16_t> codes, best_codes;
  std::vector<int> spill_samples;
  std::vector<double> spill_weights;
  std::vector<int> present, run_end;   // the node's classes, and where each one's run ends
  std::vector<double> class_stats;     // per-class weights and counts (see grow_random)
  std::vector<double> pending_counts;  // the same for the nodes waiting on the stack
  // Histogram search (histogram.cpp). Labels and weights sit at the index of
  // their sample and move with it when a node is partitioned.
  std::vector<int> labels, spill_labels;
  std::vector<double> hist_weight;       // per bin and class, one feature (or all: hist_all)
  std::vector<std::uint32_t> hist_count; // per bin
  std::vector<std::uint32_t> hist_whole; // hist_weight's place when every weight is a whole number
  std::vector<std::uint8_t> local_codes; // a subtree's rows of codes, in node order
  std::vector<double> class_right_direct; // right child's class weights summed over its rows
  // Histograms of every feature, for max_features = all: a pool of slots so
  // that a node waiting on the stack keeps the one its parent handed down
  // (the larger child's is the parent's minus the smaller child's), and a
  // scratch pair for a node that has none.
  std::vector<std::vector<double>> slot_weight;
  std::vector<std::vector<std::uint32_t>> slot_count;
  std::vector<int> free_slots;
  std::vector<double> scratch_weight;
  std::vector<std::uint32_t> scratch_count;
};

class BinnedData;

class Tree {
 public:
  // sample_weight[i] > 0 marks sample i as part of this tree's training set
  // (bootstrap counts times class weights); zero-weight samples are ignored,
  // so min_samples_leaf counts distinct samples as in scikit-learn. The
  // best-threshold search (random_thresholds=false) needs data with ranks.
  void grow(const TrainingData& data, const Matrix& X, const std::vector<double>& sample_weight,
            const TreeOptions& options, Rng& rng, Workspace& ws);
  // The same with the histogram search (histogram.cpp) on binned data, for
  // the best-threshold search only (options.random_thresholds must be false).
  // Candidate features are drawn exactly as grow() draws them; the threshold
  // stored is a real value between two bins, so a grown tree predicts, saves
  // and explains as any other.
  void grow_hist(const BinnedData& bins, const Labels& y, int n_classes, const std::vector<double>& sample_weight,
                 const TreeOptions& options, Rng& rng, Workspace& ws);

  // Index of the leaf that row `row` of X falls into.
  int apply(const Matrix& X, Eigen::Index row) const;
  // Adds scale * (class distribution of `leaf`) into out[0..n_classes).
  void add_leaf_proba(int leaf, double scale, double* out) const;
  Matrix predict_proba(const Matrix& X) const;

  // Mean decrease in impurity per feature, normalised to sum 1 (all zeros for
  // a single-leaf tree).
  std::vector<double> importances(int n_features) const;

  int node_count() const { return static_cast<int>(nodes_.size()); }
  int n_classes() const { return n_classes_; }
  int n_leaves() const;
  int depth() const;
  // Training samples (distinct, not weighted) in each leaf, in node order.
  std::vector<int> leaf_sample_counts() const;
  // For each node: split feature, or -1 for a leaf.
  int feature(int node) const { return nodes_[static_cast<std::size_t>(node)].feature; }
  double threshold(int node) const { return nodes_[static_cast<std::size_t>(node)].threshold; }
  int left(int node) const { return nodes_[static_cast<std::size_t>(node)].left; }
  int right(int node) const { return nodes_[static_cast<std::size_t>(node)].right; }
  double weight(int node) const { return nodes_[static_cast<std::size_t>(node)].weight; }

  // Flat arrays, one per node field (tree_io.cpp). load() checks that every
  // child index points forward (so routing always ends in a leaf), features
  // lie below n_features and leaf classes below n_classes.
  void save(ByteWriter& out) const;
  void load(ByteReader& in, int n_features, int n_classes);

  // Path-dependent TreeSHAP (tree_shap.cpp) for the probability of class
  // `cls`: adds scale * phi_j into phi[j] for row `row` of X. With
  // expected_value(cls) as the bias, the phis sum to the tree's probability.
  void add_shap(const Matrix& X, Eigen::Index row, int cls, double scale, double* phi) const;
  // Cover-weighted mean over leaves of the class-`cls` probability.
  double expected_value(int cls) const;

 private:
  // The two searches need different data and are organised differently;
  // grow dispatches on options.random_thresholds.
  void grow_best(const TrainingData& data, const std::vector<double>& sample_weight, const TreeOptions& options,
                 Rng& rng, Workspace& ws);
  void grow_random(const TrainingData& data, const Matrix& X, const std::vector<double>& sample_weight,
                   const TreeOptions& options, Rng& rng, Workspace& ws);

  struct Node {
    int left = -1, right = -1;
    int feature = -1;  // -1 for leaves
    double threshold = 0.0;
    double impurity = 0.0;
    double weight = 0.0;  // weighted samples reaching the node
    int n_samples = 0;
    int depth = 0;
    // Leaves store their class distribution sparsely: with many classes a
    // deep leaf holds a handful of them, which keeps 100-tree forests small.
    std::uint32_t value_begin = 0, value_end = 0;
  };
  // Fills node `id`'s statistics and returns it. With leaf_present set the
  // node becomes a leaf holding each class present (leaf_present[k] > 0) with
  // its share leaf_weight[k] / weight; otherwise the caller makes it a split.
  Node& record_node(int id, double impurity, double weight, int n_samples, int depth, const double* leaf_present,
                    const double* leaf_weight);

  std::vector<Node> nodes_;
  std::vector<int> value_class_;
  std::vector<double> value_proba_;
  int n_classes_ = 0;
};

// Path-dependent TreeSHAP over a tree or a forest (the mean of its trees), on
// the class probability: contributions toward class target[i] for row i, the
// trees' expected value as bias, P the model's probabilities (additive).
Contributions tree_shap(const std::vector<const Tree*>& trees, const Matrix& X, const Labels& target, const Matrix& P);

}  // namespace genrelab::tree
