// The histogram split search (src/models/tree/histogram.{h,cpp}): binning,
// equality with the exact search where the bins are the distinct values,
// accuracy where they are quantiles, thread-count determinism, model files,
// and its parameters' messages.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "genrelab/bytes.h"
#include "genrelab/error.h"
#include "genrelab/metrics.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/random.h"
#include "models/decision_tree.h"
#include "models/tree/histogram.h"

using namespace genrelab;
using tree::BinnedData;

namespace {

// Features with few distinct values (integers 0..9, a 0/1 flag, a feature
// with 40 levels), labels from a noisy rule, so trees are deep and varied.
void few_distinct(int n, int k, Matrix& X, Labels& y, std::uint64_t seed) {
  Rng rng(seed);
  X.resize(n, 5);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    X(i, 0) = static_cast<double>(rng.uniform_index(10));
    X(i, 1) = static_cast<double>(rng.uniform_index(2));
    X(i, 2) = 0.25 * static_cast<double>(rng.uniform_index(40)) - 3.0;
    X(i, 3) = static_cast<double>(rng.uniform_index(7)) * 1e6;
    X(i, 4) = static_cast<double>(rng.uniform_index(10));
    const double score = X(i, 0) + 3.0 * X(i, 1) + X(i, 2) + 2.0 * rng.normal();
    y[static_cast<std::size_t>(i)] = std::clamp(static_cast<int>(std::floor(score / 4.0)) + 1, 0, k - 1);
  }
}

// Gaussian classes around random centres, continuous values (every value distinct).
void blobs(int n, int p, int k, Matrix& X, Labels& y, std::uint64_t seed) {
  Rng rng(seed);
  Matrix centres(k, p);
  for (int c = 0; c < k; ++c)
    for (int f = 0; f < p; ++f) centres(c, f) = 1.5 * rng.normal();
  X.resize(n, p);
  y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int c = static_cast<int>(rng.uniform_index(static_cast<std::uint64_t>(k)));
    y[static_cast<std::size_t>(i)] = c;
    for (int f = 0; f < p; ++f) X(i, f) = centres(c, f) + rng.normal();
  }
}

std::string model_bytes(const Classifier& model) {
  ByteWriter out;
  model.save(out);
  return out.bytes();
}

std::unique_ptr<Classifier> fitted(const std::string& name, const ParamMap& params, const Matrix& X, const Labels& y,
                                   int k) {
  auto model = make_classifier(name, params);
  model->fit(X, y, k);
  return model;
}

TEST(Binning, FewDistinctValuesGetOneBinEachWithMidpointEdges) {
  Matrix X;
  Labels y;
  few_distinct(3000, 4, X, y, 1);
  const BinnedData bins(X, 255, 0, "test");
  EXPECT_EQ(bins.n_bins(0), 10);
  EXPECT_EQ(bins.n_bins(1), 2);
  EXPECT_EQ(bins.n_bins(2), 40);
  EXPECT_EQ(bins.n_bins(3), 7);
  ASSERT_EQ(bins.edges(1).size(), 1u);
  EXPECT_DOUBLE_EQ(bins.edges(1)[0], 0.5);
  EXPECT_DOUBLE_EQ(bins.edges(0)[3], 3.5);
  EXPECT_DOUBLE_EQ(bins.edges(3)[0], 0.5e6);
  for (int f = 0; f < 5; ++f) {
    for (int i = 0; i < X.rows(); ++i) {
      const int b = bins.code(i, f);
      // Each bin holds exactly one value, and codes agree with the edges.
      EXPECT_EQ(bins.bin_min(f, b), X(i, f));
      EXPECT_EQ(bins.bin_max(f, b), X(i, f));
      if (b > 0) {
      EXPECT_GT(X(i, f), bins.edges(f)[static_cast<std::size_t>(b) - 1]);
    }
      if (b + 1 < bins.n_bins(f)) {
      EXPECT_LE(X(i, f), bins.edges(f)[static_cast<std::size_t>(b)]);
    }
    }
  }
}

