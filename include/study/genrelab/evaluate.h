// `genrelab evaluate`: one model scored honestly (held-out split and/or
// cross-validation), as values, JSON and text.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "genrelab/dataset.h"
#include "genrelab/evaluation.h"
#include "genrelab/model_registry.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"

namespace genrelab {

struct EvaluateRequest {
  std::string model = default_model();
  ParamMap params;
  // cv 0: no cross-validation; test_size 0: no held-out split. Scoring unused:
  // every score is reported.
  protocol::Protocol protocol;
  int top_importances = 15;
};

struct EvaluationResult {
  EvaluateRequest request;
  ParamMap params;  // every parameter of the model, defaults included
  bool has_holdout = false, has_cv = false;
  Holdout holdout;
  CrossValidation cv;
};

EvaluationResult evaluate_model(const Dataset& data, const EvaluateRequest& request,
                                std::ostream* progress = nullptr);

nlohmann::json dataset_json(const Dataset& data);
// with_fold_assignment adds cv.fold_of_row (one fold number per row) and
// holdout.test_rows, so another tool can be run on exactly the same rows.
nlohmann::json evaluation_json(const EvaluationResult& result, const Dataset& data,
                               bool with_fold_assignment = false);
// What a person reads in the terminal: scores, classification report,
// confusion matrix, top importances.
std::string evaluation_text(const EvaluationResult& result, const Dataset& data);
std::string dataset_text(const Dataset& data);

}  // namespace genrelab
