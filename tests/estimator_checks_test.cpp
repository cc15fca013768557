// One suite of contract checks run over every model in the registry, in the
// manner of scikit-learn's estimator_checks: what any classifier must do,
// whatever it is. A model added to the registry is checked here with no new
// test code; its own test file keeps only what is specific to it.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "genrelab/bytes.h"
#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/tuning.h"
#include "toy_data.h"

using namespace genrelab;

namespace {

class EstimatorChecks : public ::testing::TestWithParam<std::string> {
 protected:
  const ModelInfo& info() const { return model_info(GetParam()); }

  // Seeded, so every run of a check sees the same model; a model without a
  // random_state is deterministic by construction.
  std::unique_ptr<Classifier> make(ParamMap params = {}) const {
    return make_classifier(GetParam(), with_default_seed(GetParam(), std::move(params), 7));
  }

  // Three well-separated 2-D blobs: every model that reads its features must
  // learn them.
  static void separable(Matrix& X, Labels& y, std::uint64_t seed) { toy::three_blobs(X, y, 40, 0.6, seed); }
};

// The message every model gives for a non-finite value, from the contract.
std::string non_finite_message(const std::string& model, int row, int col, double v) {
  return Classifier::non_finite_message(model, row, col, v);
}

// Restores OpenMP's thread count however the test ends.
struct ThreadCount {
  explicit ThreadCount(int n) : saved(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~ThreadCount() { omp_set_num_threads(saved); }
  int saved;
};

TEST_P(EstimatorChecks, RegistryEntryIsComplete) {
  const ModelInfo& m = info();
  EXPECT_FALSE(m.description.empty());
  EXPECT_EQ(make()->name(), m.name);
  // Every point of the default tuning grid is a valid set of parameters.
  ASSERT_FALSE(m.default_grid.empty());
  for (const ParamMap& candidate : expand_grid(parse_grid(m.default_grid)))
    EXPECT_NO_THROW(make_classifier(m.name, candidate)) << m.default_grid;
  // So are its lighter settings for per-pair fits.
  EXPECT_NO_THROW(make_classifier(m.name, m.pairwise_params));
}

TEST(ModelRegistry, MarksExactlyOneDefaultModel) {
  const auto& all = model_registry();
  EXPECT_EQ(std::count_if(all.begin(), all.end(), [](const ModelInfo& e) { return e.is_default; }), 1);
  EXPECT_TRUE(model_info(default_model()).is_default);
}

TEST_P(EstimatorChecks, LearnsSeparableData) {
  Matrix X, Xt;
  Labels y, yt;
  separable(X, y, 1);
  separable(Xt, yt, 2);
  auto m = make();
  m->fit(X, y, 3);
  const Labels pred = m->predict(Xt);
  int hit = 0;
  for (std::size_t i = 0; i < yt.size(); ++i) hit += pred[i] == yt[i];
  const double accuracy = hit / static_cast<double>(yt.size());
  if (info().baseline) {
    EXPECT_LT(accuracy, 0.6) << "a baseline ignores the features";
  } else {
    EXPECT_GE(accuracy, 0.95);
  }
  EXPECT_EQ(m->n_classes(), 3);
  EXPECT_EQ(m->n_features_in(), 2);
}

TEST_P(EstimatorChecks, ProbabilityRowsAreFiniteAndSumToOne) {
  Matrix X;
  Labels y;
  separable(X, y, 3);
  // Rows the model has seen (distance 0 for neighbours), rows far outside the
  // training range (likelihoods that underflow) and the origin.
  Matrix Q(6, 2);
  Q << X(0, 0), X(0, 1), X(1, 0), X(1, 1), 1e6, -1e6, -1e6, 1e6, 0, 0, 1e-300, -1e-300;
  // Class 3 has no rows, as in a fold that lacks a rare genre: it still gets
  // a column and its probability is 0.
  auto m = make();
  m->fit(X, y, 4);
  const Matrix P = m->predict_proba(Q);
  ASSERT_EQ(P.rows(), Q.rows());
  ASSERT_EQ(P.cols(), 4);
  for (Eigen::Index i = 0; i < P.rows(); ++i) {
    EXPECT_TRUE(P.row(i).allFinite()) << "row " << i << ": " << P.row(i);
    EXPECT_NEAR(P.row(i).sum(), 1.0, 1e-9) << "row " << i;
    EXPECT_GE(P.row(i).minCoeff(), 0.0) << "row " << i;
    EXPECT_EQ(P(i, 3), 0.0) << "row " << i << ": a class without training rows";
  }
  // predict is the most probable class, ties to the lower code.
  const Labels pred = m->predict(Q);
  for (Eigen::Index i = 0; i < P.rows(); ++i) EXPECT_EQ(pred[static_cast<std::size_t>(i)], argmax_row(P, i)) << i;
}

TEST_P(EstimatorChecks, RefusesNonFiniteValuesWithOneMessage) {
  Matrix X;
  Labels y;
  separable(X, y, 4);
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  auto clean = make();
  clean->fit(X, y, 3);
  for (const double v : {nan, inf, -inf}) {
    // Two bad cells: the message names the first by row, then column.
    Matrix bad = X;
    bad(9, 0) = v;
    bad(7, 1) = v;
    const bool allowed = std::isnan(v) && make()->accepts_missing();
    const std::string expected = non_finite_message(GetParam(), 7, 1, v);
    auto m = make();
    if (allowed) {
      EXPECT_NO_THROW(m->fit(bad, y, 3)) << "NaN is this model's missing value";
      EXPECT_NO_THROW(clean->predict_proba(bad));
      continue;
    }
    try {
      m->fit(bad, y, 3);
      ADD_FAILURE() << "fit accepted " << v;
    } catch (const InputError& e) {
      EXPECT_EQ(e.what(), expected);
    }
    try {
      (void)clean->predict_proba(bad);
      ADD_FAILURE() << "predict_proba accepted " << v;
    } catch (const InputError& e) {
      EXPECT_EQ(e.what(), expected);
    }
    EXPECT_THROW((void)clean->predict(bad), InputError);
  }
}

TEST_P(EstimatorChecks, RefusesInconsistentInput) {
  Matrix X;
  Labels y;
  separable(X, y, 5);
  Labels short_y(y.begin(), y.end() - 1);
  EXPECT_THROW(make()->fit(X, short_y, 3), InputError);
  Labels bad_code = y;
  bad_code[3] = 3;
  EXPECT_THROW(make()->fit(X, bad_code, 3), InputError);
  bad_code[3] = -1;
  EXPECT_THROW(make()->fit(X, bad_code, 3), InputError);
  EXPECT_THROW(make()->fit(Matrix(0, 2), {}, 3), InputError);
  EXPECT_THROW(make()->fit(X, y, 0), UsageError);
  EXPECT_THROW((void)make()->predict_proba(X), UsageError) << "predict before fit";
  auto m = make();
  m->fit(X, y, 3);
  EXPECT_THROW((void)m->predict_proba(Matrix::Zero(2, 3)), InputError) << "wrong number of features";
}

TEST_P(EstimatorChecks, SameSeedSameResultOnOneAndTwoThreads) {
  Matrix X, Xt;
  Labels y, yt;
  separable(X, y, 6);
  separable(Xt, yt, 7);
  const auto specs = info().parameters();
  const bool has_jobs =
      std::any_of(specs.begin(), specs.end(), [](const ParameterSet::Spec& s) { return s.name == "n_jobs"; });
  const auto fit_on = [&](int threads) {
    ThreadCount t(threads);
    ParamMap p;
    if (has_jobs) p["n_jobs"] = std::to_string(threads);
    auto m = make(p);
    m->fit(X, y, 3);
    return Matrix(m->predict_proba(Xt));
  };
  const Matrix one = fit_on(1);
  EXPECT_EQ(one, fit_on(1)) << "same seed, same thread count";
  EXPECT_EQ(one, fit_on(2)) << "same seed on 2 threads";
}

TEST_P(EstimatorChecks, SaveLoadRoundTripGivesEqualProbabilities) {
  Matrix X, Xt;
  Labels y, yt;
  separable(X, y, 8);
  separable(Xt, yt, 9);
  auto m = make();
  m->fit(X, y, 3);
  ByteWriter out;
  m->save(out);
  auto back = make_classifier(GetParam(), m->params());
  ByteReader in(out.bytes(), "round trip");
  back->load(in);
  in.expect_end();
  EXPECT_EQ(back->n_classes(), 3);
  // A saved dummy does not record how many features it was fitted on (its
  // payload predates the contract, and it reads none of them): 0, "any width".
  if (info().baseline) EXPECT_EQ(back->n_features_in(), 0);
  else EXPECT_EQ(back->n_features_in(), 2);
  EXPECT_EQ(Matrix(back->predict_proba(Xt)), Matrix(m->predict_proba(Xt)));
  EXPECT_EQ(back->predict(Xt), m->predict(Xt));
}

TEST_P(EstimatorChecks, RefusesUnknownParameters) {
  try {
    make_classifier(GetParam(), {{"no_such_parameter", "1"}});
    ADD_FAILURE() << "accepted an unknown parameter";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_parameter"), std::string::npos) << e.what();
  }
}

TEST_P(EstimatorChecks, RefusesOutOfRangeParameters) {
  for (const auto& s : info().parameters()) {
    SCOPED_TRACE(s.name);
    const auto refused = [&](const std::string& value) {
      EXPECT_THROW(make_classifier(GetParam(), {{s.name, value}}), UsageError) << s.name << "=" << value;
    };
    EXPECT_NO_THROW(make_classifier(GetParam(), {{s.name, s.default_value}})) << "the default is allowed";
    refused("not-a-value");
    refused("");
    const bool numeric = s.kind.starts_with("int") || s.kind.starts_with("float");
    if (!numeric) continue;
    if (s.min > -1e308) refused(fmt::format("{}", s.min_exclusive ? s.min : s.min - 1));
    if (s.max < 1e308) refused(fmt::format("{}", s.max + 1));
    refused("nan");
    refused("inf");
    if (s.kind.starts_with("int")) refused("1.5");
  }
}

INSTANTIATE_TEST_SUITE_P(EveryRegisteredModel, EstimatorChecks, ::testing::ValuesIn(classifier_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
