// `genrelab predict`: a saved model (model_file.h) applied to a table of
// tracks, with probabilities, top-K genres and explanations on request.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "genrelab/model_file.h"
#include "genrelab/table.h"

namespace genrelab {

struct PredictOptions {
  bool proba = false;    // one probability column per genre
  int top = 0;           // > 0: top-K genres and their probabilities
  bool explain = false;  // the features that pushed each track toward its predicted genre
  int explain_top = 3;   // how many of them, by |contribution|
  // Open set (the model needs `train --calibrate`). reject: predicted_genre is
  // "unknown" when the novelty score passes the split-conformal threshold for
  // `false_reject` on known genres; adds novelty_score. sets: adds
  // prediction_set (';'-joined genres, "unknown" when empty) and set_size.
  bool reject = false;
  double false_reject = 0.05;
  std::string novelty_score = "combined";  // max_proba | mahalanobis | combined
  bool sets = false;
  double alpha = 0.1;
  std::string set_score = "lac";  // lac | aps
  MissingPolicy on_missing = MissingPolicy::Error;  // missing feature cells: error, drop the row, or impute
  UnknownLevelPolicy on_unknown = UnknownLevelPolicy::Error;  // category levels never seen in training
};
struct PredictResult {
  std::string csv;             // RFC 4180, header first
  std::size_t rows = 0;
  double predict_seconds = 0;  // encoding + predict_proba (+ explanation), in process
  std::size_t labelled = 0;    // rows whose label cell (model's label column) is filled
  std::size_t correct = 0;
  std::size_t unknown_labels = 0;  // labelled rows whose genre the model does not know
  std::vector<std::string> passthrough;  // columns copied to the output
  std::size_t rejected = 0;              // --reject: rows labelled unknown
  double reject_threshold = 0;           // --reject: +Inf when the calibration is too small for the rate
  std::size_t empty_sets = 0;            // --sets: rows whose set is empty
  double mean_set_size = 0;
  std::size_t rows_dropped = 0, cells_imputed = 0;  // on_missing
  std::string missing_note;    // what on_missing did, one sentence; empty when nothing was missing
  std::size_t unknown_cells = 0;  // on_unknown ignore: cells with a level the model never saw
  std::string unknown_note;
  std::string top_note;        // set when top was capped at the number of genres
};
// Every column the model does not read (identifiers, text, the label) is
// copied through, in input order; then predicted_genre and what `options` ask for.
PredictResult predict_table(const ModelFile& file, const Table& tracks, const PredictOptions& options);

}  // namespace genrelab
