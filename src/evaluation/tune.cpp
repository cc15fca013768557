#include <algorithm>
#include <chrono>
#include <exception>

#include "genrelab/model.h"
#include "genrelab/tuning.h"

namespace genrelab {

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
    full[c] = fixed;
    for (const auto& [k, v] : candidates[c]) full[c][k] = v;
    // Validates every candidate before hours are spent on the others.
    concurrent = make_classifier(model, full[c])->concurrent_safe() && concurrent;
  }

  const std::size_t n_tasks = candidates.size() * folds.size();
  std::vector<Holdout> fits(n_tasks);
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) if (concurrent && n_tasks > 1)
  for (std::size_t t = 0; t < n_tasks; ++t) {
    try {
      fits[t] = evaluate_holdout(data, model, full[t / folds.size()], folds[t % folds.size()]);
    } catch (...) {
#pragma omp critical(genrelab_tune_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);

  for (std::size_t c = 0; c < candidates.size(); ++c) {
    Candidate cand;
    cand.params = candidates[c];
    std::vector<double> scores, train_scores;
    for (std::size_t f = 0; f < folds.size(); ++f) {
      const Holdout& h = fits[c * folds.size() + f];
      FoldScore s;
      s.accuracy = h.test.accuracy;
      s.balanced_accuracy = h.test.balanced_accuracy;
      s.f1_macro = h.test.macro.f1;
      s.train_accuracy = h.train_accuracy;
      s.fit_seconds = h.fit_seconds;
      s.predict_seconds = h.predict_seconds;
      s.n_train = folds[f].train.size();
      s.n_test = folds[f].test.size();
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
  result.best_params = fixed;
  if (!result.candidates.empty())
    for (const auto& [k, v] : result.candidates.front().params) result.best_params[k] = v;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace genrelab
