// adaboost: SAMME (Zhu, Zou, Rosset & Hastie 2009), the multi-class AdaBoost
// of scikit-learn 1.2's AdaBoostClassifier(algorithm="SAMME"), boosting
// shallow decision trees.
#pragma once

#include <string>
#include <vector>

#include "genrelab/model.h"
#include "models/decision_tree.h"

namespace genrelab {

class AdaBoost : public Classifier {
 public:
  AdaBoost();
  std::string name() const override { return "adaboost"; }
  bool is_fitted() const override { return n_features_ > 0; }
  int n_features_in() const override { return n_features_; }
  std::vector<double> feature_importances() const override;
  bool scale_sensitive() const override { return false; }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  int n_fitted_estimators() const { return static_cast<int>(estimators_.size()); }
  const std::vector<double>& estimator_weights() const { return weights_; }
  const std::vector<double>& estimator_errors() const { return errors_; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;

 private:
  // SAMME decision function over the classes seen in training, normalised by
  // the total estimator weight (scikit-learn's decision_function).
  Matrix decision(const Matrix& X) const;

  std::vector<DecisionTree> estimators_;
  std::vector<double> weights_, errors_;
  std::vector<int> seen_;  // class codes present in training, ascending
  int n_features_ = 0;
};

}  // namespace genrelab
