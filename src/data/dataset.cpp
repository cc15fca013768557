#include "genrelab/dataset.h"

#include "genrelab/error.h"

namespace genrelab {

MissingPolicy parse_missing_policy(const std::string& text) {
  if (text == "error") return MissingPolicy::Error;
  if (text == "drop") return MissingPolicy::Drop;
  if (text == "impute-median") return MissingPolicy::ImputeMedian;
  throw UsageError("--on-missing: unknown policy '" + text + "'. Use error, drop or impute-median");
}

std::vector<std::size_t> Dataset::class_counts() const {
  std::vector<std::size_t> counts(classes.size(), 0);
  for (int code : y) ++counts[static_cast<std::size_t>(code)];
  return counts;
}

}  // namespace genrelab
