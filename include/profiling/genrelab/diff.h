// Which features differ between two groups of genres (genrelab diff).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/profiling_statistics.h"

namespace genrelab {

struct FeatureDiff {
  std::string feature;
  double median_a = 0, median_b = 0, mean_a = 0, mean_b = 0;
  TestResult mann_whitney, ks;
  double mann_whitney_p_adjusted = 1, ks_p_adjusted = 1;  // Benjamini–Hochberg over features
  double cliffs_delta = 0;                                 // > 0: A tends to be larger
  std::string magnitude;
};

struct GroupDiff {
  std::vector<std::string> a, b;
  std::size_t n_a = 0, n_b = 0;
  std::vector<FeatureDiff> features;  // ranked by |delta|, then adjusted Mann–Whitney p
};

// UsageError when a genre is in both groups or a group is empty; InputError
// for unknown genres (listing them) and groups with fewer than two tracks.
GroupDiff diff_groups(const Dataset& data, const std::vector<std::string>& a, const std::vector<std::string>& b);
// diff JSON: { "format": "genrelab-diff/1", "a": {"genres", "tracks"}, "b": {...},
//   "ranking": "abs(cliffs_delta) desc, mann_whitney_p_adjusted asc",
//   "features": [{"rank", "feature", "median_a", "median_b", "mean_a", "mean_b",
//                 "cliffs_delta", "magnitude", "mann_whitney_u", "mann_whitney_p",
//                 "mann_whitney_p_adjusted", "ks_statistic", "ks_p", "ks_p_adjusted"}] }
nlohmann::json diff_json(const GroupDiff& d);
std::string diff_text(const GroupDiff& d, std::size_t top = 0);

}  // namespace genrelab
