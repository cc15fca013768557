// Per-genre descriptive statistics, shared-edge histograms and category shares.
#include <cmath>

#include "genrelab/profiling.h"

namespace genrelab {
namespace {

// Standardising by the spread of all tracks, not of the genre means, keeps
// rare 0/1 columns (set on one track of one genre) from looking extreme.
std::vector<double> mean_z_scores(const std::vector<Describe>& per_genre, const Describe& overall) {
  std::vector<double> z(per_genre.size(), 0.0);
  if (!(overall.std > 1e-12 * (1 + std::fabs(overall.mean)))) return z;
  for (std::size_t g = 0; g < per_genre.size(); ++g) z[g] = (per_genre[g].mean - overall.mean) / overall.std;
  return z;
}

}  // namespace

Profile profile_genres(const Dataset& data, int bins) {
  Profile p;
  p.source = data.source;
  p.genres = data.classes;
  p.tracks = data.class_counts();
  p.bins = bins;
  const std::size_t n_genres = data.classes.size();

  std::vector<bool> indicator(data.n_features(), false);
  p.categorical.clear();
  for (auto& feature : categorical_features(data)) {
    if (feature.indicator) indicator[static_cast<std::size_t>(feature.columns[1])] = true;
    CategoricalProfile cp;
    cp.shares.assign(n_genres, std::vector<double>(feature.levels.size(), 0.0));
    for (std::size_t g = 0; g < n_genres; ++g) {
      const auto values_of = [&](Eigen::Index c) { return feature_values(data, c, {static_cast<int>(g)}); };
      const double n = static_cast<double>(p.tracks[g]);
      if (n == 0) continue;
      double rest = 1.0;
      for (std::size_t l = 0; l < feature.levels.size(); ++l) {
        if (feature.columns[l] < 0) continue;
        double ones = 0;
        for (double v : values_of(feature.columns[l])) ones += v;
        cp.shares[g][l] = ones / n;
        rest -= ones / n;
      }
      for (std::size_t l = 0; l < feature.levels.size(); ++l)
        if (feature.columns[l] < 0) cp.shares[g][l] = std::max(rest, 0.0);
    }
    cp.feature = std::move(feature);
    p.categorical.push_back(std::move(cp));
  }

  std::vector<int> all_codes(n_genres);
  for (std::size_t g = 0; g < n_genres; ++g) all_codes[g] = static_cast<int>(g);
  for (std::size_t c = 0; c < data.n_features(); ++c) {
    const auto col = static_cast<Eigen::Index>(c);
    FeatureProfile f;
    f.name = data.feature_names[c];
    f.indicator = indicator[c];
    const std::vector<double> all(data.X.col(col).data(), data.X.col(col).data() + data.X.rows());
    f.overall = describe(all);
    f.histogram.edges = histogram_edges(all, bins);
    for (std::size_t g = 0; g < n_genres; ++g) {
      const auto values = feature_values(data, col, {static_cast<int>(g)});
      f.per_genre.push_back(describe(values));
      f.histogram.counts.push_back(histogram_counts(values, f.histogram.edges));
    }
    f.mean_z = mean_z_scores(f.per_genre, f.overall);
    p.features.push_back(std::move(f));
  }
  return p;
}

}  // namespace genrelab
