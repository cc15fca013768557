// Names cut to fit a fixed-width table column, kept distinct: the headers of
// the confusion and separability matrices, where "electro" and "electronic"
// once both printed as "elec~".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace genrelab {

// Each name at most `width` bytes (at least 3): a name that fits is kept; a
// longer one is cut and ends in '~'. Cuts that would clash keep their start
// and their own ending around the '~' ("el~ro", "el~ic"); where even that
// clashes, a number ends them. Cuts never split a UTF-8 character, and the
// result is unique whenever the names are.
std::vector<std::string> unique_abbreviations(const std::vector<std::string>& names, std::size_t width);

}  // namespace genrelab