TEST(Binning, ContinuousValuesGetQuantileBins) {
  Matrix X;
  Labels y;
  blobs(8000, 2, 3, X, y, 2);
  const BinnedData bins(X, 16, 0, "test");
  for (int f = 0; f < 2; ++f) {
    ASSERT_EQ(bins.n_bins(f), 16);
    std::vector<int> count(16, 0);
    for (int i = 0; i < X.rows(); ++i) ++count[bins.code(i, f)];
    // 8000 / 16 = 500 rows a bin: quantiles, not equal widths (where the
    // tails would hold a handful).
    for (int c : count) {
      EXPECT_GE(c, 450);
      EXPECT_LE(c, 550);
    }
    for (int i = 0; i < X.rows(); ++i) {
      const int b = bins.code(i, f);
      if (b > 0) {
      EXPECT_GT(X(i, f), bins.edges(f)[static_cast<std::size_t>(b) - 1]);
    }
      if (b < 15) {
      EXPECT_LE(X(i, f), bins.edges(f)[static_cast<std::size_t>(b)]);
    }
    }
  }
}

TEST(Binning, HeavyTiesNeverExceedMaxBins) {
  // Half the rows share one value; the rest are distinct.
  Matrix X(5000, 1);
  Rng rng(3);
  for (int i = 0; i < 5000; ++i) X(i, 0) = i % 2 == 0 ? 0.0 : rng.normal();
  const BinnedData bins(X, 32, 0, "test");
  EXPECT_LE(bins.n_bins(0), 32);
  EXPECT_GE(bins.n_bins(0), 16);
  const BinnedData two(X, 2, 0, "test");
  EXPECT_EQ(two.n_bins(0), 2);
}

TEST(Binning, LargeDataBinsFromASeededSample) {
  // Above kBinSampleRows the edges come from a sample: the same seed gives
  // the same edges, and every row still lands in a bin consistent with them.
  const int n = BinnedData::kBinSampleRows + 5000;
  Matrix X(n, 1);
  Rng rng(4);
  for (int i = 0; i < n; ++i) X(i, 0) = rng.normal();
  const BinnedData a(X, 255, 7, "test"), b(X, 255, 7, "test");
  EXPECT_EQ(a.edges(0), b.edges(0));
  EXPECT_EQ(a.n_bins(0), 255);
  for (int i = 0; i < n; i += 97) {
    const int c = a.code(i, 0);
    if (c > 0) {
      EXPECT_GT(X(i, 0), a.edges(0)[static_cast<std::size_t>(c) - 1]);
    }
    if (c < 254) {
      EXPECT_LE(X(i, 0), a.edges(0)[static_cast<std::size_t>(c)]);
    }
  }
}

TEST(Binning, NonFiniteValuesAreRefusedNamingRowAndColumn) {
  Matrix X = Matrix::Ones(4, 3);
  X(2, 1) = std::numeric_limits<double>::quiet_NaN();
  try {
    const BinnedData bins(X, 255, 0, "random_forest");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("random_forest: row 2, feature column 1 is nan"), std::string::npos) << msg;
  }
  // And through a model, as for every tree model.
  Labels y = {0, 1, 0, 1};
  auto model = make_classifier("random_forest", {{"split_search", "hist"}});
  EXPECT_THROW(model->fit(X, y, 2), InputError);
}

// Where each feature has at most max_bins distinct values the bins are the
// distinct values, so the histogram search sees the exact search's
// candidates, scores them with the same sums (integer weights: exact), and
// draws features from the same random stream: the models are byte-identical.
TEST(HistVersusExact, SameTreesOnFewDistinctValues) {
  Matrix X;
  Labels y;
  few_distinct(4000, 4, X, y, 5);
  // max_features=None: every feature at every node, so the larger child's
  // histograms come from subtraction (parent minus smaller child); a wrong
  // subtraction would change splits.
  for (const std::string criterion : {"gini", "entropy"}) {
    SCOPED_TRACE(criterion);
    const auto exact = fitted("decision_tree", {{"split_search", "exact"}, {"criterion", criterion}}, X, y, 4);
    const auto hist = fitted("decision_tree", {{"split_search", "hist"}, {"criterion", criterion}}, X, y, 4);
    if (criterion == "gini") {
      EXPECT_EQ(model_bytes(*exact), model_bytes(*hist));
    } else {
      // Entropy sums x log x in another order, so near-ties may fall the
      // other way: the same fit to within a point.
      EXPECT_NEAR(accuracy(y, hist->predict(X)), accuracy(y, exact->predict(X)), 0.01);
    }
  }
  // A forest: bootstrap counts as weights, sqrt features drawn per node.
  const ParamMap forest = {{"n_estimators", "12"}, {"max_depth", "12"}, {"n_jobs", "2"}};
  ParamMap f_exact = forest, f_hist = forest;
  f_exact["split_search"] = "exact";
  f_hist["split_search"] = "hist";
  EXPECT_EQ(model_bytes(*fitted("random_forest", f_exact, X, y, 4)), model_bytes(*fitted("random_forest", f_hist, X, y, 4)));
  // min_samples_leaf and max_features=None in a forest.
  f_exact["min_samples_leaf"] = f_hist["min_samples_leaf"] = "5";
  f_exact["max_features"] = f_hist["max_features"] = "None";
  EXPECT_EQ(model_bytes(*fitted("random_forest", f_exact, X, y, 4)), model_bytes(*fitted("random_forest", f_hist, X, y, 4)));
  // AdaBoost's trees, on fractional weights: the same predictions.
  const auto a_exact = fitted("adaboost", {{"split_search", "exact"}, {"max_depth", "3"}, {"n_estimators", "10"}}, X, y, 4);
  const auto a_hist = fitted("adaboost", {{"split_search", "hist"}, {"max_depth", "3"}, {"n_estimators", "10"}}, X, y, 4);
  EXPECT_EQ(a_exact->predict(X), a_hist->predict(X));
}

