// The objective is scikit-learn 1.2's for solver="lbfgs":
//   f(W, b) = sum_i s_i * log_loss_i + 1/(2C) * |W|^2     (b not penalised)
// i.e. C * sum(loss) + |W|^2 / 2 divided by C. Using the same scaling matters:
// L-BFGS stops when the largest gradient entry falls below tol, or when f
// improves by less than a relative 2.2e-9 (scipy's default ftol), and those
// tests only mean the same thing on the same objective.
#include "models/logistic_regression.h"

#include <fmt/format.h>

#include <omp.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
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
               "raise max_iter: --param max_iter=1000 (evaluate, train, tune), --param "
               "logistic_regression.max_iter=1000 (compare), or max_iter = 1000 under [models.logistic_regression] "
               "in an experiment file (run). Shown once.\n",
               max_iter, tol);
}

// exp(x) for the softmax's shifted scores (x <= 0), in place over a
// contiguous run. Eigen's vectorised exp divides (a Pade form); this one is
// Cody-Waite range reduction, a degree-12 Taylor polynomial on
// |r| <= ln2 / 2 and the power of two put in by integer arithmetic, within
// 1.5 ulp of std::exp (measured over [-750, 0]), and a third faster. Below
// -708 it returns 0 instead of a subnormal: such a probability is 0 in
// every sum it enters. SSE2 is part of x86-64, so this needs no dispatch.
void exp_nonpositive(double* v, Eigen::Index n) {
  constexpr double kTaylor[13] = {1.0,         1.0,          1.0 / 2,        1.0 / 6,        1.0 / 24,
                                  1.0 / 120,   1.0 / 720,    1.0 / 5040,     1.0 / 40320,    1.0 / 362880,
                                  1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600};
  Eigen::Index i = 0;
#if defined(__SSE2__)
  const __m128d log2e = _mm_set1_pd(1.4426950408889634074);
  const __m128d magic = _mm_set1_pd(6755399441055744.0);  // 1.5 * 2^52: adding it rounds to an integer
  const __m128d ln2_hi = _mm_set1_pd(6.93147180369123816490e-01), ln2_lo = _mm_set1_pd(1.90821492927058770002e-10);
  const __m128d floor = _mm_set1_pd(-708.0);
  // Four independent pairs per step: a lone Horner chain waits on its own
  // latency at every one of its 12 steps.
  constexpr int kLanes = 4;
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    __m128d x0[kLanes], x[kLanes], t[kLanes], r[kLanes], p[kLanes];
    for (int l = 0; l < kLanes; ++l) {
      x0[l] = _mm_loadu_pd(v + i + 2 * l);
      x[l] = _mm_max_pd(x0[l], floor);
      t[l] = _mm_add_pd(_mm_mul_pd(x[l], log2e), magic);
      const __m128d k = _mm_sub_pd(t[l], magic);
      r[l] = _mm_sub_pd(_mm_sub_pd(x[l], _mm_mul_pd(k, ln2_hi)), _mm_mul_pd(k, ln2_lo));
      p[l] = _mm_set1_pd(kTaylor[12]);
    }
    for (int j = 11; j >= 0; --j)
      for (int l = 0; l < kLanes; ++l) p[l] = _mm_add_pd(_mm_mul_pd(p[l], r[l]), _mm_set1_pd(kTaylor[j]));
    for (int l = 0; l < kLanes; ++l) {
      // 2^k: k + 1023 in the exponent field (k is t's low mantissa bits).
      const __m128i k_bits = _mm_sub_epi64(_mm_castpd_si128(t[l]), _mm_castpd_si128(magic));
      const __m128d scale = _mm_castsi128_pd(_mm_slli_epi64(_mm_add_epi64(k_bits, _mm_set1_epi64x(1023)), 52));
      _mm_storeu_pd(v + i + 2 * l, _mm_and_pd(_mm_mul_pd(p[l], scale), _mm_cmpgt_pd(x0[l], floor)));  // 0 below the floor
    }
  }
