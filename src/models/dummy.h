// dummy: the baseline that ignores the features (scikit-learn's
// DummyClassifier). A model that cannot beat it has learned nothing.
#pragma once

#include <string>
#include <vector>

#include "genrelab/model.h"

namespace genrelab {

class Dummy : public Classifier {
 public:
  Dummy();
  std::string name() const override { return "dummy"; }
  bool is_fitted() const override { return fitted_; }
  int n_features_in() const override { return n_features_; }
  bool scale_sensitive() const override { return false; }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  // Class frequencies seen in training.
  const std::vector<double>& class_prior() const { return prior_; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  void fit_rows_model(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;
  Labels predict_model(const Matrix& X) const override;

 private:
  void fit_labels(const Labels& y, int n_classes, int n_features);
  std::vector<double> prior_;
  bool fitted_ = false;
  int n_features_ = 0;  // 0 after load: a saved dummy does not record its width, nor needs it
};

}  // namespace genrelab
