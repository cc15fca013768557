#include <cmath>
#include <stdexcept>

#include "genrelab/scaler.h"

namespace genrelab {

void StandardScaler::fit(const Matrix& X) {
  const double n = static_cast<double>(X.rows());
  mean_ = X.colwise().mean().transpose();
  scale_.resize(X.cols());
  for (Eigen::Index c = 0; c < X.cols(); ++c) {
    const double var = (X.col(c).array() - mean_(c)).square().sum() / n;
    // scikit-learn leaves (near-)constant features unscaled rather than dividing by ~0.
    scale_(c) = var > 10.0 * std::numeric_limits<double>::epsilon() * std::max(1.0, mean_(c) * mean_(c))
                    ? std::sqrt(var)
                    : 1.0;
  }
}

Matrix StandardScaler::transform(const Matrix& X) const {
  return (X.rowwise() - mean_.transpose()).array().rowwise() / scale_.transpose().array();
}

void StandardScaler::transform_in_place(Matrix& X) const {
  for (Eigen::Index c = 0; c < X.cols(); ++c) X.col(c) = (X.col(c).array() - mean_(c)) / scale_(c);
}

void StandardScaler::set(Vector mean, Vector scale) {
  if (mean.size() != scale.size()) throw std::invalid_argument("StandardScaler::set: mean and scale differ in size");
  mean_ = std::move(mean);
  scale_ = std::move(scale);
}

}  // namespace genrelab
