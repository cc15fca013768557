// Names cut to fit a fixed-width table column, kept distinct: the headers of
// the confusion and separability matrices, where "electro" and "electronic"
// once both printed as "elec~".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace genrelab {

// Each name at most `width` bytes (at least 3): a name that fits is kept; a
// longer one is cut and ends in `mark`. With a mark, cuts that would clash
// keep their start and their own ending around it ("ele~o", "ele~c"); where
// that clashes too, or without a mark (where every letter of a narrow column
// counts), numbers end them ("spa1", "spa2"). Cuts never split a UTF-8
// character, and the result is unique whenever the names are.
std::vector<std::string> unique_abbreviations(const std::vector<std::string>& names, std::size_t width,
                                              const std::string& mark = "~");

}  // namespace genrelab
