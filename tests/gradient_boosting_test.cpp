#include "models/gradient_boosting.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"
#include "toy_data.h"
#include "genrelab/metrics.h"

namespace genrelab {
namespace {


// Class = sign(x0) xor sign(x1): no sum of one-feature functions can express it.
Matrix xor_data(std::uint64_t seed, int n, Labels& y) {
  Rng rng(seed);
  Matrix X(n, 2);
  y.clear();
  for (int i = 0; i < n; ++i) {
    X(i, 0) = rng.uniform() * 2 - 1;
    X(i, 1) = rng.uniform() * 2 - 1;
    y.push_back((X(i, 0) > 0) != (X(i, 1) > 0) ? 1 : 0);
  }
  return X;
}


double log_loss(const Matrix& P, const Labels& y) {
  double s = 0;
  for (std::size_t i = 0; i < y.size(); ++i) s -= std::log(P(static_cast<Eigen::Index>(i), y[i]));
  return s / static_cast<double>(y.size());
}

const std::vector<std::vector<double>> kThree = {{0, 0}, {4, 0}, {0, 4}};

TEST(GradientBoosting, LearnsSeparableBlobs) {
  Labels y, yt;
  const Matrix X = genrelab::toy::gaussian_blobs(1, 40, kThree, 0.5, y);
  const Matrix Xt = genrelab::toy::gaussian_blobs(2, 40, kThree, 0.5, yt);
  auto m = make_classifier("gradient_boosting", {{"n_jobs", "1"}});
  EXPECT_FALSE(m->scale_sensitive());
  m->fit(X, y, 3);
  EXPECT_GE(accuracy(m->predict(Xt), yt), 0.97);
}

TEST(GradientBoosting, MoreRoundsFitTrainingDataCloser) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(3, 60, {{0, 0}, {1, 0}, {0, 1}}, 1.0, y);
  GradientBoostingClassifier few, many;
  few.set_params({{"n_estimators", "3"}, {"n_jobs", "1"}});
  many.set_params({{"n_estimators", "60"}, {"n_jobs", "1"}});
  few.fit(X, y, 3);
  many.fit(X, y, 3);
  EXPECT_EQ(few.boosted_rounds(), 3);
  EXPECT_EQ(many.boosted_rounds(), 60);
  EXPECT_LT(log_loss(many.predict_proba(X), y) + 0.3, log_loss(few.predict_proba(X), y));
}

TEST(GradientBoosting, DepthOneCannotLearnXorDepthTwoCan) {
  Labels y, yt;
  const Matrix X = xor_data(4, 400, y);
  const Matrix Xt = xor_data(5, 400, yt);
  GradientBoostingClassifier stumps, deeper;
  stumps.set_params({{"max_depth", "1"}, {"n_jobs", "1"}});
  deeper.set_params({{"max_depth", "2"}, {"n_jobs", "1"}});
  stumps.fit(X, y, 2);
  deeper.fit(X, y, 2);
  EXPECT_LT(accuracy(stumps.predict(Xt), yt), 0.7);
  EXPECT_GT(accuracy(deeper.predict(Xt), yt), 0.95);
}

TEST(GradientBoosting, ProbaRowsSumToOneWithAColumnPerClassEvenWhenAClassIsAbsent) {
  Labels y3;
  const Matrix X = genrelab::toy::gaussian_blobs(6, 30, kThree, 0.6, y3);
  Labels y;
  for (int c : y3) y.push_back(c == 0 ? 0 : c + 1);  // codes 0, 2, 3 of 4
  GradientBoostingClassifier m;
  m.set_param("n_jobs", "1");
  m.fit(X, y, 4);
  const Matrix P = m.predict_proba(X);
  ASSERT_EQ(P.cols(), 4);
  for (Eigen::Index i = 0; i < P.rows(); ++i) {
    EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
    EXPECT_EQ(P(i, 1), 0.0);
  }
  EXPECT_GE(accuracy(m.predict(X), y), 0.97);
}

TEST(GradientBoosting, SingleClassFoldPredictsThatClass) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(7, 10, {{0, 0}}, 1.0, y);
  for (int& c : y) c = 1;
  GradientBoostingClassifier m;
  m.fit(X, y, 3);
  EXPECT_EQ(m.predict(X), Labels(10, 1));
  EXPECT_EQ(m.predict_proba(X).col(1).sum(), 10.0);
}

