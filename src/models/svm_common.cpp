#include "models/svm_common.h"

#include <fmt/format.h>

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "genrelab/error.h"

namespace genrelab::svm_common {

int fit_threads() { return omp_in_parallel() ? 1 : std::max(1, omp_get_max_threads()); }

void check_fit_input(const std::string& model, const Matrix& X, const Labels& y, int n_classes, bool allow_nan) {
  if (n_classes < 1) throw UsageError(fmt::format("{}: n_classes must be at least 1, got {}", model, n_classes));
  if (X.rows() == 0) throw InputError(fmt::format("{}: cannot fit on zero rows", model));
  if (X.cols() == 0) throw InputError(fmt::format("{}: cannot fit on zero feature columns", model));
  if (static_cast<Eigen::Index>(y.size()) != X.rows())
    throw InputError(fmt::format("{}: {} feature rows but {} labels", model, X.rows(), y.size()));
  for (std::size_t i = 0; i < y.size(); ++i)
    if (y[i] < 0 || y[i] >= n_classes)
      throw InputError(fmt::format("{}: label code {} in row {} is outside 0..{}", model, y[i], i, n_classes - 1));
  for (Eigen::Index j = 0; j < X.cols(); ++j)
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      const double v = X(i, j);
      if (std::isinf(v) || (!allow_nan && std::isnan(v)))
        throw InputError(fmt::format("{}: feature column {} of row {} is {}; clean or impute the data first", model,
                                     j, i, v));
    }
}

void check_predict_input(const std::string& model, const Matrix& X, Eigen::Index n_features, bool fitted,
                         bool allow_nan) {
  if (!fitted) throw UsageError(fmt::format("{}: predict called before fit", model));
  if (X.cols() != n_features)
    throw InputError(fmt::format("{}: model was trained on {} features but got {}", model, n_features, X.cols()));
  for (Eigen::Index j = 0; j < X.cols(); ++j)
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      const double v = X(i, j);
      if (std::isinf(v) || (!allow_nan && std::isnan(v)))
        throw InputError(fmt::format("{}: feature column {} of row {} is {}", model, j, i, v));
    }
}

std::vector<int> class_counts(const Labels& y, int n_classes) {
  std::vector<int> counts(static_cast<std::size_t>(n_classes), 0);
  for (int c : y) ++counts[static_cast<std::size_t>(c)];
  return counts;
}

std::vector<int> present_classes(const Labels& y, int n_classes) {
  const auto counts = class_counts(y, n_classes);
  std::vector<int> out;
  for (int c = 0; c < n_classes; ++c)
    if (counts[static_cast<std::size_t>(c)] > 0) out.push_back(c);
  return out;
}

std::vector<double> balanced_class_weights(const Labels& y, int n_classes) {
  const auto counts = class_counts(y, n_classes);
  const auto present = present_classes(y, n_classes);
  std::vector<double> w(static_cast<std::size_t>(n_classes), 0.0);
  for (int c : present)
    w[static_cast<std::size_t>(c)] =
        static_cast<double>(y.size()) / (static_cast<double>(present.size()) * counts[static_cast<std::size_t>(c)]);
  return w;
}

}  // namespace genrelab::svm_common
