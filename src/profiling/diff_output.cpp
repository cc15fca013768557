// JSON and terminal table of a group diff.
#include <fmt/format.h>

#include <algorithm>

#include "genrelab/profiling.h"
#include "profiling/output_common.h"

namespace genrelab {

nlohmann::json diff_json(const GroupDiff& d) {
  nlohmann::json features = nlohmann::json::array();
  for (std::size_t i = 0; i < d.features.size(); ++i) {
    const auto& f = d.features[i];
    features.push_back({{"rank", i + 1},
                        {"feature", f.feature},
                        {"median_a", f.median_a},
                        {"median_b", f.median_b},
                        {"mean_a", f.mean_a},
                        {"mean_b", f.mean_b},
                        {"cliffs_delta", f.cliffs_delta},
                        {"magnitude", f.magnitude},
                        {"mann_whitney_u", f.mann_whitney.statistic},
                        {"mann_whitney_p", f.mann_whitney.p_value},
                        {"mann_whitney_p_adjusted", f.mann_whitney_p_adjusted},
                        {"ks_statistic", f.ks.statistic},
                        {"ks_p", f.ks.p_value},
                        {"ks_p_adjusted", f.ks_p_adjusted}});
  }
  return {{"format", "genrelab-diff/1"},
          {"a", {{"genres", d.a}, {"tracks", d.n_a}}},
          {"b", {{"genres", d.b}, {"tracks", d.n_b}}},
          {"effect_size", "cliffs_delta = P(a > b) - P(a < b); |d| < 0.147 negligible, < 0.33 small, < 0.474 medium, else large"},
          {"p_adjustment", "benjamini_hochberg over features, separately for each test"},
          {"ranking", "abs(cliffs_delta) desc, mann_whitney_p_adjusted asc"},
          {"features", features}};
}

std::string diff_text(const GroupDiff& d, std::size_t top) {
  const std::string a = fmt::format("{}", fmt::join(d.a, "+")), b = fmt::format("{}", fmt::join(d.b, "+"));
  std::string out = fmt::format(
      "A = {} ({} tracks) vs B = {} ({} tracks); ranked by |Cliff's delta| (> 0: A larger);\n"
      "p adj = Benjamini-Hochberg over {} features (Mann-Whitney U two-sided; KS two-sample)\n",
      a, d.n_a, b, d.n_b, d.features.size());
  out += fmt::format("{:>3}  {:<24} {:>9} {:>9} {:>9} {:>9} {:>7}  {:<10} {:>9} {:>6} {:>9}\n", "#", "feature",
                     "median A", "median B", "mean A", "mean B", "delta", "effect", "MWU p adj", "KS D", "KS p adj");
  const std::size_t n = top == 0 ? d.features.size() : std::min(top, d.features.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto& f = d.features[i];
    out += fmt::format("{:>3}  {:<24} {:>9.4g} {:>9.4g} {:>9.4g} {:>9.4g} {:>+7.3f}  {:<10} {:>9.2e} {:>6.3f} {:>9.2e}\n",
                       i + 1, profiling::clip(f.feature, 24), f.median_a, f.median_b, f.mean_a, f.mean_b,
                       f.cliffs_delta, f.magnitude, f.mann_whitney_p_adjusted, f.ks.statistic, f.ks_p_adjusted);
  }
  if (n < d.features.size()) out += fmt::format("  ... {} more features (--top 0 shows all)\n", d.features.size() - n);
  return out;
}

}  // namespace genrelab
