// `genrelab train`: fit a model on a data set and describe it as a ModelFile
// (model_file.h), ready to save.
#pragma once

#include <iosfwd>
#include <string>

#include "genrelab/collective.h"
#include "genrelab/dataset.h"
#include "genrelab/model_file.h"
#include "genrelab/model_registry.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"

namespace genrelab {

// `train --distributed`: this process is one worker of a gradient-boosting
// fit spread over several (see collective.h and train_distributed.cpp).
struct DistributedOptions {
  bool enabled = false;
  CollectiveOptions collective;  // empty fields come from the DMLC_* environment
  // Which rows of DATA this worker trains on: "K/N" (--shard), or empty for
  // the share of this worker's rank when shard_by is given, or all of DATA
  // (each worker its own file) when neither is.
  std::string shard;
  std::string shard_by;  // column hashed (FNV-1a 64 of its text, as extract --shard does); default: --group-by
};

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
  DistributedOptions distributed;
};
ModelFile train_model_file(const TrainRequest& request, std::ostream* progress = nullptr);

// One worker's part of `train --distributed`: joins the collective, agrees
// with the others on genres, features and encodings (InputError naming the
// workers that differ), fits jointly, and scores the held-out rows of every
// shard. Every worker returns the same model; the one of rank 0 saves it.
struct DistributedTrain {
  ModelFile file;
  int rank = 0;
  int world_size = 1;
};
DistributedTrain train_distributed(const TrainRequest& request, std::ostream* progress = nullptr);

// What `genrelab train` prints: data, model, rows used, scores.
std::string train_text(const ModelFile& file);

}  // namespace genrelab
