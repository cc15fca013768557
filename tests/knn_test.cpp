#include "models/knn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "genrelab/model_registry.h"
#include "genrelab/error.h"
#include "genrelab/random.h"
#include "toy_data.h"

using namespace genrelab;

namespace {


// Small integers make many exactly equal distances, the hard case for ties.
Matrix integer_grid(int rows, int cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix X(rows, cols);
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    for (Eigen::Index j = 0; j < X.cols(); ++j) X(i, j) = static_cast<double>(rng.uniform_index(4));
  return X;
}

// The definition: sort every training row by (distance, index), keep k.
std::vector<int> reference_neighbours(const Matrix& X, const Eigen::RowVectorXd& q, int k, double p) {
  std::vector<std::pair<double, int>> all;
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    all.push_back({(X.row(i) - q).array().abs().pow(p).sum(), static_cast<int>(i)});
  std::sort(all.begin(), all.end());
  std::vector<int> out;
  for (int i = 0; i < k; ++i) out.push_back(all[static_cast<std::size_t>(i)].second);
  return out;
}

Knn fitted(const Matrix& X, const Labels& y, const ParamMap& params, int n_classes = 3) {
  Knn m;
  m.set_params(params);
  m.fit(X, y, n_classes);
  return m;
}

}  // namespace

TEST(Knn, LearnsSeparableBlobs) {
  Matrix X, Xt;
  Labels y, yt;
  genrelab::toy::three_blobs(X, y, 40, 0.8, 1);
  genrelab::toy::three_blobs(Xt, yt, 30, 0.8, 2);
  Knn m = fitted(X, y, {});
  EXPECT_EQ(m.search_used(), "kd_tree");
  const Labels pred = m.predict(Xt);
  int hit = 0;
  for (std::size_t i = 0; i < yt.size(); ++i) hit += pred[i] == yt[i];
  EXPECT_GE(hit, 88);
}

TEST(Knn, EqualDistancesGoToTheLowerTrainingIndex) {
  Matrix X(4, 2);
  X << 0, 1, -1, 0, 1, 0, 0, -1;  // all at distance 1 from the origin
  const Labels y = {1, 0, 0, 1};
  Matrix q = Matrix::Zero(1, 2);
  for (const char* algorithm : {"kd_tree", "brute"}) {
    Knn m = fitted(X, y, {{"n_neighbors", "1"}, {"algorithm", algorithm}}, 2);
    std::vector<std::vector<int>> idx;
    std::vector<std::vector<double>> dist;
    m.kneighbors(q, idx, dist);
    EXPECT_EQ(idx[0], std::vector<int>{0}) << algorithm;
    EXPECT_EQ(m.predict(q)[0], 1) << algorithm;
    m.set_param("n_neighbors", "3");
    m.fit(X, y, 2);
    m.kneighbors(q, idx, dist);
    EXPECT_EQ(idx[0], (std::vector<int>{0, 1, 2})) << algorithm;
    EXPECT_DOUBLE_EQ(dist[0][2], 1.0);
  }
}

TEST(Knn, TreeAndBruteAgreeWithTheDefinitionUnderTies) {
  const Matrix X = integer_grid(300, 3, 4), Q = integer_grid(60, 3, 5);
  Labels y(300);
  for (int i = 0; i < 300; ++i) y[static_cast<std::size_t>(i)] = i % 3;
  for (const char* metric : {"euclidean", "manhattan"}) {
    const double p = std::string(metric) == "euclidean" ? 2 : 1;
    for (const char* algorithm : {"kd_tree", "brute"}) {
      Knn m = fitted(X, y, {{"n_neighbors", "7"}, {"metric", metric}, {"algorithm", algorithm}, {"leaf_size", "4"}});
      std::vector<std::vector<int>> idx;
      std::vector<std::vector<double>> dist;
      m.kneighbors(Q, idx, dist);
      for (Eigen::Index i = 0; i < Q.rows(); ++i)
        ASSERT_EQ(idx[static_cast<std::size_t>(i)], reference_neighbours(X, Q.row(i), 7, p)) << metric << " " << algorithm << " query " << i;
    }
  }
}

TEST(Knn, MinkowskiPowerUsesBruteForceAndTheRightDistance) {
  const Matrix X = integer_grid(80, 2, 6), Q = integer_grid(10, 2, 7);
  Labels y(80, 0);
  Knn m = fitted(X, y, {{"n_neighbors", "4"}, {"p", "3"}}, 1);
  EXPECT_EQ(m.search_used(), "brute");
  std::vector<std::vector<int>> idx;
  std::vector<std::vector<double>> dist;
  m.kneighbors(Q, idx, dist);
  for (Eigen::Index i = 0; i < Q.rows(); ++i) {
    EXPECT_EQ(idx[static_cast<std::size_t>(i)], reference_neighbours(X, Q.row(i), 4, 3));
    const int j = idx[static_cast<std::size_t>(i)][3];
    EXPECT_NEAR(dist[static_cast<std::size_t>(i)][3], std::cbrt((X.row(j) - Q.row(i)).array().abs().cube().sum()), 1e-12);
  }
  EXPECT_THROW(fitted(X, y, {{"p", "3"}, {"algorithm", "kd_tree"}}, 1), UsageError);
}

