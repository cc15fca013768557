// Statistics, profiles, clustering and separability. Golden values marked
// "scipy" / "pandas" / "numpy" were computed with Debian's python3-scipy 1.10.1
// and pandas 1.5.3 (/usr/bin/python3) on exactly the samples written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <omp.h>

#include "cli_runner.h"
#include "genrelab/model_registry.h"
#include "genrelab/profiling.h"
#include "genrelab/random.h"

using namespace genrelab;

namespace {

// Relative tolerance: the numbers should agree to rounding, not just roughly.
void expect_rel(double actual, double expected, double rel = 1e-9) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected)) << "expected " << expected;
}

const std::vector<double> kX = {1.2, 3.4, 3.4, 5.0, 2.2, 7.1, 3.4, 0.5};
const std::vector<double> kY = {2.2, 4.0, 5.0, 5.0, 6.3, 8.8, 2.2, 9.1, 4.0, 3.4};

std::vector<double> sequence(int n, int mul, int mod, double scale, double shift) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(std::round((i * mul % mod) / scale * 10) / 10 + shift);
  return out;
}

}  // namespace

TEST(Statistics, MannWhitneyWithTiesMatchesScipy) {
  // scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic')
  auto r = mann_whitney_u(kX, kY);
  expect_rel(r.statistic, 22.5);
  expect_rel(r.p_value, 0.12712950974474424);
  // xa = [round((i*37 % 101)/10, 1) for i in range(60)], ya = [round((i*53 % 89)/10 + 1.5, 1) for i in range(45)]
  r = mann_whitney_u(sequence(60, 37, 101, 10, 0), sequence(45, 53, 89, 10, 1.5));
  expect_rel(r.statistic, 1134.5);
  expect_rel(r.p_value, 0.16383949203777692);
}

TEST(Statistics, MannWhitneyAllTiedIsNoEvidence) {
  const auto r = mann_whitney_u({1, 1, 1}, {1, 1});
  EXPECT_DOUBLE_EQ(r.p_value, 1.0);  // scipy returns nan here; "no difference" is what a table needs
}

TEST(Statistics, KolmogorovSmirnovMatchesScipyAsymp) {
  // scipy.stats.ks_2samp(x, y, method='asymp')
  auto r = ks_2samp(kX, kY);
  expect_rel(r.statistic, 0.45);
  expect_rel(r.p_value, 0.29290000000000005);
  r = ks_2samp(sequence(60, 37, 101, 10, 0), sequence(45, 53, 89, 10, 1.5));
  expect_rel(r.statistic, 0.15);
  expect_rel(r.p_value, 0.5521009145265033);
}

TEST(Statistics, KolmogorovDistributionMatchesScipyKstwoInEveryRegime) {
  struct Case {
    double d;
    long n;
    double sf;  // scipy.stats.kstwo.sf(d, n)
    double rel;
  };
  const Case cases[] = {
      {0.04, 10, 1.0, 1e-12},                     // n d <= 1/2
      {0.08, 10, 0.9999978058034054, 1e-12},      // Ruben-Gambino
      {0.95, 20, 1.9073486328125338e-26, 1e-9},   // n d >= n - 1
      {0.5, 10, 0.00777741, 1e-7},                // d >= 1/2: twice one-sided
      {0.6, 30, 7.392006292214292e-11, 1e-9},
      {0.2, 20, 0.352720173623415, 1e-9},         // Durbin matrix
      {0.3, 50, 0.00017353260202718738, 1e-6},    // far tail, n <= 140
      {0.15, 100, 0.019839242125643017, 1e-9},
      // n > 140: scipy switches to the Pelz-Good series, good to ~3e-7 here
      // (its own exact _kolmogn_DMTW gives 0.680262725..., as we do).
      {0.05, 200, 0.6802625495871704, 1e-6},
      {0.1, 300, 0.004595673656972621, 1e-6},     // tail, n > 140
      {0.03, 1000, 0.3226902143914636, 1e-6},     // scipy: Pelz-Good; here exact
      {0.12, 500, 9.88394350588572e-07, 1e-6},
      {0.02, 2000, 0.3953133626892045, 1e-6},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << "d=" << c.d << " n=" << c.n);
    expect_rel(kolmogorov_sf(c.d, c.n), c.sf, c.rel);
  }
}

