// `genrelab train`: fit a model on a data set and describe it as a ModelFile
// (model_file.h), ready to save.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "genrelab/dataset.h"
#include "genrelab/model_file.h"
#include "genrelab/model_registry.h"
#include "genrelab/parameters.h"

namespace genrelab {

struct TrainRequest {
  std::string data_path;  // "seed": the bundled seed data
  DatasetOptions options;
  std::string model = default_model();
  ParamMap params;
  // > 0: fit on the training part of a seeded (stratified, group-aware)
  // split, score on the rest, and keep the model fitted on the training
  // part, so the reported score belongs to the saved model. 0: fit on all rows.
  double holdout = 0.0;
  std::uint64_t seed = 42;
  bool stratify = true;
  bool sklearn_split = false;  // held-out rows as scikit-learn's train_test_split picks them (SplitOptions::sklearn_holdout)
};
ModelFile train_model_file(const TrainRequest& request, std::ostream* progress = nullptr);
// What `genrelab train` prints: data, model, rows used, scores.
std::string train_text(const ModelFile& file);

}  // namespace genrelab
