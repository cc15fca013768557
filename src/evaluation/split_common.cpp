#include "evaluation/split_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "genrelab/error.h"

namespace genrelab::detail {

void check_labels(const Labels& y, int n_classes, const SplitOptions& options) {
  if (y.empty()) throw UsageError("cannot split an empty data set");
  for (int label : y)
    if (label < 0 || label >= n_classes)
      throw UsageError(fmt::format("class code {} is outside 0..{}", label, n_classes - 1));
  if (options.groups && options.groups->size() != y.size())
    throw UsageError(fmt::format("groups has {} entries but there are {} rows", options.groups->size(), y.size()));
}

Groups make_groups(const Labels& y, const SplitOptions& options) {
  Groups g;
  if (!options.groups) {
    g.rows.resize(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) g.rows[i] = {static_cast<int>(i)};
    g.label = y;
    return g;
  }
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < y.size(); ++i) {
    auto [it, inserted] = index.try_emplace((*options.groups)[i], g.rows.size());
    if (inserted) g.rows.emplace_back();
    g.rows[it->second].push_back(static_cast<int>(i));
  }
  for (const auto& rows : g.rows) {
    std::unordered_map<int, int> counts;
    int best = -1, best_count = 0;
    for (int r : rows) {
      const int label = y[static_cast<std::size_t>(r)];
      const int c = ++counts[label];
      if (c > best_count || (c == best_count && label < best)) best = label, best_count = c;
    }
    g.label.push_back(best);
  }
  return g;
}

std::vector<long> largest_remainder(const std::vector<long>& weights, long total) {
  const long sum = std::accumulate(weights.begin(), weights.end(), 0L);
  std::vector<long> out(weights.size(), 0);
  if (sum == 0) return out;
  std::vector<long> remainder(weights.size());
  long given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    // Integer arithmetic keeps the allocation exact and platform independent.
    const long long num = static_cast<long long>(weights[i]) * total;
    out[i] = static_cast<long>(num / sum);
    remainder[i] = static_cast<long>(num % sum);
    given += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (remainder[a] != remainder[b]) return remainder[a] > remainder[b];
    return weights[a] > weights[b];
  });
  for (std::size_t i = 0; given < total && i < order.size(); ++i, ++given) ++out[order[i]];
  return out;
}

Split split_from_mask(const std::vector<char>& in_test) {
  Split s;
  for (std::size_t i = 0; i < in_test.size(); ++i) (in_test[i] ? s.test : s.train).push_back(static_cast<int>(i));
  return s;
}

std::string class_name(const std::vector<std::string>& names, int code) {
  if (code >= 0 && static_cast<std::size_t>(code) < names.size()) return fmt::format("'{}'", names[static_cast<std::size_t>(code)]);
  return fmt::format("{}", code);
}

}  // namespace genrelab::detail
