#include "models/svm.h"

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

TEST(Svm, LearnsSeparableBlobsWithEveryKernel) {
  Labels y, yt;
  const Matrix X = genrelab::toy::gaussian_blobs(1, 40, kThree, 0.5, y);
  const Matrix Xt = genrelab::toy::gaussian_blobs(2, 40, kThree, 0.5, yt);
  for (const char* kernel : {"rbf", "linear", "poly"}) {
    auto m = make_classifier("svm", {{"kernel", kernel}});
    m->fit(X, y, 3);
    EXPECT_GE(accuracy(m->predict(Xt), yt), 0.97) << kernel;
  }
}

TEST(Svm, LargerCFitsTrainingDataBetterWithFewerSupportVectors) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(3, 60, {{0, 0}, {1.5, 0}}, 1.0, y);
  SvmClassifier soft, hard;
  soft.set_params({{"C", "0.01"}, {"gamma", "2"}});
  hard.set_params({{"C", "1000"}, {"gamma", "2"}});
  soft.fit(X, y, 2);
  hard.fit(X, y, 2);
  EXPECT_GT(soft.n_support_vectors(), hard.n_support_vectors());
  EXPECT_GT(accuracy(hard.predict(X), y), accuracy(soft.predict(X), y));
}

TEST(Svm, LargeGammaMemorisesNoise) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(4, 50, {{0, 0}, {0.5, 0}}, 1.0, y);
  SvmClassifier wide, narrow;
  wide.set_param("gamma", "0.01");
  narrow.set_param("gamma", "100");
  narrow.set_param("C", "100");
  wide.fit(X, y, 2);
  narrow.fit(X, y, 2);
  EXPECT_EQ(accuracy(narrow.predict(X), y), 1.0);
  EXPECT_LT(accuracy(wide.predict(X), y), 0.9);
}

TEST(Svm, GammaScaleAndAutoFollowSklearn) {
  Matrix X(4, 2);
  X << 1, 2, 3, 4, 5, 6, 7, 9;
  const Labels y = {0, 0, 1, 1};
  const double mean = X.mean();
  const double var = (X.array() - mean).square().mean();
  SvmClassifier m;
  m.fit(X, y, 2);
  EXPECT_DOUBLE_EQ(m.fitted_gamma(), 1.0 / (2.0 * var));
  m.set_param("gamma", "auto");
  m.fit(X, y, 2);
  EXPECT_DOUBLE_EQ(m.fitted_gamma(), 0.5);
  m.set_param("gamma", "scale");
  m.fit(Matrix::Constant(4, 2, 3.0), y, 2);
  EXPECT_DOUBLE_EQ(m.fitted_gamma(), 1.0);  // constant X: sklearn falls back to 1
}

class SvmProba : public ::testing::TestWithParam<const char*> {};

TEST_P(SvmProba, RowsSumToOneWithAColumnPerClassEvenWhenAClassIsAbsent) {
  // Codes 0, 2, 3 present; 1 absent from this "fold" of a 4-class problem.
  Labels y3;
  const Matrix X = genrelab::toy::gaussian_blobs(5, 30, kThree, 0.6, y3);
  Labels y;
  for (int c : y3) y.push_back(c == 0 ? 0 : c + 1);
  SvmClassifier m;
  m.set_param("probability", GetParam());
  m.fit(X, y, 4);
  const Matrix P = m.predict_proba(X);
  ASSERT_EQ(P.cols(), 4);
  ASSERT_EQ(P.rows(), X.rows());
  for (Eigen::Index i = 0; i < P.rows(); ++i) {
    EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
    EXPECT_EQ(P(i, 1), 0.0);
    EXPECT_GE(P.row(i).minCoeff(), 0.0);
  }
  const Labels pred = m.predict(X);
  EXPECT_EQ(std::count(pred.begin(), pred.end(), 1), 0);
  EXPECT_GE(accuracy(pred, y), 0.97);
  // On clean data the most probable class is the predicted one.
  Labels most_probable;
  for (Eigen::Index i = 0; i < P.rows(); ++i) most_probable.push_back(argmax_row(P, i));
  EXPECT_GE(accuracy(most_probable, pred), 0.97);
}

INSTANTIATE_TEST_SUITE_P(ProbabilityOnOff, SvmProba, ::testing::Values("false", "true"));

TEST(Svm, VoteProportionsFollowTheVotes) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(6, 30, kThree, 0.5, y);
  SvmClassifier m;
  m.fit(X, y, 3);
  Matrix centre(1, 2);
  centre << 4, 0;  // deep inside class 1: wins both of its duels
  const Matrix P = m.predict_proba(centre);
  EXPECT_GT(P(0, 1), 0.6);
  EXPECT_LT(P(0, 1), 1.0);  // two votes of three, plus a bounded confidence bonus
  const Matrix D = m.decision_function(centre);
  EXPECT_GT(D(0, 1), 1.66);
  EXPECT_LT(D(0, 1), 2.34);
}

