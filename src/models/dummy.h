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
  void fit(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba(const Matrix& X) const override;
  Labels predict(const Matrix& X) const override;
  bool scale_sensitive() const override { return false; }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  // Class frequencies seen in training.
  const std::vector<double>& class_prior() const { return prior_; }

 private:
  std::vector<double> prior_;
  bool fitted_ = false;
};

}  // namespace genrelab
