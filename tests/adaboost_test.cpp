#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"
#include "models/adaboost.h"
#include "genrelab/metrics.h"

using namespace genrelab;

namespace {


// Class 1 inside an interval of feature 0, class 0 on both sides: one stump
// can cut only one side off, a weighted sum of stumps can do both.
void interval(int n, Matrix& X, Labels& y, std::uint64_t seed) {
  Rng rng(seed);
  X.resize(n, 2);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    X(i, 0) = rng.uniform();
    X(i, 1) = rng.uniform();
    y[static_cast<std::size_t>(i)] = X(i, 0) > 0.3 && X(i, 0) < 0.7 ? 1 : 0;
  }
}

}  // namespace

TEST(AdaBoost, BeatsASingleStump) {
  Matrix X, Xt;
  Labels y, yt;
  interval(600, X, y, 1);
  interval(400, Xt, yt, 2);
  auto stump = make_classifier("decision_tree", {{"max_depth", "1"}});
  stump->fit(X, y, 2);
  auto boost = make_classifier("adaboost", {{"n_estimators", "200"}});
  boost->fit(X, y, 2);
  const double stump_acc = accuracy(stump->predict(Xt), yt);
  const double boost_acc = accuracy(boost->predict(Xt), yt);
  EXPECT_GT(boost_acc, stump_acc + 0.1) << stump_acc << " vs " << boost_acc;
  EXPECT_GT(boost_acc, 0.95);
  auto& ada = dynamic_cast<AdaBoost&>(*boost);
  EXPECT_EQ(ada.n_fitted_estimators(), 200);
  for (double e : ada.estimator_errors()) EXPECT_LT(e, 0.5);
}

TEST(AdaBoost, MoreRoundsFitTrainingDataBetter) {
  Matrix X;
  Labels y;
  interval(500, X, y, 3);
  auto few = make_classifier("adaboost", {{"n_estimators", "1"}});
  auto many = make_classifier("adaboost", {{"n_estimators", "100"}});
  few->fit(X, y, 2);
  many->fit(X, y, 2);
  EXPECT_GT(accuracy(many->predict(X), y), accuracy(few->predict(X), y) + 0.1);
}

TEST(AdaBoost, PerfectFirstTreeStopsWithUnitWeightAndSammeProbabilities) {
  // Binary, separable by one stump: decision d = 1 for the predicted class, so
  // the probabilities are softmax(-1/2, 1/2) as in scikit-learn 1.2.
  Matrix X(6, 1);
  X << 0, 1, 2, 10, 11, 12;
  const Labels y{0, 0, 0, 1, 1, 1};
  AdaBoost boost;
  boost.fit(X, y, 2);
  EXPECT_EQ(boost.n_fitted_estimators(), 1);
  EXPECT_DOUBLE_EQ(boost.estimator_weights()[0], 1.0);
  const Matrix P = boost.predict_proba(X);
  const double hi = 1.0 / (1.0 + std::exp(-1.0));
  EXPECT_NEAR(P(0, 0), hi, 1e-12);
  EXPECT_NEAR(P(5, 1), hi, 1e-12);
  EXPECT_NEAR(P(5, 0), 1.0 - hi, 1e-12);

  // Three classes, one depth-2 tree separates them: softmax of one-hot / (K-1).
  Matrix X3(9, 1);
  X3 << 0, 1, 2, 10, 11, 12, 20, 21, 22;
  const Labels y3{0, 0, 0, 1, 1, 1, 2, 2, 2};
  AdaBoost boost3;
  boost3.set_param("max_depth", "2");
  boost3.fit(X3, y3, 3);
  const Matrix P3 = boost3.predict_proba(X3);
  const double top = std::exp(0.5) / (std::exp(0.5) + 2.0);
  EXPECT_NEAR(P3(4, 1), top, 1e-12);
  EXPECT_NEAR(P3(4, 0), 1.0 / (std::exp(0.5) + 2.0), 1e-12);
  EXPECT_EQ(boost3.predict(X3), y3);
}

TEST(AdaBoost, MulticlassProbabilitiesSumToOneAndImportancesToo) {
  Rng rng(4);
  const int n = 600;
  Matrix X(n, 4);
  Labels y(n);
  for (int i = 0; i < n; ++i) {
    for (int f = 0; f < 4; ++f) X(i, f) = rng.uniform();
    y[static_cast<std::size_t>(i)] = static_cast<int>(X(i, 2) * 4.0);
  }
  AdaBoost boost;
  boost.set_params({{"n_estimators", "30"}, {"max_depth", "2"}, {"learning_rate", "0.5"}});
  boost.fit(X, y, 5);  // class 4 never seen
  const Matrix P = boost.predict_proba(X);
  ASSERT_EQ(P.cols(), 5);
  for (Eigen::Index i = 0; i < n; ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
  EXPECT_EQ(P.col(4).maxCoeff(), 0.0);
  // scikit-learn 1.2 reaches 0.78 on data drawn the same way.
  EXPECT_GT(accuracy(boost.predict(X), y), 0.7);
  const auto imp = boost.feature_importances();
  EXPECT_NEAR(std::accumulate(imp.begin(), imp.end(), 0.0), 1.0, 1e-9);
  EXPECT_GT(imp[2], 0.8);
}

TEST(AdaBoost, RejectsBadParameters) {
  auto model = make_classifier("adaboost");
  EXPECT_EQ(model->params().at("n_estimators"), "50");
  EXPECT_THROW(model->set_param("learning_rate", "0"), UsageError);
  EXPECT_THROW(model->set_param("algorithm", "SAMME.R"), UsageError);
  EXPECT_THROW(model->set_param("max_depth", "0"), UsageError);
  EXPECT_THROW(model->set_param("base_estimator", "tree"), UsageError);
  EXPECT_THROW(model->predict(Matrix::Zero(2, 2)), UsageError);
}
