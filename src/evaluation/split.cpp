// train_test_split. Rows and groups are treated alike: without groups every row
// is its own group. With groups, test_size is the fraction of groups (as in
// scikit-learn's GroupShuffleSplit) and stratification uses each group's
// majority label; with one row per track that is the row fraction and label.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

#include "evaluation/split_common.h"
#include "genrelab/error.h"
#include "genrelab/random.h"
#include "genrelab/split.h"

namespace genrelab {
namespace {

// Per-class test counts: proportional by largest remainder, then nudged so a
// class with two or more units keeps one on each side and a single-unit class
// stays in training (it cannot be on both sides, and a model needs to see it).
std::vector<long> stratified_test_counts(const std::vector<long>& per_class, long n_units, long n_test,
                                         const char* unit) {
  std::vector<long> t = detail::largest_remainder(per_class, n_test);
  std::vector<long> lo(t.size()), hi(t.size());
  long sum = 0;
  for (std::size_t c = 0; c < t.size(); ++c) {
    lo[c] = per_class[c] >= 2 ? 1 : 0;
    hi[c] = per_class[c] >= 2 ? per_class[c] - 1 : 0;
    t[c] = std::clamp(t[c], lo[c], hi[c]);
    sum += t[c];
  }
  // Excess over the exact share, scaled by n_units to stay in integers.
  auto excess = [&](std::size_t c) { return t[c] * n_units - per_class[c] * n_test; };
  while (sum != n_test) {
    const bool take = sum > n_test;
    std::size_t best = t.size();
    for (std::size_t c = 0; c < t.size(); ++c) {
      if (take ? t[c] <= lo[c] : t[c] >= hi[c]) continue;
      if (best == t.size() || (take ? excess(c) > excess(best) : excess(c) < excess(best))) best = c;
    }
    if (best == t.size()) {
      long min_test = 0, max_test = 0;
      for (std::size_t c = 0; c < t.size(); ++c) min_test += lo[c], max_test += hi[c];
      const std::string fix =
          min_test <= max_test
              ? fmt::format("use a test size from {:.3g} to {:.3g} (--test-size; --holdout for train), or "
                            "--no-stratify, or add tracks",
                            static_cast<double>(min_test) / static_cast<double>(n_units),
                            static_cast<double>(max_test) / static_cast<double>(n_units))
              : std::string("no test size works for this data; add tracks to the smallest genres, leave them out "
                            "with --genres, or use --no-stratify");
      throw UsageError(fmt::format(
          "the data set is too small for this split: a stratified split of its {} {} in {} genres cannot put {} in "
          "the test set and keep every genre with two or more {} on both sides (it needs {} to {} test {}); {}",
          n_units, unit, t.size(), n_test, unit, min_test, max_test, unit, fix));
    }
    t[best] += take ? -1 : 1;
    sum += take ? -1 : 1;
  }
  return t;
}

// numpy's legacy RandomState(seed).permutation(n), which scikit-learn's
// ShuffleSplit draws from. RandomState seeds an integer with MT19937's
// init_genrand, exactly as std::mt19937 does; permutation is a Fisher-Yates
// shuffle from the end whose index draws are 32-bit outputs masked to the
// smallest covering power of two and rejected until in range.
std::vector<int> numpy_permutation(std::size_t n, std::uint32_t seed) {
  std::mt19937 mt(seed);
  std::vector<int> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<int>(i);
  for (std::size_t i = n - 1; i >= 1 && n > 1; --i) {
    std::uint64_t mask = i;
    for (int shift = 1; shift <= 32; shift *= 2) mask |= mask >> shift;
    std::uint64_t j = 0;
    do j = mt() & mask;
    while (j > i);
    std::swap(p[i], p[j]);
  }
  return p;
}

Split sklearn_train_test_split(std::size_t n_rows, double test_size, const SplitOptions& options) {
  if (options.groups)
    throw UsageError("scikit-learn's train_test_split does not keep groups together; "
                     "drop --group-by, or drop --sklearn-split for a group-aware split");
  if (options.seed > 0xffffffffULL)
    throw UsageError(fmt::format("seed {} is too large for numpy's RandomState (0 to 4294967295), "
                                 "which --sklearn-split imitates; pick a smaller --seed", options.seed));
  // ShuffleSplit: n_test = ceil(test_size · n), and the test rows are the
  // permutation's first n_test entries.
  const auto n_test = static_cast<std::size_t>(std::ceil(test_size * static_cast<double>(n_rows)));
  if (n_test >= n_rows)
    throw UsageError(fmt::format("test size {} of {} rows leaves nothing to train on; use a smaller test size",
                                 test_size, n_rows));
  const std::vector<int> order = numpy_permutation(n_rows, static_cast<std::uint32_t>(options.seed));
  std::vector<char> in_test(n_rows, 0);
  for (std::size_t i = 0; i < n_test; ++i) in_test[static_cast<std::size_t>(order[i])] = 1;
  return detail::split_from_mask(in_test);
}

}  // namespace

SplitOptions split_options(const protocol::Protocol& p, const std::vector<std::string>& groups) {
  SplitOptions o;
  o.seed = p.seed;
  o.stratify = p.stratify;
  o.sklearn_holdout = p.sklearn_split;
  o.groups = groups.empty() ? nullptr : &groups;
  return o;
}

const char* holdout_split_name(bool stratify, bool sklearn_holdout) {
  if (sklearn_holdout) return "scikit-learn's train_test_split rows";
  return stratify ? "stratified" : "not stratified";
}

Split train_test_split(const Labels& y, int n_classes, double test_size, const SplitOptions& options) {
  detail::check_labels(y, n_classes, options);
  if (!(test_size > 0.0 && test_size < 1.0))
    throw UsageError(fmt::format("test size must be between 0 and 1 (exclusive), got {}", test_size));
  if (options.sklearn_holdout) return sklearn_train_test_split(y.size(), test_size, options);
  const detail::Groups groups = detail::make_groups(y, options);
  const long n_units = static_cast<long>(groups.rows.size());
  const char* unit = options.groups ? "groups" : "rows";
  const long n_test = static_cast<long>(std::ceil(test_size * static_cast<double>(n_units)));
  if (n_test >= n_units)
  if (n_units < 2)
    throw UsageError(fmt::format("the data set is too small to split: it has {} {}, and a train/test split needs at "
                                 "least 2; add tracks, or turn the held-out part off (--test-size 0, --holdout 0)",
                                 n_units, unit));
  if (n_test >= n_units)
    throw UsageError(fmt::format("the data set is too small for test size {}: {} of its {} {} would be held out, "
                                 "leaving nothing to train on; use a smaller test size or add tracks",
                                 test_size, n_test, n_units, unit));

  Rng rng(options.seed);
  std::vector<char> unit_in_test(groups.rows.size(), 0);
  if (options.stratify) {
    std::vector<std::vector<int>> by_class(static_cast<std::size_t>(n_classes));
    for (std::size_t g = 0; g < groups.rows.size(); ++g)
      by_class[static_cast<std::size_t>(groups.label[g])].push_back(static_cast<int>(g));
    std::vector<long> sizes;
    for (const auto& units : by_class) sizes.push_back(static_cast<long>(units.size()));
    const std::vector<long> counts = stratified_test_counts(sizes, n_units, n_test, unit);
    for (std::size_t c = 0; c < by_class.size(); ++c) {
      rng.shuffle(by_class[c]);
      for (long i = 0; i < counts[c]; ++i) unit_in_test[static_cast<std::size_t>(by_class[c][static_cast<std::size_t>(i)])] = 1;
    }
  } else {
    std::vector<int> order(groups.rows.size());
    for (std::size_t g = 0; g < order.size(); ++g) order[g] = static_cast<int>(g);
    rng.shuffle(order);
    for (long i = 0; i < n_test; ++i) unit_in_test[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = 1;
  }

  std::vector<char> row_in_test(y.size(), 0);
  for (std::size_t g = 0; g < groups.rows.size(); ++g)
    for (int r : groups.rows[g]) row_in_test[static_cast<std::size_t>(r)] = unit_in_test[g];
  return detail::split_from_mask(row_in_test);
}

}  // namespace genrelab
