#include "models/linear_svm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/random.h"
#include "toy_data.h"
#include "genrelab/metrics.h"

namespace genrelab {
namespace {



const std::vector<std::vector<double>> kThree = {{0, 0}, {4, 0}, {0, 4}};

TEST(LinearSvm, LearnsSeparableBlobsWithEverySolver) {
  Labels y, yt;
  const Matrix X = genrelab::toy::gaussian_blobs(1, 40, kThree, 0.5, y);
  const Matrix Xt = genrelab::toy::gaussian_blobs(2, 40, kThree, 0.5, yt);
  const std::vector<ParamMap> settings = {
      {},
      {{"dual", "false"}},
      {{"loss", "hinge"}},
      {{"penalty", "l1"}, {"dual", "false"}},
      {{"multi_class", "crammer_singer"}},
  };
  for (const auto& p : settings) {
    auto m = make_classifier("linear_svm", p);
    m->fit(X, y, 3);
    EXPECT_GE(accuracy(m->predict(Xt), yt), 0.97) << p.size();
  }
}

TEST(LinearSvm, SmallerCShrinksTheWeights) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(3, 50, kThree, 1.0, y);
  LinearSvmClassifier weak, strong;
  weak.set_param("C", "0.001");
  strong.set_param("C", "10");
  weak.fit(X, y, 3);
  strong.fit(X, y, 3);
  EXPECT_LT(weak.coef().norm() * 5, strong.coef().norm());
}

TEST(LinearSvm, InterceptIsLearntOnlyWhenAsked) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(4, 40, {{10, 10}, {10, 14}}, 0.5, y);
  LinearSvmClassifier with, without;
  without.set_param("fit_intercept", "false");
  with.fit(X, y, 2);
  without.fit(X, y, 2);
  EXPECT_EQ(without.intercept().cwiseAbs().maxCoeff(), 0.0);
  EXPECT_GT(std::abs(with.intercept()(0)), 1.0);
  EXPECT_GE(accuracy(with.predict(X), y), 0.97);
  // Two classes: one decision function, stored as w for one class and -w for the other.
  EXPECT_TRUE(with.coef().row(0).isApprox(-with.coef().row(1)));
  EXPECT_DOUBLE_EQ(with.intercept()(0), -with.intercept()(1));
}

TEST(LinearSvm, ProbaRowsSumToOneWithAColumnPerClassEvenWhenAClassIsAbsent) {
  Labels y3;
  const Matrix X = genrelab::toy::gaussian_blobs(5, 30, kThree, 0.6, y3);
  Labels y;
  for (int c : y3) y.push_back(c == 0 ? 0 : c + 1);  // codes 0, 2, 3 of 4
  LinearSvmClassifier m;
  m.fit(X, y, 4);
  const Matrix P = m.predict_proba(X);
  ASSERT_EQ(P.cols(), 4);
  const Labels pred = m.predict(X);
  for (Eigen::Index i = 0; i < P.rows(); ++i) {
    EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
    EXPECT_EQ(P(i, 1), 0.0);
    EXPECT_EQ(argmax_row(P, i), pred[static_cast<std::size_t>(i)]);
  }
  EXPECT_GE(accuracy(pred, y), 0.97);
  EXPECT_TRUE(std::isinf(m.decision_function(X)(0, 1)));
}

TEST(LinearSvm, SameSeedSameModel) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(6, 60, {{0, 0}, {1, 0}, {0, 1}}, 1.0, y);
  auto fit = [&](const char* seed) {
    LinearSvmClassifier m;
    m.set_params({{"random_state", seed}, {"tol", "0.1"}});
    m.fit(X, y, 3);
    return Matrix(m.coef());
  };
  EXPECT_EQ(fit("5"), fit("5"));
  // With a loose tolerance the coordinate order (the seed) shows in the result.
  EXPECT_GT((fit("5") - fit("6")).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(LinearSvm, ParallelFitsRepeatSequentialOnes) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(16, 60, {{0, 0}, {1, 0}, {0, 1}}, 1.0, y);
  auto fit = [&](const char* seed) {
    LinearSvmClassifier m;
    m.set_params({{"random_state", seed}, {"tol", "0.1"}});
    m.fit(X, y, 3);
    return Matrix(m.coef());
  };
  const Matrix a = fit("1"), b = fit("2");
  std::vector<Matrix> par(8);
#pragma omp parallel for
  for (int i = 0; i < 8; ++i) par[static_cast<std::size_t>(i)] = fit(i % 2 ? "2" : "1");
  for (int i = 0; i < 8; ++i) EXPECT_EQ(par[static_cast<std::size_t>(i)], i % 2 ? b : a);
}

TEST(LinearSvm, ClassWeightBalancedFavoursTheRareClass) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(7, 100, {{0, 0}, {1, 0}}, 1.0, y);
  const Matrix Xs = X.topRows(115);  // all of class 0, 15 rows of class 1
  const Labels ys(y.begin(), y.begin() + 115);
  auto count_rare = [&](const char* cw) {
    LinearSvmClassifier m;
    m.set_param("class_weight", cw);
    m.fit(Xs, ys, 2);
    const Labels p = m.predict(Xs);
    return std::count(p.begin(), p.end(), 1);
  };
  EXPECT_GT(count_rare("balanced"), count_rare("None"));
}

TEST(LinearSvm, SingleClassFoldPredictsThatClass) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(8, 10, {{0, 0}}, 1.0, y);
  for (int& c : y) c = 1;
  LinearSvmClassifier m;
  m.fit(X, y, 2);
  EXPECT_EQ(m.predict(X), Labels(10, 1));
  EXPECT_EQ(m.predict_proba(X).col(1).sum(), 10.0);
}

TEST(LinearSvm, RejectsUnknownOutOfRangeAndUnsupportedCombinations) {
  EXPECT_THROW(make_classifier("linear_svm", {{"alpha", "1"}}), UsageError);
  EXPECT_THROW(make_classifier("linear_svm", {{"C", "0"}}), UsageError);
  EXPECT_THROW(make_classifier("linear_svm", {{"tol", "-1"}}), UsageError);
  EXPECT_THROW(make_classifier("linear_svm", {{"max_iter", "500"}}), UsageError);
  EXPECT_THROW(make_classifier("linear_svm", {{"penalty", "elasticnet"}}), UsageError);
  EXPECT_NO_THROW(make_classifier("linear_svm", {{"max_iter", "1000"}}));
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(9, 10, kThree, 0.5, y);
  for (const ParamMap& bad : std::vector<ParamMap>{{{"penalty", "l1"}},
                                                   {{"penalty", "l1"}, {"loss", "hinge"}, {"dual", "false"}},
                                                   {{"loss", "hinge"}, {"dual", "false"}}}) {
    auto m = make_classifier("linear_svm", bad);
    EXPECT_THROW(m->fit(X, y, 3), UsageError);
  }
}

}  // namespace
}  // namespace genrelab
