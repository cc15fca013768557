// The objective is scikit-learn 1.2's for solver="lbfgs":
//   f(W, b) = sum_i s_i * log_loss_i + 1/(2C) * |W|^2     (b not penalised)
// i.e. C * sum(loss) + |W|^2 / 2 divided by C. Using the same scaling matters:
// L-BFGS stops when the largest gradient entry falls below tol, or when f
// improves by less than a relative 2.2e-9 (scipy's default ftol), and those
// tests only mean the same thing on the same objective.
#include "models/logistic_regression.h"

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>

#include "genrelab/error.h"
#include "genrelab/bytes.h"

namespace genrelab {
namespace {

using Objective = std::function<double(const Vector& x, Vector& grad)>;

struct LbfgsResult {
  int iterations = 0;
  bool converged = false;
};

// Strong-Wolfe line search along d from x (Nocedal & Wright, algorithms 3.5
// and 3.6), zooming by safeguarded quadratic interpolation. On success x, f
// and g hold the accepted point.
bool wolfe_line_search(const Objective& fn, Vector& x, double& f, Vector& g, const Vector& d, double step) {
  constexpr double c1 = 1e-4, c2 = 0.9;
  constexpr int max_evals = 40;
  const Vector x0 = x;
  const double f0 = f, slope0 = g.dot(d);
  Vector g_try(g.size());
  auto eval = [&](double a, double& fa, double& slope) {
    x = x0 + a * d;
    fa = fn(x, g_try);
    slope = g_try.dot(d);
  };
  auto accept = [&](double fa) {
    f = fa;
    g = g_try;
    return true;
  };
  double lo = 0, f_lo = f0, slope_lo = slope0, hi = 0, f_hi = 0;
  bool bracketed = false;
  double a = step;
  for (int evals = 0; evals < max_evals; ++evals) {
    double fa = 0, slope = 0;
    eval(a, fa, slope);
    if (!std::isfinite(fa) || fa > f0 + c1 * a * slope0 || (evals > 0 && fa >= f_lo)) {
      hi = a, f_hi = fa, bracketed = true;
    } else {
      if (std::abs(slope) <= -c2 * slope0) return accept(fa);
      if (bracketed ? slope * (hi - lo) >= 0 : slope >= 0) hi = lo, f_hi = f_lo, bracketed = true;
      lo = a, f_lo = fa, slope_lo = slope;
    }
    if (!bracketed) {
      a *= 2.0;
      continue;
    }
    // Minimiser of the quadratic through (lo, f_lo, slope_lo) and (hi, f_hi),
    // kept inside the middle 80 % of the bracket so the bracket always shrinks.
    const double width = hi - lo;
    const double denom = 2.0 * (f_hi - f_lo - slope_lo * width);
    double next = std::isfinite(f_hi) && denom > 0 ? lo - slope_lo * width * width / denom : lo + 0.5 * width;
    const double a_min = std::min(lo, hi) + 0.1 * std::abs(width), a_max = std::max(lo, hi) - 0.1 * std::abs(width);
    a = std::clamp(next, a_min, a_max);
    if (std::abs(width) < 1e-16 * std::max(1.0, std::abs(lo))) break;
  }
  x = x0;
  // Keep any decrease found rather than throwing the work away.
  if (lo > 0 && f_lo < f0) {
    x = x0 + lo * d;
    f = fn(x, g);
    return true;
  }
  return false;
}

// Limited-memory BFGS with the two-loop recursion (Nocedal & Wright, alg. 7.4).
LbfgsResult lbfgs(const Objective& fn, Vector& x, int max_iter, double gtol) {
  constexpr std::size_t memory = 10;  // scipy's default maxcor
  constexpr double ftol = 2.220446049250313e-09;
  Vector g(x.size());
  double f = fn(x, g);
  std::deque<Vector> S, Y;
  std::deque<double> rho;
  LbfgsResult result;
  if (g.lpNorm<Eigen::Infinity>() <= gtol) return {0, true};
  for (int iter = 1; iter <= max_iter; ++iter) {
    Vector q = -g;
    std::vector<double> alpha(S.size());
    for (std::size_t j = S.size(); j-- > 0;) {
      alpha[j] = rho[j] * S[j].dot(q);
      q -= alpha[j] * Y[j];
    }
    if (!S.empty()) q *= S.back().dot(Y.back()) / Y.back().squaredNorm();
    for (std::size_t j = 0; j < S.size(); ++j) q += (alpha[j] - rho[j] * Y[j].dot(q)) * S[j];
    Vector d = q;
    if (g.dot(d) >= 0) d = -g, S.clear(), Y.clear(), rho.clear();
    // Without curvature information, a unit step along -g can be huge.
    const double step = S.empty() ? std::min(1.0, 1.0 / d.lpNorm<Eigen::Infinity>()) : 1.0;
    const Vector x_old = x, g_old = g;
    const double f_old = f;
    result.iterations = iter;
    if (!wolfe_line_search(fn, x, f, g, d, step)) return result;
    const Vector s = x - x_old, yv = g - g_old;
    const double sy = s.dot(yv);
    if (sy > 1e-12 * yv.squaredNorm()) {
      if (S.size() == memory) S.pop_front(), Y.pop_front(), rho.pop_front();
      S.push_back(s), Y.push_back(yv), rho.push_back(1.0 / sy);
    }
    if (g.lpNorm<Eigen::Infinity>() <= gtol ||
        (f_old - f) <= ftol * std::max({std::abs(f_old), std::abs(f), 1.0})) {
      result.converged = true;
      return result;
    }
  }
  return result;
}

// Once per process: cross-validation fits many models, one warning is enough.
void warn_not_converged(int max_iter, double tol) {
  static std::atomic<bool> warned{false};
  if (warned.exchange(true)) return;
  std::fprintf(stderr,
               "warning: logistic_regression: L-BFGS did not converge in %d iterations (max_iter) to tol=%g; "
               "raise max_iter (e.g. --param max_iter=1000). Shown once.\n",
               max_iter, tol);
}

}  // namespace

LogisticRegression::LogisticRegression() {
  params_.set_owner("logistic_regression");
  params_.declare_float("C", "1.0", "inverse regularisation strength: smaller means a stronger L2 penalty", 0.0,
                        1e308, true);
  params_.declare_choice("penalty", "l2", "l2: ridge penalty on the coefficients; None: no penalty", {"l2", "None"});
  params_.declare_int("max_iter", "100", "L-BFGS iterations before giving up (warns once)", 1);
  params_.declare_float("tol", "1e-4", "stop when the largest gradient entry is below this", 0.0, 1e308, true);
  params_.declare_choice("class_weight", "None", "balanced: weight rows by n / (classes * class count)",
                         {"None", "balanced"});
  params_.declare_bool("fit_intercept", "true", "learn a bias per class (not penalised)");
}

void LogisticRegression::fit_model(const Matrix& X, const Labels& y, int n_classes) {
  std::vector<long> count(static_cast<std::size_t>(n_classes), 0);
  for (int label : y) {
    ++count[static_cast<std::size_t>(label)];
  }
  // Only classes with rows are fitted: an absent class would push its
  // unpenalised intercept to minus infinity and L-BFGS would never converge.
  trained_.clear();
  std::vector<int> slot(static_cast<std::size_t>(n_classes), -1);
  for (int c = 0; c < n_classes; ++c)
    if (count[static_cast<std::size_t>(c)] > 0) slot[static_cast<std::size_t>(c)] = static_cast<int>(trained_.size()), trained_.push_back(c);
  const Eigen::Index n = X.rows(), d = X.cols(), K = static_cast<Eigen::Index>(trained_.size());
  n_classes_ = n_classes;
  coef_ = Matrix::Zero(n_classes, d);
  intercept_ = Vector::Zero(n_classes);
  n_iter_ = 0;
  converged_ = true;
  fitted_ = true;
  if (K < 2) return;  // one class: predict_proba is 1 for it whatever the weights

  Vector w = Vector::Ones(n);
  if (params_.get("class_weight") == "balanced") {
    const auto class_weight = balanced_class_weights(y, n_classes);
    for (Eigen::Index i = 0; i < n; ++i) w(i) = class_weight[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])];
  }
  const double l2 = params_.get("penalty") == "l2" ? 1.0 / params_.get_float("C") : 0.0;
  const bool intercept = params_.get_bool("fit_intercept");
  Matrix Y = Matrix::Zero(n, K);
  for (Eigen::Index i = 0; i < n; ++i) Y(i, slot[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])]) = 1.0;

  // theta = [W (K x d, column-major) ; b (K)]
  const Objective objective = [&](const Vector& theta, Vector& grad) {
    const Eigen::Map<const Matrix> W(theta.data(), K, d);
    const auto b = theta.tail(K);
    // Whole-matrix operations (Eigen's blocked GEMM, single-threaded because
    // genrelab places the parallelism itself): per-row loops over a
    // column-major n x K matrix were the bottleneck on 100k-row data.
    Matrix Z;
    Z.noalias() = X * W.transpose();
    if (intercept) Z.rowwise() += b.transpose();
    Vector logit_y(n);
    for (Eigen::Index i = 0; i < n; ++i) logit_y(i) = Z(i, slot[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])]);
    const Vector top = Z.rowwise().maxCoeff();
    Z = (Z.colwise() - top).array().exp().matrix();
    const Vector sum = Z.rowwise().sum();
    Z = (Z.array().colwise() / sum.array()).matrix();  // now probabilities
    const double loss = (w.array() * (sum.array().log() + top.array() - logit_y.array())).sum();
    const Matrix R = (Z - Y).array().colwise() * w.array();
    Eigen::Map<Matrix> gW(grad.data(), K, d);
    gW.noalias() = R.transpose() * X;
    gW += l2 * W;
    grad.tail(K) = intercept ? Vector(R.colwise().sum().transpose()) : Vector::Zero(K);
    return loss + 0.5 * l2 * W.squaredNorm();
  };

  Vector theta = Vector::Zero(K * d + K);
  const int max_iter = static_cast<int>(params_.get_int("max_iter"));
  const double tol = params_.get_float("tol");
  const LbfgsResult r = lbfgs(objective, theta, max_iter, tol);
  n_iter_ = r.iterations;
  converged_ = r.converged;
  if (!converged_) warn_not_converged(max_iter, tol);
  for (Eigen::Index k = 0; k < K; ++k) {
    const int c = trained_[static_cast<std::size_t>(k)];
    for (Eigen::Index j = 0; j < d; ++j) coef_(c, j) = theta(j * K + k);
    intercept_(c) = theta(K * d + k);
  }
}