TEST(HistVersusExact, AutoIsExactBelowTheThreshold) {
  Matrix X;
  Labels y;
  blobs(3000, 6, 4, X, y, 6);
  const ParamMap base = {{"n_estimators", "5"}};
  ParamMap a = base, e = base;
  a["split_search"] = "auto";
  e["split_search"] = "exact";
  EXPECT_EQ(model_bytes(*fitted("random_forest", a, X, y, 4)), model_bytes(*fitted("random_forest", e, X, y, 4)));
}

TEST(HistVersusExact, SameAccuracyOnContinuousData) {
  // 20,000 distinct values per feature cut into 255 (or 32) bins: held-out
  // accuracy within a point of the exact search.
  Matrix X, Xt;
  Labels y, yt;
  blobs(25000, 8, 5, X, y, 7);
  Xt = X.bottomRows(5000);
  yt.assign(y.end() - 5000, y.end());
  X.conservativeResize(20000, Eigen::NoChange);
  y.resize(20000);
  const ParamMap base = {{"n_estimators", "20"}, {"max_depth", "10"}};
  auto acc = [&](const std::string& search, const std::string& bins) {
    ParamMap p = base;
    p["split_search"] = search;
    p["max_bins"] = bins;
    return accuracy(yt, fitted("random_forest", p, X, y, 5)->predict(Xt));
  };
  const double exact = acc("exact", "255");
  EXPECT_GT(exact, 0.6);
  EXPECT_NEAR(acc("hist", "255"), exact, 0.01);
  EXPECT_NEAR(acc("hist", "32"), exact, 0.015);
  // A single deep tree too.
  const auto dt_e = fitted("decision_tree", {{"split_search", "exact"}, {"max_depth", "8"}}, X, y, 5);
  const auto dt_h = fitted("decision_tree", {{"split_search", "hist"}, {"max_depth", "8"}}, X, y, 5);
  EXPECT_NEAR(accuracy(yt, dt_h->predict(Xt)), accuracy(yt, dt_e->predict(Xt)), 0.02);
}

TEST(HistSearch, SameForestOnOneAndTwoThreads) {
  Matrix X;
  Labels y;
  blobs(6000, 10, 6, X, y, 8);
  const ParamMap base = {{"n_estimators", "16"}, {"split_search", "hist"}, {"max_depth", "9"}};
  ParamMap one = base, two = base;
  one["n_jobs"] = "1";
  two["n_jobs"] = "2";
  const auto a = fitted("random_forest", one, X, y, 6);
  const auto b = fitted("random_forest", two, X, y, 6);
  EXPECT_EQ(model_bytes(*a), model_bytes(*b));
  // A different seed gives a different forest (the check can fail).
  two["random_state"] = "1";
  EXPECT_NE(model_bytes(*a), model_bytes(*fitted("random_forest", two, X, y, 6)));
}

