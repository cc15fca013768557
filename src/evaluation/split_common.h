// Helpers shared by train_test_split and k_fold: input checks, grouping rows,
// and the largest-remainder allocation both use.
#pragma once

#include <string>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/split.h"

namespace genrelab::detail {

// Throws UsageError for labels outside [0, n_classes) or groups of the wrong length.
void check_labels(const Labels& y, int n_classes, const SplitOptions& options);

// Rows of each group (in order of first appearance) and each group's label:
// the majority label of its rows, ties to the lowest code. Without groups,
// every row is its own group, so the same code serves both cases.
struct Groups {
  std::vector<std::vector<int>> rows;
  Labels label;
};
Groups make_groups(const Labels& y, const SplitOptions& options);

// Splits `total` items over buckets in proportion to `weights`, by largest
// remainder, so the parts sum exactly to `total`. Remainder ties go to the
// bigger bucket, then to the lower index, so the result does not depend on the seed.
std::vector<long> largest_remainder(const std::vector<long>& weights, long total);

// Ascending complement of `taken` (a 0/1 mask) and the ascending taken rows.
Split split_from_mask(const std::vector<char>& in_test);

std::string class_name(const std::vector<std::string>& names, int code);

}  // namespace genrelab::detail
