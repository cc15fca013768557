// logistic_regression: multinomial (softmax) logistic regression with an L2
// penalty, fitted by our own L-BFGS (scikit-learn's LogisticRegression with
// solver="lbfgs", multi_class="multinomial").
#pragma once

#include <string>
#include <vector>

#include "genrelab/model.h"

namespace genrelab {

class LogisticRegression : public Classifier {
 public:
  LogisticRegression();
  std::string name() const override { return "logistic_regression"; }
  bool is_fitted() const override { return fitted_; }
  int n_features_in() const override { return static_cast<int>(coef_.cols()); }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  // One row per class (all n_classes; zero for classes absent in training).
  const Matrix& coef() const { return coef_; }
  const Vector& intercept() const { return intercept_; }
  int n_iter() const { return n_iter_; }
  bool converged() const { return converged_; }
  // Fit with the portable loops instead of the AVX2 kernels of the loss (the
  // same bits by construction; tests check it on this machine).
  void use_portable_kernels(bool portable) { portable_kernels_ = portable; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;

 private:
  int threads() const;
  Matrix coef_;
  Vector intercept_;
  std::vector<int> trained_;  // class codes that had training rows
  int n_iter_ = 0;
  bool converged_ = false;
  bool fitted_ = false;
  bool portable_kernels_ = false;
};

}  // namespace genrelab
