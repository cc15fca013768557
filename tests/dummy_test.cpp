#include <gtest/gtest.h>

#include <algorithm>

#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"

using namespace genrelab;

namespace {

// 3 classes in proportions 0.5 / 0.3 / 0.2; class 3 declared but absent.
void data(Matrix& X, Labels& y) {
  X = Matrix::Zero(100, 2);
  y.assign(100, 0);
  for (int i = 50; i < 80; ++i) y[static_cast<std::size_t>(i)] = 1;
  for (int i = 80; i < 100; ++i) y[static_cast<std::size_t>(i)] = 2;
}

std::vector<double> frequencies(const Labels& p, int k) {
  std::vector<double> f(static_cast<std::size_t>(k), 0.0);
  for (int label : p) f[static_cast<std::size_t>(label)] += 1.0 / static_cast<double>(p.size());
  return f;
}

}  // namespace

TEST(Dummy, PriorIsTheDefaultAndReturnsClassFrequencies) {
  Matrix X;
  Labels y;
  data(X, y);
  auto model = make_classifier("dummy");
  EXPECT_EQ(model->params().at("strategy"), "prior");
  model->fit(X, y, 4);
  const Matrix P = model->predict_proba(Matrix::Zero(5, 2));
  for (int i = 0; i < 5; ++i) {
    EXPECT_DOUBLE_EQ(P(i, 0), 0.5);
    EXPECT_DOUBLE_EQ(P(i, 1), 0.3);
    EXPECT_DOUBLE_EQ(P(i, 2), 0.2);
    EXPECT_DOUBLE_EQ(P(i, 3), 0.0);
  }
  EXPECT_EQ(model->predict(Matrix::Zero(3, 2)), (Labels{0, 0, 0}));
  EXPECT_FALSE(model->scale_sensitive());
  EXPECT_TRUE(model->feature_importances().empty());
}

TEST(Dummy, MostFrequentIsOneHotAndTiesGoToTheLowestCode) {
  auto model = make_classifier("dummy", {{"strategy", "most_frequent"}});
  model->fit(Matrix::Zero(4, 1), {2, 1, 2, 1}, 3);
  const Matrix P = model->predict_proba(Matrix::Zero(2, 1));
  EXPECT_EQ(P(0, 1), 1.0);
  EXPECT_EQ(P.row(0).sum(), 1.0);
  EXPECT_EQ(model->predict(Matrix::Zero(2, 1)), (Labels{1, 1}));
}

TEST(Dummy, StratifiedDrawsOneHotRowsByFrequencyAndRepeats) {
  Matrix X;
  Labels y;
  data(X, y);
  auto model = make_classifier("dummy", {{"strategy", "stratified"}, {"random_state", "3"}});
  model->fit(X, y, 4);
  const Matrix big = Matrix::Zero(20000, 2);
  const Matrix P = model->predict_proba(big);
  for (Eigen::Index i = 0; i < 50; ++i) {
    EXPECT_EQ(P.row(i).sum(), 1.0);
    EXPECT_EQ(P.row(i).maxCoeff(), 1.0);
  }
  const Labels predicted = model->predict(big);
  const auto f = frequencies(predicted, 4);
  EXPECT_NEAR(f[0], 0.5, 0.02);
  EXPECT_NEAR(f[1], 0.3, 0.02);
  EXPECT_NEAR(f[2], 0.2, 0.02);
  EXPECT_EQ(f[3], 0.0);
  EXPECT_EQ(model->predict(big), predicted);  // an integer seed repeats, as in scikit-learn
  auto other = make_classifier("dummy", {{"strategy", "stratified"}, {"random_state", "4"}});
  other->fit(X, y, 4);
  EXPECT_NE(other->predict(big), predicted);
}

TEST(Dummy, UniformSpreadsOverSeenClassesAndPredictsAtRandom) {
  Matrix X;
  Labels y;
  data(X, y);
  auto model = make_classifier("dummy", {{"strategy", "uniform"}});
  model->fit(X, y, 4);
  const Matrix P = model->predict_proba(Matrix::Zero(3, 2));
  EXPECT_DOUBLE_EQ(P(0, 0), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(P(2, 2), 1.0 / 3.0);
  EXPECT_EQ(P(1, 3), 0.0);
  const auto f = frequencies(model->predict(Matrix::Zero(30000, 2)), 4);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(f[static_cast<std::size_t>(k)], 1.0 / 3.0, 0.02);
  EXPECT_EQ(f[3], 0.0);
}

TEST(Dummy, RejectsBadParametersAndUse) {
  auto model = make_classifier("dummy");
  EXPECT_THROW(model->set_param("strategy", "constant"), UsageError);
  EXPECT_THROW(model->set_param("seed", "1"), UsageError);
  EXPECT_THROW(model->predict(Matrix::Zero(1, 1)), UsageError);
  EXPECT_THROW(model->fit(Matrix::Zero(3, 1), {0, 5, 1}, 2), InputError);
}