TEST(Knn, ManyFeaturesUseBruteForceWithTheSameAnswer) {
  Rng rng(8);
  Matrix X(200, 30), Q(40, 30);
  for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = rng.normal();
  for (Eigen::Index i = 0; i < Q.size(); ++i) Q.data()[i] = rng.normal();
  Labels y(200);
  for (int i = 0; i < 200; ++i) y[static_cast<std::size_t>(i)] = i % 3;
  Knn brute = fitted(X, y, {});
  Knn tree = fitted(X, y, {{"algorithm", "kd_tree"}});
  EXPECT_EQ(brute.search_used(), "brute");
  EXPECT_EQ(tree.search_used(), "kd_tree");
  EXPECT_EQ(brute.predict(Q), tree.predict(Q));
  EXPECT_TRUE(brute.predict_proba(Q).isApprox(tree.predict_proba(Q)));
}

TEST(Knn, NumberOfNeighboursChangesTheVote) {
  // One class-1 row inside a class-0 cluster: k=1 follows it, k=5 outvotes it.
  Matrix X(7, 1);
  X << 0.0, 0.1, 0.2, 0.3, 0.4, 0.21, 5.0;
  const Labels y = {0, 0, 0, 0, 0, 1, 1};
  Matrix q(1, 1);
  q << 0.21;
  EXPECT_EQ(fitted(X, y, {{"n_neighbors", "1"}}, 2).predict(q)[0], 1);
  const Knn five = fitted(X, y, {{"n_neighbors", "5"}}, 2);
  EXPECT_EQ(five.predict(q)[0], 0);
  EXPECT_NEAR(five.predict_proba(q)(0, 1), 0.2, 1e-12);
}

TEST(Knn, DistanceWeightsLikeScikitLearn) {
  Matrix X(3, 1);
  X << 0.0, 1.0, 3.0;
  const Labels y = {0, 1, 1};
  Matrix q(1, 1);
  q << 0.5;
  // weights 1/0.5, 1/0.5, 1/2.5 -> class 0: 2 / 4.4
  const Knn m = fitted(X, y, {{"n_neighbors", "3"}, {"weights", "distance"}}, 2);
  EXPECT_NEAR(m.predict_proba(q)(0, 0), 2.0 / 4.4, 1e-12);
  // An exact match takes all the weight.
  q << 3.0;
  EXPECT_DOUBLE_EQ(m.predict_proba(q)(0, 1), 1.0);
  const Knn uniform = fitted(X, y, {{"n_neighbors", "3"}}, 2);
  EXPECT_NEAR(uniform.predict_proba(q)(0, 0), 1.0 / 3, 1e-12);
}

TEST(Knn, ProbabilitiesSumToOneAndRepeat) {
  Matrix X, Xt;
  Labels y, yt;
  genrelab::toy::three_blobs(X, y, 30, 2.5, 3);
  genrelab::toy::three_blobs(Xt, yt, 20, 2.5, 4);
  const Knn m = fitted(X, y, {{"n_neighbors", "7"}, {"weights", "distance"}}, 4);
  const Matrix P = m.predict_proba(Xt);
  EXPECT_EQ(P.cols(), 4);
  for (Eigen::Index i = 0; i < P.rows(); ++i) EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-12);
  EXPECT_EQ(P, m.predict_proba(Xt));
  EXPECT_EQ(P, fitted(X, y, {{"n_neighbors", "7"}, {"weights", "distance"}}, 4).predict_proba(Xt));
}

TEST(Knn, BadParametersAndInputs) {
  Knn m;
  EXPECT_THROW(m.set_param("n_neighbors", "0"), UsageError);
  EXPECT_THROW(m.set_param("n_neighbors", "2.5"), UsageError);
  EXPECT_THROW(m.set_param("weights", "gaussian"), UsageError);
  EXPECT_THROW(m.set_param("metric", "cosine"), UsageError);
  EXPECT_THROW(m.set_param("p", "0.5"), UsageError);
  EXPECT_THROW(m.set_param("k", "3"), UsageError);
  Matrix X = Matrix::Zero(3, 2);
  m.set_param("n_neighbors", "4");
  EXPECT_THROW(m.fit(X, {0, 1, 0}, 2), InputError);
  Knn unfitted;
  EXPECT_THROW(unfitted.predict(X), UsageError);
  EXPECT_NO_THROW(make_classifier("knn", {{"n_neighbors", "3"}, {"metric", "manhattan"}}));
}
