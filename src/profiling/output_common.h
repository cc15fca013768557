// Small formatting helpers shared by the profiling outputs.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "genrelab/profiling.h"

namespace genrelab::profiling {

// JSON has no NaN; null says "undefined" (e.g. the sd of one track).
inline nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

inline nlohmann::json describe_json(const Describe& d) {
  return {{"count", d.count}, {"mean", number(d.mean)}, {"std", number(d.std)}, {"min", number(d.min)},
          {"25%", number(d.q25)}, {"50%", number(d.median)}, {"75%", number(d.q75)}, {"max", number(d.max)}};
}

// RFC 4180 quoting: feature names such as "Color_['#', '0']" hold commas and quotes.
inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Fits a name into a fixed-width table column, marking the cut.
inline std::string clip(const std::string& s, std::size_t width) {
  return s.size() <= width ? s : s.substr(0, width - 1) + "~";
}

// The separability matrix restricted to `order`, rows and columns in that
// order; entries as percentages so 14 columns fit a terminal.
std::string matrix_text(const Separability& s, const std::vector<int>& order);

}  // namespace genrelab::profiling
