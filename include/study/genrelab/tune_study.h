// `genrelab tune`: a grid searched by cross-validation, as values, JSON and text.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "genrelab/dataset.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"
#include "genrelab/tuning.h"

namespace genrelab {

struct TuneRequest {
  std::string model;
  ParamMap fixed;           // --param values held constant
  std::string grid;         // 'p=v1,v2 q=...'; empty: the model's default grid
  std::size_t random = 0;   // > 0: random search over that many grid points
  // cv (0 refused), seed, stratify and scoring; nothing is held out, so
  // test_size and sklearn_split are unused.
  protocol::Protocol protocol;
  bool confirmed = false;   // --yes: run a search above protocol::kMaxFitsUnconfirmed fits
};
// The refusal run_tune gives for a search too large to start unconfirmed,
// checked from the grid's size alone (nothing is expanded or fitted).
void check_tune_size(const TuneRequest& request, const std::string& what);
// A small, sensible grid per model, for `compare --tune` and `tune` without --grid.
std::string default_grid(const std::string& model);
TuneResult run_tune(const Dataset& data, const TuneRequest& request, std::ostream* progress = nullptr);
nlohmann::json tune_json(const TuneResult& result, const TuneRequest& request);
std::string tune_text(const TuneResult& result, const TuneRequest& request, std::size_t top = 20);

}  // namespace genrelab
