// A small but complete study (3 genres of the seed data, 3 quick models,
// profile and separability), run once per test binary, so report and
// experiment tests work on a real results directory in seconds.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>

#include "genrelab/experiment.h"

namespace genrelab::testing {

inline const char* kQuickStudy = R"(
[study]
title = "quick study"
seed = 7

[data]
path = "seed"
genres = ["classical", "hip hop", "ska", "sleep"]

[evaluation]
cv = 3
test_size = 0.25
importance = "permutation"
repeats = 2

[models]
use = ["dummy", "decision_tree", "random_forest"]

[models.random_forest]
n_estimators = 20
max_depth = 6

[[subsets]]
id = "four"
title = "four genres"
published = { random_forest = 0.9 }

[[subsets]]
id = "pair"
title = "two genres"
genres = ["hip hop", "ska"]

[profile]
bins = 10
params = { n_estimators = 10, max_depth = 4 }
cv = 3

[report]
overlay_feature = "energy"
overlay_genres = ["hip hop", "ska"]
)";

// Runs the quick study into `dir` (once; later calls reuse it).
inline void make_quick_results(const std::filesystem::path& dir) {
  if (std::filesystem::exists(dir / "summary.json")) return;
  Experiment x = parse_experiment(kQuickStudy, "quick.toml", "");
  x.output_dir = dir.string();
  std::ostringstream out, progress;
  run_experiment(x, out, progress);
}

}  // namespace genrelab::testing
