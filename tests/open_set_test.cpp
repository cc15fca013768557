// Open-set rejection and conformal prediction sets (open_set.h): constructed
// data whose answer is known, coverage checked against its binomial
// tolerance over many seeds, the calibration's trip through the model file,
// and the command line's option checks.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "json_schema.h"
#include "toy_data.h"
#include "genrelab/error.h"
#include "report/charts.h"
#include "genrelab/model_file.h"
#include "genrelab/open_set.h"
#include "genrelab/pipeline.h"
#include "genrelab/predict.h"
#include "genrelab/study.h"
#include "genrelab/train.h"

namespace genrelab {
namespace {

const std::vector<std::vector<double>> kKnown = {{0, 0, 0}, {4, 0, 0}, {0, 4, 0}};

struct Fitted {
  std::unique_ptr<Pipeline> model;
  OpenSetCalibration cal;
};

// Three known blobs; fit on one draw, calibrate on another.
Fitted fit_known(std::uint64_t seed, int per_class_fit = 150, int per_class_cal = 100,
                 const std::string& model = "logistic_regression") {
  Labels y_fit, y_cal;
  const Matrix X_fit = toy::gaussian_blobs(seed, per_class_fit, kKnown, 1.0, y_fit);
  const Matrix X_cal = toy::gaussian_blobs(seed + 1000, per_class_cal, kKnown, 1.0, y_cal);
  Fitted f;
  f.model = std::make_unique<Pipeline>(model, ParamMap{});
  f.model->fit(X_fit, y_fit, 3);
  f.cal = OpenSetCalibration::fit(*f.model, X_fit, y_fit, X_cal, y_cal, 3);
  return f;
}

// Known test rows first (label 0), then unknown ones (label 1).
struct Scored {
  std::vector<double> score;
  std::vector<char> unknown;
};
Scored score_rows(const Fitted& f, const Matrix& known, const Matrix& unknown, NoveltyScore kind) {
  Matrix X(known.rows() + unknown.rows(), known.cols());
  X << known, unknown;
  const Vector s = f.cal.novelty(X, f.model->predict_proba(X), kind);
  Scored out;
  out.score.assign(s.data(), s.data() + s.size());
  out.unknown.assign(static_cast<std::size_t>(known.rows()), 0);
  out.unknown.resize(static_cast<std::size_t>(X.rows()), 1);
  return out;
}

TEST(OpenSet, AurocCountsTiesAsOneHalf) {
  EXPECT_DOUBLE_EQ(auroc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(auroc({0.8, 0.9, 0.1, 0.2}, {0, 0, 1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(auroc({0.5, 0.5, 0.5, 0.5}, {0, 0, 1, 1}), 0.5);
  EXPECT_DOUBLE_EQ(auroc({0.1, 0.5, 0.5, 0.9}, {0, 1, 0, 1}), 0.875);  // pairs: (0.1<.5)(0.1<.9)(.5=.5)(.5<.9)
  EXPECT_TRUE(std::isnan(auroc({0.1, 0.2}, {0, 0})));
}

TEST(OpenSet, ConformalQuantileIsTheFiniteSampleRank) {
  // n = 9, a = 0.1: rank ceil(10 * 0.9) = 9, the largest.
  EXPECT_DOUBLE_EQ(conformal_quantile({9, 1, 8, 2, 7, 3, 6, 4, 5}, 0.1), 9.0);
  // n = 19, a = 0.1: rank 18.
  std::vector<double> s;
  for (int i = 1; i <= 19; ++i) s.push_back(i);
  EXPECT_DOUBLE_EQ(conformal_quantile(s, 0.1), 18.0);
  // Too few rows to promise 1 - a: accept everything.
  EXPECT_TRUE(std::isinf(conformal_quantile({1, 2, 3}, 0.1)));
}

TEST(OpenSet, LedoitWolfMatchesScikitLearnsFormula) {
  // Golden shrinkage 0.210098364624865 (mu = tr S / d = 3.208125) from a
  // pure-Python transcription of sklearn.covariance.ledoit_wolf_shrinkage
  // (assume_centered=True), run on this matrix while writing the test.
  Matrix Z(8, 2);
  Z << 1, 1.1, 2, 1.9, -1, -1.2, -2, -1.8, 0.5, 0.4, -0.5, -0.4, 3, 2.5, -3, -2.6;
  double s = -1;
  const Matrix C = ledoit_wolf(Z, &s);
  EXPECT_NEAR(s, 0.210098364624865, 1e-12);
  const Matrix S = Z.transpose() * Z / 8.0;
  EXPECT_NEAR(C(0, 1), (1 - s) * S(0, 1), 1e-12);
  EXPECT_NEAR(C(0, 0), (1 - s) * S(0, 0) + s * 3.208125, 1e-12);
}

TEST(OpenSet, AFarUnknownClassIsRejected) {
  const Fitted f = fit_known(1);
  Labels yk, yu;
  const Matrix known = toy::gaussian_blobs(7, 200, kKnown, 1.0, yk);
  const Matrix far = toy::gaussian_blobs(8, 300, {{15, 15, 15}}, 1.0, yu);
  // Only the distance sees it: logistic regression is confident far from its
  // data, so max_proba (and the mean of ranks, combined, measured at 0.84 here)
  // cannot (a known limit of the combination; bench/results/open_set.md).
  for (NoveltyScore kind : {NoveltyScore::Mahalanobis}) {
    SCOPED_TRACE(novelty_score_name(kind));
    const Scored s = score_rows(f, known, far, kind);
    EXPECT_GT(auroc(s.score, s.unknown), 0.99);
    const double thr = f.cal.threshold(kind, 0.05);
    std::size_t rejected = 0;
    for (std::size_t i = static_cast<std::size_t>(known.rows()); i < s.score.size(); ++i) rejected += s.score[i] > thr;
    EXPECT_EQ(rejected, 300u) << "every far track is unknown";
  }
}

TEST(OpenSet, AnUnknownClassInsideAKnownOneCannotBeRejected) {
  const Fitted f = fit_known(2);
  Labels yk, yu;
  const Matrix known = toy::gaussian_blobs(9, 200, kKnown, 1.0, yk);
  const Matrix inside = toy::gaussian_blobs(10, 300, {kKnown[0]}, 1.0, yu);  // class 0's own distribution
  for (NoveltyScore kind : kNoveltyScores) {
    SCOPED_TRACE(novelty_score_name(kind));
    const Scored s = score_rows(f, known, inside, kind);
    // 600 known vs 300 unknown from the same mixture component: the AUROC's
    // sd under no difference is about sqrt((n0+n1+1)/(12 n0 n1)) = 0.02.
    // max_proba measured 0.64 here: class 0's own tracks are more confidently
    // classified than the known mixture; the distance is the score that must not see them.
    if (kind == NoveltyScore::Mahalanobis) EXPECT_NEAR(auroc(s.score, s.unknown), 0.5, 0.1);
    else EXPECT_LT(auroc(s.score, s.unknown), 0.75);
    const double thr = f.cal.threshold(kind, 0.05);
    std::size_t rejected = 0;
    for (std::size_t i = static_cast<std::size_t>(known.rows()); i < s.score.size(); ++i) rejected += s.score[i] > thr;
    EXPECT_LT(rejected, 45u) << "only about the 5 % false-rejection share of them (15 of 300)";
  }
}

// Mean over `seeds` of per-seed rates whose expectation is `expected`, with
// n_cal calibration and n_test test rows per seed: the per-seed sd combines
// the calibration quantile's Beta spread, l(n+1-l)/((n+1)^2 (n+2)), and the
// test rows' binomial one; the mean's tolerance is 4 of its sds.
double tolerance(double expected, std::size_t n_cal, std::size_t n_test, int seeds, double a) {
  const double n = static_cast<double>(n_cal);
  const double l = std::ceil((n + 1) * (1 - a));
  const double beta_var = l * (n + 1 - l) / ((n + 1) * (n + 1) * (n + 2));
  const double test_var = expected * (1 - expected) / static_cast<double>(n_test);
  return 4.0 * std::sqrt((beta_var + test_var) / seeds);
}

TEST(OpenSet, PredictionSetsCoverAtTheirLevelOverManySeeds) {
  // Overlapping blobs, so sets are often of size 2 or 3 and coverage is not trivial.
  const std::vector<std::vector<double>> centres = {{0, 0}, {1.5, 0}, {0, 1.5}};
  Labels y_fit;
  const Matrix X_fit = toy::gaussian_blobs(3, 200, centres, 1.0, y_fit);
  Pipeline model("logistic_regression", {});
  model.fit(X_fit, y_fit, 3);
  const int seeds = 200;
  const std::size_t per_cal = 50, per_test = 100;
  for (SetScore kind : {SetScore::Lac, SetScore::Aps})
    for (double alpha : {0.1, 0.2}) {
      SCOPED_TRACE(fmt::format("{} alpha {}", set_score_name(kind), alpha));
      double sum = 0, size = 0;
      for (int s = 0; s < seeds; ++s) {
        Labels y_cal, y_test;
        const Matrix X_cal = toy::gaussian_blobs(100 + 2 * s, per_cal, centres, 1.0, y_cal);
        const Matrix X_test = toy::gaussian_blobs(101 + 2 * s, per_test, centres, 1.0, y_test);
        const double q = conformal_quantile(set_scores(model.predict_proba(X_cal), y_cal, kind), alpha);
        const auto sets = prediction_sets(model.predict_proba(X_test), q, kind);
        std::size_t covered = 0;
        for (std::size_t i = 0; i < sets.size(); ++i) {
          covered += std::binary_search(sets[i].begin(), sets[i].end(), y_test[i]);
          size += static_cast<double>(sets[i].size());
        }
        sum += static_cast<double>(covered) / static_cast<double>(sets.size());
      }
      // Split conformal: E[coverage] = l / (n + 1) with l = ceil((n+1)(1-alpha)),
      // exact for continuous scores (here n = 150).
      const double n = 3.0 * per_cal;
      const double expected = std::ceil((n + 1) * (1 - alpha)) / (n + 1);
      const double mean = sum / seeds;
      EXPECT_NEAR(mean, expected, tolerance(expected, 3 * per_cal, 3 * per_test, seeds, alpha));
      EXPECT_GT(size / (seeds * 3.0 * per_test), 1.2) << "sets must be informative about the overlap";
    }
}

TEST(OpenSet, FalseRejectionOnKnownGenresIsNearItsTarget) {
  const Fitted f = fit_known(4, 150, 100);
  const int seeds = 100;
  const std::size_t n_test = 3 * 100;
  for (NoveltyScore kind : kNoveltyScores) {
    SCOPED_TRACE(novelty_score_name(kind));
    // The calibration rows change with the seed as well: refit the calibration only.
    double sum = 0;
    for (int s = 0; s < seeds; ++s) {
      const Fitted g = fit_known(500 + s, 150, 100);
      Labels y;
      const Matrix X = toy::gaussian_blobs(5000 + s, 100, kKnown, 1.0, y);
      const Vector v = g.cal.novelty(X, g.model->predict_proba(X), kind);
      const double thr = g.cal.threshold(kind, 0.05);
      sum += static_cast<double>((v.array() > thr).count()) / static_cast<double>(n_test);
    }
    const double n = 300;
    const double expected = 1.0 - std::ceil((n + 1) * 0.95) / (n + 1);  // 0.0498
    // The combined score's ranks come from the calibration rows themselves
    // (open_set.h): allow one more calibration row's worth.
    const double extra = kind == NoveltyScore::Combined ? 1.0 / n : 0.0;
    EXPECT_NEAR(sum / seeds, expected, tolerance(1 - expected, 300, n_test, seeds, 0.05) + extra);
  }
  (void)f;
}

TEST(OpenSet, EvaluationHidesAGenreAndScoresIt) {
  // Four genres; "far" lies far from the rest, "twin" on top of "a".
  Labels y;
  const Matrix X = toy::gaussian_blobs(11, 120, {{0, 0, 0}, {4, 0, 0}, {0, 4, 0}, {20, 20, 20}}, 1.0, y);
  Dataset data;
  data.X = X;
  data.y = y;
  data.classes = {"a", "b", "c", "far"};
  data.feature_names = {"x0", "x1", "x2"};
  OpenSetRequest req;
  req.model = "logistic_regression";
  req.each = true;
  const OpenSetResult r = evaluate_open_set(data, req);
  ASSERT_EQ(r.rounds.size(), 4u);
  const OpenSetRound& far = r.rounds[3];
  EXPECT_EQ(far.hidden, std::vector<std::string>{"far"});
  EXPECT_EQ(far.n_unknown_test, 120u) << "every row of the hidden genre is an unknown test row";
  EXPECT_GT(far.scores[1].auroc, 0.99);
  EXPECT_LT(far.scores[1].far, 0.01);
  EXPECT_GT(far.open_set_accuracy, 0.5);
  const nlohmann::json j = open_set_json(r);
  EXPECT_EQ(j["per_genre"][3]["genre"], "far");
  EXPECT_EQ(j["per_genre"][3]["times_hidden"], 1);

  // Same seed, same numbers.
  const nlohmann::json again = open_set_json(evaluate_open_set(data, req));
  EXPECT_EQ(j.dump(), again.dump());

  OpenSetRequest bad = req;
  bad.each = false;
  bad.hidden = 3;
  EXPECT_THROW(evaluate_open_set(data, bad), UsageError);
  bad.hidden = 1;
  bad.alpha = 1.0;
  EXPECT_THROW(evaluate_open_set(data, bad), UsageError);
}

TEST(OpenSet, GroupsNeverCrossFromTrainingToTheUnknownTracks) {
  Labels y;
  const Matrix X = toy::gaussian_blobs(12, 60, {{0, 0}, {4, 0}, {0, 4}, {4, 4}}, 1.0, y);
  Dataset data;
  data.X = X;
  data.y = y;
  data.classes = {"a", "b", "c", "d"};
  data.feature_names = {"x0", "x1"};
  // Each track id appears twice: once in genre d, once in a known genre.
  for (std::size_t i = 0; i < y.size(); ++i) data.groups.push_back(std::to_string(i % 60));
  OpenSetRequest req;
  req.model = "logistic_regression";
  req.each = true;
  const OpenSetResult r = evaluate_open_set(data, req);
  for (const auto& round : r.rounds) {
    // The train side holds ~80 % of the 60 ids; only the hidden genre's rows of the rest are unknown test rows.
    EXPECT_LE(round.n_unknown_test, 15u) << round.hidden.front();
    EXPECT_GE(round.n_unknown_test, 10u) << round.hidden.front();
  }
}

class OpenSetCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::scratch_dir("open_set"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(OpenSetCli, SaveAndLoadKeepTheCalibration) {
  TrainRequest req;
  req.data_path = "seed";
  req.model = "random_forest";
  req.params = {{"n_estimators", "20"}, {"max_depth", "6"}};
  req.calibrate = 0.2;
  const ModelFile f = train_model_file(req);
  ASSERT_TRUE(f.open_set);
  EXPECT_EQ(f.open_set->n_calibration + f.training.rows_used, 1186u) << "the seed data's 1186 tracks";
  const ModelFile g = parse_model_file(serialize_model_file(f), "mem.glab");
  ASSERT_TRUE(g.open_set);
  EXPECT_EQ(g.format_version, 2u);
  EXPECT_EQ(g.open_set->combined, f.open_set->combined);
  EXPECT_EQ(g.open_set->lac, f.open_set->lac);
  EXPECT_EQ(g.open_set->aps, f.open_set->aps);
  EXPECT_EQ(g.open_set->mahalanobis_scores, f.open_set->mahalanobis_scores);
  EXPECT_EQ(g.header["open_set"]["calibration_rows"], f.open_set->n_calibration);
  const Table tracks = read_csv(std::string(GENRELAB_SOURCE_DIR) + "/data/seed/all_genres.csv");
  PredictOptions o;
  o.reject = true;
  o.sets = true;
  const auto a = predict_table(f, tracks, o), b = predict_table(g, tracks, o);
  EXPECT_EQ(a.csv, b.csv);
  EXPECT_GT(a.rejected, 0u);
  EXPECT_GT(a.mean_set_size, 1.0);

  // Without --calibrate: no calibration, and predict says how to get one.
  req.calibrate = 0;
  const ModelFile plain = parse_model_file(serialize_model_file(train_model_file(req)), "plain.glab");
  EXPECT_FALSE(plain.open_set);
  EXPECT_THROW(predict_table(plain, tracks, o), UsageError);
}

TEST_F(OpenSetCli, PredictWritesUnknownAndSets) {
  auto r = testing::run_cli("train seed --model random_forest --param n_estimators=20 --calibrate 0.2 -o rf.glab", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("calibrated 238 held-out training rows"), std::string::npos) << r.out;
  r = testing::run_cli("predict rf.glab '" GENRELAB_SOURCE_DIR
                       "/data/seed/all_genres.csv' --reject --false-reject 0.1 --sets --alpha 0.1 --set-score aps -o p.csv",
                       dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Table p = read_csv((dir_ / "p.csv").string());
  const auto set = p.find_column("prediction_set"), size = p.find_column("set_size"),
             pred = p.find_column("predicted_genre"), nov = p.find_column("novelty_score");
  ASSERT_TRUE(set && size && pred && nov);
  std::size_t unknown = 0;
  for (std::size_t i = 0; i < p.n_rows(); ++i) {
    const std::string s(p.cell(i, *set));
    const int n = std::stoi(std::string(p.cell(i, *size)));
    if (n == 0) EXPECT_EQ(s, "unknown");
    else EXPECT_EQ(static_cast<int>(std::count(s.begin(), s.end(), ';')) + 1, n);
    unknown += p.cell(i, *pred) == "unknown";
  }
  EXPECT_GT(unknown, 0u);
  EXPECT_NE(r.err.find("rejected"), std::string::npos);
}

TEST_F(OpenSetCli, OptionsAreChecked) {
  auto r = testing::run_cli("train seed --model dummy --calibrate 0.7 -o d.glab", dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--calibrate"), std::string::npos) << r.err;
  r = testing::run_cli("train seed --model dummy -o d.glab", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string tracks = " '" GENRELAB_SOURCE_DIR "/data/seed/all_genres.csv'";
  r = testing::run_cli("predict d.glab" + tracks + " --reject -o p.csv", dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--calibrate"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "p.csv"));
  r = testing::run_cli("predict d.glab" + tracks + " --false-reject 0.1 -o p.csv", dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("needs --reject"), std::string::npos) << r.err;
  r = testing::run_cli("predict d.glab" + tracks + " --sets --alpha 1.5 -o p.csv", dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--alpha"), std::string::npos) << r.err;
  r = testing::run_cli("evaluate seed --open-set 13", dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("at least 2 must stay known"), std::string::npos) << r.err;
  r = testing::run_cli("evaluate seed --open-set 2 --open-set-each", dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = testing::run_cli("evaluate seed --alpha 0.1", dir_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("needs --open-set"), std::string::npos) << r.err;
}

TEST_F(OpenSetCli, EvaluateWritesJsonTheSchemaDescribes) {
  const auto r = testing::run_cli(
      "evaluate seed --model random_forest --param n_estimators=20 --open-set 2 --open-set-repeats 2 --json o.json", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("AUROC"), std::string::npos) << r.out;
  const auto doc = nlohmann::json::parse(testing::slurp((dir_ / "o.json").string()));
  ASSERT_EQ(doc["open_set"]["rounds"].size(), 2u);
  EXPECT_EQ(doc["open_set"]["rounds"][0]["hidden"].size(), 2u);
  const auto schema = nlohmann::json::parse(testing::slurp(std::string(GENRELAB_SOURCE_DIR) + "/schemas/results.schema.json"));
  std::vector<std::string> errors;
  testing::validate_json(doc["open_set"], schema["$defs"]["open_set"], schema, "$", errors);
  EXPECT_TRUE(errors.empty()) << errors.size() << " violations, first: " << errors.front();

  // The report's two charts read it: one curve point per score and target, one bar per genre.
  const auto curve = report::open_set_curve_chart(doc["open_set"]);
  EXPECT_EQ(curve["data"]["values"].size(), 3 * std::size(kCurveRates));
  const auto coverage = report::open_set_coverage_chart(doc["open_set"]);
  EXPECT_EQ(coverage["data"]["values"].size(), 14u);
}

}  // namespace
}  // namespace genrelab
