// Every model on the same data, the same split and the same folds.
// Without tuning: k-fold CV on all rows plus one held-out split (as `evaluate`).
// With tuning: parameters are chosen by CV on the training part only, then the
// chosen model is refitted on the training part and scored once on the
// held-out part, which therefore never influenced any choice.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <numeric>
#include <ostream>
#include <utility>

#include "genrelab/error.h"
#include "genrelab/protocol.h"
#include "genrelab/model.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "genrelab/parallel_tasks.h"
#include "genrelab/evaluation.h"
#include "genrelab/tuning.h"
#include "genrelab/model_registry.h"

namespace genrelab {

namespace {

using Clock = std::chrono::steady_clock;

// Heaviest first (the registry's cost rank): untuned comparison puts every
// fit of every model into one pool of tasks, and starting the expensive ones
// first keeps a core from idling behind a late gradient-boosting fit at the
// end. Only the order of work depends on this, never a result.
int cost_rank(const std::string& model) { return model_info(model).cost_rank; }

// Every fold of every model, plus each model's held-out fit, as independent
// single-threaded tasks over the cores. fits[m][s] is model m fitted on splits[s].
std::vector<std::vector<Holdout>> fit_all(const Dataset& data, const std::vector<std::string>& models,
                                          const std::vector<ParamMap>& params, const std::vector<Split>& splits,
                                          std::vector<double>& busy_seconds, std::ostream* progress) {
  std::vector<std::size_t> order(models.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost_rank(models[a]) < cost_rank(models[b]); });
  std::vector<std::pair<std::size_t, std::size_t>> pooled, alone;  // (model, split)
  for (std::size_t m : order) {
    const bool safe = make_classifier(models[m], params[m])->concurrent_safe();
    for (std::size_t s = 0; s < splits.size(); ++s) (safe ? pooled : alone).emplace_back(m, s);
  }

  std::vector<std::vector<Holdout>> fits(models.size(), std::vector<Holdout>(splits.size()));
  std::vector<std::vector<double>> task_seconds(models.size(), std::vector<double>(splits.size(), 0.0));
  std::vector<char> announced(models.size(), 0);
  std::mutex progress_mutex;
  auto run = [&](const std::vector<std::pair<std::size_t, std::size_t>>& tasks, bool concurrent) {
    run_tasks(tasks.size(), concurrent, [&](std::size_t t) {
      const auto [m, s] = tasks[t];
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        if (!announced[m]) *progress << fmt::format("compare: {}\n", models[m]);
        announced[m] = 1;
      }
      const auto t0 = Clock::now();
      fits[m][s] = evaluate_holdout(data, models[m], params[m], splits[s]);
      task_seconds[m][s] = std::chrono::duration<double>(Clock::now() - t0).count();
    });
  };
  run(pooled, true);
  run(alone, false);
  busy_seconds.assign(models.size(), 0.0);
  for (std::size_t m = 0; m < models.size(); ++m)
    for (double t : task_seconds[m]) busy_seconds[m] += t;
  return fits;
}

}  // namespace

void check_compare_request(const CompareRequest& request) {
  const auto models = request.models.empty() ? classifier_names() : request.models;
  for (std::size_t m = 0; m < models.size(); ++m) {
    make_classifier(models[m]);  // an unknown name fails here
    if (std::find(models.begin(), models.begin() + static_cast<std::ptrdiff_t>(m), models[m]) !=
        models.begin() + static_cast<std::ptrdiff_t>(m))
      throw UsageError(fmt::format("--models names '{}' twice; name each model once", models[m]));
  }
  auto listed = [&](const std::string& model) { return std::find(models.begin(), models.end(), model) != models.end(); };
  for (const auto& [model, params] : request.params) {
    if (!listed(model))
      throw UsageError(fmt::format("--param sets {}.{}, but '{}' is not among --models ({}); add it there or drop "
                                   "the parameter",
                                   model, params.empty() ? std::string("...") : params.begin()->first, model,
                                   fmt::join(models, ",")));
    make_classifier(model, params);  // a misspelt parameter fails here, before any work
  }
  for (const auto& [model, grid] : request.grids) {
    if (!request.tune) throw UsageError("--grid only applies with --tune; add --tune or drop --grid");
    if (!listed(model))
      throw UsageError(fmt::format("--grid names '{}', which is not among --models; add it there or drop the grid", model));
    parse_grid(grid);
  }
  if (request.tune)
    for (const auto& model : models) {
      TuneRequest tr;
      tr.model = model;
      if (auto g = request.grids.find(model); g != request.grids.end()) tr.grid = g->second;
      tr.protocol = request.protocol;
      tr.confirmed = request.confirmed;
      check_tune_size(tr, fmt::format("compare --tune, {}", model));
    }
}

