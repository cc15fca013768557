#include "models/linear_svm.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <linear.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "concurrent_fits.h"
#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"
#include "toy_data.h"
#include "genrelab/metrics.h"
#include "models/svm_common.h"

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

TEST(LinearSvm, LibrariesDrawFromGenrelabsPerThreadRand) {
  // LIBLINEAR and LIBSVM call rand() through the dynamic linker; c_rand.cpp
  // only makes fits independent if the name resolves to genrelab's definition
  // in this executable, not to the C library's.
  Dl_info rand_from{}, exe{};
  ASSERT_NE(dladdr(dlsym(RTLD_DEFAULT, "rand"), &rand_from), 0);
  ASSERT_NE(dladdr(reinterpret_cast<void*>(&svm_common::seed_c_rand), &exe), 0);
  EXPECT_STREQ(rand_from.dli_fname, exe.dli_fname);
  Dl_info srand_from{};
  ASSERT_NE(dladdr(dlsym(RTLD_DEFAULT, "srand"), &srand_from), 0);
  EXPECT_STREQ(srand_from.dli_fname, exe.dli_fname);

  // A thread's sequence depends on its own seed only: another thread
  // reseeding and drawing in the middle changes nothing here.
  auto draws = [](int n) {
    std::vector<int> v;
    for (int i = 0; i < n; ++i) v.push_back(std::rand());
    return v;
  };
  svm_common::seed_c_rand(77);
  std::vector<int> mixed = draws(5);
  std::thread([&] {
    svm_common::seed_c_rand(78);
    draws(1000);
  }).join();
  const std::vector<int> rest = draws(5);
  mixed.insert(mixed.end(), rest.begin(), rest.end());
  svm_common::seed_c_rand(77);
  EXPECT_EQ(mixed, draws(10));
  // A thread that never seeds behaves as if seeded with 1, as the C standard says.
  std::vector<int> unseeded;
  std::thread([&] { unseeded = draws(10); }).join();
  svm_common::seed_c_rand(1);
  EXPECT_EQ(unseeded, draws(10));
  // Values cover [0, RAND_MAX].
  const std::vector<int> many = draws(20000);
  EXPECT_GE(*std::min_element(many.begin(), many.end()), 0);
  EXPECT_LT(*std::min_element(many.begin(), many.end()), RAND_MAX / 1000);
  EXPECT_LE(*std::max_element(many.begin(), many.end()), RAND_MAX);
  EXPECT_GT(*std::max_element(many.begin(), many.end()), RAND_MAX / 1000 * 999);
}

const std::vector<std::vector<double>> kFive = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5, 0.5}};

TEST(LinearSvm, SameModelOnOneAndTwoThreads) {
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(17, 60, kFive, 0.7, y);
  const int threads = omp_get_max_threads();
  for (const ParamMap& p : std::vector<ParamMap>{{{"tol", "0.1"}},
                                                 {{"tol", "0.1"}, {"class_weight", "balanced"}},
                                                 {{"loss", "hinge"}},
                                                 {{"penalty", "l1"}, {"dual", "false"}},
                                                 {{"multi_class", "crammer_singer"}}}) {
    auto fit = [&](int n) {
      omp_set_num_threads(n);
      LinearSvmClassifier m;
      m.set_params(p);
      m.fit(X, y, 5);
      return std::pair(Matrix(m.coef()), Vector(m.intercept()));
    };
    const auto one = fit(1), two = fit(2);
    omp_set_num_threads(threads);
    EXPECT_EQ(one.first, two.first) << p.size();
    EXPECT_EQ(one.second, two.second) << p.size();
  }
}

TEST(LinearSvm, ConcurrentFitsWithOneSeedAgree) {
  // Larger than the test above so fits overlap in time: with one process-wide
  // rand() sequence the two threads would take each other's draws.
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(18, 400, kFive, 0.7, y);
  auto fit = [&] {
    LinearSvmClassifier m;
    m.set_params({{"random_state", "4"}, {"tol", "0.01"}});
    m.fit(X, y, 5);
    return Matrix(m.coef());
  };
  genrelab::testing::expect_concurrent_fits_repeat(fit);
}

TEST(LinearSvm, OneVsRestMatchesLiblinearsOwnMultiClassTrain) {
  // fit() trains the one-vs-rest classes itself, in parallel. The primal
  // solver (dual=false) draws no random numbers, so LIBLINEAR's own
  // multi-class train() on the same rows must give the same weights, up to
  // rounding (our binary problems list the positive rows first, which changes
  // the order of the sums). Unequal classes and balanced weights check that
  // class k's positives get C * weight_k and its negatives plain C, as in LIBLINEAR.
  Labels y;
  const Matrix X = genrelab::toy::gaussian_blobs(19, 40, kFive, 0.7, y);
  for (std::size_t i = 0; i < y.size(); i += 4) y[i] = 3;
  for (const bool balanced : {false, true}) {
    LinearSvmClassifier m;
    m.set_params({{"dual", "false"}, {"class_weight", balanced ? "balanced" : "None"}});
    m.fit(X, y, 5);

    std::vector<int> order(y.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return y[static_cast<std::size_t>(a)] < y[static_cast<std::size_t>(b)]; });
    std::vector<feature_node> nodes;
    nodes.reserve(order.size() * 4);
    std::vector<double> targets;
    for (int i : order) {
      nodes.push_back({1, X(i, 0)});
      nodes.push_back({2, X(i, 1)});
      nodes.push_back({3, 1.0});
      nodes.push_back({-1, 0.0});
      targets.push_back(y[static_cast<std::size_t>(i)]);
    }
    std::vector<feature_node*> rows;
    for (std::size_t r = 0; r < order.size(); ++r) rows.push_back(nodes.data() + 4 * r);
    problem prob{};
    prob.l = static_cast<int>(rows.size());
    prob.n = 3;
    prob.x = rows.data();
    prob.y = targets.data();
    prob.bias = 1.0;
    parameter p{};
    p.solver_type = L2R_L2LOSS_SVC;
    p.eps = 1e-4;
    p.C = 1.0;
    p.p = 0.1;
    std::vector<int> labels = {0, 1, 2, 3, 4};
    std::vector<double> weights;
    if (balanced) {
      weights = balanced_class_weights(y, 5);
      p.nr_weight = 5;
      p.weight_label = labels.data();
      p.weight = weights.data();
    }
    model* ref = train(&prob, &p);
    ASSERT_EQ(ref->nr_class, 5);
    for (int c = 0; c < 5; ++c) {
      ASSERT_EQ(ref->label[c], c);
      for (int j = 0; j < 2; ++j) EXPECT_NEAR(m.coef()(c, j), ref->w[j * 5 + c], 1e-6) << balanced << c << j;
      EXPECT_NEAR(m.intercept()(c), ref->w[2 * 5 + c], 1e-6) << balanced << c;
    }
    free_and_destroy_model(&ref);
  }
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
