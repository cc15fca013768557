// Gradient-boosted trees: XGBoost (the C API of libxgboost) with the
// parameter names and defaults of its scikit-learn wrapper, XGBClassifier.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "genrelab/model.h"

namespace genrelab {

class GradientBoostingClassifier : public Classifier {
 public:
  GradientBoostingClassifier();
  ~GradientBoostingClassifier() override;
  GradientBoostingClassifier(const GradientBoostingClassifier&) = delete;
  GradientBoostingClassifier& operator=(const GradientBoostingClassifier&) = delete;

  std::string name() const override { return "gradient_boosting"; }
  bool is_fitted() const override { return n_classes_ > 0; }
  int n_features_in() const override { return static_cast<int>(n_features_); }
  // NaN is a missing value, as XGBClassifier treats it (learnt default directions).
  bool accepts_missing() const override { return true; }
  std::optional<Contributions> contributions_toward(const Matrix& X, const Labels& target) const override;
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;
  // XGBClassifier's feature_importances_: "gain" (average gain per split),
  // normalised to sum 1; features never split on get 0 (all 0 if no tree split).
  std::vector<double> feature_importances() const override;
  bool scale_sensitive() const override { return false; }
  // Safe to fit several in parallel: each runs single-threaded inside an
  // OpenMP region (threads()), and every fit is seeded on its own.
  bool concurrent_safe() const override { return true; }

  // Raw margins (before softmax), one column per class code; absent classes
  // get -infinity, so softmax over a row gives predict_proba.
  Matrix predict_margin(const Matrix& X) const;
  // TreeSHAP contributions (XGBoost's pred_contribs): one matrix per class
  // code, n_rows x (n_features + 1), the last column the bias. Each row sums
  // to that class's margin. Classes absent from training get zero matrices.
  std::vector<Matrix> contributions(const Matrix& X) const;

  // The whole fitted model as XGBoost bytes ("ubj" or "json"). Our metadata
  // (n_classes, which classes were trained, best iteration) travels inside as
  // booster attributes, so load_model_bytes() restores a working classifier.
  std::string model_bytes(const std::string& format = "ubj") const;
  void load_model_bytes(const std::string& bytes);

  // Trees are kept up to here (inclusive) when predicting; with early stopping
  // the round of lowest validation mlogloss, otherwise the last round.
  int best_iteration() const { return best_iteration_; }
  int boosted_rounds() const;
  // XGBoost's BoosterHandle, for code that needs the C API directly.
  void* booster_handle() const { return booster_; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;

 private:
  void free_booster();
  void require_fitted() const;
  int threads() const;
  // Runs XGBoost prediction of `type` (0 probabilities, 1 margins, 2 contributions).
  std::vector<float> run_prediction(const Matrix& X, int type, std::vector<std::size_t>& shape) const;

  void* booster_ = nullptr;
  std::vector<int> present_;  // class codes the booster's classes 0..k-1 stand for
  int only_class_ = -1;       // single-class training: no booster
  int best_iteration_ = -1;
  Eigen::Index n_features_ = 0;
  mutable std::mutex predict_mutex_;
  mutable int booster_threads_ = 0;  // nthread last set on the booster
};

std::unique_ptr<Classifier> make_gradient_boosting();

}  // namespace genrelab
