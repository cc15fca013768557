// "Did you mean" for misspelt names (commands, models, parameters, columns,
// genres): one edit distance and one rule for when a name is close enough,
// so every message that reports an unknown name suggests the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab {

// Optimal-string-alignment Damerau-Levenshtein distance: insertions,
// deletions, substitutions and swaps of two adjacent characters each cost 1
// ("evalute" -> "evaluate" is 1, "forrest" -> "forest" is 1, "rokc" -> "rock" is 1).
// Byte-wise and case-sensitive; closest_names compares lower-cased names.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates nearest to `typed` (case-insensitive), when near enough to
// be a misspelling rather than another name: at most 1 edit for names up to
// 4 characters, at most a third of the longer name's length beyond that (so
// "svm" does not suggest "knn"). Ties are all returned, in candidate order,
// at most `limit` of them; an exact match is not a suggestion.
std::vector<std::string> closest_names(std::string_view typed, const std::vector<std::string>& candidates,
                                       std::size_t limit = 3);

// " Did you mean 'x'?" (or "'x' or 'y'") to append to a message naming the
// unknown `typed`, or "" when nothing is near.
std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace genrelab
