// Split-conformal pieces (open_set.h): the finite-sample quantile, the
// LAC and APS conformity scores and the prediction sets they give, and AUROC.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "genrelab/error.h"
#include "genrelab/suggest.h"
#include "genrelab/open_set.h"

namespace genrelab {

const char* novelty_score_name(NoveltyScore s) {
  switch (s) {
    case NoveltyScore::MaxProba: return "max_proba";
    case NoveltyScore::Mahalanobis: return "mahalanobis";
    case NoveltyScore::Combined: return "combined";
  }
  return "combined";
}

NoveltyScore parse_novelty_score(const std::string& text) {
  for (NoveltyScore s : kNoveltyScores)
    if (text == novelty_score_name(s)) return s;
  throw UsageError(fmt::format("unknown novelty score '{}'; choose max_proba, mahalanobis or combined.{}", text,
                               did_you_mean(text, {"max_proba", "mahalanobis", "combined"})));
}

const char* set_score_name(SetScore s) { return s == SetScore::Aps ? "aps" : "lac"; }

SetScore parse_set_score(const std::string& text) {
  if (text == "lac") return SetScore::Lac;
  if (text == "aps") return SetScore::Aps;
  throw UsageError(fmt::format("unknown set score '{}'; choose lac or aps.{}", text, did_you_mean(text, {"lac", "aps"})));
}

void check_rate(double value, const std::string& option) {
  if (!(value > 0.0 && value < 1.0))
    throw UsageError(fmt::format("{} must be between 0 and 1 (exclusive), got {}; e.g. {} 0.1", option, value, option));
}

void check_calibrate(double fraction, const std::string& option) {
  if (!(fraction > 0.0 && fraction <= 0.5))
    throw UsageError(fmt::format("{} must be a fraction of the training rows in (0, 0.5], got {}; e.g. {} 0.2",
                                 option, fraction, option));
}

double conformal_quantile(std::vector<double> scores, double a) {
  const std::size_t n = scores.size();
  const auto rank = static_cast<std::size_t>(std::ceil(static_cast<double>(n + 1) * (1.0 - a) - 1e-12));
  if (n == 0 || rank > n) return std::numeric_limits<double>::infinity();
  std::nth_element(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(rank - 1), scores.end());
  return scores[rank - 1];
}

namespace {

// Classes of row i from most to least probable; ties by class code, so the
// order (and so APS) is the same on every run.
void order_of(const Matrix& P, Eigen::Index i, std::vector<int>& order) {
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return P(i, a) > P(i, b); });
}

}  // namespace

std::vector<double> set_scores(const Matrix& P, const Labels& y, SetScore kind) {
  std::vector<double> s(y.size());
  std::vector<int> order(static_cast<std::size_t>(P.cols()));
  for (std::size_t r = 0; r < y.size(); ++r) {
    const auto i = static_cast<Eigen::Index>(r);
    if (kind == SetScore::Lac) {
      s[r] = 1.0 - P(i, y[r]);
      continue;
    }
    order_of(P, i, order);
    double mass = 0;
    for (int k : order) {
      mass += P(i, k);
      if (k == y[r]) break;
    }
    s[r] = mass;
  }
  return s;
}

std::vector<std::vector<int>> prediction_sets(const Matrix& P, double q, SetScore kind) {
  std::vector<std::vector<int>> sets(static_cast<std::size_t>(P.rows()));
  std::vector<int> order(static_cast<std::size_t>(P.cols()));
  for (Eigen::Index i = 0; i < P.rows(); ++i) {
    auto& set = sets[static_cast<std::size_t>(i)];
    if (kind == SetScore::Lac) {
      for (Eigen::Index k = 0; k < P.cols(); ++k)
        if (1.0 - P(i, k) <= q) set.push_back(static_cast<int>(k));
      continue;
    }
    // The same running sum set_scores computes, so a class is in the set
    // exactly when its own APS score would be <= q.
    order_of(P, i, order);
    double mass = 0;
    for (int k : order) {
      mass += P(i, k);
      if (mass > q) break;
      set.push_back(k);
    }
    std::sort(set.begin(), set.end());
  }
  return sets;
}

double auroc(const std::vector<double>& score, const std::vector<char>& is_unknown) {
  std::vector<std::size_t> idx(score.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return score[a] < score[b]; });
  // Mann-Whitney: sum of the unknown rows' mid-ranks.
  double rank_sum = 0;
  std::size_t n1 = 0;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j < idx.size() && score[idx[j]] == score[idx[i]]) ++j;
    const double mid = 0.5 * static_cast<double>(i + 1 + j);
    for (std::size_t t = i; t < j; ++t)
      if (is_unknown[idx[t]]) rank_sum += mid, ++n1;
    i = j;
  }
  const std::size_t n0 = score.size() - n1;
  if (n0 == 0 || n1 == 0) return std::numeric_limits<double>::quiet_NaN();
  const double u = rank_sum - 0.5 * static_cast<double>(n1) * static_cast<double>(n1 + 1);
  return u / (static_cast<double>(n0) * static_cast<double>(n1));
}

}  // namespace genrelab
