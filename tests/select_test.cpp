// Choosing the most mutually distinct genres: the search itself on known
// matrices, the whole pipeline on constructed genres, and the command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "genrelab/error.h"
#include "genrelab/profiling.h"
#include "genrelab/random.h"

using namespace genrelab;
namespace fs = std::filesystem;

namespace {

Matrix symmetric(int n, Rng& rng) {
  Matrix m = Matrix::Constant(n, n, 0.5);
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) m(i, j) = m(j, i) = 0.5 + 0.5 * rng.uniform();
  return m;
}

double min_pair(const Matrix& m, const std::vector<int>& set) {
  double out = 1e9;
  for (std::size_t i = 0; i < set.size(); ++i)
    for (std::size_t j = i + 1; j < set.size(); ++j) out = std::min(out, m(set[i], set[j]));
  return out;
}

// Every k-subset by brute force, for checking the branch and bound.
double best_min_by_enumeration(const Matrix& m, int k) {
  const int n = static_cast<int>(m.rows());
  double best = -1;
  std::vector<bool> pick(static_cast<std::size_t>(n), false);
  std::fill(pick.begin(), pick.begin() + k, true);
  do {
    std::vector<int> set;
    for (int i = 0; i < n; ++i)
      if (pick[static_cast<std::size_t>(i)]) set.push_back(i);
    best = std::max(best, min_pair(m, set));
  } while (std::prev_permutation(pick.begin(), pick.end()));
  return best;
}

}  // namespace

TEST(SubsetSearch, FindsThePlantedSet) {
  // Genres 1, 3 and 5 are 0.95+ apart from each other; every other pair is weaker.
  Matrix m = Matrix::Constant(6, 6, 0.7);
  m(1, 3) = m(3, 1) = 0.96;
  m(1, 5) = m(5, 1) = 0.95;
  m(3, 5) = m(5, 3) = 0.99;
  m(0, 2) = m(2, 0) = 1.0;  // strong pair, but no strong third partner
  const auto r = most_distinct_subset(m, 3);
  EXPECT_EQ(r.method, "exact");
  EXPECT_EQ(r.members, (std::vector<int>{1, 3, 5}));
  EXPECT_DOUBLE_EQ(r.min_separability, 0.95);
}

TEST(SubsetSearch, ExactMatchesEnumerationAndGreedyIsNoBetter) {
  Rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const Matrix m = symmetric(9, rng);
    for (int k : {2, 3, 5}) {
      const auto exact = most_distinct_subset(m, k);
      EXPECT_DOUBLE_EQ(exact.min_separability, best_min_by_enumeration(m, k));
      EXPECT_DOUBLE_EQ(min_pair(m, exact.members), exact.min_separability);
      const auto greedy = most_distinct_subset(m, k, 0);
      EXPECT_EQ(greedy.method, "greedy+swap");
      EXPECT_EQ(greedy.members.size(), static_cast<std::size_t>(k));
      EXPECT_LE(greedy.min_separability, exact.min_separability);
    }
  }
}

TEST(SubsetSearch, KOutOfRangeIsUsageError) {
  const Matrix m = Matrix::Constant(4, 4, 0.5);
  EXPECT_THROW(most_distinct_subset(m, 5), UsageError);
  EXPECT_THROW(most_distinct_subset(m, 1), UsageError);
}

namespace {

// Four genres on one feature: a1 and a2 share a distribution, so do b1 and
// b2; c is far from both. The best 3 must be c plus one of each look-alike pair.
Dataset look_alikes() {
  Rng rng(3);
  Dataset d;
  d.source = "synthetic";
  d.classes = {"a1", "a2", "b1", "b2", "c"};
  d.feature_names = {"f0", "noise"};
  const double centre[] = {0, 0, 5, 5, 10};
  const int per = 30;
  d.X.resize(5 * per, 2);
  for (int g = 0; g < 5; ++g)
    for (int i = 0; i < per; ++i) {
      d.X(g * per + i, 0) = centre[g] + rng.uniform();
      d.X(g * per + i, 1) = rng.uniform();
      d.y.push_back(g);
    }
  return d;
}

}  // namespace

TEST(Select, PicksOneOfEachLookAlikePairAndTheOutlier) {
  SelectRequest request;
  request.k = 3;
  request.compare = {"a1", "a2", "c"};
  const Selection s = select_genres(look_alikes(), request);
  const auto& chosen = s.chosen.members;
  ASSERT_EQ(chosen.size(), 3u);
  EXPECT_EQ(chosen.back(), 4);                                        // c
  EXPECT_TRUE(chosen[0] == 0 || chosen[0] == 1) << chosen[0];        // one of a1, a2
  EXPECT_TRUE(chosen[1] == 2 || chosen[1] == 3) << chosen[1];        // one of b1, b2
  EXPECT_GE(s.chosen.min_separability, 0.99);
  ASSERT_TRUE(s.has_compare);
  EXPECT_LT(s.compared.min_separability, 0.8);  // a1 vs a2 is near chance
  EXPECT_EQ(s.compared.weakest_a, 0);
  EXPECT_EQ(s.compared.weakest_b, 1);
  ASSERT_TRUE(s.chosen.has_cv && s.compared.has_cv);
  EXPECT_GT(s.chosen.cv.accuracy.mean, s.compared.cv.accuracy.mean);
  const auto json = selection_json(s);
  EXPECT_EQ(json["chosen"]["genres"].size(), 3u);
  EXPECT_EQ(json["compared"]["weakest_pair"][0], "a1");
}

TEST(Select, UnknownCompareGenreIsInputError) {
  SelectRequest request;
  request.k = 2;
  request.compare = {"a1", "zz"};
  EXPECT_THROW(select_genres(look_alikes(), request), InputError);
}

class SelectCli : public ::testing::Test {
 protected:
  void SetUp() override { dir = genrelab::testing::scratch_dir("select"); }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

TEST_F(SelectCli, ExitCodes) {
  using genrelab::testing::run_cli;
  auto r = run_cli("select seed --k 1", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_cli("select seed --k 15", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("14"), std::string::npos) << r.err;
  r = run_cli("select seed --k 3 --compare 'classical,polka' --json out.json", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("polka"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rockabilly"), std::string::npos) << "should list the genres: " << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.json"));
}

TEST_F(SelectCli, SmallRunWritesJson) {
  auto r = genrelab::testing::run_cli(
      "select seed --genres 'classical,sleep,ska,rockabilly' --k 2 --param n_estimators=20 --json out.json", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("weakest pair"), std::string::npos) << r.out;
  const auto doc = nlohmann::json::parse(genrelab::testing::slurp((dir / "out.json").string()));
  EXPECT_EQ(doc["format"], "genrelab-select/1");
  EXPECT_EQ(doc["separability"]["genres"].size(), 4u);
}
