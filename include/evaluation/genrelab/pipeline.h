// A model together with the preprocessing fitted on its training rows only.
// This is what cross-validation fits per fold and what a saved model holds, so
// no statistic of the test rows ever leaks into training.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genrelab/model.h"
#include "genrelab/scaler.h"

namespace genrelab {

class ByteWriter;  // model_file.h
class ByteReader;

class Pipeline {
 public:
  Pipeline(const std::string& model_name, const ParamMap& params);

  void fit(const Matrix& X, const Labels& y, int n_classes);
  Labels predict(const Matrix& X) const;
  Matrix predict_proba(const Matrix& X) const;
  // fit / predict on rows `rows` of X without copying them all out first
  // (Classifier::fit_rows); a scaling pipeline still holds one scaled copy of
  // the training rows, which is what the model fits on.
  void fit_rows(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes);
  Labels predict_rows(const Matrix& X, const std::vector<int>& rows) const;

  Classifier& model() { return *model_; }
  const Classifier& model() const { return *model_; }
  const StandardScaler& scaler() const { return scaler_; }
  bool scales() const { return model_->scale_sensitive(); }

  // Scaler and fitted model state (model_file.h); the pipeline must have been
  // built with the saved model name and parameters before load().
  void save(ByteWriter& out) const;
  void load(ByteReader& in);
  // The matrix the model itself sees (scaled when the model is scale-sensitive).
  Matrix transform(const Matrix& X) const { return prepare(X); }

 private:
  Matrix prepare(const Matrix& X) const;
  std::unique_ptr<Classifier> model_;
  StandardScaler scaler_;
};

}  // namespace genrelab