#endif
  for (; i < n; ++i) v[i] = v[i] > -708.0 ? std::exp(v[i]) : 0.0;
}

// The two products of the loss, on one block of m rows of X (column-major,
// leading dimension ld, so x[j * ld + i] is row i's feature j):
//   scores:   Z[i * kp + k]  = b[k] + sum_j x_ij * W[j * kp + k]
//   gradient: G[j * kp + k] += sum_i x_ij * Zp[i * kp + k]
// kp is the class count rounded up to 4; W and G are d x kp, Z is m x kp.
// Every entry is one chain of fused multiply-adds in a fixed order (j, then
// i, ascending), so the AVX2 kernels and the portable loops give the same
// bits: the portable path calls std::fma, correctly rounded everywhere. The
// kernels are the classic register-blocked micro-kernel (4 rows x 12 classes
// of accumulators) written out for AVX2+FMA, chosen at run time: Eigen's
// product compiled for baseline x86-64 uses 2-wide SSE2 without FMA and is
// 3-4x slower here, and the whole build cannot assume AVX2.
void scores_portable(const double* x, Eigen::Index ld, Eigen::Index m, Eigen::Index d, const double* w,
                     const double* b, Eigen::Index kp, double* z) {
  for (Eigen::Index i = 0; i < m; ++i) {
    double* zi = z + i * kp;
    for (Eigen::Index k = 0; k < kp; ++k) zi[k] = b[k];
    for (Eigen::Index j = 0; j < d; ++j) {
      const double xv = x[j * ld + i];
      const double* wj = w + j * kp;
      for (Eigen::Index k = 0; k < kp; ++k) zi[k] = std::fma(xv, wj[k], zi[k]);
    }
  }
}

void gradient_portable(const double* x, Eigen::Index ld, Eigen::Index m, Eigen::Index d, const double* zp,
                       Eigen::Index kp, double* g, double* acc) {
  for (Eigen::Index j = 0; j < d; ++j) {
    std::fill(acc, acc + kp, 0.0);
    for (Eigen::Index i = 0; i < m; ++i) {
      const double xv = x[j * ld + i];
      const double* zi = zp + i * kp;
      for (Eigen::Index k = 0; k < kp; ++k) acc[k] = std::fma(xv, zi[k], acc[k]);
    }
    double* gj = g + j * kp;
    for (Eigen::Index k = 0; k < kp; ++k) gj[k] += acc[k];
  }
}

