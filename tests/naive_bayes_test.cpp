#include "models/naive_bayes.h"

#include <gtest/gtest.h>

#include <cmath>

#include "genrelab/model_registry.h"
#include "genrelab/error.h"
#include "genrelab/random.h"
#include "toy_data.h"

using namespace genrelab;

namespace {


// The data the scikit-learn reference values below were computed on.
void reference_data(Matrix& X, Labels& y) {
  X.resize(30, 2);
  y.clear();
  for (int i = 0; i < 30; ++i) {
    const int c = i % 3;
    X(i, 0) = c + std::sin(1.7 * i);
    X(i, 1) = (c == 1 ? 1.0 : 0.0) + std::cos(2.3 * i);
    y.push_back(c);
  }
}

double normal_pdf(double x, double mean, double var) {
  return std::exp(-(x - mean) * (x - mean) / (2 * var)) / std::sqrt(2 * M_PI * var);
}

}  // namespace

TEST(NaiveBayes, HandComputedOneFeature) {
  // class 0: {0, 2} -> mean 1, var 1; class 1: {4, 6, 8} -> mean 6, var 8/3.
  Matrix X(5, 1);
  X << 0, 2, 4, 6, 8;
  NaiveBayes m;
  m.set_param("var_smoothing", "0");
  m.fit(X, {0, 0, 1, 1, 1}, 2);
  EXPECT_DOUBLE_EQ(m.means()(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(m.means()(1, 0), 6.0);
  EXPECT_DOUBLE_EQ(m.variances()(0, 0), 1.0);
  EXPECT_NEAR(m.variances()(1, 0), 8.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(m.class_prior()[0], 0.4);
  Matrix q(1, 1);
  q << 3.0;
  const double a = 0.4 * normal_pdf(3, 1, 1), b = 0.6 * normal_pdf(3, 6, 8.0 / 3);
  EXPECT_NEAR(m.predict_proba(q)(0, 0), a / (a + b), 1e-12);
}

TEST(NaiveBayes, MatchesScikitLearn) {
  Matrix X;
  Labels y;
  reference_data(X, y);
  NaiveBayes m;
  m.fit(X, y, 3);
  // GaussianNB().fit(X, y): theta_, var_ and predict_proba of (0.5, 0.5) and (3, -1).
  EXPECT_NEAR(m.means()(1, 1), 1.0067297437, 1e-9);
  EXPECT_NEAR(m.variances()(2, 0), 0.4688324942, 1e-9);
  Matrix q(2, 2);
  q << 0.5, 0.5, 3, -1;
  const Matrix P = m.predict_proba(q);
  EXPECT_NEAR(P(0, 0), 4.5863590780e-01, 1e-9);
  EXPECT_NEAR(P(0, 2), 4.8595804552e-02, 1e-9);
  EXPECT_NEAR(P(1, 0), 1.7560968716e-04, 1e-11);
  EXPECT_NEAR(P(1, 2), 9.9744465594e-01, 1e-9);
}

TEST(NaiveBayes, LearnsSeparableBlobs) {
  Matrix X, Xt;
  Labels y, yt;
  genrelab::toy::three_blobs(X, y, 40, 0.8, 1);
  genrelab::toy::three_blobs(Xt, yt, 30, 0.8, 2);
  NaiveBayes m;
  m.fit(X, y, 3);
  const Labels pred = m.predict(Xt);
  int hit = 0;
  for (std::size_t i = 0; i < yt.size(); ++i) hit += pred[i] == yt[i];
  EXPECT_GE(hit, 88);
}

TEST(NaiveBayes, FarPointsStayFiniteThanksToLogSumExp) {
  Matrix X, q(1, 2);
  Labels y;
  genrelab::toy::three_blobs(X, y, 20, 0.5, 3);
  NaiveBayes m;
  m.fit(X, y, 3);
  q << 1e4, -1e4;  // every likelihood underflows to 0 in linear space
  const Matrix P = m.predict_proba(q);
  EXPECT_TRUE(P.allFinite());
  EXPECT_NEAR(P.sum(), 1.0, 1e-12);
}

TEST(NaiveBayes, VarSmoothingFlattensProbabilities) {
  Matrix X, Xt;
  Labels y, yt;
  genrelab::toy::three_blobs(X, y, 20, 1.0, 4);
  genrelab::toy::three_blobs(Xt, yt, 10, 1.0, 5);
  NaiveBayes sharp, smooth;
  smooth.set_param("var_smoothing", "10");
  sharp.fit(X, y, 3);
  smooth.fit(X, y, 3);
  EXPECT_LT(smooth.predict_proba(Xt).rowwise().maxCoeff().mean(), sharp.predict_proba(Xt).rowwise().maxCoeff().mean() - 0.1);
}

TEST(NaiveBayes, AbsentClassNeverPredictedAndRowsSumToOne) {
  Matrix X;
  Labels y;
  genrelab::toy::three_blobs(X, y, 20, 1.0, 6);
  NaiveBayes a, b;
  a.fit(X, y, 4);
  b.fit(X, y, 4);
  const Matrix P = a.predict_proba(X);
  EXPECT_EQ(P.col(3).cwiseAbs().maxCoeff(), 0.0);
  for (Eigen::Index i = 0; i < P.rows(); ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
  EXPECT_EQ(P, b.predict_proba(X));
}

TEST(NaiveBayes, BadParametersAndInputs) {
  NaiveBayes m;
  EXPECT_THROW(m.set_param("var_smoothing", "-1"), UsageError);
  EXPECT_THROW(m.set_param("var_smoothing", "abc"), UsageError);
  EXPECT_THROW(m.set_param("priors", "0.5,0.5"), UsageError);
  EXPECT_THROW(m.predict(Matrix::Zero(2, 2)), UsageError);
  EXPECT_THROW(m.fit(Matrix::Zero(2, 2), {0}, 2), InputError);
  EXPECT_NO_THROW(make_classifier("naive_bayes", {{"var_smoothing", "1e-6"}}));
}
