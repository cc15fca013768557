#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "genrelab/error.h"
#include "genrelab/forest.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"
#include "models/random_forest.h"
#include "genrelab/metrics.h"

using namespace genrelab;

namespace {

void separable(int n, Matrix& X, Labels& y, std::uint64_t seed = 1) {
  Rng rng(seed);
  X.resize(n, 3);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    for (int f = 0; f < 3; ++f) X(i, f) = rng.uniform();
    y[static_cast<std::size_t>(i)] = X(i, 0) < 0.3 ? 0 : (X(i, 0) < 0.7 ? 1 : 2);
  }
}

// Gaussian classes around random centres in p dimensions, the first
// `informative` features carrying the signal, the rest pure noise.
void blobs(int n, int p, int informative, int k, Matrix& X, Labels& y, std::uint64_t seed, double spread = 1.0) {
  Rng rng(seed);
  Matrix centres(k, p);
  for (int c = 0; c < k; ++c)
    for (int f = 0; f < p; ++f) centres(c, f) = f < informative ? 2.0 * rng.normal() : 0.0;
  X.resize(n, p);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int c = static_cast<int>(rng.uniform_index(static_cast<std::uint64_t>(k)));
    y[static_cast<std::size_t>(i)] = c;
    for (int f = 0; f < p; ++f) X(i, f) = centres(c, f) + spread * rng.normal();
  }
}


Matrix rows_of(const Matrix& X, int from, int to) { return X.middleRows(from, to - from); }
Labels slice(const Labels& y, int from, int to) { return Labels(y.begin() + from, y.begin() + to); }

}  // namespace

TEST(Forest, FitsSeparableDataPerfectly) {
  Matrix X;
  Labels y;
  separable(300, X, y);
  for (const char* name : {"random_forest", "extra_trees"}) {
    auto model = make_classifier(name, {{"n_estimators", "20"}});
    model->fit(X, y, 3);
    EXPECT_EQ(model->predict(X), y) << name;
    EXPECT_FALSE(model->scale_sensitive());
  }
}

TEST(Forest, SameSeedSameForestOnOneOrTwoThreads) {
  Matrix X;
  Labels y;
  blobs(600, 6, 4, 5, X, y, 3);
  for (const char* name : {"random_forest", "extra_trees"}) {
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    auto one = make_classifier(name, {{"n_estimators", "30"}, {"random_state", "7"}});
    one->fit(X, y, 5);
    const Matrix P1 = one->predict_proba(X);
    omp_set_num_threads(2);
    auto two = make_classifier(name, {{"n_estimators", "30"}, {"random_state", "7"}});
    two->fit(X, y, 5);
    const Matrix P2 = two->predict_proba(X);
    omp_set_num_threads(saved);
    EXPECT_TRUE(P1 == P2) << name;  // bit for bit, not approximately
    EXPECT_EQ(one->feature_importances(), two->feature_importances()) << name;
  }
}

TEST(Forest, DifferentSeedsGiveDifferentForests) {
  Matrix X;
  Labels y;
  blobs(400, 6, 4, 4, X, y, 4);
  auto a = make_classifier("random_forest", {{"n_estimators", "10"}, {"random_state", "1"}});
  auto b = make_classifier("random_forest", {{"n_estimators", "10"}, {"random_state", "2"}});
  a->fit(X, y, 4);
  b->fit(X, y, 4);
  EXPECT_GT((a->predict_proba(X) - b->predict_proba(X)).cwiseAbs().maxCoeff(), 0.05);
}

