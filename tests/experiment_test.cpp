// Experiment files: every setting is read, every mistake is reported with the
// file, line and key, the shipped seed-study.toml is exactly the demo, and
// `genrelab run` writes the documented results directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "genrelab/error.h"
#include "genrelab/experiment.h"
#include "study_fixture.h"

namespace fs = std::filesystem;
using genrelab::Experiment;
using genrelab::parse_experiment;
using genrelab::UsageError;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_experiment(text, "study.toml", "");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Experiment, ReadsEverySetting) {
  const Experiment x = parse_experiment(genrelab::testing::kQuickStudy, "quick.toml", "");
  EXPECT_EQ(x.title, "quick study");
  EXPECT_EQ(x.protocol.seed, 7u);
  EXPECT_EQ(x.data, "seed");
  EXPECT_EQ(x.data_options.genres.size(), 4u);
  EXPECT_EQ(x.protocol.cv, 3);
  EXPECT_DOUBLE_EQ(x.protocol.test_size, 0.25);
  EXPECT_EQ(x.importance, "permutation");
  EXPECT_EQ(x.repeats, 2);
  ASSERT_EQ(x.models.size(), 3u);
  EXPECT_EQ(x.models[0].name, "dummy");
  EXPECT_EQ(x.models[2].name, "random_forest");
  EXPECT_EQ(x.models[2].params.at("n_estimators"), "20");
  ASSERT_EQ(x.subsets.size(), 2u);
  EXPECT_EQ(x.subsets[0].published.at("random_forest"), 0.9);
  EXPECT_EQ(x.subsets[1].genres, (std::vector<std::string>{"hip hop", "ska"}));
  EXPECT_EQ(x.bins, 10);
  EXPECT_EQ(x.separability_cv, 3);
  EXPECT_EQ(x.separability_params.at("max_depth"), "4");
  EXPECT_EQ(x.report_options.overlay_feature, "energy");
}

TEST(Experiment, GridsAreReadAsTablesOrText) {
  const Experiment x = parse_experiment(R"(
[evaluation]
tune = true
[models]
use = ["svm", "knn"]
[models.svm]
kernel = "rbf"
[models.svm.grid]
C = [0.5, 1, 4]
gamma = ["scale", 0.01]
[models.knn]
grid = "n_neighbors=5,15"
)", "grid.toml", "");
  EXPECT_TRUE(x.tune);
  ASSERT_EQ(x.models.size(), 2u);
  EXPECT_EQ(x.models[0].params.at("kernel"), "rbf");
  EXPECT_EQ(x.models[0].grid, "C=0.5,1,4 gamma=scale,0.01");
  EXPECT_EQ(x.models[1].grid, "n_neighbors=5,15");
}

TEST(Experiment, DataPathIsRelativeToTheFileOutputToTheWorkingDirectory) {
  const Experiment x = parse_experiment("[data]\npath = \"tracks.csv\"\n[output]\ndirectory = \"out\"\n", "s.toml",
                                        "/studies/jazz");
  EXPECT_EQ(x.data, "/studies/jazz/tracks.csv");
  EXPECT_EQ(x.output_dir, "out");
}

TEST(Experiment, MistakesNameTheFileLineAndKey) {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases = {
      {"[study]\nseed = 1\ntitel = \"x\"\n", "study.toml:3: unknown key 'titel' in [study]"},
      {"[evaluation]\ncv = 5\n\ntest-size = 0.3\n", "study.toml:4: unknown key 'test-size' in [evaluation]"},
      {"[outputs]\ndirectory = \"x\"\n", "study.toml:1: unknown key 'outputs' in the file"},
      {"[models]\nuse = [\"random_forest\"]\n[models.random_forest]\nn_estimator = 10\n",
       "study.toml:4: random_forest has no parameter 'n_estimator'"},
      {"[models]\nuse = [\"random_forest\"]\n[models.random_forest]\nmax_depth = -3\n", "study.toml:4:"},
      {"[models]\nuse = [\"random_forest\", \"deep_net\"]\n", "study.toml:2:"},
      {"[models]\n[models.deep_net]\nlayers = 3\n", "study.toml:2: unknown key 'deep_net' in [models]"},
      {"[models]\nuse = [\"dummy\"]\n[models.knn]\nn_neighbors = 3\n",
       "study.toml:3: [models.knn] sets parameters of a model that 'use' does not list"},
      {"[evaluation]\ncv = \"five\"\n", "study.toml:2: 'cv' in [evaluation] must be a whole number"},
      {"[evaluation]\ntest_size = 1.5\n", "study.toml:2: 'test_size' in [evaluation] must be between"},
      {"[evaluation]\nscoring = \"auc\"\n", "study.toml:2:"},
      {"[study]\ntitle = \"unterminated\n", "study.toml:2:"},
      {"[[subsets]]\nid = \"a\"\n[[subsets]]\nid = \"a\"\n", "study.toml:4: subset id 'a' appears twice"},
      {"[[subsets]]\ntitle = \"no id\"\n", "study.toml:1: every [[subsets]] needs an id"},
      {"[[subsets]]\nid = \"a\"\ngenre = [\"x\"]\n", "study.toml:3: unknown key 'genre' in [[subsets]]"},
      {"[report]\noverlay_genres = \"hip hop\"\n", "study.toml:2: 'overlay_genres' in [report] must be a list"},
  };
  for (const auto& c : cases) {
    const std::string err = error_of(c.text);
    EXPECT_NE(err.find(c.expected), std::string::npos) << "input:\n" << c.text << "\nerror: " << err;
  }
}

