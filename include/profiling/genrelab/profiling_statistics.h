// The statistics genre profiling uses, following scipy / pandas definitions
// so that results can be checked against a notebook.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace genrelab {

// Quantile of ascending `sorted` with linear interpolation between order
// statistics (numpy's default 'linear', pandas' quantile / describe).
double quantile_linear(const std::vector<double>& sorted, double q);

// pandas.Series.describe(): std is the sample standard deviation (ddof = 1),
// NaN for fewer than two values.
struct Describe {
  std::size_t count = 0;
  double mean = 0, std = 0, min = 0, q25 = 0, median = 0, q75 = 0, max = 0;
};
Describe describe(std::vector<double> values);

struct TestResult {
  double statistic = 0;
  double p_value = 1;
};

// scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic'):
// statistic is U of x; normal approximation with tie correction and
// continuity correction. When every value is tied (no variance) p is 1.
TestResult mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y);

// scipy.stats.ks_2samp(x, y, method='asymp'): statistic D = sup |F_x - F_y|;
// p = P(D_N >= D) for the one-sample Kolmogorov statistic with
// N = round(n m / (n + m)), which is what scipy's 'asymp' computes.
TestResult ks_2samp(const std::vector<double>& x, const std::vector<double>& y);
double ks_statistic(const std::vector<double>& x, const std::vector<double>& y);  // D alone
// Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic
// D_n (scipy.stats.kstwo.sf). Exact (Durbin's matrix, Marsaglia–Tsang–Wang
// 2003) where that is cheap, the exact one-sided (Birnbaum–Tingey) bound
// 2 P(D+_n >= d) in the far tail, and the Kolmogorov limit otherwise.
double kolmogorov_sf(double d, long n);

// Cliff's delta: P(x > y) - P(x < y) over all pairs, in [-1, 1].
double cliffs_delta(const std::vector<double>& x, const std::vector<double>& y);
// Romano et al. (2006): |d| < 0.147 negligible, < 0.33 small, < 0.474 medium, else large.
std::string cliffs_magnitude(double delta);

// Benjamini–Hochberg adjusted p-values (statsmodels' 'fdr_bh'), same order as `p`.
std::vector<double> benjamini_hochberg(const std::vector<double>& p);

}  // namespace genrelab
