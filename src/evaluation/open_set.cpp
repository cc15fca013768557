// Novelty scores, their calibration, and the open-set evaluation (open_set.h).
#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <set>

#include "genrelab/bytes.h"
#include "genrelab/error.h"
#include "genrelab/evaluation.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/open_set.h"
#include "genrelab/pipeline.h"
#include "genrelab/random.h"
#include "genrelab/split.h"

namespace genrelab {

// ---- Mahalanobis -----------------------------------------------------------

// sklearn.covariance.ledoit_wolf's estimator (assume_centered): the shrinkage
// that minimises the expected Frobenius error, from the data alone.
Matrix ledoit_wolf(const Matrix& Z, double* shrinkage) {
  const double n = static_cast<double>(Z.rows());
  const Eigen::Index d = Z.cols();
  const Matrix S = Z.transpose() * Z / n;
  const double mu = S.trace() / static_cast<double>(d);
  const Matrix Z2 = Z.array().square().matrix();
  const double beta_sum = (Z2.transpose() * Z2).sum();
  const double delta_sum = (Z.transpose() * Z).array().square().sum() / (n * n);
  double beta = (beta_sum / n - delta_sum) / (static_cast<double>(d) * n);
  double delta = (delta_sum - 2.0 * mu * S.trace() + static_cast<double>(d) * mu * mu) / static_cast<double>(d);
  beta = std::min(beta, delta);
  const double s = delta > 0 ? std::clamp(beta / delta, 0.0, 1.0) : 1.0;
  if (shrinkage) *shrinkage = s;
  Matrix out = (1.0 - s) * S;
  out.diagonal().array() += s * mu;
  return out;
}

void MahalanobisModel::fit(const Matrix& X, const Labels& y, int n_classes) {
  const Eigen::Index d = X.cols();
  const double n = static_cast<double>(X.rows());
  center_ = X.colwise().mean().transpose();
  scale_ = ((X.rowwise() - center_.transpose()).array().square().colwise().sum() / n).sqrt().matrix().transpose();
  // A constant column carries no distance; scale 1 keeps it harmless.
  for (Eigen::Index j = 0; j < d; ++j)
    if (!(scale_(j) > 1e-12) || !std::isfinite(scale_(j))) scale_(j) = 1.0;
  const Matrix Z = (X.rowwise() - center_.transpose()).array().rowwise() / scale_.transpose().array();
  means_ = Matrix::Zero(n_classes, d);
  std::vector<double> count(static_cast<std::size_t>(n_classes), 0.0);
  for (Eigen::Index i = 0; i < Z.rows(); ++i) {
    means_.row(y[static_cast<std::size_t>(i)]) += Z.row(i);
    count[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])] += 1;
  }
  for (int k = 0; k < n_classes; ++k) {
    // A class without fit rows has no Gaussian; it can never be the nearest.
    if (count[static_cast<std::size_t>(k)] == 0) means_.row(k).setConstant(std::numeric_limits<double>::infinity());
    else means_.row(k) /= count[static_cast<std::size_t>(k)];
  }
  Matrix R = Z;
  for (Eigen::Index i = 0; i < Z.rows(); ++i) R.row(i) -= means_.row(y[static_cast<std::size_t>(i)]);
  Matrix cov = ledoit_wolf(R, &shrinkage_);
  // Every feature constant within classes: the identity is the only sane metric.
  if (!(cov.trace() > 1e-12)) cov = Matrix::Identity(d, d);
  precision_ = cov.ldlt().solve(Matrix::Identity(d, d));
}

Vector MahalanobisModel::score(const Matrix& X) const {
  const Matrix Z = (X.rowwise() - center_.transpose()).array().rowwise() / scale_.transpose().array();
  const Matrix A = Z * precision_;
  const Vector zpz = A.cwiseProduct(Z).rowwise().sum();
  Vector best = Vector::Constant(X.rows(), std::numeric_limits<double>::infinity());
  for (Eigen::Index k = 0; k < means_.rows(); ++k) {
    if (!std::isfinite(means_(k, 0))) continue;
    const Vector m = means_.row(k).transpose();
    const double mpm = m.dot(precision_ * m);
    const Vector cross = A * m;
    for (Eigen::Index i = 0; i < X.rows(); ++i)
      best(i) = std::min(best(i), std::max(0.0, zpz(i) - 2.0 * cross(i) + mpm));
  }
  return best;
}

void MahalanobisModel::save(ByteWriter& out) const {
  out.vector(center_);
  out.vector(scale_);
  out.matrix(means_);
  out.matrix(precision_);
  out.f64(shrinkage_);
}

void MahalanobisModel::load(ByteReader& in, Eigen::Index n_features) {
  center_ = in.vector();
  scale_ = in.vector();
  means_ = in.matrix();
  precision_ = in.matrix();
  shrinkage_ = in.f64();
  const Eigen::Index d = n_features;
  in.require(center_.size() == d && scale_.size() == d && means_.cols() == d && precision_.rows() == d &&
                 precision_.cols() == d && means_.rows() >= 1,
             "the open-set calibration's Mahalanobis model does not match the features");
  in.require(center_.allFinite() && precision_.allFinite() && (scale_.array() > 0).all() && scale_.allFinite() &&
                 shrinkage_ >= 0 && shrinkage_ <= 1,
             "the open-set calibration's Mahalanobis model holds an invalid value");
  for (Eigen::Index k = 0; k < means_.rows(); ++k)
    for (Eigen::Index j = 0; j < d; ++j)
      in.require(std::isfinite(means_(k, j)) || means_(k, j) == std::numeric_limits<double>::infinity(),
                 "the open-set calibration's class means hold an invalid value");
}

