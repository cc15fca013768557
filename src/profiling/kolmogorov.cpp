// The two-sample Kolmogorov–Smirnov test with scipy's 'asymp' p-value, which
// is the distribution of the one-sample statistic D_N at N = round(nm/(n+m)).
// No single formula is both exact and cheap for every (N, d), so the regimes
// below pick one that is (Simard & L'Ecuyer 2011 survey the options).
#include <algorithm>
#include <cmath>

#include "genrelab/profiling.h"

namespace genrelab {
namespace {

constexpr double kPi = 3.14159265358979323846;

// P(D+_n >= d), exact (Birnbaum & Tingey 1951), summed in logs so that large
// n neither overflows the binomials nor underflows the powers.
double smirnov_sf(long n, double d) {
  const double nn = static_cast<double>(n);
  double sum = 0;
  const long last = static_cast<long>(std::floor(nn * (1 - d)));
  for (long j = 0; j <= last; ++j) {
    const double jj = static_cast<double>(j);
    const double left = 1 - d - jj / nn;
    if (left <= 0 && j < n) continue;  // 0^(n-j) = 0
    const double right = d + jj / nn;
    double log_term = std::lgamma(nn + 1) - std::lgamma(jj + 1) - std::lgamma(nn - jj + 1) + (jj - 1) * std::log(right);
    if (j < n) log_term += (nn - jj) * std::log(left);
    sum += std::exp(log_term);
  }
  return std::clamp(d * sum, 0.0, 1.0);
}

// P(D_n < d) exactly, by Durbin's matrix formula as organised by Marsaglia,
// Tsang & Wang (2003): n!/n^n times an entry of H^n, with H of size 2k-1.
// Powers are rescaled as they grow and the scale is carried as an exponent.
double durbin_cdf(long n, double d) {
  const double nd = static_cast<double>(n) * d;
  const int k = static_cast<int>(std::floor(nd)) + 1;
  const int m = 2 * k - 1;
  const double h = k - nd;
  Matrix H(m, m);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) H(i, j) = (i - j + 1 >= 0) ? 1.0 : 0.0;
  for (int i = 0; i < m; ++i) {
    H(i, 0) -= std::pow(h, i + 1);
    H(m - 1, i) -= std::pow(h, m - i);
  }
  if (2 * h - 1 > 0) H(m - 1, 0) += std::pow(2 * h - 1, m);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j)
      if (i - j + 1 > 0) H(i, j) /= std::tgamma(static_cast<double>(i - j + 2));

  constexpr double kScale = 1e140;
  const double log_scale = std::log(kScale);
  auto renormalise = [&](Matrix& M, double& exponent) {
    if (M.cwiseAbs().maxCoeff() > kScale) {
      M /= kScale;
      exponent += 1;
    }
  };
  Matrix result = Matrix::Identity(m, m), base = H;
  double result_exp = 0, base_exp = 0;
  for (long e = n; e > 0; e >>= 1) {
    if (e & 1) {
      result = (result * base).eval();
      result_exp += base_exp;
      renormalise(result, result_exp);
    }
    if (e > 1) {
      base = (base * base).eval();
      base_exp *= 2;
      renormalise(base, base_exp);
    }
  }
  const double entry = result(k - 1, k - 1);
  if (entry <= 0) return 0;
  const double nn = static_cast<double>(n);
  const double log_p = std::log(entry) + result_exp * log_scale + std::lgamma(nn + 1) - nn * std::log(nn);
  return std::clamp(std::exp(log_p), 0.0, 1.0);
}

// Kolmogorov's limit P(K >= x), with Stephens' (1970) finite-n adjustment of
// the argument; only used where the exact matrix would be too large.
double kolmogorov_limit_sf(long n, double d) {
  const double rn = std::sqrt(static_cast<double>(n));
  const double x = (rn + 0.12 + 0.11 / rn) * d;
  if (x <= 0) return 1;
  if (x < 1.0) {  // the theta-function form converges fast for small x
    double cdf = 0;
    for (int k = 1; k <= 20; ++k) {
      const double odd = 2.0 * k - 1;
      cdf += std::exp(-odd * odd * kPi * kPi / (8 * x * x));
    }
    return std::clamp(1 - std::sqrt(2 * kPi) / x * cdf, 0.0, 1.0);
  }
  double sf = 0;
  for (int k = 1; k <= 100; ++k) sf += ((k % 2) ? 2.0 : -2.0) * std::exp(-2.0 * k * k * x * x);
  return std::clamp(sf, 0.0, 1.0);
}

}  // namespace

double kolmogorov_sf(double d, long n) {
  if (n <= 0) return 1;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const double nn = static_cast<double>(n);
  const double t = nn * d;
  if (t <= 0.5) return 1;
  if (t <= 1) {  // Ruben & Gambino (1982): P(D_n < d) = n!/n^n (2t - 1)^n
    const double cdf = std::exp(std::lgamma(nn + 1) - nn * std::log(nn) + nn * std::log(2 * t - 1));
    return std::clamp(1 - cdf, 0.0, 1.0);
  }
  if (t >= nn - 1) return std::clamp(2 * std::pow(1 - d, nn), 0.0, 1.0);
  // For d >= 1/2 the two one-sided events cannot both happen, so 2 P(D+) is exact;
  // deep in the tail their overlap is below double precision relative to the tail.
  if (d >= 0.5) return std::clamp(2 * smirnov_sf(n, d), 0.0, 1.0);
  const double nd2 = t * d;
  const double tail_from = n <= 140 ? 4.0 : 2.2;
  if (nd2 >= 370) return 0;
  if (nd2 >= tail_from) return std::clamp(2 * smirnov_sf(n, d), 0.0, 1.0);
  const int matrix_size = 2 * (static_cast<int>(std::floor(t)) + 1) - 1;
  if (matrix_size <= 401) return std::clamp(1 - durbin_cdf(n, d), 0.0, 1.0);
  return kolmogorov_limit_sf(n, d);
}

double ks_statistic(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) return 0;
  std::vector<double> a = x, b = y;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  // Walk the merged values; the ECDFs only change at data points, and ties
  // must be passed in both samples before comparing (right-continuous ECDFs).
  std::size_t i = 0, j = 0;
  double d = 0;
  while (i < a.size() || j < b.size()) {
    double v;
    if (j >= b.size() || (i < a.size() && a[i] <= b[j])) v = a[i];
    else v = b[j];
    while (i < a.size() && a[i] <= v) ++i;
    while (j < b.size() && b[j] <= v) ++j;
    d = std::max(d, std::fabs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
  }
  return d;
}

TestResult ks_2samp(const std::vector<double>& x, const std::vector<double>& y) {
  TestResult r;
  if (x.empty() || y.empty()) return r;
  const double d = ks_statistic(x, y);
  r.statistic = d;
  const double na = static_cast<double>(x.size()), nb = static_cast<double>(y.size());
  const double big = std::max(na, nb), small = std::min(na, nb);
  const double en = big * small / (big + small);
  r.p_value = kolmogorov_sf(d, static_cast<long>(std::nearbyint(en)));  // numpy rounds half to even
  return r;
}

}  // namespace genrelab
