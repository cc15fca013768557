// `genrelab train`: fit a model on a data set and describe it as a ModelFile
// (model_file.h), ready to save.
#pragma once

#include <iosfwd>
#include <string>

#include "genrelab/dataset.h"
#include "genrelab/model_file.h"
#include "genrelab/model_registry.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"

namespace genrelab {

struct TrainRequest {
  std::string data_path;  // "seed": the bundled seed data
  DatasetOptions options;
  std::string model = default_model();
  ParamMap params;
  // test_size (--holdout) > 0: fit on the training part of a seeded
  // (stratified, group-aware) split, score on the rest, and keep the model
  // fitted on the training part, so the reported score belongs to the saved
  // model. 0, the default here: fit on all rows. cv and scoring unused.
  protocol::Protocol protocol{.test_size = 0.0};
};
ModelFile train_model_file(const TrainRequest& request, std::ostream* progress = nullptr);
// What `genrelab train` prints: data, model, rows used, scores.
std::string train_text(const ModelFile& file);

}  // namespace genrelab
