#include "models/logistic_regression.h"

#include <gtest/gtest.h>

#include <cmath>

#include "genrelab/model_registry.h"
#include "genrelab/error.h"
#include "genrelab/random.h"
#include "toy_data.h"
#include "genrelab/metrics.h"

using namespace genrelab;

namespace {

// Overlapping classes, so the optimum is interior; the same formula generated
// the scikit-learn 1.2.1 reference values below.
void reference_data(Matrix& X, Labels& y, int rows = 30) {
  X.resize(rows, 2);
  y.clear();
  for (int i = 0; i < rows; ++i) {
    const int c = i % 3;
    X(i, 0) = c + std::sin(1.7 * i);
    X(i, 1) = (c == 1 ? 1.0 : 0.0) + std::cos(2.3 * i);
    y.push_back(c);
  }
}



}  // namespace

TEST(LogisticRegression, MatchesScikitLearnCoefficients) {
  Matrix X;
  Labels y;
  reference_data(X, y);
  LogisticRegression m;
  m.set_param("tol", "1e-10");
  m.set_param("max_iter", "10000");
  m.fit(X, y, 3);
  EXPECT_TRUE(m.converged());
  // LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(X, y). Both solvers
  // also stop on a relative decrease of f below 2.2e-9, so they agree to ~1e-4.
  const double coef[3][2] = {{-1.2735488621, -0.574872637}, {-0.0034721624, 0.9424443053}, {1.2770210244, -0.3675716683}};
  const double intercept[3] = {1.3031876393, -0.0496789075, -1.2535087317};
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(m.coef()(c, 0), coef[c][0], 1e-4);
    EXPECT_NEAR(m.coef()(c, 1), coef[c][1], 1e-4);
    EXPECT_NEAR(m.intercept()(c), intercept[c], 1e-4);
  }
  Matrix q(1, 2);
  q << 0.5, 0.5;
  const Matrix P = m.predict_proba(q);
  EXPECT_NEAR(P(0, 0), 0.4255966028, 1e-4);
  EXPECT_NEAR(P(0, 1), 0.4433334652, 1e-4);
  EXPECT_NEAR(P(0, 2), 0.131069932, 1e-4);
}

TEST(LogisticRegression, DefaultToleranceIsCloseToTheOptimum) {
  Matrix X;
  Labels y;
  reference_data(X, y);
  LogisticRegression m;
  m.fit(X, y, 3);
  EXPECT_TRUE(m.converged());
  EXPECT_NEAR(m.coef()(0, 0), -1.2735488621, 1e-3);
  EXPECT_NEAR(m.intercept()(2), -1.2535087317, 1e-3);
}

TEST(LogisticRegression, SmallerCShrinksCoefficientsLikeScikitLearn) {
  Matrix X;
  Labels y;
  reference_data(X, y);
  LogisticRegression strong, weak;
  strong.set_params({{"C", "0.1"}, {"tol", "1e-10"}, {"max_iter", "10000"}});
  weak.set_params({{"C", "1"}, {"tol", "1e-10"}, {"max_iter", "10000"}});
  strong.fit(X, y, 3);
  weak.fit(X, y, 3);
  EXPECT_LT(strong.coef().norm(), 0.5 * weak.coef().norm());
  EXPECT_NEAR(strong.coef()(0, 0), -0.4977306392, 1e-4);
  EXPECT_NEAR(strong.coef()(1, 1), 0.3869818231, 1e-4);
  EXPECT_NEAR(strong.intercept()(0), 0.5335535154, 1e-4);
}

TEST(LogisticRegression, BalancedClassWeightMatchesScikitLearn) {
  Matrix X;
  Labels y;
  reference_data(X, y, 24);
  LogisticRegression m;
  m.set_params({{"class_weight", "balanced"}, {"tol", "1e-10"}, {"max_iter", "10000"}});
  m.fit(X, y, 3);
  // 24 rows of 3 classes is balanced already: the weights are all 1, the same
  // fit as unweighted; this pins the weight formula n / (classes * count).
  EXPECT_NEAR(m.coef()(0, 1), -0.6865643022, 1e-4);
  EXPECT_NEAR(m.intercept()(1), 0.0186824838, 1e-4);
}

TEST(LogisticRegression, BalancedWeightsFavourTheMinorityClass) {
  Matrix X(60, 1);
  Labels y;
  Rng rng(3);
  for (int i = 0; i < 60; ++i) {
    const int c = i < 50 ? 0 : 1;
    X(i, 0) = c * 1.0 + rng.normal();
    y.push_back(c);
  }
  LogisticRegression plain, balanced;
  balanced.set_param("class_weight", "balanced");
  plain.fit(X, y, 2);
  balanced.fit(X, y, 2);
  int plain_ones = 0, balanced_ones = 0;
  for (int v : plain.predict(X)) plain_ones += v;
  for (int v : balanced.predict(X)) balanced_ones += v;
  EXPECT_GT(balanced_ones, plain_ones + 5);
}

