// Linear support-vector classifier: scikit-learn's LinearSVC on LIBLINEAR,
// the library it wraps. See linear_svm.cpp for what predict_proba means here.
#pragma once

#include <memory>

#include "genrelab/model.h"

namespace genrelab {

class LinearSvmClassifier : public Classifier {
 public:
  LinearSvmClassifier();

  std::string name() const override { return "linear_svm"; }
  // LIBLINEAR's rand() is per-thread and seeded right before training
  // (svm_common.h, c_rand.cpp), so parallel fits repeat exactly.
  bool concurrent_safe() const override { return true; }
  bool is_fitted() const override { return n_classes_ > 0; }
  int n_features_in() const override { return static_cast<int>(coef_.cols()); }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  // One column per class code: w_c . x + b_c. Classes absent from training
  // get -infinity so they never win.
  Matrix decision_function(const Matrix& X) const;
  // sklearn's coef_ / intercept_, one row / entry per class code (zero for
  // absent classes). With two classes present the rows are w and -w, where
  // sklearn stores the single row of the higher code.
  const Matrix& coef() const { return coef_; }
  const Vector& intercept() const { return intercept_; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;
  // Arg-max of decision_function, as LinearSVC.predict.
  Labels predict_model(const Matrix& X) const override;

 private:
  Matrix coef_;
  Vector intercept_;
  std::vector<int> present_;  // class codes the model was trained on
  int only_class_ = -1;
};

std::unique_ptr<Classifier> make_linear_svm();

}  // namespace genrelab