TEST(Statistics, CliffsDeltaByHand) {
  // x = {1,2,3}, y = {2,2,4}: x > y in 2 of 9 pairs (3>2 twice), x < y in 5
  // (1<2, 1<2, 1<4, 2<4, 3<4), ties in 2: (2 - 5) / 9.
  EXPECT_DOUBLE_EQ(cliffs_delta({1, 2, 3}, {2, 2, 4}), -1.0 / 3.0);
  EXPECT_DOUBLE_EQ(cliffs_delta({5, 6}, {1, 2}), 1.0);
  EXPECT_DOUBLE_EQ(cliffs_delta({1, 2}, {1, 2}), 0.0);
  EXPECT_EQ(cliffs_magnitude(0.1), "negligible");
  EXPECT_EQ(cliffs_magnitude(-0.147), "small");
  EXPECT_EQ(cliffs_magnitude(0.33), "medium");
  EXPECT_EQ(cliffs_magnitude(-0.474), "large");
}

TEST(Statistics, BenjaminiHochbergByHand) {
  // Sorted p: 0.01, 0.03, 0.04, 0.2 -> p * 4 / rank = 0.04, 0.06, 0.0533.., 0.2;
  // running minimum from the largest rank down: 0.04, 0.0533.., 0.0533.., 0.2.
  const auto adj = benjamini_hochberg({0.01, 0.04, 0.03, 0.2});
  ASSERT_EQ(adj.size(), 4u);
  EXPECT_DOUBLE_EQ(adj[0], 0.04);
  EXPECT_DOUBLE_EQ(adj[1], 0.16 / 3);
  EXPECT_DOUBLE_EQ(adj[2], 0.16 / 3);
  EXPECT_DOUBLE_EQ(adj[3], 0.2);
  EXPECT_DOUBLE_EQ(benjamini_hochberg({0.9, 0.8})[0], 0.9);  // capped by the monotone step, never above 1
}

TEST(Profile, DescribeMatchesPandas) {
  // pandas.Series([3, 1, 4, 1, 5, 9, 2, 6]).describe()
  const Describe d = describe({3, 1, 4, 1, 5, 9, 2, 6});
  EXPECT_EQ(d.count, 8u);
  EXPECT_DOUBLE_EQ(d.mean, 3.875);
  expect_rel(d.std, 2.748376143938713, 1e-12);
  EXPECT_DOUBLE_EQ(d.min, 1.0);
  EXPECT_DOUBLE_EQ(d.q25, 1.75);
  EXPECT_DOUBLE_EQ(d.median, 3.5);
  EXPECT_DOUBLE_EQ(d.q75, 5.25);
  EXPECT_DOUBLE_EQ(d.max, 9.0);
  EXPECT_TRUE(std::isnan(describe({2.0}).std));  // pandas: NaN with one value
}

TEST(Profile, HistogramLikeNumpy) {
  // numpy.histogram([0, 0.5, 1, 1, 2], bins=4) -> [1, 1, 2, 1], edges 0, 0.5, 1, 1.5, 2
  const auto edges = histogram_edges({0, 0.5, 1, 1, 2}, 4);
  EXPECT_EQ(edges, (std::vector<double>{0, 0.5, 1, 1.5, 2}));
  EXPECT_EQ(histogram_counts({0, 0.5, 1, 1, 2}, edges), (std::vector<std::size_t>{1, 1, 2, 1}));
  EXPECT_EQ(histogram_edges({3, 3}, 2), (std::vector<double>{2.5, 3, 3.5}));  // numpy widens a constant range
}

namespace {

// Genres "a" and "b": column 0 numeric, column 1 a 0/1 indicator.
Dataset two_genres() {
  Dataset d;
  d.source = "hand";
  d.classes = {"a", "b"};
  d.feature_names = {"energy", "explicit"};
  d.X.resize(6, 2);
  d.X << 0.1, 0, 0.2, 1, 0.3, 0, 0.7, 1, 0.8, 1, 0.9, 0;
  d.y = {0, 0, 0, 1, 1, 1};
  return d;
}

}  // namespace

