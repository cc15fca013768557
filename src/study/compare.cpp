// Every model on the same data, the same split and the same folds.
// Without tuning: k-fold CV on all rows plus one held-out split (as `evaluate`).
// With tuning: parameters are chosen by CV on the training part only, then the
// chosen model is refitted on the training part and scored once on the
// held-out part, which therefore never influenced any choice.
#include <fmt/format.h>

#include <chrono>
#include <ostream>

#include "genrelab/model.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "study/model_seed.h"

namespace genrelab {

std::vector<ModelComparison> compare_models(const Dataset& data, const CompareRequest& request,
                                            std::ostream* progress) {
  const auto models = request.models.empty() ? classifier_names() : request.models;
  for (const auto& m : models) make_classifier(m);  // unknown names fail before any work

  SplitOptions split_options;
  split_options.seed = request.seed;
  split_options.stratify = request.stratify;
  split_options.groups = data.groups.empty() ? nullptr : &data.groups;
  const int n_classes = static_cast<int>(data.classes.size());
  const Split split = train_test_split(data.y, n_classes, request.test_size, split_options);

  std::vector<ModelComparison> results;
  for (const auto& model : models) {
    const auto t0 = std::chrono::steady_clock::now();
    ModelComparison cmp;
    cmp.model = model;
    auto fixed_it = request.params.find(model);
    ParamMap params = fixed_it == request.params.end() ? ParamMap{} : fixed_it->second;
    if (progress) *progress << fmt::format("compare: {}\n", model);

    EvaluationResult& ev = cmp.evaluation;
    ev.request.model = model;
    ev.request.cv = request.cv;
    ev.request.test_size = request.test_size;
    ev.request.seed = request.seed;
    ev.request.stratify = request.stratify;

    if (request.tune) {
      const Dataset train = select_rows(data, split.train);
      TuneRequest tr;
      tr.model = model;
      tr.fixed = params;
      if (auto grid = request.grids.find(model); grid != request.grids.end()) tr.grid = grid->second;
      tr.cv = request.cv;
      tr.seed = request.seed;
      tr.stratify = request.stratify;
      tr.scoring = request.scoring;
      cmp.tuning = run_tune(train, tr, progress);
      cmp.tuned = true;
      params = cmp.tuning.best_params;
      ev.cv.folds = cmp.tuning.candidates.front().folds;
      summarise_folds(ev.cv);
      ev.has_cv = true;
    } else {
      params = with_default_seed(model, params, request.seed);
      const auto folds = k_fold(data.y, n_classes, request.cv, split_options, data.classes);
      ev.cv = cross_validate(data, model, params, folds);
      ev.has_cv = true;
    }
    ev.request.params = params;
    ev.params = make_classifier(model, params)->params();
    ev.holdout = evaluate_holdout(data, model, params, split);
    ev.has_holdout = true;

    if (request.importance == "permutation") {
      cmp.permutation = permutation_importance(*ev.holdout.model, take_rows(data.X, split.test), take(data.y, split.test),
                                               n_classes, request.repeats, request.seed, request.scoring);
      cmp.has_permutation = true;
    }
    cmp.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    results.push_back(std::move(cmp));
  }
  std::stable_sort(results.begin(), results.end(), [&](const ModelComparison& a, const ModelComparison& b) {
    const auto score = [&](const ModelComparison& m) {
      switch (request.scoring) {
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
