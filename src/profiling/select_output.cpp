// JSON and terminal renderings of a genre selection.
#include <fmt/format.h>

#include "genrelab/profiling.h"
#include "profiling/output_common.h"

namespace genrelab {
namespace {

using nlohmann::json;

std::vector<std::string> names(const Selection& s, const std::vector<int>& codes) {
  std::vector<std::string> out;
  for (int g : codes) out.push_back(s.separability.genres[static_cast<std::size_t>(g)]);
  return out;
}

json set_json(const Selection& s, const GenreSetSummary& set) {
  json pairwise = json::array();
  for (int a : set.members) {
    json row = json::array();
    for (int b : set.members) row.push_back(s.separability.separability(a, b));
    pairwise.push_back(row);
  }
  json out = {{"genres", names(s, set.members)},
              {"min_separability", set.min_separability},
              {"mean_separability", set.mean_separability},
              {"weakest_pair", names(s, {set.weakest_a, set.weakest_b})},
              {"pairwise", pairwise}};
  if (set.has_cv)
    out["multiclass_cv"] = {{"model", s.request.separability.model},
                            {"folds", s.request.separability.protocol.cv},
                            {"accuracy", set.cv.accuracy.mean},
                            {"accuracy_sd", set.cv.accuracy.sd},
                            {"balanced_accuracy", set.cv.balanced_accuracy.mean},
                            {"f1_macro", set.cv.f1_macro.mean}};
  return out;
}

std::string set_text(const Selection& s, const GenreSetSummary& set) {
  const auto& g = s.separability.genres;
  std::string out = fmt::format("    {}\n", fmt::join(names(s, set.members), ", "));
  out += fmt::format("    weakest pair: {} vs {}, {:.1f}% (mean pairwise {:.1f}%)\n",
                     g[static_cast<std::size_t>(set.weakest_a)], g[static_cast<std::size_t>(set.weakest_b)],
                     100 * set.min_separability, 100 * set.mean_separability);
  if (set.has_cv)
    out += fmt::format("    multi-class {} {}-fold CV accuracy: {:.1f}% ± {:.1f} (balanced {:.1f}%)\n",
                       s.request.separability.model, s.request.separability.protocol.cv, 100 * set.cv.accuracy.mean,
                       100 * set.cv.accuracy.sd, 100 * set.cv.balanced_accuracy.mean);
  out += profiling::matrix_text(s.separability, set.members);
  return out;
}

}  // namespace

json selection_json(const Selection& s) {
  json out = {{"format", "genrelab-select/1"},
              {"k", s.request.k},
              {"method", s.search.method},
              {"subsets_examined", s.search.subsets_examined},
              {"chosen", set_json(s, s.chosen)},
              {"separability", separability_json(s.separability)}};
  if (s.has_compare) out["compared"] = set_json(s, s.compared);
  return out;
}

std::string selection_text(const Selection& s) {
  std::string out = separability_text(s.separability);
  out += fmt::format(
      "\nThe {} most mutually distinct of {} genres ({} search; {} candidate sets scored in full, the rest "
      "ruled out by bounds; separability = pairwise CV balanced accuracy):\n",
      s.request.k, s.separability.genres.size(), s.search.method, s.search.subsets_examined);
  out += set_text(s, s.chosen);
  if (s.has_compare) {
    out += "\nCompared set:\n" + set_text(s, s.compared);
    out += fmt::format("  chosen minus compared: weakest pair {:+.1f} points, multi-class accuracy {}\n",
                       100 * (s.chosen.min_separability - s.compared.min_separability),
                       s.chosen.has_cv ? fmt::format("{:+.1f} points", 100 * (s.chosen.cv.accuracy.mean -
                                                                               s.compared.cv.accuracy.mean))
                                       : std::string("not computed"));
  }
  return out;
}

}  // namespace genrelab
