// Kernel support-vector classifier: scikit-learn's SVC, on the same library it
// wraps (LIBSVM's C-SVC, one-vs-one). See svm.cpp for how predict_proba
// behaves when probability=false.
#pragma once

#include <memory>

#include "genrelab/model.h"

namespace genrelab {

class SvmClassifier : public Classifier {
 public:
  SvmClassifier();
  ~SvmClassifier() override;
  // LIBSVM's model points into training rows we own; copying would need a deep copy of both.
  SvmClassifier(const SvmClassifier&) = delete;
  SvmClassifier& operator=(const SvmClassifier&) = delete;

  std::string name() const override { return "svm"; }
  // LIBSVM keeps no training state outside the model, and its one global (the
  // rand() used by Platt scaling) is per-thread and seeded right before
  // training (svm_common.h, c_rand.cpp), so parallel fits repeat exactly.
  bool concurrent_safe() const override { return true; }
  bool is_fitted() const override;
  int n_features_in() const override;
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  // sklearn's decision_function with decision_function_shape="ovr": votes plus
  // a confidence squashed into (-1/3, 1/3). Columns for classes absent from
  // training hold -1 (below anything a present class can get).
  Matrix decision_function(const Matrix& X) const;

  // What the last fit resolved gamma="scale"/"auto" to (sklearn's _gamma).
  double fitted_gamma() const;
  // Total number of support vectors (sklearn: n_support_.sum()).
  int n_support_vectors() const;
  // The fitted model as LIBSVM's svm_save_model writes it (empty for a
  // single-class fit), e.g. to check it against LIBSVM's own svm_train.
  std::string libsvm_text() const;

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;
  // One-vs-one voting as LIBSVM and sklearn's SVC.predict do (also when
  // probability=true, where it may disagree with argmax of predict_proba, as in sklearn).
  Labels predict_model(const Matrix& X) const override;

 private:
  struct Fitted;
  std::unique_ptr<Fitted> fitted_;
};

std::unique_ptr<Classifier> make_svm();

}  // namespace genrelab
