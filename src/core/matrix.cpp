#include "genrelab/matrix.h"

namespace genrelab {

Matrix take_rows(const Matrix& X, const std::vector<int>& rows) {
  Matrix out(static_cast<Eigen::Index>(rows.size()), X.cols());
  for (Eigen::Index c = 0; c < X.cols(); ++c)
    for (std::size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i), c) = X(rows[i], c);
  return out;
}

Labels take(const Labels& y, const std::vector<int>& rows) {
  Labels out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = y[static_cast<std::size_t>(rows[i])];
  return out;
}

}  // namespace genrelab
