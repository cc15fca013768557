// A model together with the preprocessing fitted on its training rows only.
// This is what cross-validation fits per fold and what a saved model holds, so
// no statistic of the test rows ever leaks into training.
#pragma once

#include <memory>
#include <string>

#include "genrelab/model.h"
#include "genrelab/scaler.h"

namespace genrelab {

class Pipeline {
 public:
  Pipeline(const std::string& model_name, const ParamMap& params);

  void fit(const Matrix& X, const Labels& y, int n_classes);
  Labels predict(const Matrix& X) const;
  Matrix predict_proba(const Matrix& X) const;

  Classifier& model() { return *model_; }
  const Classifier& model() const { return *model_; }
  const StandardScaler& scaler() const { return scaler_; }
  bool scales() const { return model_->scale_sensitive(); }

 private:
  Matrix prepare(const Matrix& X) const;
  std::unique_ptr<Classifier> model_;
  StandardScaler scaler_;
};

}  // namespace genrelab
