// Group diff: ranking, agreement with scipy on the seed data, error handling.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "genrelab/error.h"
#include "genrelab/profiling.h"
#include "genrelab/study.h"

using namespace genrelab;
namespace fs = std::filesystem;

namespace {

const FeatureDiff& find(const GroupDiff& d, const std::string& name) {
  for (const auto& f : d.features)
    if (f.feature == name) return f;
  throw std::runtime_error("no feature " + name);
}

}  // namespace

TEST(Diff, FrenchVsSpanishOnSeedData) {
  const Dataset data = load_dataset("seed", {});
  const GroupDiff d = diff_groups(data, {"french"}, {"spanish"});
  EXPECT_EQ(d.n_a, 53u);
  EXPECT_EQ(d.n_b, 60u);
  ASSERT_EQ(d.features.size(), data.n_features());
  for (std::size_t i = 1; i < d.features.size(); ++i)
    EXPECT_GE(std::fabs(d.features[i - 1].cliffs_delta), std::fabs(d.features[i].cliffs_delta));
  // The Spanish playlist is modern, loudly mastered dance pop; the French one
  // leans to quieter, more acoustic chanson. So loudness, danceability and
  // energy lead with large effects (Spanish higher), acousticness the other way.
  EXPECT_EQ(d.features[0].feature, "loudness");
  EXPECT_EQ(d.features[1].feature, "danceability");
  EXPECT_EQ(d.features[2].feature, "energy");
  for (int i = 0; i < 5; ++i) {
    EXPECT_GT(std::fabs(d.features[static_cast<std::size_t>(i)].cliffs_delta), 0.474) << d.features[static_cast<std::size_t>(i)].feature;
    EXPECT_EQ(d.features[static_cast<std::size_t>(i)].magnitude, "large");
  }
  EXPECT_GT(find(d, "acousticness").cliffs_delta, 0.474);
  // scipy on the same columns (pandas read of data/seed/all_genres.csv):
  // delta = mean(sign(x[:,None] - y[None,:])), mannwhitneyu(method='asymptotic'), ks_2samp(method='asymp').
  const auto& loud = find(d, "loudness");
  EXPECT_NEAR(loud.cliffs_delta, -0.8657232704402515, 1e-12);
  EXPECT_NEAR(loud.mann_whitney.p_value, 2.4390490936942307e-15, 1e-9 * 2.4390490936942307e-15);
  EXPECT_NEAR(loud.ks.p_value, 7.201565749106578e-20, 1e-6 * 7.201565749106578e-20);
  EXPECT_DOUBLE_EQ(loud.median_a, -10.288);
  EXPECT_DOUBLE_EQ(loud.median_b, -4.1805);
  const auto& energy = find(d, "energy");
  EXPECT_NEAR(energy.mann_whitney.p_value, 5.150100183138549e-12, 1e-9 * 5.150100183138549e-12);
  EXPECT_NEAR(energy.ks.p_value, 2.0142546164881868e-15, 1e-6 * 2.0142546164881868e-15);
  // Adjusted p-values are never below the raw ones.
  for (const auto& f : d.features) {
    EXPECT_GE(f.mann_whitney_p_adjusted, f.mann_whitney.p_value);
    EXPECT_GE(f.ks_p_adjusted, f.ks.p_value);
  }
  const auto json = diff_json(d);
  EXPECT_EQ(json["features"][0]["feature"], "loudness");
  EXPECT_EQ(json["features"][0]["rank"], 1);
}

TEST(Diff, GroupsOfSeveralGenres) {
  const Dataset data = load_dataset("seed", {});
  const GroupDiff d = diff_groups(data, {"classical", "sleep"}, {"ska", "rockabilly"});
  EXPECT_EQ(d.n_a, 200u);
  EXPECT_EQ(d.n_b, 160u);
  EXPECT_EQ(d.features[0].magnitude, "large");
}

TEST(Diff, Errors) {
  const Dataset data = load_dataset("seed", {});
  EXPECT_THROW(diff_groups(data, {"french"}, {"french"}), UsageError);
  EXPECT_THROW(diff_groups(data, {"french", "ska"}, {"ska"}), UsageError);
  EXPECT_THROW(diff_groups(data, {"frnech"}, {"spanish"}), InputError);
  EXPECT_THROW(diff_groups(data, {}, {"spanish"}), UsageError);
}

class DiffCli : public ::testing::Test {
 protected:
  void SetUp() override { dir = genrelab::testing::scratch_dir("diff"); }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

TEST_F(DiffCli, ExitCodesAndMessages) {
  using genrelab::testing::run_cli;
  auto r = run_cli("diff seed --a frnech --b spanish --json out.json", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("frnech"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("french"), std::string::npos) << "should list the genres: " << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.json"));

  r = run_cli("diff seed --a french,spanish --b spanish", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("both"), std::string::npos) << r.err;

  r = run_cli("diff seed --a french", dir);
  EXPECT_EQ(r.exit_code, 2);

  std::ofstream(dir / "tiny.csv") << "energy,valence,genre\n0.1,0.2,rock\n0.3,0.4,rock\n0.5,0.6,jazz\n";
  r = run_cli("diff tiny.csv --a jazz --b rock", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("at least two"), std::string::npos) << r.err;
}

TEST_F(DiffCli, PrintsTableAndWritesJson) {
  auto r = genrelab::testing::run_cli("diff seed --a french --b spanish --top 5 -o out.json", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("loudness"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("60 more features"), std::string::npos) << r.out;
  const auto doc = nlohmann::json::parse(genrelab::testing::slurp((dir / "out.json").string()));
  EXPECT_EQ(doc["features"].size(), 65u);
  EXPECT_EQ(doc["features"][0]["magnitude"], "large");
}