TEST(HistSearch, ThresholdsRouteTrainingRowsAsTheBinsDid) {
  // Real-valued thresholds between bins: a fully grown tree on distinct
  // values classifies its training rows as its leaves say (no row routed
  // across a bin boundary at predict time).
  Matrix X;
  Labels y;
  blobs(3000, 4, 3, X, y, 9);
  const auto dt = fitted("decision_tree", {{"split_search", "hist"}, {"max_bins", "255"}}, X, y, 3);
  const auto* tree = dynamic_cast<const DecisionTree*>(dt.get());
  ASSERT_NE(tree, nullptr);
  const auto counts = tree->tree().leaf_sample_counts();
  long total = 0;
  for (int c : counts) total += c;
  EXPECT_EQ(total, 3000);
  std::vector<int> routed(static_cast<std::size_t>(tree->tree().node_count()), 0);
  for (Eigen::Index i = 0; i < X.rows(); ++i) ++routed[static_cast<std::size_t>(tree->tree().apply(X, i))];
  std::vector<int> leaf_routed;
  for (int id = 0; id < tree->tree().node_count(); ++id)
    if (tree->tree().feature(id) < 0) leaf_routed.push_back(routed[static_cast<std::size_t>(id)]);
  EXPECT_EQ(leaf_routed, counts);
}

TEST(HistSearch, ModelFileRoundTrip) {
  Matrix X;
  Labels y;
  blobs(4000, 5, 4, X, y, 10);
  for (const std::string name : {"random_forest", "decision_tree", "adaboost"}) {
    SCOPED_TRACE(name);
    const auto model = fitted(name, {{"split_search", "hist"}, {"max_bins", "64"}}, X, y, 4);
    const std::string bytes = model_bytes(*model);
    auto loaded = make_classifier(name, {});
    ByteReader in(bytes, "test model");
    loaded->load(in);
    const Matrix a = model->predict_proba(X), b = loaded->predict_proba(X);
    EXPECT_TRUE(a == b);
    EXPECT_EQ(model_bytes(*loaded), bytes);
  }
}

TEST(HistSearch, ParameterMessages) {
  Matrix X;
  Labels y;
  blobs(200, 3, 2, X, y, 11);
  auto message = [&](const std::string& name, const ParamMap& params) -> std::string {
    try {
      fitted(name, params, X, y, 2);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(message("random_forest", {{"max_bins", "1"}}).find("max_bins"), std::string::npos);
  EXPECT_NE(message("random_forest", {{"max_bins", "256"}}).find("max_bins"), std::string::npos);
  const std::string bad = message("decision_tree", {{"split_search", "fast"}});
  EXPECT_NE(bad.find("split_search"), std::string::npos) << bad;
  EXPECT_NE(bad.find("exact"), std::string::npos) << bad;
  const std::string random = message("decision_tree", {{"splitter", "random"}, {"split_search", "hist"}});
  EXPECT_NE(random.find("split_search=hist"), std::string::npos) << random;
  EXPECT_NE(random.find("split_search=exact or auto"), std::string::npos) << random;
  // splitter=random with auto is the exact random search, whatever the size.
  EXPECT_EQ(message("decision_tree", {{"splitter", "random"}}), "no error");
  // extra_trees has no split_search: its random thresholds use the exact search.
  EXPECT_NE(message("extra_trees", {{"split_search", "hist"}}), "no error");
}

}  // namespace

// The evaluation layer fits a fold on rows of the full table
// (Classifier::fit_rows); the forest bins them where they lie. It must be
// the same forest as one fitted on a copy of those rows, for both searches,
// with the out-of-bag score read from the right rows.
TEST(HistSearch, FitOnRowsOfTheTableEqualsFitOnTheirCopy) {
  Matrix X;
  Labels y;
  blobs(5000, 8, 5, X, y, 21);
  std::vector<int> rows;
  for (int i = 0; i < X.rows(); ++i)
    if (i % 3 != 1) rows.push_back(X.rows() - 1 - i);  // a subset, in a different order
  const Labels y_rows = take(y, rows);
  for (const char* search : {"hist", "exact"}) {
    const ParamMap params = {{"n_estimators", "8"}, {"split_search", search}, {"oob_score", "true"}};
    auto in_place = make_classifier("random_forest", params);
    in_place->fit_rows(X, rows, y_rows, 5);
    const auto copied = fitted("random_forest", params, take_rows(X, rows), y_rows, 5);
    EXPECT_EQ(model_bytes(*in_place), model_bytes(*copied)) << search;
    EXPECT_EQ(in_place->predict_rows(X, rows), copied->predict(take_rows(X, rows))) << search;
  }
}