TEST(LogisticRegression, LearnsSeparableBlobs) {
  Matrix X, Xt;
  Labels y, yt;
  genrelab::toy::three_blobs(X, y, 50, 0.8, 1);
  genrelab::toy::three_blobs(Xt, yt, 30, 0.8, 2);
  LogisticRegression m;
  m.fit(X, y, 3);
  EXPECT_GE(accuracy(m.predict(Xt), yt), 0.97);
  const Matrix P = m.predict_proba(Xt);
  for (Eigen::Index i = 0; i < P.rows(); ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
}

TEST(LogisticRegression, InterceptIsStationaryAtTheSolution) {
  // d f / d b_c = sum_i (p_ic - [y_i = c]) = 0: predicted class totals equal counts.
  Matrix X;
  Labels y;
  genrelab::toy::three_blobs(X, y, 40, 2.0, 5);
  LogisticRegression m;
  m.fit(X, y, 3);
  const Eigen::RowVectorXd totals = m.predict_proba(X).colwise().sum();
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(totals(c), 40.0, 2e-3);
}

TEST(LogisticRegression, AbsentClassHasZeroProbability) {
  Matrix X;
  Labels y;
  genrelab::toy::three_blobs(X, y, 20, 1.0, 7);
  LogisticRegression m;
  m.fit(X, y, 4);
  const Matrix P = m.predict_proba(X);
  EXPECT_EQ(P.cols(), 4);
  EXPECT_EQ(P.col(3).cwiseAbs().maxCoeff(), 0.0);
  for (Eigen::Index i = 0; i < P.rows(); ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
  EXPECT_TRUE(m.converged());
}

TEST(LogisticRegression, SameInputSameOutput) {
  Matrix X;
  Labels y;
  genrelab::toy::three_blobs(X, y, 30, 2.0, 9);
  LogisticRegression a, b;
  a.fit(X, y, 3);
  b.fit(X, y, 3);
  EXPECT_EQ(a.predict_proba(X), b.predict_proba(X));
}

TEST(LogisticRegression, MaxIterReachedIsReportedOnce) {
  Matrix X;
  Labels y;
  genrelab::toy::three_blobs(X, y, 30, 2.0, 11);
  LogisticRegression m;
  m.set_param("max_iter", "1");
  testing::internal::CaptureStderr();
  m.fit(X, y, 3);
  m.fit(X, y, 3);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(m.converged());
  EXPECT_EQ(m.n_iter(), 1);
  EXPECT_NE(err.find("did not converge"), std::string::npos) << err;
  EXPECT_EQ(err.find("did not converge"), err.rfind("did not converge")) << err;
}

TEST(LogisticRegression, FitInterceptFalseKeepsZeroIntercepts) {
  Matrix X;
  Labels y;
  genrelab::toy::three_blobs(X, y, 20, 1.0, 13);
  LogisticRegression m;
  m.set_param("fit_intercept", "false");
  m.fit(X, y, 3);
  EXPECT_EQ(m.intercept().cwiseAbs().maxCoeff(), 0.0);
}

TEST(LogisticRegression, BadParametersAreUsageErrors) {
  LogisticRegression m;
  EXPECT_THROW(m.set_param("C", "0"), UsageError);
  EXPECT_THROW(m.set_param("C", "-1"), UsageError);
  EXPECT_THROW(m.set_param("tol", "0"), UsageError);
  EXPECT_THROW(m.set_param("max_iter", "0"), UsageError);
  EXPECT_THROW(m.set_param("class_weight", "heavy"), UsageError);
  EXPECT_THROW(m.set_param("alpha", "1"), UsageError);
  EXPECT_THROW(make_classifier("logistic_regression", {{"penalty", "l1"}}), UsageError);
  EXPECT_NO_THROW(make_classifier("logistic_regression", {{"C", "10"}, {"class_weight", "balanced"}}));
}

// Large enough for many row blocks and several chunks of the parallel loss:
// the intercepts' stationarity (predicted class totals equal the counts)
// holds only if every chunk's gradient is assembled, and one thread and two
// give the same bits because the chunks do not depend on the thread count.
TEST(LogisticRegression, ManyBlocksSameBitsOnOneAndTwoThreads) {
  Matrix X;
  Labels y;
  genrelab::toy::three_blobs(X, y, 2000, 1.5, 11);
  ASSERT_GT(X.rows(), 16 * 256);
  auto fit_on = [&](const char* jobs) {
    LogisticRegression m;
    m.set_params({{"n_jobs", jobs}, {"max_iter", "500"}});
    m.fit(X, y, 3);
    return m;
  };
  const LogisticRegression one = fit_on("1"), two = fit_on("2");
  EXPECT_EQ(one.coef(), two.coef());
  EXPECT_EQ(one.intercept(), two.intercept());
  EXPECT_TRUE(one.converged());
  const Eigen::RowVectorXd totals = one.predict_proba(X).colwise().sum();
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(totals(c), 2000.0, 0.05);
}

// The loss's AVX2 kernels and the portable loops are the same fused
// multiply-add chains in the same order, so the fitted coefficients must be
// the same bits. 13 classes (padded to 16: one 12-wide and one 4-wide class
// block), 7 features (one 4-feature block and 3 single ones), 1,003 rows (a
// last block of 235 rows, not a multiple of 4) reach every remainder loop.
TEST(LogisticRegression, PortableAndVectorKernelsGiveTheSameBits) {
  const int rows = 1003, features = 7, classes = 13;
  Matrix X(rows, features);
  Labels y(rows);
  Rng rng(5);
  for (int i = 0; i < rows; ++i) {
    y[static_cast<std::size_t>(i)] = i % classes;
    for (int j = 0; j < features; ++j) X(i, j) = rng.normal() + ((i % classes) % features == j ? 2.0 : 0.0);
  }
  auto fit_with = [&](bool portable) {
    LogisticRegression m;
    m.set_params({{"max_iter", "50"}});
    m.use_portable_kernels(portable);
    m.fit(X, y, classes);
    return m;
  };
  const LogisticRegression vec = fit_with(false), port = fit_with(true);
  EXPECT_EQ(vec.n_iter(), port.n_iter());
  EXPECT_EQ(vec.coef(), port.coef());
  EXPECT_EQ(vec.intercept(), port.intercept());
  // And the fit is a real one: well above chance (1/13) on its training rows.
  EXPECT_GT(accuracy(y, vec.predict(X)), 0.2);
}
