// How well each pair of genres can be told apart: a binary classifier's
// cross-validated score on just that pair, plus per-feature overlap and KS
// distance, and a clustering of genres on that score.
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <ostream>

#include "genrelab/protocol.h"
#include "genrelab/model.h"
#include "genrelab/profiling.h"
#include "genrelab/model_registry.h"

namespace genrelab {
namespace {

ParamMap resolve_params(const SeparabilityRequest& request) {
  ParamMap params = request.params;
  // One fit per pair and fold: the registry's lighter settings, where it has
  // any, for what the request leaves unset.
  for (const auto& [name, value] : model_info(request.model).pairwise_params) params.emplace(name, value);
  return with_default_seed(request.model, params, request.protocol.seed);
}

void pair_scores(const Dataset& data, const SeparabilityRequest& request, const ParamMap& params,
                 PairSeparability& pair) {
  const Dataset two = subset_genres(data, {pair.a, pair.b});
  const auto folds =
      k_fold(two.y, 2, request.protocol.cv, split_options(request.protocol, two.groups), two.classes);
  const CrossValidation cv = cross_validate(two, request.model, params, folds);
  pair.accuracy = cv.accuracy;
  pair.balanced_accuracy = cv.balanced_accuracy;
}

void feature_scores(const Dataset& data, int bins, std::vector<PairSeparability>& pairs) {
  const std::size_t n_genres = data.classes.size();
  for (std::size_t c = 0; c < data.n_features(); ++c) {
    const auto col = static_cast<Eigen::Index>(c);
    const std::vector<double> all(data.X.col(col).data(), data.X.col(col).data() + data.X.rows());
    const auto edges = histogram_edges(all, bins);
    std::vector<std::vector<double>> values(n_genres), shares(n_genres);
    for (std::size_t g = 0; g < n_genres; ++g) {
      values[g] = feature_values(data, col, {static_cast<int>(g)});
      for (auto count : histogram_counts(values[g], edges))
        shares[g].push_back(values[g].empty() ? 0.0 : static_cast<double>(count) / static_cast<double>(values[g].size()));
    }
    for (auto& pair : pairs) {
      const auto a = static_cast<std::size_t>(pair.a), b = static_cast<std::size_t>(pair.b);
      double overlap = 0;
      for (std::size_t i = 0; i < shares[a].size(); ++i) overlap += std::min(shares[a][i], shares[b][i]);
      pair.overlap.push_back(overlap);
      pair.ks.push_back(ks_statistic(values[a], values[b]));
    }
  }
}

}  // namespace

Separability genre_separability(const Dataset& data, const SeparabilityRequest& request, std::ostream* progress) {
  protocol::check_cv(request.protocol.cv, protocol::None::Refused, protocol::kCv.key);
  require_two_genres(data, "separability (genre pairs)");
  Separability s;
  s.request = request;
  s.genres = data.classes;
  s.features = data.feature_names;
  const ParamMap params = resolve_params(request);
  const auto probe = make_classifier(request.model, params);
  s.params = probe->params();
  const int n = static_cast<int>(data.classes.size());
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b) s.pairs.push_back({a, b, {}, {}, {}, {}});

  if (progress)
    *progress << fmt::format("  separability: {} genre pairs, {} with {}-fold cross-validation\n", s.pairs.size(),
                             request.model, request.protocol.cv);
  const bool concurrent = probe->concurrent_safe();
  std::exception_ptr failure;
  // One task per pair, each seeded on its own (folds and model), so the
  // numbers do not depend on how many threads share the work.
#pragma omp parallel for schedule(dynamic, 1) if (concurrent)
  for (std::size_t i = 0; i < s.pairs.size(); ++i) {
    try {
      pair_scores(data, request, params, s.pairs[i]);
    } catch (...) {
#pragma omp critical(genrelab_separability_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  if (request.per_feature) feature_scores(data, request.bins, s.pairs);

  s.separability = Matrix::Constant(n, n, 0.5);
  for (const auto& p : s.pairs) s.separability(p.a, p.b) = s.separability(p.b, p.a) = p.balanced_accuracy.mean;
  s.similarity = (2.0 * (1.0 - s.separability.array())).cwiseMax(0.0).cwiseMin(1.0).matrix();
  Matrix distance = s.separability;
  distance.diagonal().setZero();
  s.clustering = average_linkage(distance);
  return s;
}

}  // namespace genrelab
