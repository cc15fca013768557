#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"
#include "models/decision_tree.h"
#include "models/tree/tree.h"
#include "genrelab/metrics.h"

using namespace genrelab;

namespace {

// Three classes cut by two thresholds on feature 0; feature 1 is noise.
void separable(int n, Matrix& X, Labels& y, std::uint64_t seed = 1) {
  Rng rng(seed);
  X.resize(n, 2);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    X(i, 0) = rng.uniform();
    X(i, 1) = rng.uniform();
    y[static_cast<std::size_t>(i)] = X(i, 0) < 0.3 ? 0 : (X(i, 0) < 0.7 ? 1 : 2);
  }
}

// Labels depend on feature `informative` with 20 % label noise; the rest is noise.
void noisy(int n, int p, int informative, Matrix& X, Labels& y, std::uint64_t seed = 2) {
  Rng rng(seed);
  X.resize(n, p);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    for (int f = 0; f < p; ++f) X(i, f) = rng.normal();
    int label = X(i, informative) > 0.0 ? 1 : 0;
    if (rng.uniform() < 0.2) label = 1 - label;
    y[static_cast<std::size_t>(i)] = label;
  }
}


}  // namespace

TEST(DecisionTree, FitsSeparableDataPerfectly) {
  Matrix X;
  Labels y;
  separable(300, X, y);
  for (const char* criterion : {"gini", "entropy", "log_loss"}) {
    auto model = make_classifier("decision_tree", {{"criterion", criterion}});
    model->fit(X, y, 3);
    EXPECT_EQ(model->predict(X), y) << criterion;
    const Matrix P = model->predict_proba(X);
    EXPECT_DOUBLE_EQ(P.maxCoeff(), 1.0);
    // Two cuts suffice: one pure leaf per class.
    EXPECT_EQ(dynamic_cast<DecisionTree&>(*model).tree().n_leaves(), 3) << criterion;
  }
}

TEST(DecisionTree, ThresholdIsMidpointAndEqualGoesLeft) {
  Matrix X(4, 1);
  X << 1.0, 2.0, 3.0, 4.0;
  DecisionTree tree;
  tree.fit(X, {0, 0, 1, 1}, 2);
  EXPECT_EQ(tree.tree().feature(0), 0);
  EXPECT_DOUBLE_EQ(tree.tree().threshold(0), 2.5);
  Matrix probe(3, 1);
  probe << 2.5, 2.5000001, 100.0;
  EXPECT_EQ(tree.predict(probe), (Labels{0, 1, 1}));
}

TEST(DecisionTree, MaxDepthIsRespected) {
  Matrix X;
  Labels y;
  noisy(400, 4, 0, X, y);
  DecisionTree unlimited;
  unlimited.fit(X, y, 2);
  EXPECT_GT(unlimited.tree().depth(), 5);
  EXPECT_EQ(unlimited.predict(X), y);  // grown until pure, it memorises the noise
  for (int depth : {1, 2, 3}) {
    DecisionTree tree;
    tree.set_param("max_depth", std::to_string(depth));
    tree.fit(X, y, 2);
    EXPECT_EQ(tree.tree().depth(), depth);
    EXPECT_LE(tree.tree().n_leaves(), 1 << depth);
  }
}

TEST(DecisionTree, MinSamplesLeafIsRespected) {
  Matrix X;
  Labels y;
  noisy(400, 4, 0, X, y);
  for (const char* value : {"7", "0.05"}) {
    DecisionTree tree;
    tree.set_param("min_samples_leaf", value);
    tree.fit(X, y, 2);
    const auto counts = tree.tree().leaf_sample_counts();
    const int min_leaf = std::string(value) == "7" ? 7 : 20;
    EXPECT_GE(*std::min_element(counts.begin(), counts.end()), min_leaf) << value;
    EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0), 400);
    EXPECT_GT(counts.size(), 3u);
  }
}

TEST(DecisionTree, MinSamplesSplitAndImpurityDecreaseStopGrowth) {
  Matrix X;
  Labels y;
  noisy(400, 4, 0, X, y);
  DecisionTree big_split;
  big_split.set_param("min_samples_split", "401");
  big_split.fit(X, y, 2);
  EXPECT_EQ(big_split.tree().node_count(), 1);
  DecisionTree frac_split;
  frac_split.set_param("min_samples_split", "0.5");  // nodes under 200 samples stay leaves
  frac_split.fit(X, y, 2);
  DecisionTree full;
  full.fit(X, y, 2);
  EXPECT_GT(frac_split.tree().node_count(), 1);
  EXPECT_LT(frac_split.tree().n_leaves() * 10, full.tree().n_leaves());
  DecisionTree decrease;
  decrease.set_param("min_impurity_decrease", "0.5");  // gini of 2 classes cannot drop by 0.5
  decrease.fit(X, y, 2);
  EXPECT_EQ(decrease.tree().node_count(), 1);
  // A one-leaf tree predicts the class frequencies.
  const Matrix P = decrease.predict_proba(X);
  const double ones = static_cast<double>(std::count(y.begin(), y.end(), 1)) / 400.0;
  EXPECT_NEAR(P(0, 1), ones, 1e-12);
}