TEST(Forest, ProbabilitiesAreAveragedTreeProbabilities) {
  Matrix X;
  Labels y;
  blobs(500, 5, 3, 6, X, y, 5, 2.0);
  auto model = make_classifier("random_forest", {{"n_estimators", "25"}, {"max_depth", "4"}});
  model->fit(X, y, 6);
  const Matrix P = model->predict_proba(X);
  for (Eigen::Index i = 0; i < P.rows(); ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
  const auto& forest = dynamic_cast<RandomForest&>(*model);
  Matrix mean = Matrix::Zero(P.rows(), P.cols());
  for (const auto& tree : forest.trees()) mean += tree.predict_proba(X);
  mean /= 25.0;
  EXPECT_LT((mean - P).cwiseAbs().maxCoeff(), 1e-12);
  for (const auto& tree : forest.trees()) EXPECT_LE(tree.depth(), 4);
}

TEST(Forest, MoreTreesAndMoreDepthChangeBehaviour) {
  Matrix X, Xt;
  Labels y, yt;
  blobs(2000, 8, 5, 6, X, y, 6, 2.5);
  Xt = rows_of(X, 1500, 2000);
  yt = slice(y, 1500, 2000);
  const Matrix Xtr = rows_of(X, 0, 1500);
  const Labels ytr = slice(y, 0, 1500);
  auto score = [&](const ParamMap& params) {
    auto model = make_classifier("random_forest", params);
    model->fit(Xtr, ytr, 6);
    return accuracy(model->predict(Xt), yt);
  };
  const double one_tree = score({{"n_estimators", "1"}});
  const double many_trees = score({{"n_estimators", "100"}});
  const double stumps = score({{"n_estimators", "100"}, {"max_depth", "1"}});
  EXPECT_GT(many_trees, one_tree + 0.03);
  EXPECT_GT(many_trees, stumps + 0.03);
}

TEST(Forest, ImportancesSumToOneAndFindTheInformativeFeatures) {
  Matrix X;
  Labels y;
  blobs(800, 8, 2, 4, X, y, 7);
  for (const char* name : {"random_forest", "extra_trees"}) {
    auto model = make_classifier(name, {{"n_estimators", "30"}});
    model->fit(X, y, 4);
    const auto imp = model->feature_importances();
    ASSERT_EQ(imp.size(), 8u);
    EXPECT_NEAR(std::accumulate(imp.begin(), imp.end(), 0.0), 1.0, 1e-12);
    EXPECT_GT(imp[0] + imp[1], 0.6) << name;
  }
}

TEST(Forest, BootstrapIsPerSampleWeightsSoLeavesCountDistinctRows) {
  Matrix X;
  Labels y;
  blobs(500, 4, 3, 3, X, y, 8, 2.0);
  RandomForest forest(false);
  forest.set_params({{"n_estimators", "10"}, {"min_samples_leaf", "5"}});
  forest.fit(X, y, 3);
  for (const auto& tree : forest.trees()) {
    const auto counts = tree.leaf_sample_counts();
    EXPECT_GE(*std::min_element(counts.begin(), counts.end()), 5);
    const int distinct = std::accumulate(counts.begin(), counts.end(), 0);
    // n draws with replacement hit about 63 % of the rows.
    EXPECT_GT(distinct, 280);
    EXPECT_LT(distinct, 350);
  }
  RandomForest small(false);
  small.set_params({{"n_estimators", "5"}, {"max_samples", "50"}});
  small.fit(X, y, 3);
  for (const auto& tree : small.trees()) {
    const auto counts = tree.leaf_sample_counts();
    EXPECT_LE(std::accumulate(counts.begin(), counts.end(), 0), 50);
  }
  RandomForest extra(true);  // extra trees: every tree sees every row
  extra.set_param("n_estimators", "3");
  extra.fit(X, y, 3);
  for (const auto& tree : extra.trees()) {
    const auto counts = tree.leaf_sample_counts();
    EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0), 500);
  }
}

