// `genrelab select`: pairwise separability, the most mutually distinct k
// genres, and how a multi-class model does on them and on a set to compare.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "genrelab/error.h"
#include "genrelab/profiling.h"
#include "genrelab/model_registry.h"
#include "genrelab/split.h"

namespace genrelab {
namespace {

GenreSetSummary summarise(const Dataset& data, const Separability& s, std::vector<int> members,
                          const SelectRequest& request, std::ostream* progress) {
  GenreSetSummary out;
  std::sort(members.begin(), members.end());
  out.members = members;
  double sum = 0, pairs = 0;
  out.min_separability = 1e308;
  for (std::size_t i = 0; i < members.size(); ++i)
    for (std::size_t j = i + 1; j < members.size(); ++j) {
      const double v = s.separability(members[i], members[j]);
      sum += v;
      pairs += 1;
      if (v < out.min_separability) {
        out.min_separability = v;
        out.weakest_a = members[i];
        out.weakest_b = members[j];
      }
    }
  out.mean_separability = pairs > 0 ? sum / pairs : 0;
  if (pairs == 0) out.min_separability = 0;
  if (request.multiclass) {
    // Cross-validation over the set's tracks, as `evaluate --test-size 0`
    // would run it (profiling sits below the study layer, so it calls the
    // evaluation layer directly).
    const SeparabilityRequest& sep = request.separability;
    std::vector<std::string> names;
    for (int g : members) names.push_back(data.classes[static_cast<std::size_t>(g)]);
    if (progress) *progress << fmt::format("  multi-class {} on: {}\n", sep.model, fmt::join(names, ", "));
    const protocol::Protocol& p = sep.protocol;
    if (p.cv >= 2) {
      const Dataset subset = subset_genres(data, members);
      const auto folds = k_fold(subset.y, static_cast<int>(subset.classes.size()), p.cv,
                                split_options(p, subset.groups), subset.classes);
      out.cv = cross_validate(subset, sep.model, with_default_seed(sep.model, s.params, p.seed), folds);
    }
    out.has_cv = true;
  }
  return out;
}

}  // namespace

Selection select_genres(const Dataset& data, const SelectRequest& request, std::ostream* progress) {
  const int n = static_cast<int>(data.classes.size());
  if (request.k < 2 || request.k > n)
    throw UsageError(fmt::format("--k must be between 2 and the number of genres ({}), got {}", n, request.k));
  std::vector<int> compare;
  if (!request.compare.empty()) {
    compare = genre_codes(data, request.compare);
    auto sorted = compare;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
      throw UsageError("--compare names a genre twice");
    if (compare.size() < 2) throw UsageError("--compare needs at least two genres");
  }
  Selection out;
  out.request = request;
  out.separability = genre_separability(data, request.separability, progress);
  out.search = most_distinct_subset(out.separability.separability, request.k);
  out.chosen = summarise(data, out.separability, out.search.members, request, progress);
  if (!compare.empty()) {
    out.compared = summarise(data, out.separability, compare, request, progress);
    out.has_compare = true;
  }
  return out;
}

}  // namespace genrelab
