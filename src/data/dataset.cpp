#include "genrelab/dataset.h"

#include <fmt/format.h>

#include "genrelab/error.h"

namespace genrelab {

MissingPolicy parse_missing_policy(const std::string& text) {
  if (text == "error") return MissingPolicy::Error;
  if (text == "drop") return MissingPolicy::Drop;
  if (text == "impute-median") return MissingPolicy::ImputeMedian;
  throw UsageError("--on-missing: unknown policy '" + text + "'. Use error, drop or impute-median");
}

Dataset select_rows(const Dataset& data, const std::vector<int>& rows) {
  Dataset out;
  out.source = data.source;
  out.X = take_rows(data.X, rows);
  out.y = take(data.y, rows);
  out.classes = data.classes;
  out.feature_names = data.feature_names;
  out.encodings = data.encodings;
  out.findings = data.findings;
  for (int r : rows) {
    const auto row = static_cast<std::size_t>(r);
    if (!data.groups.empty()) out.groups.push_back(data.groups[row]);
    if (!data.lines.empty()) out.lines.push_back(data.lines[row]);
  }
  return out;
}

void require_two_genres(const Dataset& data, const std::string& what) {
  if (data.classes.size() >= 2) return;
  throw InputError(fmt::format("{}: only one genre ({}) in the data; {} needs at least two. Check the label column "
                               "({}) and --genres",
                               data.source, data.classes.empty() ? std::string("none") : data.classes.front(), what,
                               data.findings.label_column.empty() ? std::string("--label") : data.findings.label_column));
}

std::vector<std::size_t> Dataset::class_counts() const {
  std::vector<std::size_t> counts(classes.size(), 0);
  for (int code : y) ++counts[static_cast<std::size_t>(code)];
  return counts;
}

}  // namespace genrelab