TEST(Forest, OutOfBagScoreIsCloseToCrossValidatedAccuracy) {
  Matrix X;
  Labels y;
  blobs(1000, 6, 4, 5, X, y, 9, 2.5);
  auto model = make_classifier("random_forest", {{"n_estimators", "100"}, {"oob_score", "true"}});
  model->fit(X, y, 5);
  const auto oob = oob_score(*model);
  ASSERT_TRUE(oob.has_value());
  // 5-fold CV on the same rows (they are in random order already).
  double cv = 0.0;
  for (int fold = 0; fold < 5; ++fold) {
    std::vector<int> train, test;
    for (int i = 0; i < 1000; ++i) (i % 5 == fold ? test : train).push_back(i);
    auto m = make_classifier("random_forest", {{"n_estimators", "100"}});
    m->fit(take_rows(X, train), take(y, train), 5);
    cv += accuracy(m->predict(take_rows(X, test)), take(y, test)) / 5.0;
  }
  EXPECT_GT(cv, 0.5);
  EXPECT_LT(cv, 0.95);  // a problem with room for error, so the comparison means something
  EXPECT_NEAR(*oob, cv, 0.04);
}

TEST(Forest, OobScoreOnlyWhenAskedAndWithBootstrap) {
  Matrix X;
  Labels y;
  separable(100, X, y);
  auto plain = make_classifier("random_forest", {{"n_estimators", "5"}});
  plain->fit(X, y, 3);
  EXPECT_FALSE(oob_score(*plain).has_value());
  EXPECT_THROW(dynamic_cast<RandomForest&>(*plain).oob_score(), UsageError);
  auto no_bootstrap = make_classifier("random_forest", {{"oob_score", "true"}, {"bootstrap", "false"}});
  EXPECT_THROW(no_bootstrap->fit(X, y, 3), UsageError);
  auto extra = make_classifier("extra_trees", {{"oob_score", "true"}});  // bootstrap defaults to false
  EXPECT_THROW(extra->fit(X, y, 3), UsageError);
  auto samples = make_classifier("extra_trees", {{"max_samples", "0.5"}});
  EXPECT_THROW(samples->fit(X, y, 3), UsageError);
}

TEST(Forest, ClassWeightsFavourTheRareClass) {
  Rng rng(10);
  const int n = 1500;
  Matrix X(n, 2);
  Labels y(n);
  for (int i = 0; i < n; ++i) {
    const int label = i % 10 == 0 ? 1 : 0;
    X(i, 0) = rng.normal() + (label == 1 ? 1.0 : 0.0);
    X(i, 1) = rng.normal();
    y[static_cast<std::size_t>(i)] = label;
  }
  auto ones = [&](const std::string& cw) {
    auto model = make_classifier("random_forest", {{"n_estimators", "30"}, {"max_depth", "3"}, {"class_weight", cw}});
    model->fit(X, y, 2);
    const Labels p = model->predict(X);
    return std::count(p.begin(), p.end(), 1);
  };
  EXPECT_LT(ones("None"), 30);
  EXPECT_GT(ones("balanced"), 300);
  EXPECT_GT(ones("balanced_subsample"), 300);
}

TEST(Forest, RejectsBadParameters) {
  RandomForest forest(false);
  EXPECT_THROW(forest.set_param("n_trees", "10"), UsageError);
  EXPECT_THROW(forest.set_param("n_estimators", "0"), UsageError);
  EXPECT_THROW(forest.set_param("n_jobs", "0"), UsageError);
  EXPECT_THROW(forest.set_param("max_features", "auto"), UsageError);
  EXPECT_THROW(forest.set_param("bootstrap", "maybe"), UsageError);
  EXPECT_THROW(forest.set_param("class_weight", "even"), UsageError);
  EXPECT_THROW(forest.set_param("random_state", "-1"), UsageError);
  Matrix X;
  Labels y;
  separable(60, X, y);
  forest.set_param("max_samples", "61");
  EXPECT_THROW(forest.fit(X, y, 3), UsageError);
  forest.set_param("max_samples", "1.5");
  EXPECT_THROW(forest.fit(X, y, 3), UsageError);
  forest.set_params({{"max_samples", "None"}, {"max_features", "4"}});
  EXPECT_THROW(forest.fit(X, y, 3), UsageError);
  EXPECT_THROW(forest.predict_proba(X), UsageError);
  EXPECT_EQ(make_classifier("extra_trees")->params().at("bootstrap"), "false");
  EXPECT_EQ(make_classifier("random_forest")->params().at("max_features"), "sqrt");
}
