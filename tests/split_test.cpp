#include "genrelab/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "genrelab/error.h"

using namespace genrelab;

namespace {

Labels sized_classes(const std::vector<int>& sizes) {
  Labels y;
  for (std::size_t c = 0; c < sizes.size(); ++c) y.insert(y.end(), static_cast<std::size_t>(sizes[c]), static_cast<int>(c));
  return y;
}

std::vector<int> count_per_class(const Labels& y, const std::vector<int>& rows, int n_classes) {
  std::vector<int> out(static_cast<std::size_t>(n_classes), 0);
  for (int r : rows) ++out[static_cast<std::size_t>(y[static_cast<std::size_t>(r)])];
  return out;
}

void expect_partition(const Split& s, std::size_t n) {
  EXPECT_TRUE(std::is_sorted(s.train.begin(), s.train.end()));
  EXPECT_TRUE(std::is_sorted(s.test.begin(), s.test.end()));
  std::vector<int> all = s.train;
  all.insert(all.end(), s.test.begin(), s.test.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), n);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(all[i], static_cast<int>(i));
}

// Every group lies wholly on one side of the split.
void expect_groups_whole(const Split& s, const std::vector<std::string>& groups) {
  std::set<std::string> train, test;
  for (int r : s.train) train.insert(groups[static_cast<std::size_t>(r)]);
  for (int r : s.test) test.insert(groups[static_cast<std::size_t>(r)]);
  for (const auto& g : test) EXPECT_EQ(train.count(g), 0u) << "group " << g << " straddles";
}

}  // namespace

TEST(TrainTestSplit, StratifiedCountsAreProportional) {
  const Labels y = sized_classes({100, 60, 40});
  const Split s = train_test_split(y, 3, 0.2, {});
  expect_partition(s, y.size());
  EXPECT_EQ(count_per_class(y, s.test, 3), (std::vector<int>{20, 12, 8}));
  EXPECT_EQ(count_per_class(y, s.train, 3), (std::vector<int>{80, 48, 32}));
}

TEST(TrainTestSplit, TestSizeRoundsUpAndRemaindersSumExactly) {
  // 0.25 * 11 = 2.75 -> 3 test rows; shares 5*3/11, 4*3/11, 2*3/11 = 1.36, 1.09, 0.55.
  const Labels y = sized_classes({5, 4, 2});
  const Split s = train_test_split(y, 3, 0.25, {});
  EXPECT_EQ(s.test.size(), 3u);
  EXPECT_EQ(count_per_class(y, s.test, 3), (std::vector<int>{1, 1, 1}));
}

TEST(TrainTestSplit, SmallClassesKeepOneRowOnEachSide) {
  const Labels y = sized_classes({50, 2, 2});
  const Split s = train_test_split(y, 3, 0.1, {});
  const auto test = count_per_class(y, s.test, 3), train = count_per_class(y, s.train, 3);
  EXPECT_EQ(s.test.size(), 6u);
  EXPECT_EQ(test[1], 1);
  EXPECT_EQ(test[2], 1);
  EXPECT_EQ(train[1], 1);
  EXPECT_EQ(train[2], 1);
}

TEST(TrainTestSplit, SeedsReproduceAndDiffer) {
  const Labels y = sized_classes({30, 30});
  SplitOptions a, b;
  a.seed = 1;
  b.seed = 2;
  EXPECT_EQ(train_test_split(y, 2, 0.3, a).test, train_test_split(y, 2, 0.3, a).test);
  EXPECT_NE(train_test_split(y, 2, 0.3, a).test, train_test_split(y, 2, 0.3, b).test);
  a.stratify = b.stratify = false;
  EXPECT_EQ(train_test_split(y, 2, 0.3, a).test, train_test_split(y, 2, 0.3, a).test);
  EXPECT_NE(train_test_split(y, 2, 0.3, a).test, train_test_split(y, 2, 0.3, b).test);
}

TEST(TrainTestSplit, PlainShuffleHasCeilTestRows) {
  const Labels y = sized_classes({7, 3});
  SplitOptions o;
  o.stratify = false;
  const Split s = train_test_split(y, 2, 0.33, o);
  expect_partition(s, y.size());
  EXPECT_EQ(s.test.size(), 4u);  // ceil(3.3)
}

