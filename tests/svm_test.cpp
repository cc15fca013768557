#include "models/svm.h"

#include <gtest/gtest.h>
#include <libsvm/svm.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "concurrent_fits.h"
#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"
#include "toy_data.h"
#include "genrelab/metrics.h"
#include "models/svm_common.h"
#include "models/svm_model_text.h"

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

// Five overlapping classes, rows shuffled so the class sort in fit matters.
Matrix five_classes(Labels& y) {
  Labels y0;
  const Matrix X0 = genrelab::toy::gaussian_blobs(21, 30, {{0, 0}, {2, 0}, {0, 2}, {2, 2}, {1, 1}}, 0.8, y0);
  std::vector<int> order(y0.size());
  std::iota(order.begin(), order.end(), 0);
  Rng rng(22);
  rng.shuffle(order);
  Matrix X(X0.rows(), X0.cols());
  y.clear();
  for (std::size_t r = 0; r < order.size(); ++r) {
    X.row(static_cast<Eigen::Index>(r)) = X0.row(order[r]);
    y.push_back(y0[static_cast<std::size_t>(order[r])]);
  }
  return X;
}

// The model LIBSVM's own multi-class svm_train builds on the rows fit() gives
// it (stably sorted by class, dense), as LIBSVM's model text.
std::string libsvm_reference(const Matrix& X, const Labels& y, int n_classes, double gamma, bool balanced) {
  std::vector<int> order(y.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return y[static_cast<std::size_t>(a)] < y[static_cast<std::size_t>(b)]; });
  const Eigen::Index n = X.rows(), d = X.cols();
  std::vector<svm_node> nodes(static_cast<std::size_t>(n * (d + 1)));
  std::vector<svm_node*> rows;
  std::vector<double> targets;
  for (Eigen::Index r = 0; r < n; ++r) {
    svm_node* row = nodes.data() + r * (d + 1);
    for (Eigen::Index j = 0; j < d; ++j) row[j] = {static_cast<int>(j + 1), X(order[static_cast<std::size_t>(r)], j)};
    row[d] = {-1, 0.0};
    rows.push_back(row);
    targets.push_back(y[static_cast<std::size_t>(order[static_cast<std::size_t>(r)])]);
  }
  svm_problem prob{};
  prob.l = static_cast<int>(n);
  prob.x = rows.data();
  prob.y = targets.data();
  svm_parameter p{};
  p.svm_type = C_SVC;
  p.kernel_type = RBF;
  p.degree = 3;
  p.gamma = gamma;
  p.cache_size = 200;
  p.eps = 1e-3;
  p.C = 1.0;
  p.nu = 0.5;
  p.p = 0.1;
  p.shrinking = 1;
  std::vector<int> labels;
  std::vector<double> weights;
  if (balanced) {
    const auto w = balanced_class_weights(y, n_classes);
    for (int c : svm_common::present_classes(y, n_classes)) {
      labels.push_back(c);
      weights.push_back(w[static_cast<std::size_t>(c)]);
    }
    p.nr_weight = static_cast<int>(labels.size());
    p.weight_label = labels.data();
    p.weight = weights.data();
  }
  svm_model* m = svm_train(&prob, &p);
  std::string text = libsvm_model_text(m);
  svm_free_and_destroy_model(&m);
  return text;
}

TEST(Svm, ParallelPairsBuildLibsvmsOwnModel) {
  // fit() trains the one-vs-one pairs itself, in parallel; without
  // probability the result must be svm_train's model to the last digit.
  Labels y;
  Matrix X = five_classes(y);
  for (const bool balanced : {false, true}) {
    Labels yb = y;
    if (balanced)  // make the classes unequal so the weights differ
      for (std::size_t i = 0; i < yb.size(); i += 3) yb[i] = 4;
    SvmClassifier m;
    m.set_params({{"gamma", "0.7"}, {"class_weight", balanced ? "balanced" : "None"}});
    m.fit(X, yb, 5);
    const std::string ours = m.libsvm_text();
    EXPECT_EQ(ours, libsvm_reference(X, yb, 5, 0.7, balanced)) << balanced;
    EXPECT_NE(ours.find("nr_class 5"), std::string::npos);
  }
}

TEST(Svm, SameModelOnOneAndTwoThreads) {
  Labels y;
  const Matrix X = five_classes(y);
  const int threads = omp_get_max_threads();
  for (const char* probability : {"false", "true"}) {
    auto fit = [&](int n) {
      omp_set_num_threads(n);
      SvmClassifier m;
      m.set_params({{"probability", probability}, {"random_state", "3"}});
      m.fit(X, y, 5);
      return std::pair(m.libsvm_text(), m.predict_proba(X));
    };
    const auto one = fit(1), two = fit(2);
    omp_set_num_threads(threads);
    EXPECT_EQ(one.first, two.first) << probability;
    EXPECT_EQ(one.second, two.second) << probability;
  }
}

TEST(Svm, ConcurrentPlattFitsWithOneSeedAgree) {
  // Platt scaling draws from rand() (c_rand.cpp makes it per-thread): two
  // threads fitting at the same moment must not disturb each other's draws.
  Labels y;
  const Matrix X = five_classes(y);
  auto fit = [&] {
    SvmClassifier m;
    m.set_params({{"probability", "true"}, {"random_state", "9"}});
    m.fit(X, y, 5);
    return m.predict_proba(X);
  };
  genrelab::testing::expect_concurrent_fits_repeat(fit);
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