TEST(GradientBoosting, SameSeedSameModelDifferentSeedDifferent) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(8, 60, {{0, 0}, {1, 0}, {0, 1}}, 1.0, y);
  auto fit = [&](const char* seed) {
    GradientBoostingClassifier m;
    m.set_params({{"n_jobs", "1"}, {"random_state", seed}, {"subsample", "0.5"}, {"colsample_bytree", "0.5"}, {"n_estimators", "20"}});
    m.fit(X, y, 3);
    return m.predict_proba(X);
  };
  EXPECT_EQ(fit("1"), fit("1"));
  EXPECT_GT((fit("1") - fit("2")).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(GradientBoosting, OneAndTwoThreadsGiveIdenticalResults) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(9, 300, {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 1.0, y);
  auto fit = [&](const char* jobs) {
    GradientBoostingClassifier m;
    m.set_params({{"n_jobs", jobs}, {"subsample", "0.8"}, {"n_estimators", "30"}});
    m.fit(X, y, 4);
    return m.predict_proba(X);
  };
  const Matrix one = fit("1"), two = fit("2");
  EXPECT_EQ(one, two);
}

TEST(GradientBoosting, InsideAParallelRegionRequestedThreadsDoNotBreakTheModel) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(14, 100, {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 1.0, y);
  auto fit = [&] {
    GradientBoostingClassifier m;
    m.set_params({{"n_jobs", "2"}, {"n_estimators", "20"}});
    m.fit(X, y, 4);
    return m.predict_proba(X);
  };
  const Matrix outside = fit();
  std::vector<Matrix> inside(2);
#pragma omp parallel for num_threads(2)
  for (int i = 0; i < 2; ++i) inside[static_cast<std::size_t>(i)] = fit();
  for (const Matrix& m : inside) EXPECT_EQ(m, outside);
}

TEST(GradientBoosting, GainImportancesFindTheInformativeFeature) {
  Rng rng(10);
  const int n = 300;
  Matrix X(n, 4);
  Labels y;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) X(i, j) = rng.normal();
    X(i, 3) = 1.0;  // constant: can never be split on
    y.push_back(X(i, 1) > 0.3 ? 1 : 0);
  }
  GradientBoostingClassifier m;
  m.set_params({{"n_estimators", "20"}, {"n_jobs", "1"}});
  m.fit(X, y, 2);
  const auto imp = m.feature_importances();
  ASSERT_EQ(imp.size(), 4u);
  double sum = 0;
  for (double v : imp) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GT(imp[1], 0.8);
  EXPECT_EQ(imp[3], 0.0);
}

TEST(GradientBoosting, EarlyStoppingKeepsTheBestRound) {
  Labels y;
  // Heavy overlap and a high learning rate: validation loss bottoms out early.
  const Matrix X = genrelab::toy::gaussian_blobs(11, 150, {{0, 0}, {0.3, 0}, {0, 0.3}}, 1.0, y);
  GradientBoostingClassifier m;
  m.set_params({{"n_estimators", "200"}, {"learning_rate", "0.5"}, {"early_stopping_rounds", "5"}, {"n_jobs", "1"}});
  m.fit(X, y, 3);
  EXPECT_LT(m.best_iteration(), 100);
  EXPECT_EQ(m.boosted_rounds(), m.best_iteration() + 1 + 5);
  // Predictions use only the trees up to the best round.
  const auto contrib = m.contributions(X.topRows(5));
  const Matrix margin = m.predict_margin(X.topRows(5));
  for (int c = 0; c < 3; ++c)
    for (Eigen::Index i = 0; i < 5; ++i)
      EXPECT_NEAR(contrib[static_cast<std::size_t>(c)].row(i).sum(), margin(i, c), 1e-4);

  GradientBoostingClassifier same;
  same.set_params(m.params());
  same.fit(X, y, 3);
  EXPECT_EQ(same.best_iteration(), m.best_iteration());
  EXPECT_EQ(same.predict_proba(X), m.predict_proba(X));
}

