// Fit time of random_forest(n_estimators=100, max_depth=10) on synthetic data
// shaped like the two data sets genrelab is judged on: the seed study
// (1186 tracks x 65 features, 14 genres) and the Spotify 114k set (91k
// training tracks x 15 features, 114 genres). The feature value counts mimic
// Spotify's: small integer codes, 3-decimal scores and wide-ranged columns,
// because the split search's cost depends on how many distinct values there are.
#include <benchmark/benchmark.h>

#include <cmath>

#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"

using namespace genrelab;

namespace {

struct Data {
  Matrix X;
  Labels y;
  int classes;
};

Data synthetic(int n, int p, int k, std::uint64_t seed) {
  Rng rng(seed);
  Matrix centres(k, p);
  for (int c = 0; c < k; ++c)
    for (int f = 0; f < p; ++f) centres(c, f) = 0.6 * rng.normal();
  Data d{Matrix(n, p), Labels(static_cast<std::size_t>(n)), k};
  for (int i = 0; i < n; ++i) {
    const int c = static_cast<int>(rng.uniform_index(static_cast<std::uint64_t>(k)));
    d.y[static_cast<std::size_t>(i)] = c;
    for (int f = 0; f < p; ++f) {
      const double z = centres(c, f) + rng.normal();
      switch (f % 5) {
        case 0: d.X(i, f) = std::round(std::clamp(50.0 + 15.0 * z, 0.0, 100.0)); break;  // popularity-like
        case 1: d.X(i, f) = std::round(220000.0 + 50000.0 * z); break;                   // duration-like
        case 2: d.X(i, f) = std::round(1000.0 * (0.5 + 0.15 * z)) / 1000.0; break;       // 3-decimal score
        case 3: d.X(i, f) = z > 0.0 ? 1.0 : 0.0; break;                                  // mode-like flag
        default: d.X(i, f) = std::round(1000.0 * (120.0 + 30.0 * z)) / 1000.0; break;    // tempo-like
      }
    }
  }
  return d;
}

void fit_forest(benchmark::State& state, const Data& d, const char* model) {
  for (auto _ : state) {
    auto forest = make_classifier(model, {{"n_estimators", "100"}, {"max_depth", "10"}});
    forest->fit(d.X, d.y, d.classes);
    benchmark::DoNotOptimize(forest.get());
  }
}

void BM_RandomForest_Seed1186x65x14(benchmark::State& state) {
  static const Data d = synthetic(1186, 65, 14, 1);
  fit_forest(state, d, "random_forest");
}

void BM_RandomForest_Spotify91kx15x114(benchmark::State& state) {
  static const Data d = synthetic(91200, 15, 114, 2);
  fit_forest(state, d, "random_forest");
}

void BM_ExtraTrees_Spotify91kx15x114(benchmark::State& state) {
  static const Data d = synthetic(91200, 15, 114, 2);
  fit_forest(state, d, "extra_trees");
}

void BM_RandomForest_Predict_Spotify23kx15x114(benchmark::State& state) {
  static const Data train = synthetic(91200, 15, 114, 2);
  static const Data test = synthetic(22800, 15, 114, 3);
  auto forest = make_classifier("random_forest", {{"n_estimators", "100"}, {"max_depth", "10"}});
  forest->fit(train.X, train.y, train.classes);
  for (auto _ : state) benchmark::DoNotOptimize(forest->predict_proba(test.X));
}

}  // namespace

BENCHMARK(BM_RandomForest_Seed1186x65x14)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RandomForest_Spotify91kx15x114)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_ExtraTrees_Spotify91kx15x114)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_RandomForest_Predict_Spotify23kx15x114)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

BENCHMARK_MAIN();