TEST(DecisionTree, ImportancesSumToOneAndFindTheInformativeFeature) {
  Matrix X;
  Labels y;
  noisy(600, 5, 3, X, y);
  DecisionTree tree;
  tree.set_param("max_depth", "4");
  tree.fit(X, y, 2);
  const auto imp = tree.feature_importances();
  ASSERT_EQ(imp.size(), 5u);
  EXPECT_NEAR(std::accumulate(imp.begin(), imp.end(), 0.0), 1.0, 1e-12);
  EXPECT_EQ(std::max_element(imp.begin(), imp.end()) - imp.begin(), 3);
  EXPECT_GT(imp[3], 0.5);
}

TEST(DecisionTree, SearchGoesPastMaxFeaturesWhileOnlyConstantFeaturesSeen) {
  // Features 0, 1 and 3 are constant; with max_features=1 a tree that stopped
  // after one constant draw would be a single leaf for most seeds.
  Matrix X(40, 4);
  Labels y(40);
  for (int i = 0; i < 40; ++i) {
    X(i, 0) = 1.0;
    X(i, 1) = -3.0;
    X(i, 2) = i;
    X(i, 3) = 7.0;
    y[static_cast<std::size_t>(i)] = i < 20 ? 0 : 1;
  }
  for (int seed = 0; seed < 10; ++seed) {
    DecisionTree tree;
    tree.set_params({{"max_features", "1"}, {"random_state", std::to_string(seed)}});
    tree.fit(X, y, 2);
    EXPECT_EQ(tree.tree().feature(0), 2) << seed;
    EXPECT_EQ(tree.predict(X), y) << seed;
  }
}

TEST(DecisionTree, RandomSplitterStillFitsSeparableData) {
  Matrix X;
  Labels y;
  separable(300, X, y);
  DecisionTree tree;
  tree.set_param("splitter", "random");
  tree.fit(X, y, 3);
  EXPECT_EQ(tree.predict(X), y);
  EXPECT_GT(tree.tree().n_leaves(), 3);  // random cuts need more of them than the best ones
}

TEST(DecisionTree, BalancedClassWeightFavoursTheRareClass) {
  // One feature, class 1 rare (10 %) and overlapping class 0.
  Rng rng(5);
  const int n = 1000;
  Matrix X(n, 1);
  Labels y(n);
  for (int i = 0; i < n; ++i) {
    const int label = i % 10 == 0 ? 1 : 0;
    X(i, 0) = rng.normal() + (label == 1 ? 1.0 : 0.0);
    y[static_cast<std::size_t>(i)] = label;
  }
  auto count_ones = [](const Labels& p) { return std::count(p.begin(), p.end(), 1); };
  DecisionTree plain, balanced;
  plain.set_param("max_depth", "2");
  balanced.set_params({{"max_depth", "2"}, {"class_weight", "balanced"}});
  plain.fit(X, y, 2);
  balanced.fit(X, y, 2);
  EXPECT_LT(count_ones(plain.predict(X)), 20);
  EXPECT_GT(count_ones(balanced.predict(X)), 200);
}

TEST(DecisionTree, ProbabilitiesSumToOneAndAbsentClassesGetZero) {
  Matrix X;
  Labels y;
  noisy(200, 3, 0, X, y);
  DecisionTree tree;
  tree.set_param("max_depth", "3");
  tree.fit(X, y, 4);  // classes 2 and 3 never appear in training
  const Matrix P = tree.predict_proba(X);
  ASSERT_EQ(P.cols(), 4);
  for (Eigen::Index i = 0; i < P.rows(); ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
  EXPECT_EQ(P.col(2).maxCoeff(), 0.0);
  EXPECT_EQ(P.col(3).maxCoeff(), 0.0);
}

TEST(DecisionTree, MoreDepthFitsTrainingDataBetter) {
  Matrix X;
  Labels y;
  noisy(500, 3, 1, X, y);
  DecisionTree shallow, deep;
  shallow.set_param("max_depth", "1");
  deep.set_param("max_depth", "8");
  shallow.fit(X, y, 2);
  deep.fit(X, y, 2);
  EXPECT_GT(accuracy(deep.predict(X), y), accuracy(shallow.predict(X), y) + 0.05);
}

TEST(DecisionTree, RejectsBadParametersAndInputs) {
  DecisionTree tree;
  EXPECT_THROW(tree.set_param("max_dept", "3"), UsageError);
  EXPECT_THROW(tree.set_param("max_depth", "0"), UsageError);
  EXPECT_THROW(tree.set_param("max_depth", "2.5"), UsageError);
  EXPECT_THROW(tree.set_param("criterion", "mse"), UsageError);
  EXPECT_THROW(tree.set_param("splitter", "fast"), UsageError);
  EXPECT_THROW(tree.set_param("min_impurity_decrease", "-1"), UsageError);
  EXPECT_THROW(tree.set_param("class_weight", "balanced_subsample"), UsageError);
  Matrix X;
  Labels y;
  separable(50, X, y);
  EXPECT_THROW(tree.predict(X), UsageError);  // not fitted
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"min_samples_split", "1"}, {"min_samples_split", "1.5"}, {"min_samples_leaf", "1.0"},
           {"min_samples_leaf", "0"}, {"max_features", "3"}, {"max_features", "1.5"}}) {
    DecisionTree t;
    if (name == "min_samples_leaf" && value == "0") {
      EXPECT_THROW(t.set_param(name, value), UsageError);
      continue;
    }
    t.set_param(name, value);
    EXPECT_THROW(t.fit(X, y, 3), UsageError) << name << "=" << value;
  }
  tree.fit(X, y, 3);
  EXPECT_THROW(tree.predict(Matrix::Zero(3, 5)), InputError);
  EXPECT_THROW(tree.fit(X, Labels(10, 0), 3), InputError);
  EXPECT_FALSE(tree.scale_sensitive());
}

