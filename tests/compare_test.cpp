// compare: untuned, every fit of every model shares one task pool; that must
// give exactly the numbers `evaluate` gives model by model, on any thread
// count. Tuned, the grids given per model are the ones searched, on the
// training part only. CLI mistakes with --grid are usage errors.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <set>

#include "cli_runner.h"
#include "genrelab/study.h"

namespace {

using namespace genrelab;

Dataset four_genres() {
  DatasetOptions options;
  options.genres = {"classical", "hip hop", "ska", "sleep"};
  return load_dataset("seed", options);
}

CompareRequest quick_request() {
  CompareRequest r;
  r.models = {"knn", "decision_tree", "random_forest", "logistic_regression", "gradient_boosting"};
  r.protocol.cv = 3;
  r.protocol.seed = 11;
  r.params["random_forest"] = {{"n_estimators", "30"}};
  r.params["gradient_boosting"] = {{"n_estimators", "20"}};
  return r;
}

const ModelComparison& find(const std::vector<ModelComparison>& all, const std::string& model) {
  return *std::find_if(all.begin(), all.end(), [&](const ModelComparison& m) { return m.model == model; });
}

TEST(Compare, PooledFitsEqualEvaluatingEachModelAlone) {
  const Dataset data = four_genres();
  const CompareRequest request = quick_request();
  const auto pooled = compare_models(data, request);
  ASSERT_EQ(pooled.size(), request.models.size());
  for (const auto& model : request.models) {
    EvaluateRequest one;
    one.model = model;
    if (auto it = request.params.find(model); it != request.params.end()) one.params = it->second;
    one.protocol.cv = request.protocol.cv;
    one.protocol.seed = request.protocol.seed;
    const EvaluationResult alone = evaluate_model(data, one);
    const EvaluationResult& ev = find(pooled, model).evaluation;
    SCOPED_TRACE(model);
    EXPECT_EQ(ev.holdout.split.test, alone.holdout.split.test);
    EXPECT_EQ(ev.holdout.predictions, alone.holdout.predictions);
    ASSERT_EQ(ev.cv.folds.size(), alone.cv.folds.size());
    for (std::size_t f = 0; f < ev.cv.folds.size(); ++f)
      EXPECT_DOUBLE_EQ(ev.cv.folds[f].accuracy, alone.cv.folds[f].accuracy);
    EXPECT_DOUBLE_EQ(ev.cv.out_of_fold.accuracy, alone.cv.out_of_fold.accuracy);
    EXPECT_GT(find(pooled, model).seconds, 0.0);
  }
  // Ranked by CV accuracy, best first.
  for (std::size_t i = 1; i < pooled.size(); ++i)
    EXPECT_GE(pooled[i - 1].evaluation.cv.accuracy.mean, pooled[i].evaluation.cv.accuracy.mean);
}

TEST(Compare, SameNumbersOnOneAndTwoThreads) {
  const Dataset data = four_genres();
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = compare_models(data, quick_request());
  omp_set_num_threads(2);
  const auto two = compare_models(data, quick_request());
  omp_set_num_threads(before);
  for (std::size_t m = 0; m < one.size(); ++m) {
    SCOPED_TRACE(one[m].model);
    EXPECT_EQ(one[m].model, two[m].model);
    EXPECT_EQ(one[m].evaluation.holdout.predictions, two[m].evaluation.holdout.predictions);
    EXPECT_DOUBLE_EQ(one[m].evaluation.cv.accuracy.mean, two[m].evaluation.cv.accuracy.mean);
  }
}

TEST(Compare, TuningSearchesTheGivenGridOnTheTrainingPartOnly) {
  const Dataset data = four_genres();
  CompareRequest request;
  request.models = {"knn"};
  request.protocol.cv = 3;
  request.tune = true;
  request.grids["knn"] = "n_neighbors=1,7,25";
  const auto result = compare_models(data, request);
  ASSERT_EQ(result.size(), 1u);
  const ModelComparison& knn = result.front();
  ASSERT_TRUE(knn.tuned);
  std::set<std::string> tried;
  for (const auto& c : knn.tuning.candidates) tried.insert(c.params.at("n_neighbors"));
  EXPECT_EQ(tried, (std::set<std::string>{"1", "7", "25"}));
  EXPECT_TRUE(tried.count(knn.tuning.best_params.at("n_neighbors")));
  // The CV folds cover the training part only: fold sizes add up to it.
  std::size_t cv_rows = 0;
  for (const auto& f : knn.evaluation.cv.folds) cv_rows += f.n_test;
  EXPECT_EQ(cv_rows, knn.evaluation.holdout.split.train.size());
}

TEST(Compare, GridMistakesAreUsageErrors) {
  const auto dir = genrelab::testing::scratch_dir("compare_cli");
  auto r = genrelab::testing::run_cli("compare seed --models knn --grid knn:n_neighbors=3", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--grid only applies with --tune"), std::string::npos) << r.err;
  r = genrelab::testing::run_cli("compare seed --models knn --tune --grid svm:C=1", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not among --models"), std::string::npos) << r.err;
  r = genrelab::testing::run_cli("compare seed --models knn --tune --grid n_neighbors=3", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("must name the model"), std::string::npos) << r.err;
}

}  // namespace
