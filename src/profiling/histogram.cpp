// Histograms on edges shared by every genre, so that bar heights compare
// directly across genres and overlap can be read off bin by bin.
#include <algorithm>

#include "genrelab/profiling.h"

namespace genrelab {

std::vector<double> histogram_edges(const std::vector<double>& all, int bins) {
  bins = std::max(bins, 1);
  double lo = 0, hi = 1;
  if (!all.empty()) {
    const auto [mn, mx] = std::minmax_element(all.begin(), all.end());
    lo = *mn;
    hi = *mx;
  }
  if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  for (int i = 0; i <= bins; ++i) edges[static_cast<std::size_t>(i)] = lo + (hi - lo) * i / bins;
  edges.back() = hi;
  return edges;
}

std::vector<std::size_t> histogram_counts(const std::vector<double>& values, const std::vector<double>& edges) {
  const std::size_t bins = edges.size() - 1;
  std::vector<std::size_t> counts(bins, 0);
  for (double v : values) {
    if (v < edges.front() || v > edges.back()) continue;
    // upper_bound finds the first edge above v; the last bin also holds its right edge.
    auto bin = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
    bin = bin == 0 ? 0 : bin - 1;
    ++counts[std::min(bin, bins - 1)];
  }
  return counts;
}

}  // namespace genrelab
