#include <fmt/format.h>

#include "genrelab/error.h"
#include "genrelab/model.h"

namespace genrelab {

int argmax_row(const Matrix& P, Eigen::Index row) {
  int best = 0;
  for (Eigen::Index c = 1; c < P.cols(); ++c)
    if (P(row, c) > P(row, best)) best = static_cast<int>(c);
  return best;
}

Labels Classifier::predict(const Matrix& X) const {
  const Matrix P = predict_proba(X);
  Labels out(static_cast<std::size_t>(P.rows()));
  for (Eigen::Index i = 0; i < P.rows(); ++i) out[static_cast<std::size_t>(i)] = argmax_row(P, i);
  return out;
}

void Classifier::save(ByteWriter&) const {
  throw UsageError(fmt::format("{}: saving this model is not supported", name()));
}

void Classifier::load(ByteReader&) {
  throw InputError(fmt::format("{}: loading this model is not supported", name()));
}

}  // namespace genrelab