TEST(GradientBoosting, ContributionsSumToMarginsAndSoftmaxGivesProba) {
  Labels y3;
  const Matrix X = genrelab::toy::gaussian_blobs(12, 30, kThree, 1.0, y3);
  Labels y;
  for (int c : y3) y.push_back(c == 2 ? 3 : c);  // code 2 of 4 absent
  GradientBoostingClassifier m;
  m.set_params({{"n_estimators", "15"}, {"n_jobs", "1"}});
  m.fit(X, y, 4);
  const auto C = m.contributions(X);
  const Matrix M = m.predict_margin(X);
  const Matrix P = m.predict_proba(X);
  ASSERT_EQ(C.size(), 4u);
  EXPECT_EQ(C[2].cwiseAbs().maxCoeff(), 0.0);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    double z = 0;
    for (int c : {0, 1, 3}) {
      EXPECT_EQ(C[static_cast<std::size_t>(c)].cols(), 3);
      EXPECT_NEAR(C[static_cast<std::size_t>(c)].row(i).sum(), M(i, c), 1e-4);
      z += std::exp(M(i, c));
    }
    for (int c : {0, 1, 3}) EXPECT_NEAR(std::exp(M(i, c)) / z, P(i, c), 1e-5);
  }
}

TEST(GradientBoosting, ModelBytesRoundTrip) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(13, 30, kThree, 1.0, y);
  GradientBoostingClassifier m;
  m.set_params({{"n_estimators", "10"}, {"early_stopping_rounds", "3"}, {"n_jobs", "1"}});
  m.fit(X, y, 5);
  for (const char* format : {"ubj", "json"}) {
    const std::string bytes = m.model_bytes(format);
    GradientBoostingClassifier back;
    back.load_model_bytes(bytes);
    EXPECT_EQ(back.n_classes(), 5);
    EXPECT_EQ(back.best_iteration(), m.best_iteration());
    EXPECT_EQ(back.predict_proba(X), m.predict_proba(X)) << format;
  }
  GradientBoostingClassifier foreign;
  EXPECT_ANY_THROW(foreign.load_model_bytes("not a model"));
  EXPECT_THROW(m.model_bytes("pickle"), UsageError);
}

TEST(GradientBoosting, RejectsUnknownAndOutOfRangeParameters) {
  EXPECT_THROW(make_classifier("gradient_boosting", {{"eta", "0.1"}}), UsageError);
  EXPECT_THROW(make_classifier("gradient_boosting", {{"n_estimators", "0"}}), UsageError);
  EXPECT_THROW(make_classifier("gradient_boosting", {{"learning_rate", "0"}}), UsageError);
  EXPECT_THROW(make_classifier("gradient_boosting", {{"subsample", "1.5"}}), UsageError);
  EXPECT_THROW(make_classifier("gradient_boosting", {{"max_depth", "None"}}), UsageError);
  EXPECT_THROW(make_classifier("gradient_boosting", {{"n_jobs", "0"}}), UsageError);
  EXPECT_THROW(make_classifier("gradient_boosting", {{"validation_fraction", "1"}}), UsageError);
  EXPECT_THROW(make_classifier("gradient_boosting", {{"validation_fraction", "0"}}), UsageError);
  EXPECT_NO_THROW(make_classifier("gradient_boosting", {{"n_jobs", "-1"}, {"early_stopping_rounds", "None"}}));
  GradientBoostingClassifier m;
  EXPECT_THROW(m.predict(Matrix::Zero(2, 2)), UsageError);
}

}  // namespace
}  // namespace genrelab
