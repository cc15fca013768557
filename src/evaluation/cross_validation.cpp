#include <chrono>
#include <cmath>

#include <exception>

#include "genrelab/model_registry.h"
#include "genrelab/evaluation.h"
#include "genrelab/pipeline.h"
#include "genrelab/tuning.h"
#include "genrelab/parallel_tasks.h"

namespace genrelab {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int n_classes_of(const Dataset& data) { return static_cast<int>(data.classes.size()); }

}  // namespace

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd out;
  if (values.empty()) return out;
  for (double v : values) out.mean += v;
  out.mean /= static_cast<double>(values.size());
  double ss = 0;
  for (double v : values) ss += (v - out.mean) * (v - out.mean);
  out.sd = std::sqrt(ss / static_cast<double>(values.size()));
  return out;
}

FoldScore score_of(const Holdout& h) {
  FoldScore s;
  s.accuracy = h.test.accuracy;
  s.balanced_accuracy = h.test.balanced_accuracy;
  s.f1_macro = h.test.macro.f1;
  s.train_accuracy = h.train_accuracy;
  s.fit_seconds = h.fit_seconds;
  s.predict_seconds = h.predict_seconds;
  s.n_train = h.split.train.size();
  s.n_test = h.split.test.size();
  return s;
}

void summarise_folds(CrossValidation& cv) {
  std::vector<double> acc, bal, f1, train_acc;
  cv.fit_seconds = cv.predict_seconds = 0;
  for (const FoldScore& s : cv.folds) {
    acc.push_back(s.accuracy);
    bal.push_back(s.balanced_accuracy);
    f1.push_back(s.f1_macro);
    train_acc.push_back(s.train_accuracy);
    cv.fit_seconds += s.fit_seconds;
    cv.predict_seconds += s.predict_seconds;
  }
  cv.accuracy = mean_sd(acc);
  cv.balanced_accuracy = mean_sd(bal);
  cv.f1_macro = mean_sd(f1);
  cv.train_accuracy = mean_sd(train_acc);
}

Holdout evaluate_holdout(const Dataset& data, const std::string& model, const ParamMap& params,
                         const Split& split) {
  Holdout out;
  out.split = split;
  // The rows are read where they are (Pipeline::fit_rows / predict_rows): a
  // fold of a million-row table is not copied out of it.
  const Labels y_train = take(data.y, split.train);
  const Labels y_test = take(data.y, split.test);

  auto fitted = std::make_shared<Pipeline>(model, params);
  Pipeline& pipeline = *fitted;
  auto t0 = Clock::now();
  pipeline.fit_rows(data.X, split.train, y_train, n_classes_of(data));
  out.fit_seconds = seconds_since(t0);

  t0 = Clock::now();
  out.predictions = pipeline.predict_rows(data.X, split.test);
  out.predict_seconds = seconds_since(t0);

  out.test = evaluate_predictions(y_test, out.predictions, n_classes_of(data));
  out.train_accuracy = accuracy(y_train, pipeline.predict_rows(data.X, split.train));
  out.importances = pipeline.model().feature_importances();
  out.model = std::move(fitted);
  return out;
}

std::vector<Holdout> evaluate_splits(const Dataset& data, const std::string& model, const ParamMap& params,
                                     const std::vector<Split>& splits) {
  std::vector<Holdout> out(splits.size());
  // One task per split; each model runs single-threaded inside the parallel
  // region, which spreads whole fits over the cores.
  run_tasks(splits.size(), make_classifier(model, params)->concurrent_safe(),
            [&](std::size_t i) { out[i] = evaluate_holdout(data, model, params, splits[i]); });
  return out;
}

CrossValidation cross_validation_of(const Dataset& data, const std::vector<Split>& folds,
                                    const std::vector<Holdout>& holdouts) {
  CrossValidation out;
  Labels oof_pred(data.n_rows(), -1);
  out.fold_of_row.assign(data.n_rows(), -1);
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const Split& fold = folds[f];
    const Holdout& h = holdouts[f];
    out.folds.push_back(score_of(h));
    for (std::size_t i = 0; i < fold.test.size(); ++i) {
      oof_pred[static_cast<std::size_t>(fold.test[i])] = h.predictions[i];
      out.fold_of_row[static_cast<std::size_t>(fold.test[i])] = static_cast<int>(f);
    }
  }
  summarise_folds(out);
  // Rows outside every test fold cannot occur with k_fold, but guard anyway so
  // the pooled report never counts a row that was not predicted.
  Labels truth, pred;
  for (std::size_t i = 0; i < oof_pred.size(); ++i) {
    if (oof_pred[i] < 0) continue;
    truth.push_back(data.y[i]);
    pred.push_back(oof_pred[i]);
  }
  out.out_of_fold = evaluate_predictions(truth, pred, n_classes_of(data));
  return out;
}

CrossValidation cross_validate(const Dataset& data, const std::string& model, const ParamMap& params,
                               const std::vector<Split>& folds) {
  return cross_validation_of(data, folds, evaluate_splits(data, model, params, folds));
}

}  // namespace genrelab
