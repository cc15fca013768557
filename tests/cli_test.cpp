// End-to-end checks of the command line: exit codes 0/1/2, one clear message
// naming file, line and column, and no partial output on failure.
#include <gtest/gtest.h>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli_runner.h"

namespace fs = std::filesystem;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;

namespace {

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

class Cli : public ::testing::Test {
 protected:
  void SetUp() override { dir = scratch_dir(::testing::UnitTest::GetInstance()->current_test_info()->name()); }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

}  // namespace

TEST_F(Cli, HelpAndVersionSucceed) {
  auto r = run_cli("--help", dir);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("evaluate"), std::string::npos);
  r = run_cli("evaluate --help", dir);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example"), std::string::npos);
}

TEST_F(Cli, NoSubcommandIsUsageError) { EXPECT_EQ(run_cli("", dir).exit_code, 2); }

TEST_F(Cli, UnknownModelIsUsageErrorListingModels) {
  auto r = run_cli("evaluate seed --model random_forrest", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown model 'random_forrest'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("random_forest"), std::string::npos) << r.err;
}

TEST_F(Cli, BadParameterIsUsageError) {
  auto r = run_cli("evaluate seed --model random_forest --param max_depth=deep", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("max_depth"), std::string::npos) << r.err;
  r = run_cli("evaluate seed --model random_forest --param n_trees=5", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("n_estimators"), std::string::npos) << "should list the real parameters: " << r.err;
  r = run_cli("evaluate seed --param max_depth", dir);
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(Cli, MissingFileFailsWithExitOne) {
  auto r = run_cli("evaluate no_such_file.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no_such_file.csv"), std::string::npos) << r.err;
}

TEST_F(Cli, MissingLabelNamesLinesAndWritesNothing) {
  write(dir / "tracks.csv",
        "energy,valence,genre\n0.1,0.2,rock\n0.3,0.4,\n0.5,0.6,jazz\n0.7,0.8,rock\n0.2,0.1,jazz\n");
  auto r = run_cli("evaluate tracks.csv --cv 2 --json out.json", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("tracks.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3"), std::string::npos) << "should name line 3: " << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.json"));
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(Cli, TooFewTracksForFoldsNamesTheGenre) {
  std::string csv = "energy,valence,genre\n";
  for (int i = 0; i < 10; ++i) csv += "0." + std::to_string(i) + ",0.5,rock\n";
  csv += "0.9,0.1,polka\n0.8,0.2,polka\n";
  write(dir / "tracks.csv", csv);
  auto r = run_cli("evaluate tracks.csv --cv 5 --json out.json", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("polka"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.json"));
}

TEST_F(Cli, EvaluateWritesJsonAtomically) {
  auto r = run_cli("evaluate seed --model dummy --cv 3 --json results/dummy.json", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Held-out test"), std::string::npos);
  EXPECT_NE(r.out.find("weighted avg"), std::string::npos);
  ASSERT_TRUE(fs::exists(dir / "results" / "dummy.json"));
  for (const auto& entry : fs::directory_iterator(dir / "results"))
    EXPECT_EQ(entry.path().filename(), "dummy.json") << "temporary file left behind";
}

// The held-out rows scikit-learn's train_test_split(test_size=0.2,
// random_state=42) picks from the bundled seed CSV: 238 rows, among them the
// first ones numpy's permutation draws (319, 956, 1182, 86; see split_test).
TEST_F(Cli, SklearnSplitHoldsOutScikitLearnsRows) {
  auto r = run_cli("evaluate seed --model dummy --cv 0 --sklearn-split --json e.json", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("948 train / 238 test, scikit-learn's train_test_split rows"), std::string::npos) << r.out;
  const auto doc = nlohmann::json::parse(genrelab::testing::slurp((dir / "e.json").string()));
  EXPECT_EQ(doc["evaluation"]["holdout_split"], "sklearn");
  const auto rows = doc["evaluation"]["holdout"]["test_rows"].get<std::vector<int>>();
  EXPECT_EQ(rows.size(), 238u);
  for (int row : {319, 956, 1182, 86}) EXPECT_NE(std::find(rows.begin(), rows.end(), row), rows.end()) << row;
}

TEST_F(Cli, SklearnSplitMisuseIsUsageError) {
  write(dir / "t.csv", "id,genre,x\na,pop,1\nb,rock,2\nc,pop,3\nd,rock,4\ne,pop,5\nf,rock,6\n");
  auto grouped = run_cli("evaluate t.csv --label genre --group-by id --cv 0 --sklearn-split", dir);
  EXPECT_EQ(grouped.exit_code, 2);
  EXPECT_NE(grouped.err.find("--group-by"), std::string::npos) << grouped.err;
  auto no_holdout = run_cli("evaluate seed --model dummy --test-size 0 --sklearn-split", dir);
  EXPECT_EQ(no_holdout.exit_code, 2);
  EXPECT_NE(no_holdout.err.find("--test-size"), std::string::npos) << no_holdout.err;
  auto train = run_cli("train seed --model dummy --sklearn-split -o m.glab", dir);
  EXPECT_EQ(train.exit_code, 2);
  EXPECT_NE(train.err.find("--holdout"), std::string::npos) << train.err;
  EXPECT_FALSE(fs::exists(dir / "m.glab"));
}

// One evaluation protocol (genrelab/protocol.h): a single fold is not
// cross-validation, whichever command or file says it.
TEST_F(Cli, OneFoldIsRefusedEverywhere) {
  for (const char* command : {"evaluate seed --model dummy", "compare seed --models dummy", "tune seed --model dummy",
                              "profile seed", "select seed --k 2"}) {
    SCOPED_TRACE(command);
    const auto r = run_cli(std::string(command) + " --cv 1", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("a single fold is not cross-validation"), std::string::npos) << r.err;
  }
  // 0 means "no cross-validation" where that is meaningful (evaluate), and nowhere else.
  EXPECT_EQ(run_cli("evaluate seed --model dummy --cv 0", dir).exit_code, 0);
  EXPECT_EQ(run_cli("compare seed --models dummy --cv 0", dir).exit_code, 2);
  write(dir / "one.toml", "[evaluation]\ncv = 1\n");
  const auto file = run_cli("run one.toml", dir);
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_NE(file.err.find("one.toml:2"), std::string::npos) << file.err;
}
