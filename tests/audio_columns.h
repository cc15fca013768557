// Feature values by column name, for tests that look up a few columns.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "genrelab/audio_features.h"

namespace genrelab::testing {

inline std::map<std::string, double> by_name(const std::vector<std::string>& names, const std::vector<double>& values) {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) out[names[i]] = values[i];
  return out;
}

// The named families of a mono 22,050 Hz signal.
inline std::map<std::string, double> columns_of(const std::vector<float>& samples, FeatureOptions options = {}) {
  return by_name(feature_columns(options), compute_features(samples, 22050, options, "test signal"));
}

// The named families of a file, decoded as extract decodes it.
inline std::map<std::string, double> columns_of_file(const std::string& path, const std::vector<std::string>& families) {
  ExtractOptions options;
  options.features.families = families;
  return by_name(feature_columns(options.features), extract_track(path, options).track.values);
}

}  // namespace genrelab::testing