TEST(Profile, PerGenreStatisticsSharesAndHistograms) {
  const Profile p = profile_genres(two_genres(), 4);
  ASSERT_EQ(p.features.size(), 2u);
  EXPECT_FALSE(p.features[0].indicator);
  EXPECT_TRUE(p.features[1].indicator);
  EXPECT_DOUBLE_EQ(p.features[0].per_genre[0].median, 0.2);
  EXPECT_DOUBLE_EQ(p.features[0].per_genre[1].q25, 0.75);
  // Shared edges over 0.1 .. 0.9; counts per genre.
  EXPECT_EQ(p.features[0].histogram.edges.front(), 0.1);
  EXPECT_EQ(p.features[0].histogram.edges.back(), 0.9);
  // numpy.histogram agrees: 0.3 sits just below the computed edge 0.1 + 0.8/4 = 0.30000000000000004.
  EXPECT_EQ(p.features[0].histogram.counts[0], (std::vector<std::size_t>{3, 0, 0, 0}));
  EXPECT_EQ(p.features[0].histogram.counts[1], (std::vector<std::size_t>{0, 0, 1, 2}));
  ASSERT_EQ(p.categorical.size(), 1u);
  EXPECT_EQ(p.categorical[0].feature.name, "explicit");
  EXPECT_DOUBLE_EQ(p.categorical[0].shares[0][1], 1.0 / 3);
  EXPECT_DOUBLE_EQ(p.categorical[0].shares[1][1], 2.0 / 3);
  EXPECT_DOUBLE_EQ(p.categorical[0].shares[1][0], 1.0 / 3);
  // z of genre a's energy mean: (0.2 - 0.5) / sd(all six) with ddof = 1.
  const double sd = describe({0.1, 0.2, 0.3, 0.7, 0.8, 0.9}).std;
  EXPECT_NEAR(p.features[0].mean_z[0], -0.3 / sd, 1e-12);
  const auto csv = profile_csv(p);
  EXPECT_NE(csv.find("a,energy,50%,0.2\n"), std::string::npos) << csv.substr(0, 400);
  const auto json = profile_json(p);
  EXPECT_EQ(json["features"][0]["per_genre"]["b"]["25%"].get<double>(), 0.75);
  EXPECT_EQ(json["categorical"][0]["kind"], "indicator");
}

TEST(Clustering, AverageLinkageMergesClosestFirst) {
  Matrix d(4, 4);
  d << 0, 1, 10, 12, 1, 0, 8, 10, 10, 8, 0, 2, 12, 10, 2, 0;
  const Dendrogram t = average_linkage(d);
  ASSERT_EQ(t.merges.size(), 3u);
  EXPECT_EQ(t.merges[0].left, 0);
  EXPECT_EQ(t.merges[0].right, 1);
  EXPECT_EQ(t.merges[1].left, 2);
  EXPECT_EQ(t.merges[1].right, 3);
  // Average of the four cross distances 10, 12, 8, 10.
  EXPECT_DOUBLE_EQ(t.merges[2].distance, 10.0);
  EXPECT_EQ(t.merges[2].size, 4);
  EXPECT_EQ(t.order, (std::vector<int>{0, 1, 2, 3}));
}

namespace {

// "split" and "same1" differ in feature 0 by a wide gap; "same1" and "same2"
// are drawn from one distribution, so no model can tell them apart.
Dataset three_genres(std::uint64_t seed) {
  Rng rng(seed);
  const int per = 40;
  Dataset d;
  d.source = "synthetic";
  d.classes = {"same1", "same2", "split"};
  d.feature_names = {"f0", "f1"};
  d.X.resize(3 * per, 2);
  for (int g = 0; g < 3; ++g)
    for (int i = 0; i < per; ++i) {
      const int r = g * per + i;
      d.X(r, 0) = rng.uniform() + (g == 2 ? 3.0 : 0.0);
      d.X(r, 1) = rng.uniform();
      d.y.push_back(g);
    }
  return d;
}

}  // namespace

