// Descriptive statistics, rank tests and effect sizes, written from their
// definitions so that each matches the scipy / pandas function named in
// profiling.h (checked against scipy's numbers in tests/profiling_test.cpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "genrelab/profiling.h"

namespace genrelab {

double quantile_linear(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

Describe describe(std::vector<double> values) {
  Describe d;
  d.count = values.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (values.empty()) {
    d.mean = d.std = d.min = d.q25 = d.median = d.q75 = d.max = nan;
    return d;
  }
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  d.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double ss = 0;
  for (double v : values) ss += (v - d.mean) * (v - d.mean);
  d.std = values.size() > 1 ? std::sqrt(ss / (n - 1)) : nan;
  d.min = values.front();
  d.max = values.back();
  d.q25 = quantile_linear(values, 0.25);
  d.median = quantile_linear(values, 0.5);
  d.q75 = quantile_linear(values, 0.75);
  return d;
}

TestResult mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n1 = x.size(), n2 = y.size(), n = n1 + n2;
  TestResult r;
  if (n1 == 0 || n2 == 0) return r;
  std::vector<std::pair<double, bool>> all;  // value, from x
  all.reserve(n);
  for (double v : x) all.emplace_back(v, true);
  for (double v : y) all.emplace_back(v, false);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum_x = 0, tie_term = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && all[j].first == all[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k)
      if (all[k].second) rank_sum_x += mid_rank;
    tie_term += t * t * t - t;
    i = j;
  }
  const double a = static_cast<double>(n1), b = static_cast<double>(n2), N = static_cast<double>(n);
  const double u1 = rank_sum_x - a * (a + 1) / 2;
  r.statistic = u1;
  const double u = std::max(u1, a * b - u1);
  const double mu = a * b / 2;
  const double var = a * b / 12 * ((N + 1) - tie_term / (N * (N - 1)));
  if (!(var > 0)) return r;  // every value tied: no evidence of a difference
  const double z = (u - mu - 0.5) / std::sqrt(var);
  r.p_value = std::clamp(std::erfc(z / std::sqrt(2.0)), 0.0, 1.0);
  return r;
}

double cliffs_delta(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) return 0;
  std::vector<double> ys = y;
  std::sort(ys.begin(), ys.end());
  double greater = 0, less = 0;
  for (double v : x) {
    greater += static_cast<double>(std::lower_bound(ys.begin(), ys.end(), v) - ys.begin());
    less += static_cast<double>(ys.end() - std::upper_bound(ys.begin(), ys.end(), v));
  }
  return (greater - less) / (static_cast<double>(x.size()) * static_cast<double>(y.size()));
}

std::string cliffs_magnitude(double delta) {
  const double d = std::fabs(delta);
  if (d < 0.147) return "negligible";
  if (d < 0.33) return "small";
  if (d < 0.474) return "medium";
  return "large";
}

std::vector<double> benjamini_hochberg(const std::vector<double>& p) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] < p[b]; });
  std::vector<double> adjusted(m);
  double running = 1.0;
  for (std::size_t r = m; r-- > 0;) {
    const std::size_t i = order[r];
    running = std::min(running, p[i] * static_cast<double>(m) / static_cast<double>(r + 1));
    adjusted[i] = running;
  }
  return adjusted;
}

}  // namespace genrelab