TEST(TrainTestSplit, GroupsNeverStraddle) {
  Labels y;
  std::vector<std::string> groups;
  for (int i = 0; i < 120; ++i) {
    y.push_back(i % 3);
    groups.push_back(std::to_string(i / 3 + (i % 7 == 0 ? 100 : 0)) + "track");
  }
  for (bool stratify : {true, false}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      SplitOptions o;
      o.groups = &groups;
      o.stratify = stratify;
      o.seed = seed;
      const Split s = train_test_split(y, 3, 0.25, o);
      expect_partition(s, y.size());
      expect_groups_whole(s, groups);
      EXPECT_FALSE(s.test.empty());
    }
  }
}

TEST(TrainTestSplit, BadSizesAreUsageErrors) {
  const Labels y = sized_classes({5, 5});
  EXPECT_THROW(train_test_split(y, 2, 0.0, {}), UsageError);
  EXPECT_THROW(train_test_split(y, 2, 1.0, {}), UsageError);
  EXPECT_THROW(train_test_split(y, 2, 0.95, {}), UsageError);  // ceil(9.5) = 10 leaves no training row
  EXPECT_THROW(train_test_split(Labels{}, 2, 0.2, {}), UsageError);
  EXPECT_THROW(train_test_split(Labels{0, 3}, 2, 0.5, {}), UsageError);
  std::vector<std::string> short_groups = {"a"};
  SplitOptions o;
  o.groups = &short_groups;
  EXPECT_THROW(train_test_split(y, 2, 0.2, o), UsageError);
}

TEST(KFold, EveryRowInExactlyOneTestFold) {
  const Labels y = sized_classes({23, 17, 11});
  for (bool stratify : {true, false}) {
    SplitOptions o;
    o.stratify = stratify;
    const auto folds = k_fold(y, 3, 5, o);
    ASSERT_EQ(folds.size(), 5u);
    std::vector<int> seen(y.size(), 0);
    for (const auto& f : folds) {
      expect_partition(f, y.size());
      for (int r : f.test) ++seen[static_cast<std::size_t>(r)];
      EXPECT_GE(f.test.size(), 10u);
      EXPECT_LE(f.test.size(), 11u);
    }
    for (int v : seen) EXPECT_EQ(v, 1);
  }
}

TEST(KFold, StratifiedFoldsMatchClassProportions) {
  const Labels y = sized_classes({100, 60, 40});
  const auto folds = k_fold(y, 3, 5, {});
  for (const auto& f : folds) EXPECT_EQ(count_per_class(y, f.test, 3), (std::vector<int>{20, 12, 8}));
  const Labels uneven = sized_classes({12, 8, 7});
  for (const auto& f : k_fold(uneven, 3, 5, {})) {
    const auto c = count_per_class(uneven, f.test, 3);
    EXPECT_TRUE(c[0] == 2 || c[0] == 3);
    EXPECT_TRUE(c[1] == 1 || c[1] == 2);
    EXPECT_TRUE(c[2] == 1 || c[2] == 2);
  }
}

TEST(KFold, SeedsReproduceAndDiffer) {
  const Labels y = sized_classes({40, 40});
  SplitOptions a, b;
  a.seed = 7;
  b.seed = 8;
  EXPECT_EQ(k_fold(y, 2, 4, a)[0].test, k_fold(y, 2, 4, a)[0].test);
  EXPECT_NE(k_fold(y, 2, 4, a)[0].test, k_fold(y, 2, 4, b)[0].test);
}

TEST(KFold, TooFewRowsNamesTheClass) {
  const Labels y = sized_classes({20, 3, 20});
  try {
    k_fold(y, 3, 5, {}, {"rock", "bossa nova", "jazz"});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'bossa nova' has only 3 rows"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--cv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("at most 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--genres"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("rock"), std::string::npos) << msg;
  }
  SplitOptions plain;
  plain.stratify = false;
  EXPECT_NO_THROW(k_fold(y, 3, 5, plain));
}

TEST(KFold, BadFoldCountsAreUsageErrors) {
  const Labels y = sized_classes({3, 3});
  EXPECT_THROW(k_fold(y, 2, 1, {}), UsageError);
  SplitOptions plain;
  plain.stratify = false;
  EXPECT_THROW(k_fold(y, 2, 7, plain), UsageError);
  EXPECT_NO_THROW(k_fold(y, 2, 6, plain));
}

