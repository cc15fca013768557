#include <algorithm>
#include <chrono>
#include <exception>

#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/tuning.h"
#include "genrelab/parallel_tasks.h"

namespace genrelab {

ParamMap with_candidate(const ParamMap& fixed, const ParamMap& candidate) {
  ParamMap params = fixed;
  for (const auto& [k, v] : candidate) params[k] = v;
  return params;
}

TuneResult tune(const Dataset& data, const std::string& model, const ParamMap& fixed,
                const std::vector<ParamMap>& candidates, const std::vector<Split>& folds, Scoring scoring) {
  const auto t0 = std::chrono::steady_clock::now();
  TuneResult result;
  result.model = model;
  result.fixed = fixed;
  result.scoring = scoring;

  std::vector<ParamMap> full(candidates.size());
  bool concurrent = true;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    full[c] = with_candidate(fixed, candidates[c]);
    // Validates every candidate before hours are spent on the others.
    concurrent = make_classifier(model, full[c])->concurrent_safe() && concurrent;
  }

  const std::size_t n_tasks = candidates.size() * folds.size();
  std::vector<Holdout> fits(n_tasks);
  run_tasks(n_tasks, concurrent, [&](std::size_t t) {
    fits[t] = evaluate_holdout(data, model, full[t / folds.size()], folds[t % folds.size()]);
  });

  for (std::size_t c = 0; c < candidates.size(); ++c) {
    Candidate cand;
    cand.params = candidates[c];
    std::vector<double> scores, train_scores;
    for (std::size_t f = 0; f < folds.size(); ++f) {
      const Holdout& h = fits[c * folds.size() + f];
      const FoldScore s = score_of(h);
      cand.fit_seconds += h.fit_seconds;
      scores.push_back(fold_score(s, scoring));
      train_scores.push_back(h.train_accuracy);
      cand.folds.push_back(s);
    }
    cand.score = mean_sd(scores);
    cand.train_score = mean_sd(train_scores);
    result.candidates.push_back(std::move(cand));
  }
  std::stable_sort(result.candidates.begin(), result.candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score.mean > b.score.mean; });
  for (std::size_t i = 0; i < result.candidates.size(); ++i) result.candidates[i].rank = static_cast<int>(i) + 1;
  result.best_params = result.candidates.empty() ? fixed : with_candidate(fixed, result.candidates.front().params);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace genrelab