#if defined(__x86_64__)
#define GENRELAB_LOGREG_AVX2 1
__attribute__((target("avx2,fma"))) void scores_avx2(const double* x, Eigen::Index ld, Eigen::Index m,
                                                      Eigen::Index d, const double* w, const double* b,
                                                      Eigen::Index kp, double* z) {
  Eigen::Index i = 0;
  for (; i + 4 <= m; i += 4) {
    Eigen::Index k = 0;
    for (; k + 12 <= kp; k += 12) {
      __m256d acc[4][3];
      for (int r = 0; r < 4; ++r)
        for (int v = 0; v < 3; ++v) acc[r][v] = _mm256_loadu_pd(b + k + 4 * v);
      for (Eigen::Index j = 0; j < d; ++j) {
        const double* wj = w + j * kp + k;
        const __m256d w0 = _mm256_loadu_pd(wj), w1 = _mm256_loadu_pd(wj + 4), w2 = _mm256_loadu_pd(wj + 8);
        const double* xj = x + j * ld + i;
        for (int r = 0; r < 4; ++r) {
          const __m256d xr = _mm256_broadcast_sd(xj + r);
          acc[r][0] = _mm256_fmadd_pd(xr, w0, acc[r][0]);
          acc[r][1] = _mm256_fmadd_pd(xr, w1, acc[r][1]);
          acc[r][2] = _mm256_fmadd_pd(xr, w2, acc[r][2]);
        }
      }
      for (int r = 0; r < 4; ++r)
        for (int v = 0; v < 3; ++v) _mm256_storeu_pd(z + (i + r) * kp + k + 4 * v, acc[r][v]);
    }
    for (; k < kp; k += 4) {
      __m256d acc[4];
      for (int r = 0; r < 4; ++r) acc[r] = _mm256_loadu_pd(b + k);
      for (Eigen::Index j = 0; j < d; ++j) {
        const __m256d wv = _mm256_loadu_pd(w + j * kp + k);
        const double* xj = x + j * ld + i;
        for (int r = 0; r < 4; ++r) acc[r] = _mm256_fmadd_pd(_mm256_broadcast_sd(xj + r), wv, acc[r]);
      }
      for (int r = 0; r < 4; ++r) _mm256_storeu_pd(z + (i + r) * kp + k, acc[r]);
    }
  }
  for (; i < m; ++i)
    for (Eigen::Index k = 0; k < kp; k += 4) {
      __m256d acc = _mm256_loadu_pd(b + k);
      for (Eigen::Index j = 0; j < d; ++j)
        acc = _mm256_fmadd_pd(_mm256_broadcast_sd(x + j * ld + i), _mm256_loadu_pd(w + j * kp + k), acc);
      _mm256_storeu_pd(z + i * kp + k, acc);
    }
}

__attribute__((target("avx2,fma"))) void gradient_avx2(const double* x, Eigen::Index ld, Eigen::Index m,
                                                        Eigen::Index d, const double* zp, Eigen::Index kp,
                                                        double* g) {
  Eigen::Index j = 0;
  for (; j + 4 <= d; j += 4) {
    Eigen::Index k = 0;
    for (; k + 12 <= kp; k += 12) {
      __m256d acc[4][3];
      for (int c = 0; c < 4; ++c)
        for (int v = 0; v < 3; ++v) acc[c][v] = _mm256_setzero_pd();
      for (Eigen::Index i = 0; i < m; ++i) {
        const double* zi = zp + i * kp + k;
        const __m256d z0 = _mm256_loadu_pd(zi), z1 = _mm256_loadu_pd(zi + 4), z2 = _mm256_loadu_pd(zi + 8);
        for (int c = 0; c < 4; ++c) {
          const __m256d xc = _mm256_broadcast_sd(x + (j + c) * ld + i);
          acc[c][0] = _mm256_fmadd_pd(xc, z0, acc[c][0]);
          acc[c][1] = _mm256_fmadd_pd(xc, z1, acc[c][1]);
          acc[c][2] = _mm256_fmadd_pd(xc, z2, acc[c][2]);
        }
      }
      for (int c = 0; c < 4; ++c)
        for (int v = 0; v < 3; ++v) {
          double* gc = g + (j + c) * kp + k + 4 * v;
          _mm256_storeu_pd(gc, _mm256_add_pd(_mm256_loadu_pd(gc), acc[c][v]));
        }
    }
    for (; k < kp; k += 4) {
      __m256d acc[4];
      for (int c = 0; c < 4; ++c) acc[c] = _mm256_setzero_pd();
      for (Eigen::Index i = 0; i < m; ++i) {
        const __m256d zv = _mm256_loadu_pd(zp + i * kp + k);
        for (int c = 0; c < 4; ++c) acc[c] = _mm256_fmadd_pd(_mm256_broadcast_sd(x + (j + c) * ld + i), zv, acc[c]);
      }
      for (int c = 0; c < 4; ++c) {
        double* gc = g + (j + c) * kp + k;
        _mm256_storeu_pd(gc, _mm256_add_pd(_mm256_loadu_pd(gc), acc[c]));
      }
    }
  }
  for (; j < d; ++j)
    for (Eigen::Index k = 0; k < kp; k += 4) {
      __m256d acc = _mm256_setzero_pd();
      for (Eigen::Index i = 0; i < m; ++i)
        acc = _mm256_fmadd_pd(_mm256_broadcast_sd(x + j * ld + i), _mm256_loadu_pd(zp + i * kp + k), acc);
      double* gj = g + j * kp + k;
      _mm256_storeu_pd(gj, _mm256_add_pd(_mm256_loadu_pd(gj), acc));
    }
}