TEST(KFold, GroupsStayWholeAndClassesStayBalanced) {
  Labels y;
  std::vector<std::string> groups;
  // 3 classes x 40 groups; some groups hold 2 or 3 rows (a track in several playlists).
  for (int g = 0; g < 120; ++g) {
    const int rows = g % 5 == 0 ? 3 : (g % 3 == 0 ? 2 : 1);
    for (int r = 0; r < rows; ++r) {
      y.push_back(g % 3);
      groups.push_back(std::to_string(g) + "g");
    }
  }
  for (bool stratify : {true, false}) {
    SplitOptions o;
    o.groups = &groups;
    o.stratify = stratify;
    const auto folds = k_fold(y, 3, 4, o);
    std::vector<int> seen(y.size(), 0);
    for (const auto& f : folds) {
      expect_partition(f, y.size());
      expect_groups_whole(f, groups);
      for (int r : f.test) ++seen[static_cast<std::size_t>(r)];
      const auto c = count_per_class(y, f.test, 3);
      const int total = c[0] + c[1] + c[2];
      EXPECT_NEAR(total, static_cast<double>(y.size()) / 4, 4);
      if (stratify) {
        const auto whole = count_per_class(y, folds[0].train, 3);
        for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(c[k], (whole[k] + count_per_class(y, folds[0].test, 3)[k]) / 4.0, 3);
      }
    }
    for (int v : seen) EXPECT_EQ(v, 1);
  }
}

TEST(KFold, GroupedNeedsEnoughGroups) {
  const Labels y = {0, 0, 1, 1, 0, 1};
  const std::vector<std::string> groups = {"a", "a", "b", "b", "c", "c"};
  SplitOptions o;
  o.groups = &groups;
  o.stratify = false;
  EXPECT_THROW(k_fold(y, 2, 4, o), UsageError);
  const auto folds = k_fold(y, 2, 3, o);
  for (const auto& f : folds) EXPECT_EQ(f.test.size(), 2u);
  o.stratify = true;  // class 0 lies in groups a and c only
  EXPECT_THROW(k_fold(y, 2, 3, o, {"pop", "jazz"}), InputError);
}

// --sklearn-split. The expected rows come from scikit-learn 1.2.1 / numpy 1.24
// (Debian's python3-sklearn), printed by:
//   _, te = train_test_split(np.arange(n), test_size=t, random_state=s)
//   te[:8], sum(sorted(te)[:50])
// Test rows are a set, so the check is: size, the first rows scikit-learn
// drew, and the sum of the 50 smallest (which catches any other difference).
namespace {
struct SklearnCase {
  std::size_t n;
  double test_size;
  std::uint64_t seed;
  std::size_t n_test;
  std::vector<int> first_drawn;
  long sum_50_smallest;
};
}  // namespace

TEST(TrainTestSplit, SklearnHoldoutPicksScikitLearnsRows) {
  const std::vector<SklearnCase> cases = {
      {1186, 0.2, 42, 238, {319, 956, 1182, 86, 990, 458, 1035, 946}, 6796},  // the 14-genre seed data
      {491, 0.2, 42, 99, {452, 84, 434, 474, 428, 312, 30, 220}, 5880},       // its six genres
      {10, 0.3, 0, 3, {2, 8, 4}, 14},
      {100000, 0.25, 4294967295u, 25000, {85117, 19600, 4648, 56853, 35772, 22343, 76167, 23775}, 4934},
  };
  for (const auto& c : cases) {
    Labels y(c.n);
    for (std::size_t i = 0; i < c.n; ++i) y[i] = static_cast<int>(i % 3);
    SplitOptions o;
    o.seed = c.seed;
    o.sklearn_holdout = true;  // stratify (true by default) is ignored, as documented
    const Split s = train_test_split(y, 3, c.test_size, o);
    expect_partition(s, c.n);
    ASSERT_EQ(s.test.size(), c.n_test) << "n=" << c.n;
    for (int r : c.first_drawn) EXPECT_TRUE(std::binary_search(s.test.begin(), s.test.end(), r)) << "row " << r;
    long sum = 0;
    for (std::size_t i = 0; i < 50 && i < s.test.size(); ++i) sum += s.test[i];
    EXPECT_EQ(sum, c.sum_50_smallest) << "n=" << c.n;
  }
}

TEST(TrainTestSplit, SklearnHoldoutRefusesGroupsAndHugeSeeds) {
  const Labels y = sized_classes({5, 5});
  std::vector<std::string> groups(10, "g");
  SplitOptions o;
  o.sklearn_holdout = true;
  o.groups = &groups;
  EXPECT_THROW(train_test_split(y, 2, 0.2, o), UsageError);
  o.groups = nullptr;
  o.seed = 4294967296ULL;  // numpy's RandomState takes 0 .. 2^32-1
  EXPECT_THROW(train_test_split(y, 2, 0.2, o), UsageError);
  o.seed = 7;
  EXPECT_THROW(train_test_split(y, 2, 0.95, o), UsageError);  // nothing left to train on
}