TEST(Experiment, ShippedSeedStudyIsTheDemo) {
  const Experiment file = genrelab::load_experiment(GENRELAB_SOURCE_DIR "/examples/seed-study.toml");
  const Experiment demo = genrelab::seed_study_experiment();
  EXPECT_EQ(genrelab::bundled_seed_study_toml(), slurp(GENRELAB_SOURCE_DIR "/examples/seed-study.toml"))
      << "the built-in copy is stale: rebuild";
  EXPECT_EQ(file.title, demo.title);
  EXPECT_EQ(file.data, "seed");
  EXPECT_EQ(file.protocol.seed, 42u);
  EXPECT_EQ(file.protocol.cv, 5);
  EXPECT_DOUBLE_EQ(file.protocol.test_size, 0.2);
  EXPECT_FALSE(file.tune);
  EXPECT_TRUE(file.models.size() >= 10u) << "every model";
  for (const auto& m : file.models) {
    if (m.name == "random_forest") {
      EXPECT_EQ(m.params, (genrelab::ParamMap{{"n_estimators", "100"}, {"max_depth", "10"}, {"max_features", "sqrt"}}));
    }
  }
  ASSERT_EQ(file.subsets.size(), 2u);
  EXPECT_EQ(file.subsets[0].id, "all14");
  EXPECT_EQ(file.subsets[1].id, "six");
  EXPECT_EQ(file.subsets[1].genres.size(), 6u);
  EXPECT_TRUE(file.profile && file.separability && file.report);
}

TEST(Experiment, RunWritesTheResultsDirectoryAndCheckOnlyReads) {
  const auto dir = scratch_dir("run");
  std::ofstream(dir / "quick.toml") << genrelab::testing::kQuickStudy << "\n[output]\ndirectory = \"results\"\n";
  const auto check = run_cli("run quick.toml --check", dir);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_FALSE(fs::exists(dir / "results"));

  const auto r = run_cli("run quick.toml", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* file : {"summary.json", "results/four_comparison.json", "results/pair_dummy.json",
                           "profile/profile.json", "profile/separability.json", "index.html"})
    EXPECT_TRUE(fs::exists(dir / "results" / file)) << file;
  EXPECT_NE(r.out.find("Report: results/index.html"), std::string::npos) << r.out;
  const auto summary = nlohmann::json::parse(slurp((dir / "results/summary.json").string()));
  EXPECT_EQ(summary["settings"]["cv"], 3);
  EXPECT_EQ(summary["subsets"][1]["dataset"]["classes"].size(), 2u);

  const auto no_report = run_cli("run quick.toml -o other --no-report", dir);
  ASSERT_EQ(no_report.exit_code, 0) << no_report.err;
  EXPECT_TRUE(fs::exists(dir / "other/summary.json"));
  EXPECT_FALSE(fs::exists(dir / "other/index.html"));
  fs::remove_all(dir);
}

TEST(Experiment, BadFilesExitWithUsageOrInputErrors) {
  const auto dir = scratch_dir("run-bad");
  std::ofstream(dir / "typo.toml") << "[evaluation]\ncv = 5\nshuffle = true\n";
  const auto typo = run_cli("run typo.toml", dir);
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("typo.toml:3: unknown key 'shuffle' in [evaluation]"), std::string::npos) << typo.err;

  const auto missing = run_cli("run nowhere.toml", dir);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nowhere.toml: cannot open"), std::string::npos) << missing.err;

  std::ofstream(dir / "genre.toml") << "[data]\ngenres = [\"ska\"]\n[[subsets]]\nid = \"x\"\ngenres = [\"jazz\"]\n";
  const auto genre = run_cli("run genre.toml", dir);
  EXPECT_EQ(genre.exit_code, 2);
  EXPECT_NE(genre.err.find("subset 'x' names genre 'jazz'"), std::string::npos) << genre.err;
  EXPECT_FALSE(fs::exists(dir / "genrelab-report"));
  fs::remove_all(dir);
}
