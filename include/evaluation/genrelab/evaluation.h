// Fitting a model on training rows and scoring it on rows it never saw:
// a single held-out split, or k-fold cross-validation. Preprocessing is
// refitted inside every fold (Pipeline), so nothing leaks from test to train.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/metrics.h"
#include "genrelab/pipeline.h"
#include "genrelab/parameters.h"
#include "genrelab/split.h"

namespace genrelab {

struct MeanSd {
  double mean = 0, sd = 0;  // sd: population standard deviation (ddof = 0), as np.std
};
MeanSd mean_sd(const std::vector<double>& values);

struct FoldScore {
  double accuracy = 0, balanced_accuracy = 0, f1_macro = 0, train_accuracy = 0;
  double fit_seconds = 0, predict_seconds = 0;
  std::size_t n_train = 0, n_test = 0;
};

struct CrossValidation {
  std::vector<FoldScore> folds;
  MeanSd accuracy, balanced_accuracy, f1_macro, train_accuracy;
  double fit_seconds = 0, predict_seconds = 0;  // totals over folds
  ClassificationReport out_of_fold;              // every row predicted by the fold that held it out
  std::vector<int> fold_of_row;                  // which fold held each row out (for audits and side-by-side runs)
};

struct Holdout {
  Split split;
  ClassificationReport test;
  double train_accuracy = 0;
  double fit_seconds = 0, predict_seconds = 0;
  std::vector<double> importances;  // model's own (MDI, gain); empty where none
  Labels predictions;               // for split.test, in order
  std::shared_ptr<const Pipeline> model;  // the fitted pipeline, for importance and explanation
};

// The scores of one fitted split, as a cross-validation fold.
FoldScore score_of(const Holdout& holdout);
// Fills the means, sds and time totals of `cv` from cv.folds.
void summarise_folds(CrossValidation& cv);

Holdout evaluate_holdout(const Dataset& data, const std::string& model, const ParamMap& params,
                         const Split& split);
CrossValidation cross_validate(const Dataset& data, const std::string& model, const ParamMap& params,
                               const std::vector<Split>& folds);
// The cross-validation summary (fold scores, means, pooled out-of-fold report)
// of fits already made, holdouts[f] being the fit on folds[f].
CrossValidation cross_validation_of(const Dataset& data, const std::vector<Split>& folds,
                                    const std::vector<Holdout>& holdouts);

}  // namespace genrelab
