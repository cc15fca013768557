#include "study/model_seed.h"

#include <algorithm>

#include "genrelab/model.h"

namespace genrelab {

ParamMap with_default_seed(const std::string& model, ParamMap params, std::uint64_t seed) {
  const auto probe = make_classifier(model, params);
  const auto& specs = probe->parameter_set().specs();
  const bool has_random_state =
      std::any_of(specs.begin(), specs.end(), [](const auto& s) { return s.name == "random_state"; });
  if (has_random_state && !params.count("random_state")) params["random_state"] = std::to_string(seed);
  return params;
}

}  // namespace genrelab
