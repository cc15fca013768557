#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "genrelab/protocol.h"
#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "genrelab/model_registry.h"

namespace genrelab {

std::string default_grid(const std::string& model) { return model_info(model).default_grid; }

void check_tune_size(const TuneRequest& request, const std::string& what) {
  const ParamGrid grid = parse_grid(request.grid.empty() ? default_grid(request.model) : request.grid);
  const std::size_t candidates = request.random > 0 ? std::min(request.random, grid.size()) : grid.size();
  protocol::check_search_size(candidates, static_cast<std::size_t>(std::max(request.protocol.cv, 0)),
                              request.confirmed, what);
}

TuneResult run_tune(const Dataset& data, const TuneRequest& request, std::ostream* progress) {
  const protocol::Protocol& p = request.protocol;
  protocol::check_cv(p.cv, protocol::None::Refused, protocol::kCv.key);
  check_tune_size(request, fmt::format("tuning {}", request.model));
  require_two_genres(data, "tuning a classifier");
  const ParamGrid grid = parse_grid(request.grid.empty() ? default_grid(request.model) : request.grid);
  const auto candidates = request.random > 0 ? sample_grid(grid, request.random, p.seed) : expand_grid(grid);
  const auto folds =
      k_fold(data.y, static_cast<int>(data.classes.size()), p.cv, split_options(p, data.groups), data.classes);
  const ParamMap fixed = with_default_seed(request.model, request.fixed, p.seed);
  if (progress) {
    // A misspelt parameter should be the only thing the user sees, not a plan
    // that never runs: tune() would throw the same error a moment later.
    for (const auto& candidate : candidates) make_classifier(request.model, with_candidate(fixed, candidate));
    *progress << fmt::format("  tuning {}: {} candidates x {} folds = {} fits\n", request.model, candidates.size(),
                             folds.size(), candidates.size() * folds.size());
  }
  return tune(data, request.model, fixed, candidates, folds, p.scoring);
}

nlohmann::json tune_json(const TuneResult& result, const TuneRequest& request) {
  nlohmann::json cands = nlohmann::json::array();
  for (const auto& c : result.candidates) {
    nlohmann::json folds = nlohmann::json::array();
    for (const auto& f : c.folds) folds.push_back(fold_score(f, result.scoring));
    cands.push_back({{"rank", c.rank}, {"params", c.params}, {"mean", c.score.mean}, {"sd", c.score.sd},
                     {"train_accuracy", c.train_score.mean}, {"fit_seconds", c.fit_seconds}, {"folds", folds}});
  }
  protocol::Protocol p = request.protocol;
  p.scoring = result.scoring;  // the score the candidates were ranked by
  nlohmann::json out = protocol::result_json(p, {protocol::kScoring, protocol::kCv, protocol::kSeed});
  out["model"] = result.model;
  out["fixed_params"] = result.fixed;
  out["best_params"] = result.best_params;
  out["best_score"] = result.candidates.empty() ? 0.0 : result.candidates.front().score.mean;
  out["seconds"] = result.seconds;
  out["candidates"] = std::move(cands);
  return out;
}

std::string tune_text(const TuneResult& result, const TuneRequest& request, std::size_t top) {
  std::string out = fmt::format("== tune {} ({}-fold CV, scoring {}, {} candidates, {:.1f} s)\n", result.model,
                                request.protocol.cv, scoring_name(result.scoring), result.candidates.size(), result.seconds);
  out += fmt::format("{:>4}  {:>16}  {:>9}  {}\n", "rank", "score mean ± sd", "train", "parameters");
  for (const auto& c : result.candidates) {
    if (static_cast<std::size_t>(c.rank) > top) break;
    std::vector<std::string> parts;
    for (const auto& [k, v] : c.params) parts.push_back(k + "=" + v);
    out += fmt::format("{:>4}  {:>9.1f}% ± {:>4.1f}  {:>8.1f}%  {}\n", c.rank, 100 * c.score.mean, 100 * c.score.sd,
                       100 * c.train_score.mean, fmt::join(parts, " "));
  }
  if (result.candidates.size() > top) out += fmt::format("  ... {} more in the JSON\n", result.candidates.size() - top);
  std::vector<std::string> best;
  for (const auto& [k, v] : result.best_params) best.push_back(k + "=" + v);
  out += fmt::format("Best parameters: {}\n", fmt::join(best, " "));
  return out;
}

}  // namespace genrelab
