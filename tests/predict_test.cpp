// `genrelab train` and `genrelab predict` end to end: outputs, passthrough,
// quoting, and the errors a person meets with the wrong CSV.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "cli_runner.h"
#include "genrelab/atomic_file.h"
#include "genrelab/model_file.h"
#include "genrelab/study.h"
#include "genrelab/table.h"

namespace genrelab {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;

const char* kTrain =
    "track_id,track_name,artists,energy,key,mode,explicit,track_genre\n"
    "a1,One,X,0.10,C,Major,False,rock\n"
    "a2,Two,X,0.15,D,Minor,False,rock\n"
    "a3,Three,Y,0.20,C,Major,True,rock\n"
    "a4,Four,Y,0.12,E,Minor,False,rock\n"
    "b1,Five,Z,0.80,C,Major,True,jazz\n"
    "b2,Six,Z,0.85,D,Minor,False,jazz\n"
    "b3,Seven,W,0.90,E,Major,True,jazz\n"
    "b4,Eight,W,0.82,C,Minor,False,jazz\n";

class PredictCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::scratch_dir("predict");
    write_file_atomic((dir_ / "train.csv").string(), kTrain);
    const auto r = run_cli("train train.csv --model decision_tree -o model.glab", dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(dir_ / "model.glab"));
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(PredictCli, PassesIdentifiersThroughAndQuotesCommas) {
  write_file_atomic((dir_ / "new.csv").string(),
                    "track_id,track_name,artists,energy,key,mode,explicit\n"
                    "n1,\"Hello, \"\"World\"\"\",\"A, B\",0.11,C,Major,False\n"
                    "n2,\"Line\nbreak\",C,0.88,D,Minor,True\n");
  const auto r = run_cli("predict model.glab new.csv --proba --top 2 -o out.csv", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Table out = read_csv((dir_ / "out.csv").string());
  ASSERT_EQ(out.n_rows(), 2u);
  const std::vector<std::string> header = {"track_id", "track_name", "artists", "predicted_genre", "proba_jazz",
                                           "proba_rock", "top1_genre", "top1_proba", "top2_genre", "top2_proba"};
  EXPECT_EQ(out.header(), header);
  EXPECT_EQ(out.cell(0, 1), "Hello, \"World\"");
  EXPECT_EQ(out.cell(0, 2), "A, B");
  EXPECT_EQ(out.cell(1, 1), "Line\nbreak");
  EXPECT_EQ(out.cell(0, 3), "rock");
  EXPECT_EQ(out.cell(1, 3), "jazz");
  EXPECT_EQ(out.cell(0, 5), "1");
  EXPECT_EQ(out.cell(0, 6), "rock");
  EXPECT_EQ(r.err.find("accuracy"), std::string::npos);  // no label column
}

TEST_F(PredictCli, WritesToStdoutAndScoresALabelColumn) {
  const auto r = run_cli("predict model.glab train.csv --explain", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Table out = read_csv_text(r.out, "stdout");
  EXPECT_EQ(out.n_rows(), 8u);
  EXPECT_TRUE(out.find_column("track_genre"));  // the label passes through
  EXPECT_TRUE(out.find_column("reason1_feature"));
  EXPECT_TRUE(out.find_column("reason1_contribution"));
  EXPECT_NE(r.err.find("accuracy 100.0% on 8 tracks"), std::string::npos) << r.err;
}

// The accuracy counts only tracks of genres the model knows: 2 rock rows the
// tree gets right and 1 "polka" row it cannot, which is counted beside it.
TEST_F(PredictCli, AccuracyLeavesOutGenresTheModelDoesNotKnow) {
  write_file_atomic((dir_ / "mixed.csv").string(),
                    "track_id,track_name,artists,energy,key,mode,explicit,track_genre\n"
                    "m1,A,X,0.10,C,Major,False,rock\n"
                    "m2,B,X,0.12,D,Minor,False,rock\n"
                    "m3,C,X,0.50,E,Major,False,polka\n");
  const auto r = run_cli("predict model.glab mixed.csv -o out.csv", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("accuracy 100.0% on 2 tracks whose 'track_genre' genre the model knows; 1 labelled tracks "
                       "have genres the model does not know (not scored)"),
            std::string::npos)
      << r.err;
}

// A category level never seen in training (time_signature 7, a third
// "feel"): an error naming it by default; with --on-unknown ignore the row
// gets no indicator set and a note counts it. A two-level column has one
// indicator, so there the unseen level is a missing cell for --on-missing.
TEST(PredictUnknownLevels, ErrorByDefaultIgnoredOnRequestAndCounted) {
  const auto dir = testing::scratch_dir("predict-unknown");
  std::string train = "track_id,energy,time_signature,feel,genre\n";
  const char* sigs[] = {"3", "4", "5"};
  for (int i = 0; i < 12; ++i)
    train += fmt::format("t{},{},{},{},{}\n", i, i < 6 ? 0.1 + 0.01 * i : 0.8 + 0.01 * i, sigs[i % 3],
                         i % 2 ? "warm" : "cold", i < 6 ? "rock" : "jazz");
  write_file_atomic((dir / "train.csv").string(), train);
  ASSERT_EQ(run_cli("train train.csv --model decision_tree -o m.glab", dir).exit_code, 0);
  write_file_atomic((dir / "new.csv").string(),
                    "track_id,energy,time_signature,feel\nn1,0.1,7,warm\nn2,0.9,4,cold\nn3,0.85,7,cold\n");
  auto r = run_cli("predict m.glab new.csv -o out.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'7' is not one of the levels the model knows"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.csv"));

  r = run_cli("predict m.glab new.csv --on-unknown ignore -o out.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 cells held category levels the model never saw: time_signature=7 (2)"), std::string::npos)
      << r.err;
  const Table out = read_csv((dir / "out.csv").string());
  ASSERT_EQ(out.n_rows(), 3u);
  EXPECT_EQ(out.cell(0, *out.find_column("predicted_genre")), "rock");  // energy decides
  EXPECT_EQ(out.cell(1, *out.find_column("predicted_genre")), "jazz");

  write_file_atomic((dir / "feel.csv").string(), "track_id,energy,time_signature,feel\nn1,0.1,4,hot\nn2,0.9,4,cold\n");
  r = run_cli("predict m.glab feel.csv --on-unknown ignore -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("add --on-missing drop or impute-median"), std::string::npos) << r.err;
  r = run_cli("predict m.glab feel.csv --on-unknown ignore --on-missing drop -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("feel=hot (1)"), std::string::npos) << r.err;
  EXPECT_EQ(read_csv((dir / "f.csv").string()).n_rows(), 1u);
  fs::remove_all(dir);
}

TEST_F(PredictCli, MissingFeatureColumnIsAnErrorNamingIt) {
  write_file_atomic((dir_ / "nokey.csv").string(), "track_id,energy,mode,explicit\nn1,0.1,Major,False\n");
  const auto r = run_cli("predict model.glab nokey.csv -o out.csv", dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'key'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.csv"));
}

TEST_F(PredictCli, UnseenCategoryLevelIsAnErrorNamingLineAndValue) {
  // key levels are the 12 pitch classes whatever the training data held, so
  // the unseen level is one no vocabulary knows.
  write_file_atomic((dir_ / "newkey.csv").string(),
                    "track_id,energy,key,mode,explicit\nn1,0.1,C,Major,False\nn2,0.2,H,Major,False\n");
  const auto r = run_cli("predict model.glab newkey.csv -o out.csv", dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'H'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.csv"));
}

TEST_F(PredictCli, ModelFileIsNotACsv) {
  const auto r = run_cli("predict train.csv model.glab -o out.csv", dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("looks like a CSV"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.csv"));
}

TEST_F(PredictCli, TrainWithHoldoutReportsTheSavedModelsScore) {
  const auto r = run_cli("train seed --model decision_tree --param max_depth=5 --holdout 0.25 -o dt.glab", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("held out"), std::string::npos) << r.out;
  const ModelFile f = load_model_file((dir_ / "dt.glab").string());
  const double acc = f.metrics["holdout"]["accuracy"].get<double>();
  // Re-score the saved model on exactly the held-out rows: the same number.
  const Dataset data = load_dataset("seed", {});
  SplitOptions so;
  so.seed = 42;
  const Split split = train_test_split(data.y, static_cast<int>(data.classes.size()), 0.25, so);
  const Labels pred = f.pipeline->predict(take_rows(data.X, split.test));
  EXPECT_DOUBLE_EQ(accuracy(take(data.y, split.test), pred), acc);
  EXPECT_EQ(f.training.rows_used, split.train.size());
}

TEST_F(PredictCli, TrainRejectsAnUnknownModelAsUsage) {
  const auto r = run_cli("train train.csv --model nope -o x.glab", dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "x.glab"));
}

TEST_F(PredictCli, ExplainCommandWritesJson) {
  const auto r = run_cli("explain model.glab train.csv -o e.json", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("treeshap"), std::string::npos);
  const auto j = nlohmann::json::parse(testing::slurp((dir_ / "e.json").string()));
  EXPECT_EQ(j["method"], "treeshap");
  EXPECT_EQ(j["genres"].size(), 2u);
  EXPECT_LT(j["max_additivity_error"].get<double>(), 1e-9);
}

// ---- inspect: the model card (issue 15) -------------------------------------------

TEST_F(PredictCli, InspectPrintsTheModelCard) {
  auto r = run_cli("train seed --model decision_tree --param max_depth=4 --holdout 0.2 -o dt.glab", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ModelFile f = load_model_file((dir_ / "dt.glab").string());
  r = run_cli("inspect dt.glab", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& card = r.out;
  auto has = [&](const std::string& text) { EXPECT_NE(card.find(text), std::string::npos) << text << "\n" << card; };
  has("model       decision_tree");
  has("parameters  max_depth=4");  // what was chosen, apart from the defaults
  has("  defaults  ");
  has(fmt::format("genres      {} in column 'Genre': 50s Hits", f.classes.size()));
  has(fmt::format("features    {} model inputs", f.feature_names.size()));
  has(fmt::format("training    {} ({} rows x {} columns; sha256 {})", kBundledSeedName, f.training.file_rows,
                  f.training.file_columns, sha256_hex(bundled_seed_csv())));
  has(fmt::format("fitted on   {} rows (training part of the hold-out split)", f.training.rows_used));
  has(fmt::format("accuracy {:.1f}%", 100 * f.metrics["holdout"]["accuracy"].get<double>()));
  has("test_size 0.2, seed 42, stratified");
  has("open set    not calibrated");
  has(fmt::format("written by  genrelab {}, model file format version {}", GENRELAB_VERSION, kModelFormatVersion));
  has(fmt::format("integrity   SHA-256 checksum verified ({} bytes", fs::file_size(dir_ / "dt.glab")));
  has(sha256_hex(testing::slurp((dir_ / "dt.glab").string())));
  has(fmt::format("  numeric ({}): ", f.encodings.size()));
  for (const auto& e : f.encodings) has(" " + e.column);
}

TEST_F(PredictCli, InspectJsonHoldsTheSameCard) {
  // model.glab (the fixture) has one-hot and boolean columns; this one is calibrated too.
  auto r = run_cli("train train.csv --model decision_tree --calibrate 0.25 -o cal.glab", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli("inspect cal.glab --json -", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);  // standard output holds the JSON alone
  const ModelFile f = load_model_file((dir_ / "cal.glab").string());
  EXPECT_EQ(j["model"]["name"], "decision_tree");
  EXPECT_EQ(j["model"]["params"].get<ParamMap>(), f.params);
  EXPECT_EQ(j["genres"].get<std::vector<std::string>>(), f.classes);
  EXPECT_EQ(j["features"].get<std::vector<std::string>>(), f.feature_names);
  EXPECT_EQ(j["label_column"], "track_genre");
  ASSERT_EQ(j["encodings"].size(), f.encodings.size());
  bool one_hot = false, boolean = false;
  for (const auto& e : j["encodings"]) {
    one_hot = one_hot || (e["column"] == "key" && e["kind"] == "one_hot" && e["levels"].size() == 12);
    boolean = boolean || (e["column"] == "explicit" && e["kind"] == "boolean");
  }
  EXPECT_TRUE(one_hot) << j["encodings"].dump();
  EXPECT_TRUE(boolean) << j["encodings"].dump();
  EXPECT_EQ(j["training"]["sha256"], sha256_file_hex((dir_ / "train.csv").string()));
  EXPECT_EQ(j["training"]["file_rows"], 8);
  EXPECT_EQ(j["training"]["rows_used"], f.training.rows_used);
  EXPECT_EQ(j["scores"], f.metrics);
  EXPECT_EQ(j["open_set"]["calibration_rows"], f.open_set->n_calibration);
  EXPECT_EQ(j["format_version"], kModelFormatVersion);
  EXPECT_EQ(j["genrelab_version"], GENRELAB_VERSION);
  EXPECT_EQ(j["file"]["checksum"]["verified"], true);
  const std::string bytes = testing::slurp((dir_ / "cal.glab").string());
  EXPECT_EQ(j["file"]["bytes"], bytes.size());
  EXPECT_EQ(j["file"]["sha256"], sha256_hex(bytes));
  EXPECT_EQ(j["file"]["header_bytes"].get<std::size_t>() + j["file"]["payload_bytes"].get<std::size_t>() + 61,
            bytes.size());
  // --json FILE: the text on standard output and the same JSON in the file.
  r = run_cli("inspect cal.glab --json card.json", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("open set    calibrated on 2 rows (fraction 0.25)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  one-hot key: 12 levels (C, C#, D, D#, E, F, F#, G, G#, A, A#, B)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  boolean, True/False read as 1/0 (1): explicit\n"), std::string::npos) << r.out;
  EXPECT_EQ(nlohmann::json::parse(testing::slurp((dir_ / "card.json").string())), j);
}

TEST_F(PredictCli, InspectRefusesWhatIsNotAModelAsPredictDoes) {
  EXPECT_EQ(run_cli("inspect", dir_).exit_code, 2);
  const std::string good = testing::slurp((dir_ / "model.glab").string());
  write_file_atomic((dir_ / "short.glab").string(), good.substr(0, good.size() / 2));
  for (const char* name : {"short.glab", "train.csv", "missing.glab"}) {
    SCOPED_TRACE(name);
    const auto inspect = run_cli(std::string("inspect ") + name + " --json card.json", dir_);
    const auto predict = run_cli(std::string("predict ") + name + " train.csv", dir_);
    EXPECT_EQ(inspect.exit_code, 1);
    EXPECT_NE(inspect.err.find(name), std::string::npos) << inspect.err;
    EXPECT_EQ(inspect.err, predict.err);
    EXPECT_TRUE(inspect.out.empty()) << inspect.out;
    EXPECT_FALSE(fs::exists(dir_ / "card.json"));
  }
}

}  // namespace
}  // namespace genrelab