TEST(Separability, PairFitsTakeTheRegistrysLighterSettingsUnlessGiven) {
  const auto& all = model_registry();
  const auto light = std::find_if(all.begin(), all.end(), [](const ModelInfo& e) { return !e.pairwise_params.empty(); });
  ASSERT_NE(light, all.end()) << "no registry entry has pairwise_params to test with";
  SeparabilityRequest request;
  request.model = light->name;
  request.per_feature = false;
  const auto& [given, given_value] = *light->pairwise_params.begin();
  request.params[given] = given_value + "1";  // a value of the user's beats the registry's
  const Separability s = genre_separability(three_genres(7), request);
  for (const auto& [name, value] : light->pairwise_params)
    EXPECT_EQ(s.params.at(name), name == given ? given_value + "1" : value) << name;
}

TEST(Separability, SeparablePairScoresOneAndIdenticalPairChance) {
  SeparabilityRequest request;
  request.protocol.cv = 5;
  const Separability s = genre_separability(three_genres(7), request);
  ASSERT_EQ(s.pairs.size(), 3u);
  EXPECT_GE(s.separability(0, 2), 0.99);
  EXPECT_GE(s.separability(1, 2), 0.99);
  EXPECT_NEAR(s.separability(0, 1), 0.5, 0.2);  // chance, up to the noise of 80 tracks
  // Feature 0 separates completely: no histogram overlap, KS distance 1.
  const auto& p02 = s.pairs[1];
  ASSERT_EQ(p02.a, 0);
  ASSERT_EQ(p02.b, 2);
  EXPECT_DOUBLE_EQ(p02.overlap[0], 0.0);
  EXPECT_DOUBLE_EQ(p02.ks[0], 1.0);
  EXPECT_GT(p02.overlap[1], 0.5);
  // The two indistinguishable genres are clustered together.
  EXPECT_EQ(s.clustering.merges[0].left, 0);
  EXPECT_EQ(s.clustering.merges[0].right, 1);
  EXPECT_DOUBLE_EQ(s.similarity(0, 0), 1.0);
  EXPECT_NEAR(s.similarity(0, 2), 0.0, 0.02);
}

TEST(Separability, SameNumbersOnOneThreadAndMany) {
  SeparabilityRequest request;
  request.per_feature = false;
  const Dataset d = three_genres(11);
  const Separability many = genre_separability(d, request);
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const Separability one = genre_separability(d, request);
  omp_set_num_threads(before);
  EXPECT_EQ(many.separability, one.separability);
}

class ProfileCli : public ::testing::Test {
 protected:
  void SetUp() override { dir = genrelab::testing::scratch_dir("profile"); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(ProfileCli, WritesProfileFilesAndSummary) {
  auto r = genrelab::testing::run_cli(
      "profile seed --genres 'classical,sleep,ska' --param n_estimators=20 -o out", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("classical"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("separability"), std::string::npos) << r.out;
  const auto profile = nlohmann::json::parse(genrelab::testing::slurp((dir / "out/profile.json").string()));
  EXPECT_EQ(profile["format"], "genrelab-profile/1");
  EXPECT_EQ(profile["genres"].size(), 3u);
  const auto sep = nlohmann::json::parse(genrelab::testing::slurp((dir / "out/separability.json").string()));
  EXPECT_EQ(sep["order"].size(), 3u);
  EXPECT_EQ(sep["pairs"].size(), 3u);
  EXPECT_EQ(genrelab::testing::slurp((dir / "out/profile.csv").string()).rfind("genre,feature,statistic,value\n", 0), 0u);
}

TEST_F(ProfileCli, UnknownGenreFailsAndWritesNothing) {
  auto r = genrelab::testing::run_cli("profile seed --genres 'classical,polka' -o out", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  r = genrelab::testing::run_cli("profile seed", dir);
  EXPECT_EQ(r.exit_code, 2) << "-o is required";
}
