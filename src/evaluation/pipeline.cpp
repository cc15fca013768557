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

Labels Pipeline::predict(const Matrix& X) const { return model_->predict(prepare(X)); }

Matrix Pipeline::predict_proba(const Matrix& X) const { return model_->predict_proba(prepare(X)); }

}  // namespace genrelab
