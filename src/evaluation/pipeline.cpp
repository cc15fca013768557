#include "genrelab/model_registry.h"
#include "genrelab/pipeline.h"

#include <algorithm>

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

void Pipeline::fit_rows(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes) {
  if (!scales()) {
    model_->fit_rows(X, rows, y, n_classes);
    return;
  }
  // Scaled in place: one copy of the training rows, not two.
  Matrix Xs = take_rows(X, rows);
  scaler_.fit(Xs);
  scaler_.transform_in_place(Xs);
  model_->fit(Xs, y, n_classes);
}

Labels Pipeline::predict_rows(const Matrix& X, const std::vector<int>& rows) const {
  if (!scales()) return model_->predict_rows(X, rows);
  Labels out;
  out.reserve(rows.size());
  std::vector<int> block;
  for (std::size_t begin = 0; begin < rows.size(); begin += Classifier::kPredictBlock) {
    const std::size_t end = std::min(rows.size(), begin + Classifier::kPredictBlock);
    block.assign(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.begin() + static_cast<std::ptrdiff_t>(end));
    Matrix part = take_rows(X, block);
    scaler_.transform_in_place(part);
    const Labels p = model_->predict(part);
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
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
