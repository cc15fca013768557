// Held-out and cross-validated evaluation on carefully constructed data.
#include <gtest/gtest.h>

#include "genrelab/model_registry.h"
#include "genrelab/evaluation.h"
#include "genrelab/pipeline.h"
#include "genrelab/random.h"
#include "genrelab/scaler.h"

using namespace genrelab;

namespace {

// Three genres that differ only in feature 0 (well separated), plus two noise features.
Dataset separable(int per_class, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.source = "constructed";
  d.classes = {"a", "b", "c"};
  d.feature_names = {"signal", "noise1", "noise2"};
  const int n = 3 * per_class;
  d.X.resize(n, 3);
  for (int i = 0; i < n; ++i) {
    const int k = i % 3;
    d.y.push_back(k);
    d.X(i, 0) = 10.0 * k + rng.uniform();
    d.X(i, 1) = rng.normal();
    d.X(i, 2) = rng.normal();
    d.lines.push_back(i + 2);
  }
  return d;
}

}  // namespace

TEST(MeanSd, UsesPopulationStandardDeviation) {
  const auto m = mean_sd({1.0, 2.0, 3.0, 4.0});
  EXPECT_DOUBLE_EQ(m.mean, 2.5);
  EXPECT_DOUBLE_EQ(m.sd, std::sqrt(1.25));  // ddof = 0, as numpy.std
}

TEST(StandardScaler, CentresScalesAndLeavesConstantColumnsUnscaled) {
  Matrix X(4, 2);
  X << 1, 7, 2, 7, 3, 7, 4, 7;
  StandardScaler s;
  s.fit(X);
  EXPECT_DOUBLE_EQ(s.mean()(0), 2.5);
  EXPECT_DOUBLE_EQ(s.scale()(0), std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(s.scale()(1), 1.0);
  const Matrix Z = s.transform(X);
  EXPECT_NEAR(Z.col(0).mean(), 0.0, 1e-12);
  EXPECT_NEAR(Z.col(1).cwiseAbs().maxCoeff(), 0.0, 1e-12);
}

TEST(CrossValidate, EveryRowPredictedOnceAndSeparableDataIsLearned) {
  const Dataset d = separable(40, 1);
  SplitOptions o;
  o.seed = 3;
  const auto folds = k_fold(d.y, 3, 4, o);
  const auto cv = cross_validate(d, "random_forest", {{"n_estimators", "20"}, {"max_features", "None"}, {"random_state", "1"}}, folds);
  ASSERT_EQ(cv.folds.size(), 4u);
  EXPECT_EQ(cv.out_of_fold.n, 120);
  std::size_t tested = 0;
  for (const auto& f : cv.folds) tested += f.n_test;
  EXPECT_EQ(tested, 120u);
  EXPECT_DOUBLE_EQ(cv.accuracy.mean, 1.0);
  EXPECT_DOUBLE_EQ(cv.out_of_fold.accuracy, 1.0);
}

TEST(CrossValidate, DummyStaysAtChance) {
  const Dataset d = separable(40, 2);
  SplitOptions o;
  const auto folds = k_fold(d.y, 3, 5, o);
  const auto cv = cross_validate(d, "dummy", {{"strategy", "most_frequent"}}, folds);
  EXPECT_LT(cv.accuracy.mean, 0.45);
}

TEST(Holdout, ScalerIsFittedOnTrainingRowsOnly) {
  // A scale-sensitive model must see statistics of the training rows only:
  // put an extreme value in a test row and check the fitted mean ignores it.
  Dataset d = separable(20, 4);
  SplitOptions o;
  const Split split = train_test_split(d.y, 3, 0.25, o);
  d.X(split.test.front(), 1) = 1e6;
  int checked = 0;
  for (const auto& name : classifier_names()) {
    Pipeline p(name, {});
    if (!p.scales()) continue;
    ++checked;
    p.fit(take_rows(d.X, split.train), take(d.y, split.train), 3);
    EXPECT_LT(std::abs(p.scaler().mean()(1)), 10.0) << name;
  }
  EXPECT_GT(checked, 0) << "no scale-sensitive model is registered";
}

TEST(Holdout, ReportsTrainAndTestAccuracyAndImportances) {
  const Dataset d = separable(30, 5);
  SplitOptions o;
  const Split split = train_test_split(d.y, 3, 0.2, o);
  const auto h = evaluate_holdout(d, "decision_tree", {{"random_state", "0"}}, split);
  EXPECT_EQ(h.predictions.size(), split.test.size());
  EXPECT_DOUBLE_EQ(h.train_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(h.test.accuracy, 1.0);
  ASSERT_EQ(h.importances.size(), 3u);
  EXPECT_GT(h.importances[0], 0.99);  // only the signal feature is needed
}
