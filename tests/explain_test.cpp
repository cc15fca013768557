// Explanations: TreeSHAP is exact (matches Shapley values computed by brute
// force over every coalition) and additive (contributions + bias equals the
// explained output) for trees, forests and XGBoost.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "genrelab/explain.h"
#include "genrelab/pipeline.h"
#include "genrelab/random.h"
#include "genrelab/study.h"
#include "models/decision_tree.h"
#include "models/gradient_boosting.h"

namespace genrelab {
namespace {

Matrix noisy_classes(std::uint64_t seed, int n, int d, int k, Labels& y) {
  Rng rng(seed);
  Matrix X(n, d);
  y.assign(static_cast<std::size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    const int c = static_cast<int>(rng.uniform_index(static_cast<std::uint64_t>(k)));
    y[static_cast<std::size_t>(i)] = c;
    for (int j = 0; j < d; ++j) X(i, j) = rng.normal() + (j < 2 ? c * 0.8 * (j + 1) : 0.0);
  }
  return X;
}

Labels random_targets(std::uint64_t seed, Eigen::Index n, int k) {
  Rng rng(seed);
  Labels t(static_cast<std::size_t>(n));
  for (auto& c : t) c = static_cast<int>(rng.uniform_index(static_cast<std::uint64_t>(k)));
  return t;
}

// E[f(x) | x_S] the path-dependent way: features outside S are integrated
// out by following both children in proportion to their training weight.
double conditional(const tree::Tree& t, int node, const Matrix& X, Eigen::Index row, unsigned S, int cls, int k) {
  if (t.feature(node) < 0) {
    std::vector<double> p(static_cast<std::size_t>(k), 0.0);
    t.add_leaf_proba(node, 1.0, p.data());
    return p[static_cast<std::size_t>(cls)];
  }
  const int f = t.feature(node);
  if (S & (1u << f)) return conditional(t, X(row, f) <= t.threshold(node) ? t.left(node) : t.right(node), X, row, S, cls, k);
  const double wl = t.weight(t.left(node)), wr = t.weight(t.right(node));
  return (wl * conditional(t, t.left(node), X, row, S, cls, k) + wr * conditional(t, t.right(node), X, row, S, cls, k)) /
         (wl + wr);
}

TEST(TreeShap, MatchesBruteForceShapleyValues) {
  Labels y;
  const int d = 4, k = 3;
  const Matrix X = noisy_classes(7, 300, d, k, y);
  Pipeline p("decision_tree", {{"max_depth", "5"}});
  p.fit(X, y, k);
  const auto& t = dynamic_cast<const DecisionTree&>(p.model()).tree();
  const Labels target = random_targets(3, 25, k);
  const Matrix Xs = X.topRows(25);
  const Contributions c = explain_rows(p, "decision_tree", Xs, target, Xs.colwise().mean().transpose());
  EXPECT_EQ(c.method, "treeshap");
  std::vector<double> fact(d + 1, 1.0);
  for (int i = 1; i <= d; ++i) fact[static_cast<std::size_t>(i)] = fact[static_cast<std::size_t>(i - 1)] * i;
  for (Eigen::Index r = 0; r < Xs.rows(); ++r) {
    const int cls = target[static_cast<std::size_t>(r)];
    for (int j = 0; j < d; ++j) {
      double phi = 0.0;
      for (unsigned S = 0; S < (1u << d); ++S) {
        if (S & (1u << j)) continue;
        const int s = __builtin_popcount(S);
        const double w = fact[static_cast<std::size_t>(s)] * fact[static_cast<std::size_t>(d - s - 1)] / fact[d];
        phi += w * (conditional(t, 0, Xs, r, S | (1u << j), cls, k) - conditional(t, 0, Xs, r, S, cls, k));
      }
      EXPECT_NEAR(c.values(r, j), phi, 1e-12) << "row " << r << " feature " << j;
    }
    EXPECT_NEAR(c.bias(r), conditional(t, 0, Xs, r, 0u, cls, k), 1e-12);
  }
}

TEST(TreeShap, ContributionsPlusBiasEqualTheProbabilityForTreesAndForests) {
  const Dataset data = load_dataset("seed", {});
  const int k = static_cast<int>(data.classes.size());
  for (const char* model : {"decision_tree", "random_forest", "extra_trees"}) {
    SCOPED_TRACE(model);
    Pipeline p(model, {{"max_depth", "8"}, {"random_state", "1"}});
    if (std::string(model) != "decision_tree") p.model().set_param("n_estimators", "25");
    p.fit(data.X, data.y, k);
    const Matrix P = p.predict_proba(data.X);
    Labels predicted(data.n_rows());
    for (Eigen::Index i = 0; i < P.rows(); ++i) predicted[static_cast<std::size_t>(i)] = argmax_row(P, i);
    for (const Labels& target : {predicted, random_targets(5, P.rows(), k)}) {
      const Contributions c = explain_rows(p, model, data.X, target, data.X.colwise().mean().transpose());
      ASSERT_TRUE(c.additive);
      for (Eigen::Index i = 0; i < P.rows(); ++i) {
        const double want = P(i, target[static_cast<std::size_t>(i)]);
        EXPECT_NEAR(c.values.row(i).sum() + c.bias(i), want, 1e-9) << "row " << i;
        EXPECT_EQ(c.output_value(i), want);
      }
    }
  }
}

TEST(TreeShap, GradientBoostingContributionsSumToTheMargin) {
  const Dataset data = load_dataset("seed", {});
  const int k = static_cast<int>(data.classes.size());
  Pipeline p("gradient_boosting", {{"n_estimators", "20"}});
  p.fit(data.X, data.y, k);
  const Matrix M = dynamic_cast<const GradientBoostingClassifier&>(p.model()).predict_margin(data.X);
  const Labels target = random_targets(9, data.X.rows(), k);
  const Contributions c = explain_rows(p, "gradient_boosting", data.X, target, data.X.colwise().mean().transpose());
  EXPECT_EQ(c.method, "xgboost-treeshap");
  EXPECT_EQ(c.output, "margin");
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    const double margin = M(i, target[static_cast<std::size_t>(i)]);
    // XGBoost sums in float32.
    EXPECT_NEAR(c.values.row(i).sum() + c.bias(i), margin, 1e-4 * std::max(1.0, std::abs(margin))) << "row " << i;
  }
}

TEST(Occlusion, OtherModelsGetProbabilityDifferencesAgainstTheTrainingMean) {
  Labels y;
  const Matrix X = noisy_classes(11, 200, 3, 2, y);
  Pipeline p("logistic_regression", {});
  p.fit(X, y, 2);
  const Vector mean = X.colwise().mean().transpose();
  const Labels target(static_cast<std::size_t>(X.rows()), 1);
  const Contributions c = explain_rows(p, "logistic_regression", X, target, mean);
  EXPECT_EQ(c.method, "occlusion");
  EXPECT_FALSE(c.additive);
  const Matrix P = p.predict_proba(X);
  Matrix X0 = X;
  X0.col(0).setConstant(mean(0));
  const Matrix P0 = p.predict_proba(X0);
  for (Eigen::Index i = 0; i < X.rows(); ++i) EXPECT_DOUBLE_EQ(c.values(i, 0), P(i, 1) - P0(i, 1));
  // Feature 2 carries no signal: its occlusion effect is small next to feature 1's.
  EXPECT_LT(c.values.col(2).cwiseAbs().mean(), c.values.col(1).cwiseAbs().mean());
}

TEST(ExplainModel, PerGenreSummaryUsesPredictedGenres) {
  TrainRequest r;
  r.data_path = "seed";
  r.model = "random_forest";
  r.params = {{"n_estimators", "10"}, {"max_depth", "6"}};
  const ModelFile f = train_model_file(r);
  const Table t = read_csv_text(bundled_seed_csv(), "seed");
  const ModelExplanation e = explain_model(f, t);
  EXPECT_EQ(e.rows, t.n_rows());
  std::size_t tracks = 0;
  for (const auto& g : e.genres) {
    tracks += g.tracks;
    // Ordered by the value printed (the signed mean, by its size), not by mean |c|.
    for (std::size_t i = 1; i < g.features.size(); ++i)
      EXPECT_GE(std::abs(g.features[i - 1].mean), std::abs(g.features[i].mean));
  }
  EXPECT_EQ(tracks, e.rows);
  EXPECT_EQ(e.model_importances.size(), f.feature_names.size());
  EXPECT_LT(e.max_additivity_error, 1e-9);
  const auto j = explanation_json(e);
  EXPECT_EQ(j["genres"].size(), e.genres.size());
  // The printed per-genre lists read in that order: "  genre (N tracks): f +0.1, g -0.05, ..."
  // (feature names hold commas, "Color_['#', '0']", so the line is searched, not split).
  const std::string text = explanation_text(e, 6);
  std::size_t at = text.find("Per genre");
  ASSERT_NE(at, std::string::npos) << text;
  for (const auto& g : e.genres) {
    at = text.find(fmt::format("\n  {} ({} tracks):", g.genre, g.tracks), at);
    ASSERT_NE(at, std::string::npos) << g.genre << "\n" << text;
    const std::size_t end = text.find('\n', at + 1);
    double previous = 1e300;
    for (std::size_t k = 0; k < 6 && k < g.features.size(); ++k) {
      const std::string item = fmt::format(" {} {:+.3g}", g.features[k].feature, g.features[k].mean);
      const std::size_t next = text.find(item, at);
      ASSERT_LT(next, end) << item << "\n" << text.substr(at, end - at);
      EXPECT_LE(std::abs(g.features[k].mean), previous);
      previous = std::abs(g.features[k].mean);
      at = next + item.size();
    }
  }
}

}  // namespace
}  // namespace genrelab