bool cpu_has_avx2_fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}
#endif

// The weighted softmax log-loss and its gradient, over fixed blocks of rows.
// A block's scores (rows x classes, row-major, padded to a multiple of 4
// classes) stay in cache from the product through the softmax to the
// gradient product, and every buffer is allocated once per fit. Blocks are
// grouped into a fixed number of chunks, each summed in row order into its
// own partial gradient, and the partials are added in chunk order, so the
// result is the same bits on any number of threads (and, see above, with or
// without AVX2).
class SoftmaxLoss {
 public:
  SoftmaxLoss(const Matrix& X, const std::vector<int>& row_slot, const Vector& w, Eigen::Index K, bool intercept,
              int threads, bool portable)
      : X_(X), row_slot_(row_slot), w_(w), K_(K), Kp_((K + 3) / 4 * 4), intercept_(intercept),
        threads_(std::max(1, threads)), Wp_(Matrix::Zero(Kp_, X.cols())), bp_(Vector::Zero(Kp_)) {
#if GENRELAB_LOGREG_AVX2
    avx2_ = !portable && cpu_has_avx2_fma();
#else
    (void)portable;
#endif
    const Eigen::Index n = X.rows();
    const Eigen::Index blocks = (n + kBlockRows - 1) / kBlockRows;
    chunks_ = static_cast<int>(std::min<Eigen::Index>(kChunks, std::max<Eigen::Index>(1, blocks)));
    const Eigen::Index per_chunk = (blocks + chunks_ - 1) / chunks_;
    for (int c = 0; c < chunks_; ++c) {
      const Eigen::Index first = std::min(n, c * per_chunk * kBlockRows);
      const Eigen::Index last = std::min(n, (c + 1) * per_chunk * kBlockRows);
      parts_.push_back({first, last, Matrix(Kp_, X.cols()), Vector(Kp_), 0.0, Matrix(Kp_, kBlockRows), Vector(Kp_)});
    }
  }

  // Returns sum_i w_i * (-log p_i[y_i]) and writes its gradient into grad
  // (W part K x d column-major, then the intercepts, zero without them).
  double evaluate(const Vector& theta, Vector& grad) {
    const Eigen::Index d = X_.cols();
    const Eigen::Map<const Matrix> W(theta.data(), K_, d);
    Wp_.topRows(K_) = W;
    if (intercept_) bp_.head(K_) = theta.tail(K_);
#pragma omp parallel for schedule(static, 1) num_threads(std::min(threads_, chunks_))
    for (int c = 0; c < chunks_; ++c) evaluate_chunk(parts_[static_cast<std::size_t>(c)]);
    Eigen::Map<Matrix> gW(grad.data(), K_, d);
    gW.setZero();
    grad.tail(K_).setZero();
    double total = 0.0;
    for (const Part& part : parts_) {
      gW += part.grad_w.topRows(K_);
      if (intercept_) grad.tail(K_) += part.grad_b.head(K_);
      total += part.loss;
    }
    return total;
  }

 private:
  static constexpr Eigen::Index kBlockRows = 256;
  static constexpr int kChunks = 16;
  struct Part {
    Eigen::Index first, last;  // rows
    Matrix grad_w;             // Kp x d: column j is feature j's gradient over the classes
    Vector grad_b;
    double loss;
    Matrix scores;             // Kp x kBlockRows: column i is row i's scores (row-major block)
    Vector acc;                // Kp scratch for the portable gradient
  };

