// `genrelab diff`: which features differ between two groups of genres, by
// rank tests (robust to the skewed, bounded Spotify features) and an effect
// size that does not assume normality.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "genrelab/error.h"
#include "genrelab/profiling.h"

namespace genrelab {
namespace {

void check_groups(const Dataset& data, const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) throw UsageError("diff needs genres in both --a and --b");
  for (const auto& g : a)
    if (std::find(b.begin(), b.end(), g) != b.end())
      throw UsageError(fmt::format("genre '{}' is in both --a and --b; a genre can only be on one side", g));
  genre_codes(data, a);
  genre_codes(data, b);
}

}  // namespace

GroupDiff diff_groups(const Dataset& data, const std::vector<std::string>& a, const std::vector<std::string>& b) {
  check_groups(data, a, b);
  const auto codes_a = genre_codes(data, a), codes_b = genre_codes(data, b);
  GroupDiff out;
  out.a = a;
  out.b = b;
  const auto counts = data.class_counts();
  for (int c : codes_a) out.n_a += counts[static_cast<std::size_t>(c)];
  for (int c : codes_b) out.n_b += counts[static_cast<std::size_t>(c)];
  for (const auto& [group, n] : {std::pair{&a, out.n_a}, std::pair{&b, out.n_b}})
    if (n < 2)
      throw InputError(fmt::format("group {} has {} track{}; diff needs at least two per group", fmt::join(*group, ","),
                                   n, n == 1 ? "" : "s"));

  for (std::size_t c = 0; c < data.n_features(); ++c) {
    const auto col = static_cast<Eigen::Index>(c);
    auto x = feature_values(data, col, codes_a), y = feature_values(data, col, codes_b);
    FeatureDiff f;
    f.feature = data.feature_names[c];
    f.mann_whitney = mann_whitney_u(x, y);
    f.ks = ks_2samp(x, y);
    f.cliffs_delta = cliffs_delta(x, y);
    f.magnitude = cliffs_magnitude(f.cliffs_delta);
    f.mean_a = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
    f.mean_b = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    f.median_a = quantile_linear(x, 0.5);
    f.median_b = quantile_linear(y, 0.5);
    out.features.push_back(std::move(f));
  }
  std::vector<double> p_mw, p_ks;
  for (const auto& f : out.features) {
    p_mw.push_back(f.mann_whitney.p_value);
    p_ks.push_back(f.ks.p_value);
  }
  const auto adj_mw = benjamini_hochberg(p_mw), adj_ks = benjamini_hochberg(p_ks);
  for (std::size_t i = 0; i < out.features.size(); ++i) {
    out.features[i].mann_whitney_p_adjusted = adj_mw[i];
    out.features[i].ks_p_adjusted = adj_ks[i];
  }
  std::stable_sort(out.features.begin(), out.features.end(), [](const FeatureDiff& x, const FeatureDiff& y) {
    const double dx = std::fabs(x.cliffs_delta), dy = std::fabs(y.cliffs_delta);
    if (dx != dy) return dx > dy;
    return x.mann_whitney_p_adjusted < y.mann_whitney_p_adjusted;
  });
  return out;
}

}  // namespace genrelab
