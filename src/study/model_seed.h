// --seed is the one number a person sets for a reproducible run; it seeds the
// model too unless they chose a random_state of their own.
#pragma once

#include <cstdint>
#include <string>

#include "genrelab/parameters.h"

namespace genrelab {

ParamMap with_default_seed(const std::string& model, ParamMap params, std::uint64_t seed);

}  // namespace genrelab
