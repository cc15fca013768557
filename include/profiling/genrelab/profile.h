// What each genre's features look like (genrelab profile). The JSON layout
// written by profile_json is documented next to it, for the report.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/profiling_statistics.h"

namespace genrelab {

// A categorical feature: a one-hot group from Dataset::encodings, or a single
// 0/1 indicator column. column[i] is the matrix column of level i, or -1 for
// the level a two-level one-hot group encodes as "indicator is 0".
struct CategoricalFeature {
  std::string name;
  std::vector<std::string> levels;
  std::vector<Eigen::Index> columns;
  bool indicator = false;  // a lone 0/1 column: levels are "0" and "1"
};
std::vector<CategoricalFeature> categorical_features(const Dataset& data);

struct Histogram {
  std::vector<double> edges;                     // bins + 1 edges over the feature's range in all genres
  std::vector<std::vector<std::size_t>> counts;  // [genre][bin]; last bin closed, as numpy.histogram
};
// Edges shared by all genres: `bins` equal bins over [min, max] of `all`
// (numpy: a constant feature gets [v - 0.5, v + 0.5]).
std::vector<double> histogram_edges(const std::vector<double>& all, int bins);
std::vector<std::size_t> histogram_counts(const std::vector<double>& values, const std::vector<double>& edges);

struct FeatureProfile {
  std::string name;
  bool indicator = false;
  Describe overall;
  std::vector<Describe> per_genre;
  // The genre's mean as a z-score of the feature over all tracks:
  // (genre mean - overall mean) / overall sd (ddof = 1); 0 for a constant feature.
  std::vector<double> mean_z;
  Histogram histogram;
};

struct CategoricalProfile {
  CategoricalFeature feature;
  std::vector<std::vector<double>> shares;  // [genre][level], share of the genre's tracks
};

struct Profile {
  std::string source;
  std::vector<std::string> genres;
  std::vector<std::size_t> tracks;
  int bins = 20;
  std::vector<FeatureProfile> features;  // one per matrix column
  std::vector<CategoricalProfile> categorical;
};

Profile profile_genres(const Dataset& data, int bins = 20);
// profile.json layout:
// { "format": "genrelab-profile/1", "source", "bins",
//   "genres": [{"name", "tracks"}],
//   "features": [{"name", "kind": "numeric"|"indicator",
//                 "overall": DESCRIBE,
//                 "per_genre": {GENRE: DESCRIBE + "mean_z"},
//                 "histogram": {"edges": [bins+1], "counts": {GENRE: [bins]}}}],
//   "categorical": [{"name", "kind": "one_hot"|"indicator", "levels": [..],
//                    "columns": [feature name or null], "shares": {GENRE: [per level]}}],
//   "extremes": {GENRE: [{"feature", "mean_z", "mean", "mean_of_other_genres"}]} }
// DESCRIBE = {"count", "mean", "std", "min", "25%", "50%", "75%", "max"}
// (pandas describe names; std with ddof = 1, null when undefined).
nlohmann::json profile_json(const Profile& profile, std::size_t extremes_per_genre = 5);
// Long format, one value per line: genre,feature,statistic,value. genre
// "(all)" is every track; statistics are the DESCRIBE names plus mean_z;
// categorical shares appear as feature "NAME=LEVEL", statistic "share".
// Histograms are only in the JSON.
std::string profile_csv(const Profile& profile);
// Per genre, the features where its mean is most extreme among the genres.
std::string profile_text(const Profile& profile, std::size_t per_genre = 3);

}  // namespace genrelab