std::vector<ModelComparison> compare_models(const Dataset& data, const CompareRequest& request,
                                            std::ostream* progress) {
  const protocol::Protocol& p = request.protocol;
  protocol::check_cv(p.cv, protocol::None::Refused, protocol::kCv.key);
  protocol::check_test_size(p.test_size, protocol::None::Refused, protocol::kTestSize.key);
  check_compare_request(request);
  require_two_genres(data, "comparing classifiers");
  const auto models = request.models.empty() ? classifier_names() : request.models;

  const SplitOptions options = split_options(p, data.groups);
  const int n_classes = static_cast<int>(data.classes.size());
  const Split split = train_test_split(data.y, n_classes, p.test_size, options);

  std::vector<ModelComparison> results(models.size());
  std::vector<ParamMap> params(models.size());
  for (std::size_t m = 0; m < models.size(); ++m) {
    ModelComparison& cmp = results[m];
    cmp.model = models[m];
    auto fixed_it = request.params.find(models[m]);
    params[m] = fixed_it == request.params.end() ? ParamMap{} : fixed_it->second;
    EvaluationResult& ev = cmp.evaluation;
    ev.request.model = models[m];
    ev.request.protocol = p;
  }

  if (request.tune) {
    for (std::size_t m = 0; m < models.size(); ++m) {
      const auto t0 = Clock::now();
      ModelComparison& cmp = results[m];
      EvaluationResult& ev = cmp.evaluation;
      if (progress) *progress << fmt::format("compare: {}\n", models[m]);
      const Dataset train = select_rows(data, split.train);
      TuneRequest tr;
      tr.model = models[m];
      tr.fixed = params[m];
      if (auto grid = request.grids.find(models[m]); grid != request.grids.end()) tr.grid = grid->second;
      tr.protocol = p;
      tr.confirmed = request.confirmed;
      cmp.tuning = run_tune(train, tr, progress);
      cmp.tuned = true;
      params[m] = cmp.tuning.best_params;
      ev.cv.folds = cmp.tuning.candidates.front().folds;
      summarise_folds(ev.cv);
      ev.has_cv = true;
      ev.holdout = evaluate_holdout(data, models[m], params[m], split);
      cmp.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    }
  } else {
    for (std::size_t m = 0; m < models.size(); ++m) params[m] = with_default_seed(models[m], params[m], p.seed);
    std::vector<Split> splits = k_fold(data.y, n_classes, p.cv, options, data.classes);
    const std::size_t n_folds = splits.size();
    splits.push_back(split);
    std::vector<double> busy;
    auto fits = fit_all(data, models, params, splits, busy, progress);
    const std::vector<Split> folds(splits.begin(), splits.begin() + static_cast<std::ptrdiff_t>(n_folds));
    for (std::size_t m = 0; m < models.size(); ++m) {
      EvaluationResult& ev = results[m].evaluation;
      ev.holdout = std::move(fits[m].back());
      fits[m].pop_back();
      ev.cv = cross_validation_of(data, folds, fits[m]);
      ev.has_cv = true;
      results[m].seconds = busy[m];
    }
  }

  for (std::size_t m = 0; m < models.size(); ++m) {
    ModelComparison& cmp = results[m];
    EvaluationResult& ev = cmp.evaluation;
    ev.request.params = params[m];
    ev.params = make_classifier(models[m], params[m])->params();
    ev.has_holdout = true;
    if (request.importance == "permutation") {
      const auto t0 = Clock::now();
      cmp.permutation = permutation_importance(*ev.holdout.model, take_rows(data.X, split.test), take(data.y, split.test),
                                               n_classes, request.repeats, p.seed, p.scoring);
      cmp.has_permutation = true;
      cmp.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    }
  }
  std::stable_sort(results.begin(), results.end(), [&](const ModelComparison& a, const ModelComparison& b) {
    const auto score = [&](const ModelComparison& m) {
      switch (p.scoring) {
        case Scoring::Accuracy: return m.evaluation.cv.accuracy.mean;
        case Scoring::BalancedAccuracy: return m.evaluation.cv.balanced_accuracy.mean;
        case Scoring::F1Macro: return m.evaluation.cv.f1_macro.mean;
      }
      return m.evaluation.cv.accuracy.mean;
    };
    return score(a) > score(b);
  });
  return results;
}

}  // namespace genrelab
