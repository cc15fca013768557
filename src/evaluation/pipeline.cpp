#include "genrelab/model_registry.h"
#include "genrelab/pipeline.h"

namespace genrelab {

Pipeline::Pipeline(const std::string& model_name, const ParamMap& params)
    : model_(make_classifier(model_name, params)) {}

Matrix Pipeline::prepare(const Matrix& X) const { return scales() ? scaler_.transform(X) : X; }

void Pipeline::fit(const Matrix& X, const Labels& y, int n_classes) {
  if (scales()) {
    scaler_.fit(X);
    model_->fit(scaler_.transform(X), y, n_classes);
  } else {
    model_->fit(X, y, n_classes);
  }
}

// Without a scaler the model reads X itself: prepare() would copy it, which
// for a large table is the training part's size again (evaluate's train accuracy).
Labels Pipeline::predict(const Matrix& X) const {
  return scales() ? model_->predict(scaler_.transform(X)) : model_->predict(X);
}

Matrix Pipeline::predict_proba(const Matrix& X) const {
  return scales() ? model_->predict_proba(scaler_.transform(X)) : model_->predict_proba(X);
}

}  // namespace genrelab
