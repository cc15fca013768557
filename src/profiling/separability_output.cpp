// separability.json and the terminal rendering of the pairwise matrix.
#include <fmt/format.h>

#include <algorithm>

#include "genrelab/abbreviate.h"
#include "genrelab/profiling.h"
#include "profiling/output_common.h"

namespace genrelab {

using nlohmann::json;

namespace {

json matrix_json(const Matrix& m) {
  json rows = json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    json row = json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

json separability_json(const Separability& s) {
  json order = json::array(), linkage = json::array(), pairs = json::array();
  for (int g : s.clustering.order) order.push_back(s.genres[static_cast<std::size_t>(g)]);
  for (const auto& m : s.clustering.merges) linkage.push_back({m.left, m.right, m.distance, m.size});
  for (const auto& p : s.pairs) {
    json pair = {{"a", s.genres[static_cast<std::size_t>(p.a)]},
                 {"b", s.genres[static_cast<std::size_t>(p.b)]},
                 {"accuracy", p.accuracy.mean},
                 {"accuracy_sd", p.accuracy.sd},
                 {"balanced_accuracy", p.balanced_accuracy.mean},
                 {"balanced_accuracy_sd", p.balanced_accuracy.sd}};
    if (!p.overlap.empty()) {
      json features = json::array();
      for (std::size_t f = 0; f < s.features.size(); ++f)
        features.push_back({{"feature", s.features[f]}, {"overlap", p.overlap[f]}, {"ks", p.ks[f]}});
      pair["features"] = features;
    }
    pairs.push_back(pair);
  }
  nlohmann::json out = protocol::result_json(s.request.protocol, {protocol::kCv, protocol::kSeed});
  // Unlike every other result file, separability.json has always written
  // stratification under the experiment key ("stratify", not "stratified");
  // kept so that the files people already read keep their layout.
  out[protocol::kStratify.key] = s.request.protocol.stratify;
  out.update(nlohmann::json{{"format", "genrelab-separability/1"},
                            {"model", s.request.model},
                            {"params", s.params},
                            {"metric", "balanced_accuracy"},
                            {"overlap_bins", s.request.bins},
                            {"genres", s.genres},
                            {"order", order},
                            {"order_index", s.clustering.order},
                            {"linkage", linkage},
                            {"separability", matrix_json(s.separability)},
                            {"similarity", matrix_json(s.similarity)},
                            {"pairs", pairs}});
  return out;
}

std::string profiling::matrix_text(const Separability& s, const std::vector<int>& order) {
  std::size_t width = 6;
  for (int g : order) width = std::max(width, s.genres[static_cast<std::size_t>(g)].size());
  std::string out = fmt::format("  {:<{}}", "", width);
  std::vector<std::string> names;
  for (int g : order) names.push_back(s.genres[static_cast<std::size_t>(g)]);
  for (const std::string& head : unique_abbreviations(names, 5)) out += fmt::format(" {:>5}", head);
  out += "\n";
  for (int a : order) {
    out += fmt::format("  {:<{}}", s.genres[static_cast<std::size_t>(a)], width);
    for (int b : order) {
      if (a == b) out += fmt::format(" {:>5}", "-");
      else out += fmt::format(" {:>5.1f}", 100 * s.separability(a, b));
    }
    out += "\n";
  }
  return out;
}

std::string separability_text(const Separability& s) {
  std::string out = fmt::format(
      "Pairwise separability: {}-fold CV balanced accuracy (%) of {} on each pair of genres (50 = chance),\n"
      "genres ordered by average-linkage clustering:\n",
      s.request.protocol.cv, s.request.model);
  out += profiling::matrix_text(s, s.clustering.order);
  if (!s.pairs.empty()) {
    auto pairs = s.pairs;
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) {
      return x.balanced_accuracy.mean < y.balanced_accuracy.mean;
    });
    out += "  hardest pairs:";
    for (std::size_t i = 0; i < std::min<std::size_t>(5, pairs.size()); ++i)
      out += fmt::format("{} {} vs {} {:.1f}%", i ? "," : "", s.genres[static_cast<std::size_t>(pairs[i].a)],
                         s.genres[static_cast<std::size_t>(pairs[i].b)], 100 * pairs[i].balanced_accuracy.mean);
    out += "\n";
  }
  return out;
}

}  // namespace genrelab
