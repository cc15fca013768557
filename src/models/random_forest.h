// random_forest and extra_trees: bagged CART trees (Breiman 2001) and
// extremely randomised trees (Geurts, Ernst & Wehenkel 2006), with
// scikit-learn's parameters and semantics. Trees are grown in parallel with
// OpenMP; each tree draws from its own Rng stream, so a seed gives the same
// forest on any number of threads.
#pragma once

#include <string>
#include <vector>

#include "genrelab/model.h"
#include "models/tree/tree.h"

namespace genrelab {

class RandomForest : public Classifier {
 public:
  // extra_trees: random thresholds and, by default, no bootstrap.
  explicit RandomForest(bool extra_trees);
  std::string name() const override { return extra_ ? "extra_trees" : "random_forest"; }
  bool is_fitted() const override { return n_features_ > 0; }
  int n_features_in() const override { return n_features_; }
  std::optional<Contributions> contributions_toward(const Matrix& X, const Labels& target) const override;
  std::vector<double> feature_importances() const override;
  bool scale_sensitive() const override { return false; }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  bool has_oob_score() const { return has_oob_; }
  // Accuracy of out-of-bag predictions; UsageError unless fitted with oob_score=true.
  double oob_score() const;

  const std::vector<tree::Tree>& trees() const { return trees_; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  // The histogram search bins the rows where they lie; the exact search
  // works on a copy of them (its rank index is larger than the copy anyway).
  void fit_rows_model(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;

 private:
  // Sample i is row (rows ? (*rows)[i] : i) of X.
  void fit_forest(const Matrix& X, const std::vector<int>* rows, const Labels& y, int n_classes);
  int threads() const;

  bool extra_;
  std::vector<tree::Tree> trees_;
  int n_features_ = 0;
  bool has_oob_ = false;
  double oob_ = 0.0;
};

}  // namespace genrelab