// ---- random-threshold search (extra trees) ----------------------------------

namespace random_split {

using tree::TrainingData;

Matrix proba_of(const TrainingData& data, const Matrix& X, const std::vector<double>& w, std::uint64_t seed) {
  tree::TreeOptions opt;
  opt.random_thresholds = true;
  opt.max_depth = 6;
  opt.max_features = 2;
  Rng rng(seed);
  tree::Workspace ws;
  tree::Tree t;
  t.grow(data, X, w, opt, rng, ws);
  return t.predict_proba(X);
}

// Feature 0 has more distinct values than 16-bit codes can hold, feature 1
// a few hundred, feature 2 is 0/1: the search reads doubles for the first
// and codes for the others, with rows in an order unrelated to the classes.
void mixed(Matrix& X, Labels& y) {
  const int n = 70000;
  Rng rng(5);
  X.resize(n, 3);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    X(i, 0) = rng.normal();
    X(i, 1) = std::round(300.0 * rng.uniform());
    X(i, 2) = rng.uniform() < 0.5 ? 0.0 : 1.0;
    const double score = X(i, 0) + X(i, 1) / 150.0 + X(i, 2) + 0.5 * rng.normal();
    y[static_cast<std::size_t>(i)] = score < 1.0 ? 0 : (score < 2.5 ? 1 : (rng.uniform() < 0.5 ? 2 : 3));
  }
}

TEST(RandomSplitter, CodesGiveTheSameTreeAsRawValues) {
  Matrix X;
  Labels y;
  mixed(X, y);
  const std::vector<double> ones(y.size(), 1.0);
  const TrainingData with_codes(X, y, 4, TrainingData::kCodes);
  const TrainingData ranks_only(X, y, 4, TrainingData::kRanks);
  EXPECT_FALSE(with_codes.has_codes(0));
  EXPECT_TRUE(with_codes.has_codes(1));
  EXPECT_TRUE(with_codes.has_codes(2));
  EXPECT_FALSE(ranks_only.has_codes(1));
  const Matrix a = proba_of(with_codes, X, ones, 9);
  const Matrix b = proba_of(ranks_only, X, ones, 9);
  EXPECT_TRUE(a == b);
  Labels predicted(y.size());
  for (Eigen::Index i = 0; i < a.rows(); ++i) predicted[static_cast<std::size_t>(i)] = argmax_row(a, i);
  EXPECT_GT(accuracy(y, predicted), 0.6);
}

TEST(RandomSplitter, WeightedSearchMatchesTheUnitWeightOne) {
  // Doubling every weight scales every impurity sum exactly, so the weighted
  // counting path must grow the very tree the all-ones path grows.
  Matrix X;
  Labels y;
  mixed(X, y);
  std::vector<double> ones(y.size(), 1.0), twos(y.size(), 2.0);
  // Rows left out (weight 0) must not count either way.
  for (std::size_t i = 0; i < y.size(); i += 7) ones[i] = twos[i] = 0.0;
  const TrainingData data(X, y, 4, TrainingData::kCodes);
  EXPECT_TRUE(proba_of(data, X, ones, 3) == proba_of(data, X, twos, 3));
}

TEST(RandomSplitter, BestThresholdSearchNeedsRanks) {
  Matrix X;
  Labels y;
  separable(50, X, y);
  const TrainingData data(X, y, 3, TrainingData::kCodes);
  tree::TreeOptions opt;
  Rng rng(1);
  tree::Workspace ws;
  tree::Tree t;
  EXPECT_THROW(t.grow(data, X, std::vector<double>(y.size(), 1.0), opt, rng, ws), std::logic_error);
}

}  // namespace random_split
