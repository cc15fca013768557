// How single text cells are read as numbers, booleans, missing markers and
// categorical levels. Shared by dataset building and predict-time encoding so
// that both sides read a cell the same way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace genrelab::data {

std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// Empty, NaN, NA, null, inf and friends: what pandas would read as missing or
// non-finite. A model cannot learn from any of them.
bool is_missing(std::string_view cell);

// A finite number in the forms pandas, R and Excel write (1, -0.5, 1.01e-06, +3).
std::optional<double> parse_number(std::string_view cell);

// True/False in the spellings pandas (True), R (TRUE) and JSON (true) use.
std::optional<bool> parse_bool(std::string_view cell);

// Categorical columns whose levels have a known vocabulary, so that "1",
// "C#", "Db" and "C#/Db" all land on the same level.
enum class Vocabulary { Plain, Key, Mode, TimeSignature };
Vocabulary vocabulary_for(std::string_view column_name);

// Canonical level name for a cell, or nullopt when the cell is not a valid
// level of the vocabulary (for Plain: the trimmed text itself).
std::optional<std::string> canonical_level(Vocabulary vocabulary, std::string_view cell);

// Position of a canonical level in the vocabulary's natural order (pitch
// class, Minor before Major, meter); Plain levels have no order of their own.
int level_rank(Vocabulary vocabulary, const std::string& level);

}  // namespace genrelab::data