Matrix LogisticRegression::predict_proba_model(const Matrix& X) const {
  Matrix P = Matrix::Zero(X.rows(), n_classes_);
  if (trained_.size() == 1) {
    P.col(trained_[0]).setOnes();
    return P;
  }
  Matrix Z(X.rows(), static_cast<Eigen::Index>(trained_.size()));
  for (std::size_t k = 0; k < trained_.size(); ++k)
    Z.col(static_cast<Eigen::Index>(k)) = (X * coef_.row(trained_[k]).transpose()).array() + intercept_(trained_[k]);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const double top = Z.row(i).maxCoeff();
    Z.row(i) = (Z.row(i).array() - top).exp().matrix();
    Z.row(i) /= Z.row(i).sum();
    for (std::size_t k = 0; k < trained_.size(); ++k) P(i, trained_[k]) = Z(i, static_cast<Eigen::Index>(k));
  }
  return P;
}

void LogisticRegression::save(ByteWriter& out) const {
  out.i32(n_classes_);
  out.matrix(coef_);
  out.vector(intercept_);
  out.i32s(trained_);
  out.i32(n_iter_);
  out.boolean(converged_);
}

void LogisticRegression::load(ByteReader& in) {
  const int n_classes = in.int_in("logistic_regression n_classes", 1, 1000000);
  Matrix coef = in.matrix();
  Vector intercept = in.vector();
  auto trained = in.i32s();
  const int n_iter = in.int_in("logistic_regression n_iter", 0, 2147483647);
  const bool converged = in.boolean();
  in.require(coef.rows() == n_classes && coef.cols() >= 1 && intercept.size() == n_classes,
             "logistic_regression's coefficients have the wrong shape");
  in.require(coef.allFinite() && intercept.allFinite(), "logistic_regression holds a non-finite coefficient");
  in.require(!trained.empty(), "logistic_regression has no trained classes");
  for (std::size_t k = 0; k < trained.size(); ++k)
    in.require(trained[k] >= 0 && trained[k] < n_classes && (k == 0 || trained[k] > trained[k - 1]),
               "logistic_regression's trained classes are invalid");
  coef_ = std::move(coef);
  intercept_ = std::move(intercept);
  trained_ = std::move(trained);
  n_iter_ = n_iter;
  converged_ = converged;
  n_classes_ = n_classes;
  fitted_ = true;
}

std::unique_ptr<Classifier> make_logistic_regression() { return std::make_unique<LogisticRegression>(); }

}  // namespace genrelab
