// Permutation importance on data where we know which feature matters.
#include <gtest/gtest.h>
#include <omp.h>

#include "genrelab/importance.h"
#include "genrelab/random.h"

using namespace genrelab;

namespace {

// Class is decided by feature 0 alone; features 1 and 2 are noise.
void signal_and_noise(Matrix& X, Labels& y, int n, std::uint64_t seed) {
  Rng rng(seed);
  X.resize(n, 3);
  y.assign(static_cast<std::size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    const int c = i % 2;
    y[static_cast<std::size_t>(i)] = c;
    X(i, 0) = 3.0 * c + 0.5 * rng.normal();
    X(i, 1) = rng.normal();
    X(i, 2) = rng.normal();
  }
}

}  // namespace

TEST(PermutationImportance, FindsTheOnlyInformativeFeature) {
  Matrix X, Xt;
  Labels y, yt;
  signal_and_noise(X, y, 200, 1);
  signal_and_noise(Xt, yt, 200, 2);
  for (const char* model : {"logistic_regression", "random_forest", "knn"}) {
    Pipeline p(model, {});
    p.fit(X, y, 2);
    const auto imp = permutation_importance(p, Xt, yt, 2, 5, 7);
    EXPECT_GT(imp.baseline, 0.95) << model;
    // Shuffling the signal drops accuracy to about chance (0.5).
    EXPECT_GT(imp.mean[0], 0.35) << model;
    EXPECT_LT(std::abs(imp.mean[1]), 0.05) << model;
    EXPECT_LT(std::abs(imp.mean[2]), 0.05) << model;
    ASSERT_EQ(imp.repeats[0].size(), 5u);
  }
}

TEST(PermutationImportance, SameSeedSameNumbersOnAnyThreadCount) {
  Matrix X, Xt;
  Labels y, yt;
  signal_and_noise(X, y, 150, 3);
  signal_and_noise(Xt, yt, 150, 4);
  Pipeline p("random_forest", {{"n_estimators", "20"}});
  p.fit(X, y, 2);
  omp_set_num_threads(1);
  const auto one = permutation_importance(p, Xt, yt, 2, 4, 11);
  omp_set_num_threads(2);
  const auto two = permutation_importance(p, Xt, yt, 2, 4, 11);
  EXPECT_EQ(one.repeats, two.repeats);
  const auto other_seed = permutation_importance(p, Xt, yt, 2, 4, 12);
  EXPECT_NE(one.repeats, other_seed.repeats);
}
