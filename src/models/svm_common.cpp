#include "models/svm_common.h"

#include <fmt/format.h>

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "genrelab/error.h"

namespace genrelab::svm_common {

int fit_threads() { return omp_in_parallel() ? 1 : std::max(1, omp_get_max_threads()); }

std::vector<int> class_counts(const Labels& y, int n_classes) {
  std::vector<int> counts(static_cast<std::size_t>(n_classes), 0);
  for (int c : y) ++counts[static_cast<std::size_t>(c)];
  return counts;
}

std::vector<int> present_classes(const Labels& y, int n_classes) {
  const auto counts = class_counts(y, n_classes);
  std::vector<int> out;
  for (int c = 0; c < n_classes; ++c)
    if (counts[static_cast<std::size_t>(c)] > 0) out.push_back(c);
  return out;
}

}  // namespace genrelab::svm_common