TEST(Svm, SameSeedSamePlattProbabilitiesDifferentSeedDifferent) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(7, 40, {{0, 0}, {1, 0}, {0, 1}}, 0.8, y);
  auto fit = [&](const char* seed) {
    SvmClassifier m;
    m.set_params({{"probability", "true"}, {"random_state", seed}});
    m.fit(X, y, 3);
    return m.predict_proba(X);
  };
  const Matrix a = fit("11"), b = fit("11"), c = fit("12");
  EXPECT_EQ(a, b);
  EXPECT_GT((a - c).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(Svm, ParallelFitsRepeatSequentialOnes) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(17, 40, {{0, 0}, {1, 0}, {0, 1}}, 0.8, y);
  auto fit = [&](const char* seed) {
    SvmClassifier m;
    m.set_params({{"probability", "true"}, {"random_state", seed}});
    m.fit(X, y, 3);
    return m.predict_proba(X);
  };
  const Matrix a = fit("1"), b = fit("2");
  std::vector<Matrix> par(8);
#pragma omp parallel for
  for (int i = 0; i < 8; ++i) par[static_cast<std::size_t>(i)] = fit(i % 2 ? "2" : "1");
  for (int i = 0; i < 8; ++i) EXPECT_EQ(par[static_cast<std::size_t>(i)], i % 2 ? b : a);
}

TEST(Svm, ClassWeightBalancedFavoursTheRareClass) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(8, 100, {{0, 0}, {1, 0}}, 1.0, y);
  // genrelab::toy::gaussian_blobs() lists class 0 first: keep its 100 rows and the first 15 of class 1.
  const Matrix Xs = X.topRows(115);
  const Labels ys(y.begin(), y.begin() + 115);
  auto count_rare = [&](const char* cw) {
    SvmClassifier m;
    m.set_param("class_weight", cw);
    m.fit(Xs, ys, 2);
    const Labels p = m.predict(Xs);
    return std::count(p.begin(), p.end(), 1);
  };
  EXPECT_GT(count_rare("balanced"), count_rare("None"));
}

TEST(Svm, SingleClassFoldPredictsThatClass) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(9, 10, {{0, 0}}, 1.0, y);
  for (int& c : y) c = 2;
  SvmClassifier m;
  m.fit(X, y, 3);
  const Matrix P = m.predict_proba(X);
  EXPECT_EQ(P.col(2).sum(), static_cast<double>(X.rows()));
  EXPECT_EQ(m.predict(X), Labels(10, 2));
}

TEST(Svm, RejectsUnknownAndOutOfRangeParameters) {
  EXPECT_THROW(make_classifier("svm", {{"gama", "1"}}), UsageError);
  EXPECT_THROW(make_classifier("svm", {{"C", "0"}}), UsageError);
  EXPECT_THROW(make_classifier("svm", {{"C", "-1"}}), UsageError);
  EXPECT_THROW(make_classifier("svm", {{"gamma", "-0.5"}}), UsageError);
  EXPECT_THROW(make_classifier("svm", {{"gamma", "wide"}}), UsageError);
  EXPECT_THROW(make_classifier("svm", {{"kernel", "precomputed"}}), UsageError);
  EXPECT_THROW(make_classifier("svm", {{"max_iter", "100"}}), UsageError);
  EXPECT_THROW(make_classifier("svm", {{"degree", "2.5"}}), UsageError);
  EXPECT_NO_THROW(make_classifier("svm", {{"gamma", "0.25"}, {"kernel", "sigmoid"}, {"class_weight", "balanced"}}));
}

TEST(Svm, RejectsBadDataAndPredictBeforeFit) {
  SvmClassifier m;
  Matrix X = Matrix::Zero(4, 2);
  EXPECT_THROW(m.predict(X), UsageError);
  EXPECT_THROW(m.fit(X, {0, 1, 0}, 2), InputError);
  EXPECT_THROW(m.fit(X, {0, 1, 0, 2}, 2), InputError);
  X(1, 1) = std::nan("");
  EXPECT_THROW(m.fit(X, {0, 1, 0, 1}, 2), InputError);
  X(1, 1) = 1;
  m.fit(X, {0, 1, 0, 1}, 2);
  EXPECT_THROW(m.predict(Matrix::Zero(2, 3)), InputError);
}

}  // namespace
}  // namespace genrelab
