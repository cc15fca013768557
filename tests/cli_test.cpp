// End-to-end checks of the command line: exit codes 0/1/2, one clear message
// naming file, line and column, and no partial output on failure.
#include <gtest/gtest.h>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
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

// ---- "did you mean" (issue 15) ------------------------------------------------
// The existing message stays; the nearest name is appended.

TEST_F(Cli, MisspeltCommandSuggestsTheCommand) {
  auto r = run_cli("evalute seed", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'evalute'. The commands are:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Did you mean 'evaluate'?"), std::string::npos) << r.err;
  r = run_cli("frobnicate seed", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find("Did you mean"), std::string::npos) << "nothing is near: " << r.err;
}

TEST_F(Cli, MisspeltModelAndParameterSuggestTheName) {
  auto r = run_cli("evaluate seed --model random_forrest", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Did you mean 'random_forest'?"), std::string::npos) << r.err;
  r = run_cli("train seed --model decision_tree --param max_dept=3 -o m.glab", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has no parameter 'max_dept'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Did you mean 'max_depth'?"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "m.glab"));
  r = run_cli("tune seed --model dummy --scoring f1_marco", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--scoring 'f1_marco' is not known"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Did you mean 'f1_macro'?"), std::string::npos) << r.err;
  // Far from every parameter: the list alone.
  r = run_cli("evaluate seed --model random_forest --param n_trees=5", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find("Did you mean"), std::string::npos) << r.err;
}

TEST_F(Cli, MisspeltGenreSuggestsTheGenre) {
  const auto r = run_cli("diff seed --a frnech --b spanish", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("unknown genre 'frnech'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Did you mean 'french'?"), std::string::npos) << r.err;
}

TEST_F(Cli, MisspeltKeyInAnExperimentFileSuggestsTheKey) {
  write(dir / "x.toml", "[evaluation]\ncv = 5\ntets_size = 0.2\n");
  const auto r = run_cli("run x.toml --check", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("x.toml:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Did you mean 'test_size'?"), std::string::npos) << r.err;
}

// ---- output that fits a terminal (issue 15) ----------------------------------------

namespace {
// `genres` genres of `per_genre` tracks on two features whose ranges overlap
// their neighbours', so a classifier confuses neighbouring genres.
std::string overlapping_genres_csv(const std::vector<std::string>& genres, int per_genre) {
  std::string csv = "x,y,genre\n";
  for (std::size_t g = 0; g < genres.size(); ++g)
    for (int i = 0; i < per_genre; ++i)
      csv += std::to_string(static_cast<double>(g) + 1.6 * ((i * 37) % 10) / 10.0) + "," +
             std::to_string(((i * 53 + static_cast<int>(g) * 7) % 10) / 10.0) + "," + genres[g] + "\n";
  return csv;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}
}  // namespace

TEST_F(Cli, EvaluateBeyondTwentyGenresPrintsTheMostConfusedPairs) {
  std::vector<std::string> genres;
  for (int g = 0; g < 25; ++g) genres.push_back("genre_" + std::to_string(g));
  write(dir / "many.csv", overlapping_genres_csv(genres, 10));
  const auto r = run_cli("evaluate many.csv --model knn --cv 0 --json e.json", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("Confusion matrix"), std::string::npos) << "a 25x25 matrix on the terminal:\n" << r.out;
  const std::size_t at = r.out.find("Most confused genres");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the 15 largest cells of the 25x25 confusion matrix"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("The full matrix: --json FILE"), std::string::npos) << r.out;
  // The table: a heading, then at most 15 rows "rank true predicted count rate%", by count.
  std::istringstream table(r.out.substr(at));
  std::string line;
  for (int skip = 0; skip < 3; ++skip) std::getline(table, line);
  EXPECT_NE(line.find("predicted as"), std::string::npos) << line;
  std::vector<long> counts;
  while (std::getline(table, line) && !line.empty()) {
    const auto w = words(line);
    if (w.size() != 5 || w[4].back() != '%') break;
    EXPECT_EQ(std::stoi(w[0]), static_cast<int>(counts.size()) + 1) << line;
    EXPECT_NE(w[1], w[2]) << line;
    counts.push_back(std::stol(w[3]));
  }
  EXPECT_GE(counts.size(), 3u) << r.out;
  EXPECT_LE(counts.size(), 15u);
  EXPECT_TRUE(std::is_sorted(counts.rbegin(), counts.rend())) << r.out;
  // The full matrix is in the JSON, and its largest off-diagonal count heads the table.
  const auto doc = nlohmann::json::parse(genrelab::testing::slurp((dir / "e.json").string()));
  const auto& m = doc["evaluation"]["holdout"]["test"]["confusion_matrix"];
  ASSERT_EQ(m.size(), 25u);
  long largest = 0;
  for (std::size_t t = 0; t < m.size(); ++t) {
    ASSERT_EQ(m[t].size(), 25u);
    for (std::size_t p = 0; p < m[t].size(); ++p)
      if (p != t) largest = std::max(largest, m[t][p].get<long>());
  }
  EXPECT_EQ(counts.front(), largest);
}

TEST_F(Cli, ConfusionMatrixColumnsStayDistinct) {
  // "electro" and "electronic" once both printed as "elec~"; 14 genres leave 4 characters a column.
  std::vector<std::string> genres = {"electro", "electronic", "electropop", "pop", "rock", "jazz", "blues",
                                     "classical", "country", "metal", "punk", "soul", "funk", "reggae"};
  write(dir / "g.csv", overlapping_genres_csv(genres, 10));
  const auto r = run_cli("evaluate g.csv --model knn --cv 0", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t at = r.out.find("true \\ predicted");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string header = r.out.substr(at, r.out.find('\n', at) - at);
  auto heads = words(header);
  heads.erase(heads.begin(), heads.begin() + 3);  // "true \ predicted"
  ASSERT_EQ(heads.size(), genres.size()) << header;
  EXPECT_EQ(std::set<std::string>(heads.begin(), heads.end()).size(), heads.size()) << header;
}

TEST_F(Cli, SeparabilityMatrixColumnsStayDistinct) {
  // Its 5-character columns printed "electro", "electronic" and "electropop" all as "elec~".
  write(dir / "g.csv", overlapping_genres_csv({"electro", "electronic", "electropop", "pop"}, 10));
  const auto r = run_cli("profile g.csv --model knn -o prof", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t at = r.out.find("genres ordered by average-linkage clustering:\n");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::size_t from = r.out.find('\n', at) + 1;
  const auto heads = words(r.out.substr(from, r.out.find('\n', from) - from));
  ASSERT_EQ(heads.size(), 4u) << r.out;
  EXPECT_EQ(std::set<std::string>(heads.begin(), heads.end()).size(), 4u) << r.out;
  for (const auto& h : heads) EXPECT_LE(h.size(), 5u) << h;
  EXPECT_NE(std::find(heads.begin(), heads.end(), "pop"), heads.end()) << "a name that fits is kept: " << r.out;
}

// Column and genre names are checked in build_dataset (src/data/dataset_builder.cpp).
TEST_F(Cli, MisspeltColumnAndGenreSuggestTheName) {
  write(dir / "t.csv", "track_id,energy,valence,genre\na,0.1,0.2,rock\nb,0.3,0.4,jazz\nc,0.5,0.6,rock\nd,0.7,0.8,jazz\n"
                       "e,0.2,0.1,rock\nf,0.6,0.9,jazz\n");
  struct Case {
    const char* args;
    const char* message;
    const char* suggestion;
  };
  for (const Case& c : {Case{"--label genra", "there is no label column 'genra'", "Did you mean 'genre'?"},
                        Case{"--features energy,valance", "--features names the column 'valance'", "Did you mean 'valence'?"},
                        Case{"--drop enrgy", "--drop names the column 'enrgy'", "Did you mean 'energy'?"},
                        Case{"--group-by trackid", "--group-by names the column 'trackid'", "Did you mean 'track_id'?"},
                        Case{"--genres rokc,jazz", "--genres names a genre not in column 'genre': rokc", "Did you mean 'rock'?"}}) {
    SCOPED_TRACE(c.args);
    const auto r = run_cli(std::string("evaluate t.csv --model dummy --cv 0 ") + c.args, dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.suggestion), std::string::npos) << r.err;
  }
  const auto two = run_cli("evaluate t.csv --model dummy --cv 0 --genres rokc,jaz", dir);
  EXPECT_NE(two.err.find("Did you mean 'rock' for 'rokc', 'jazz' for 'jaz'?"), std::string::npos)
      << two.err;
}
