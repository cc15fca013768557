// Vega-Lite specs for the report, built from the results JSON. Every chart has
// a title, titled axes and tooltips, so a reader can hover for exact numbers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace genrelab::report {

using nlohmann::json;

// Confusion counts a report reads: out-of-fold CV predictions when present
// (every row predicted once), else the held-out test.
struct Confusion {
  std::vector<std::string> classes;
  std::vector<std::vector<double>> counts;  // [true][predicted]
  std::string source;                       // what the counts are, for captions
};
Confusion confusion_of(const json& model, const std::vector<std::string>& classes);

struct ConfusedPair {
  int a = 0, b = 0;
  double a_as_b = 0, b_as_a = 0;
  double share = 0;  // (a_as_b + b_as_a) / (tracks of a + tracks of b)
};
// Pairs with any confusion, most confused first.
std::vector<ConfusedPair> confused_pairs(const Confusion& c);

json tracks_chart(const std::vector<std::pair<std::string, double>>& tracks, const std::string& source);
json profile_chart(const json& profile, const std::vector<std::string>& features);
json fingerprint_chart(const json& profile, const std::vector<std::string>& features);
json overlay_chart(const json& profile, const std::vector<std::string>& features, const std::string& feature,
                   const std::vector<std::string>& genres);
json separability_chart(const json& separability);
json comparison_chart(const json& comparison, const json& published, const std::string& subset_title);
json confusion_chart(const Confusion& c, const std::string& model, const std::string& subset_title);
json importance_chart(const json& model, const std::string& subset_title, std::size_t top);
json permutation_chart(const json& model, const std::string& subset_title, std::size_t top);
// Open set (open_set.json, written by `evaluate --open-set K --json`): the
// rejection curve (mean false acceptance of hidden genres against false
// rejection of known ones, one line per novelty score) and the prediction
// sets' coverage per genre against the 1 - alpha target.
json open_set_curve_chart(const json& open_set);
json open_set_coverage_chart(const json& open_set);

}  // namespace genrelab::report