  void evaluate_chunk(Part& part) const {
    part.grad_w.setZero();
    part.grad_b.setZero();
    part.loss = 0.0;
    const Eigen::Index d = X_.cols(), ld = X_.rows(), kp = Kp_;
    for (Eigen::Index r0 = part.first; r0 < part.last; r0 += kBlockRows) {
      const Eigen::Index m = std::min(kBlockRows, part.last - r0);
      const double* x = X_.data() + r0;
      double* z = part.scores.data();
#if GENRELAB_LOGREG_AVX2
      if (avx2_)
        scores_avx2(x, ld, m, d, Wp_.data(), bp_.data(), kp, z);
      else
#endif
        scores_portable(x, ld, m, d, Wp_.data(), bp_.data(), kp, z);
      for (Eigen::Index i = 0; i < m; ++i) {
        double* zi = z + i * kp;
        const int yi = row_slot_[static_cast<std::size_t>(r0 + i)];
        // Softmax shifted by the row's largest score so exp cannot overflow;
        // the padding classes get -inf's stand-in and so probability 0.
        double top = zi[0];
        for (Eigen::Index k = 1; k < K_; ++k) top = std::max(top, zi[k]);
        const double margin = zi[yi] - top;  // kept before exp: its exp may underflow to 0
        for (Eigen::Index k = 0; k < K_; ++k) zi[k] -= top;
        for (Eigen::Index k = K_; k < kp; ++k) zi[k] = -1e300;
        exp_nonpositive(zi, kp);
        double sum = 0.0;
        for (Eigen::Index k = 0; k < K_; ++k) sum += zi[k];
        const double wi = w_(r0 + i);
        // -log p[y] = log(sum exp(z - top)) - (z_y - top)
        part.loss += wi * (std::log(sum) - margin);
        // z becomes w_i * p_i, then w_i * (p_i - onehot_i).
        const double scale = wi / sum;
        for (Eigen::Index k = 0; k < kp; ++k) zi[k] *= scale;
        zi[yi] -= wi;
        if (intercept_)
          for (Eigen::Index k = 0; k < kp; ++k) part.grad_b(k) += zi[k];
      }
#if GENRELAB_LOGREG_AVX2
      if (avx2_)
        gradient_avx2(x, ld, m, d, z, kp, part.grad_w.data());
      else
#endif
        gradient_portable(x, ld, m, d, z, kp, part.grad_w.data(), const_cast<double*>(part.acc.data()));
    }
  }

  const Matrix& X_;
  const std::vector<int>& row_slot_;
  const Vector& w_;
  Eigen::Index K_, Kp_;
  bool intercept_;
  int threads_;
  bool avx2_ = false;
  Matrix Wp_;  // W^T padded: Kp x d, column j holds feature j's weights over the classes
  Vector bp_;
  int chunks_ = 1;
  std::vector<Part> parts_;
};
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
  params_.declare_int("n_jobs", "-1", "threads for the loss and gradient: -1 uses all cores, None means 1 (the "
                      "result is the same on any count)", 1, 4096, {"-1", "None"});
}

int LogisticRegression::threads() const {
  const std::string& jobs = params_.get("n_jobs");
  if (jobs == "-1") return omp_get_max_threads();
  if (jobs == "None") return 1;
  return static_cast<int>(params_.get_int("n_jobs"));
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
  std::vector<int> row_slot(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    row_slot[static_cast<std::size_t>(i)] = slot[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])];
  SoftmaxLoss loss(X, row_slot, w, K, intercept, threads(), portable_kernels_);

  // theta = [W (K x d, column-major) ; b (K)]
  const Objective objective = [&](const Vector& theta, Vector& grad) {
    const double data_loss = loss.evaluate(theta, grad);
    const Eigen::Map<const Matrix> W(theta.data(), K, d);
    Eigen::Map<Matrix> gW(grad.data(), K, d);
    gW += l2 * W;
    return data_loss + 0.5 * l2 * W.squaredNorm();
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
