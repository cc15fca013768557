// Picking genres out of a data set by name, for pairs, chosen sets and diff groups.
#include <fmt/format.h>

#include <algorithm>

#include "genrelab/error.h"
#include "genrelab/profiling.h"
#include "genrelab/suggest.h"

namespace genrelab {

std::vector<int> genre_codes(const Dataset& data, const std::vector<std::string>& names) {
  std::vector<int> codes;
  for (const auto& name : names) {
    const auto it = std::find(data.classes.begin(), data.classes.end(), name);
    if (it == data.classes.end())
      throw InputError(fmt::format("unknown genre '{}' in {}; its genres are: {}.{}", name, data.source,
                                   fmt::join(data.classes, ", "), did_you_mean(name, data.classes)));
    codes.push_back(static_cast<int>(it - data.classes.begin()));
  }
  return codes;
}

Dataset subset_genres(const Dataset& data, const std::vector<int>& codes) {
  std::vector<int> new_code(data.classes.size(), -1);
  for (std::size_t i = 0; i < codes.size(); ++i) new_code[static_cast<std::size_t>(codes[i])] = static_cast<int>(i);
  std::vector<int> rows;
  for (std::size_t r = 0; r < data.n_rows(); ++r)
    if (new_code[static_cast<std::size_t>(data.y[r])] >= 0) rows.push_back(static_cast<int>(r));

  Dataset out = select_rows(data, rows);
  // Findings describe the whole table, not this subset; keep only the label name.
  out.findings = DataFindings{};
  out.findings.label_column = data.findings.label_column;
  out.classes.clear();
  for (int c : codes) out.classes.push_back(data.classes[static_cast<std::size_t>(c)]);
  for (int& code : out.y) code = new_code[static_cast<std::size_t>(code)];
  return out;
}

std::vector<double> feature_values(const Dataset& data, Eigen::Index feature, const std::vector<int>& codes) {
  std::vector<double> out;
  for (std::size_t r = 0; r < data.n_rows(); ++r)
    if (std::find(codes.begin(), codes.end(), data.y[r]) != codes.end())
      out.push_back(data.X(static_cast<Eigen::Index>(r), feature));
  return out;
}

}  // namespace genrelab
