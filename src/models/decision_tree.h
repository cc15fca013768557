// decision_tree: one CART tree with scikit-learn DecisionTreeClassifier's
// parameters and semantics.
#pragma once

#include <string>
#include <vector>

#include "genrelab/model.h"
#include "models/tree/histogram.h"
#include "models/tree/tree.h"

namespace genrelab {

class DecisionTree : public Classifier {
 public:
  DecisionTree();
  std::string name() const override { return "decision_tree"; }
  bool is_fitted() const override { return n_features_ > 0; }
  int n_features_in() const override { return n_features_; }
  std::optional<Contributions> contributions_toward(const Matrix& X, const Labels& target) const override;
  // Fits with per-sample weights (AdaBoost); zero-weight samples are left out.
  void fit_weighted(const Matrix& X, const Labels& y, int n_classes, const std::vector<double>& sample_weight);
  // The same on data whose ranks were computed once for many fits (boosting).
  void fit_prepared(const tree::TrainingData& data, const Matrix& X, const std::vector<double>& sample_weight);
  // The same with the histogram search on data binned once for many fits.
  void fit_binned(const tree::BinnedData& bins, const Labels& y, int n_classes,
                  const std::vector<double>& sample_weight);
  // Whether a fit on n_samples rows would use the histogram search (its
  // split_search and splitter parameters); throws UsageError for hist with
  // splitter=random.
  bool uses_histogram_search(int n_samples) const;
  std::vector<double> feature_importances() const override;
  bool scale_sensitive() const override { return false; }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  // predict() without the contract's checks, for an ensemble that checked X
  // once itself (AdaBoost calls this every round on the same matrix).
  Labels predict_unchecked(const Matrix& X) const { return predict_model(X); }

  // Read-only view of the fitted tree, for inspection and tests.
  const tree::Tree& tree() const { return tree_; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;
  // Each leaf's class once, then one walk per row: no rows x classes matrix,
  // which AdaBoost would otherwise build on the whole training set every round.
  Labels predict_model(const Matrix& X) const override;

 private:
  void fit_weighted_checked(const Matrix& X, const Labels& y, int n_classes, const std::vector<double>& sample_weight);
  // Exactly one of data (with X) and bins is given.
  void fit_either(const tree::TrainingData* data, const tree::BinnedData* bins, const Matrix* X, const Labels& y,
                  int n_classes, const std::vector<double>& sample_weight);
  tree::Tree tree_;
  int n_features_ = 0;
};

}  // namespace genrelab