Vector max_proba_score(const Matrix& P) { return (1.0 - P.rowwise().maxCoeff().array()).matrix(); }

// ---- Calibration -----------------------------------------------------------

namespace {

// Share of the sorted calibration scores <= s: the empirical CDF.
double rank_of(const std::vector<double>& sorted, double s) {
  if (sorted.empty()) return 0;
  const auto at = std::upper_bound(sorted.begin(), sorted.end(), s) - sorted.begin();
  return static_cast<double>(at) / static_cast<double>(sorted.size());
}

std::vector<double> sorted_copy(const Vector& v) {
  std::vector<double> out(v.data(), v.data() + v.size());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<double> sorted_copy(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Vector combine(const OpenSetCalibration& c, const Vector& mp, const Vector& md) {
  Vector out(mp.size());
  for (Eigen::Index i = 0; i < mp.size(); ++i)
    out(i) = 0.5 * (rank_of(c.max_proba, mp(i)) + rank_of(c.mahalanobis_scores, md(i)));
  return out;
}

void check_sorted_scores(ByteReader& in, const std::vector<double>& v, std::size_t n, const char* what) {
  in.require(v.size() == n, fmt::format("the open-set calibration's {} scores number {} instead of {}", what, v.size(), n));
  in.require(std::is_sorted(v.begin(), v.end()) && std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); }),
             fmt::format("the open-set calibration's {} scores are not finite and sorted", what));
}

}  // namespace

OpenSetCalibration OpenSetCalibration::fit(const Pipeline& model, const Matrix& X_fit, const Labels& y_fit,
                                           const Matrix& X_cal, const Labels& y_cal, int n_classes) {
  if (X_cal.rows() == 0) throw UsageError("the calibration part is empty; use a larger --calibrate fraction");
  OpenSetCalibration c;
  c.mahalanobis.fit(X_fit, y_fit, n_classes);
  c.n_calibration = static_cast<std::size_t>(X_cal.rows());
  const Matrix P = model.predict_proba(X_cal);
  const Vector mp = max_proba_score(P);
  const Vector md = c.mahalanobis.score(X_cal);
  c.max_proba = sorted_copy(mp);
  c.mahalanobis_scores = sorted_copy(md);
  c.combined = sorted_copy(combine(c, mp, md));
  c.lac = sorted_copy(set_scores(P, y_cal, SetScore::Lac));
  c.aps = sorted_copy(set_scores(P, y_cal, SetScore::Aps));
  return c;
}

Vector OpenSetCalibration::novelty(const Matrix& X, const Matrix& P, NoveltyScore kind) const {
  const Vector mp = max_proba_score(P);
  if (kind == NoveltyScore::MaxProba) return mp;
  const Vector md = mahalanobis.score(X);
  if (kind == NoveltyScore::Mahalanobis) return md;
  return combine(*this, mp, md);
}

const std::vector<double>& OpenSetCalibration::calibration_scores(NoveltyScore kind) const {
  switch (kind) {
    case NoveltyScore::MaxProba: return max_proba;
    case NoveltyScore::Mahalanobis: return mahalanobis_scores;
    case NoveltyScore::Combined: return combined;
  }
  return combined;
}

double OpenSetCalibration::threshold(NoveltyScore kind, double false_reject) const {
  return conformal_quantile(calibration_scores(kind), false_reject);
}

double OpenSetCalibration::set_quantile(SetScore kind, double alpha) const {
  return conformal_quantile(kind == SetScore::Aps ? aps : lac, alpha);
}

void OpenSetCalibration::save(ByteWriter& out) const {
  mahalanobis.save(out);
  out.u64(n_calibration);
  out.f64(fraction);
  for (const auto* v : {&max_proba, &mahalanobis_scores, &combined, &lac, &aps}) out.f64s(*v);
}

void OpenSetCalibration::load(ByteReader& in, Eigen::Index n_features, int n_classes) {
  mahalanobis.load(in, n_features);
  in.require(mahalanobis.n_classes() == n_classes, "the open-set calibration's class means do not match the classes");
  n_calibration = in.u64();
  fraction = in.f64();
  in.require(n_calibration >= 1 && fraction > 0 && fraction < 1, "the open-set calibration's size is invalid");
  max_proba = in.f64s();
  mahalanobis_scores = in.f64s();
  combined = in.f64s();
  lac = in.f64s();
  aps = in.f64s();
  check_sorted_scores(in, max_proba, n_calibration, "max_proba");
  check_sorted_scores(in, mahalanobis_scores, n_calibration, "mahalanobis");
  check_sorted_scores(in, combined, n_calibration, "combined");
  check_sorted_scores(in, lac, n_calibration, "lac");
  check_sorted_scores(in, aps, n_calibration, "aps");
}

nlohmann::json OpenSetCalibration::summary_json() const {
  return {{"calibration_rows", n_calibration},
          {"calibration_fraction", fraction},
          {"novelty_scores", {"max_proba", "mahalanobis", "combined"}},
          {"set_scores", {"lac", "aps"}},
          {"covariance_shrinkage", mahalanobis.shrinkage()},
          {"covariance", "shared within-class covariance of the standardised features, Ledoit-Wolf shrinkage"}};
}

}  // namespace genrelab
