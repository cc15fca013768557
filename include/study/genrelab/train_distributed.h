// `genrelab train --distributed`: this process is one worker of a
// gradient-boosting fit spread over several (collective.h, train_distributed.cpp).
#pragma once

#include <iosfwd>
#include <string>

#include "genrelab/collective.h"
#include "genrelab/model_file.h"
#include "genrelab/train.h"

namespace genrelab {

struct DistributedOptions {
  bool enabled = false;
  CollectiveOptions collective;  // empty fields come from the DMLC_* environment
  // Which rows of DATA this worker trains on: "K/N" (--shard), or empty for
  // the share of this worker's rank when shard_by is given, or all of DATA
  // (each worker its own file) when neither is.
  std::string shard;
  std::string shard_by;  // column hashed (FNV-1a 64 of its text, as extract --shard does); default: --group-by
};

// One worker's part of `train --distributed`: joins the collective, agrees
// with the others on genres, features and encodings (InputError naming the
// workers that differ), fits jointly, and scores the held-out rows of every
// shard. Every worker returns the same model; the one of rank 0 saves it.
struct DistributedTrain {
  ModelFile file;
  int rank = 0;
  int world_size = 1;
};
DistributedTrain train_distributed(const TrainRequest& request, const DistributedOptions& distributed,
                                   std::ostream* progress = nullptr);

}  // namespace genrelab
