#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "genrelab/error.h"
#include "genrelab/model.h"

namespace genrelab {

int argmax_row(const Matrix& P, Eigen::Index row) {
  int best = 0;
  for (Eigen::Index c = 1; c < P.cols(); ++c)
    if (P(row, c) > P(row, best)) best = static_cast<int>(c);
  return best;
}

std::string Classifier::non_finite_message(const std::string& model, Eigen::Index row, Eigen::Index col,
                                           double value) {
  return fmt::format("{}: row {}, feature column {} is {} (counting from 0); models need finite numbers: "
                     "clean or impute the data first",
                     model, row, col, value);
}

namespace {

bool bad_value(double v, bool allow_nan) { return std::isinf(v) || (!allow_nan && std::isnan(v)); }

// One pass over the whole matrix in storage order (fast, and nearly always
// clean); only when something is wrong is it searched again row by row, so
// the message names the first bad row and, within it, the first bad column.
void check_finite(const std::string& model, const Matrix& X, bool allow_nan) {
  bool clean = true;
  const double* v = X.data();
  for (Eigen::Index k = 0; k < X.size() && clean; ++k) clean = !bad_value(v[k], allow_nan);
  if (clean) return;
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    for (Eigen::Index j = 0; j < X.cols(); ++j)
      if (bad_value(X(i, j), allow_nan)) throw InputError(Classifier::non_finite_message(model, i, j, X(i, j)));
}

// check_finite over rows `rows` only; the message names the row of X.
void check_finite_rows(const std::string& model, const Matrix& X, const std::vector<int>& rows, bool allow_nan) {
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    const double* col = X.col(j).data();
    bool clean = true;
    for (int r : rows) clean &= !bad_value(col[r], allow_nan);
    if (clean) continue;
    for (int r : rows)
      for (Eigen::Index c = 0; c < X.cols(); ++c)
        if (bad_value(X(r, c), allow_nan)) throw InputError(Classifier::non_finite_message(model, r, c, X(r, c)));
  }
}

// The common checks of fit() on n rows with labels y.
void check_labels(const std::string& model, std::size_t n_rows, Eigen::Index n_cols, const Labels& y,
                  int n_classes) {
  if (n_classes < 1) throw UsageError(fmt::format("{}: n_classes must be at least 1, got {}", model, n_classes));
  if (n_rows == 0) throw InputError(fmt::format("{}: cannot fit on zero rows", model));
  if (n_cols == 0) throw InputError(fmt::format("{}: cannot fit on zero feature columns", model));
  if (y.size() != n_rows)
    throw InputError(fmt::format("{}: {} rows of features but {} labels", model, n_rows, y.size()));
  for (std::size_t i = 0; i < y.size(); ++i)
    if (y[i] < 0 || y[i] >= n_classes)
      throw InputError(fmt::format("{}: label code {} in row {} is outside 0..{}", model, y[i], i, n_classes - 1));
}

}  // namespace

void Classifier::check_fit_input(const Matrix& X, const Labels& y, int n_classes) const {
  const std::string model = name();
  check_labels(model, static_cast<std::size_t>(X.rows()), X.cols(), y, n_classes);
  check_finite(model, X, accepts_missing());
}

void Classifier::check_fit_rows_input(const Matrix& X, const std::vector<int>& rows, const Labels& y,
                                      int n_classes) const {
  const std::string model = name();
  check_labels(model, rows.size(), X.cols(), y, n_classes);
  for (int r : rows)
    if (r < 0 || r >= X.rows())
      throw UsageError(fmt::format("{}: row index {} is outside the {} rows of the data", model, r, X.rows()));
  check_finite_rows(model, X, rows, accepts_missing());
}

void Classifier::check_predict_input(const Matrix& X) const {
  if (!is_fitted()) throw UsageError(fmt::format("{}: predict called before fit", name()));
  const int d = n_features_in();
  if (d > 0 && X.cols() != d)
    throw InputError(fmt::format("{}: the model was fitted on {} features but the data has {}", name(), d, X.cols()));
  check_finite(name(), X, accepts_missing());
}

void Classifier::fit(const Matrix& X, const Labels& y, int n_classes) {
  check_fit_input(X, y, n_classes);
  fit_model(X, y, n_classes);
}

void Classifier::fit_rows(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes) {
  check_fit_rows_input(X, rows, y, n_classes);
  fit_rows_model(X, rows, y, n_classes);
}

void Classifier::fit_rows_model(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes) {
  fit_model(take_rows(X, rows), y, n_classes);
}

Labels Classifier::predict_rows(const Matrix& X, const std::vector<int>& rows) const {
  Labels out;
  out.reserve(rows.size());
  std::vector<int> block;
  for (std::size_t begin = 0; begin < rows.size(); begin += kPredictBlock) {
    const std::size_t end = std::min(rows.size(), begin + kPredictBlock);
    block.assign(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.begin() + static_cast<std::ptrdiff_t>(end));
    const Labels part = predict(take_rows(X, block));
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

Matrix Classifier::predict_proba(const Matrix& X) const {
  check_predict_input(X);
  return predict_proba_model(X);
}

Labels Classifier::predict(const Matrix& X) const {
  check_predict_input(X);
  return predict_model(X);
}

Labels Classifier::predict_model(const Matrix& X) const {
  const Matrix P = predict_proba_model(X);
  Labels out(static_cast<std::size_t>(P.rows()));
  for (Eigen::Index i = 0; i < P.rows(); ++i) out[static_cast<std::size_t>(i)] = argmax_row(P, i);
  return out;
}

std::optional<Contributions> Classifier::contributions_toward(const Matrix&, const Labels&) const { return std::nullopt; }

void Classifier::save(ByteWriter&) const {
  throw UsageError(fmt::format("{}: saving this model is not supported", name()));
}

void Classifier::load(ByteReader&) {
  throw InputError(fmt::format("{}: loading this model is not supported", name()));
}

std::vector<double> balanced_class_weights(const Labels& y, int n_classes, const std::vector<double>& counts) {
  std::vector<double> per_class(static_cast<std::size_t>(n_classes), 0.0);
  double total = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double c = counts.empty() ? 1.0 : counts[i];
    per_class[static_cast<std::size_t>(y[i])] += c;
    total += c;
  }
  int present = 0;
  for (double c : per_class) present += c > 0.0 ? 1 : 0;
  std::vector<double> weight(static_cast<std::size_t>(n_classes), 0.0);
  for (int k = 0; k < n_classes; ++k) {
    const double c = per_class[static_cast<std::size_t>(k)];
    if (c > 0.0) weight[static_cast<std::size_t>(k)] = total / (present * c);
  }
  return weight;
}

}  // namespace genrelab
