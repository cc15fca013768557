// k_fold. Four variants, chosen by stratify and groups:
//  - plain: shuffled rows cut into k contiguous chunks (sklearn KFold, shuffle=True);
//  - stratified: each class's rows shuffled, then dealt round-robin with one
//    counter running across classes, so per-class and total fold sizes differ by
//    at most one (the allocation of sklearn's StratifiedKFold);
//  - grouped: groups shuffled, largest first, each to the fold with fewest rows
//    (sklearn GroupKFold, plus a seeded order among equal sizes);
//  - stratified + grouped: groups shuffled, largest first, each to the fold that
//    keeps the per-class fractions across folds most even (smallest summed
//    variance), ties to the fold with fewest rows — the greedy of
//    sklearn's StratifiedGroupKFold.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "evaluation/split_common.h"
#include "genrelab/error.h"
#include "genrelab/random.h"
#include "genrelab/split.h"

namespace genrelab {
namespace {

using detail::Groups;

// Stratification needs every class in every test fold; say which classes
// cannot be, and what the user can change.
void check_class_sizes(const Labels& y, const Groups& groups, int n_classes, int k, bool grouped,
                       const std::vector<std::string>& class_names) {
  std::vector<long> units(static_cast<std::size_t>(n_classes), 0);
  for (const auto& rows : groups.rows) {
    std::vector<char> seen(static_cast<std::size_t>(n_classes), 0);
    for (int r : rows) seen[static_cast<std::size_t>(y[static_cast<std::size_t>(r)])] = 1;
    for (int c = 0; c < n_classes; ++c) units[static_cast<std::size_t>(c)] += seen[static_cast<std::size_t>(c)];
  }
  std::vector<std::string> short_classes;
  long smallest = 0;
  for (int c = 0; c < n_classes; ++c) {
    const long n = units[static_cast<std::size_t>(c)];
    if (n == 0 || n >= k) continue;
    short_classes.push_back(fmt::format("{} has only {} {}", detail::class_name(class_names, c), n,
                                        grouped ? (n == 1 ? "group" : "groups") : (n == 1 ? "row" : "rows")));
    smallest = smallest == 0 ? n : std::min(smallest, n);
  }
  if (short_classes.empty()) return;
  const std::string fix = smallest >= 2
                              ? fmt::format("use a smaller --cv (at most {}) or leave the genre out with --genres",
                                            smallest)
                              : std::string("leave the genre out with --genres");
  throw InputError(fmt::format("stratified {}-fold cross-validation needs at least {} {} of every class, but {}; {}",
                               k, k, grouped ? "groups" : "rows", fmt::format("{}", fmt::join(short_classes, ", ")),
                               fix));
}

std::vector<int> plain_folds(std::size_t n_units, int k, Rng& rng) {
  std::vector<int> order(n_units);
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  std::vector<int> fold(n_units);
  const std::size_t base = n_units / static_cast<std::size_t>(k), extra = n_units % static_cast<std::size_t>(k);
  std::size_t pos = 0;
  for (std::size_t f = 0; f < static_cast<std::size_t>(k); ++f)
    for (std::size_t i = 0; i < base + (f < extra ? 1 : 0); ++i) fold[static_cast<std::size_t>(order[pos++])] = static_cast<int>(f);
  return fold;
}

std::vector<int> stratified_folds(const Labels& y, int n_classes, int k, Rng& rng) {
  std::vector<std::vector<int>> by_class(static_cast<std::size_t>(n_classes));
  for (std::size_t i = 0; i < y.size(); ++i) by_class[static_cast<std::size_t>(y[i])].push_back(static_cast<int>(i));
  std::vector<int> fold(y.size());
  std::size_t dealt = 0;
  for (auto& rows : by_class) {
    rng.shuffle(rows);
    for (int r : rows) fold[static_cast<std::size_t>(r)] = static_cast<int>(dealt++ % static_cast<std::size_t>(k));
  }
  return fold;
}

// Seeded shuffle, then largest groups first: big groups are hardest to place.
std::vector<std::size_t> group_order(const Groups& groups, Rng& rng) {
  std::vector<std::size_t> order(groups.rows.size());
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return groups.rows[a].size() > groups.rows[b].size(); });
  return order;
}

std::vector<int> grouped_folds(const Labels& y, const Groups& groups, int n_classes, int k, bool stratify, Rng& rng) {
  const std::size_t K = static_cast<std::size_t>(k), C = static_cast<std::size_t>(n_classes);
  std::vector<long> class_total(C, 0);
  for (int label : y) ++class_total[static_cast<std::size_t>(label)];
  std::vector<std::vector<long>> count(K, std::vector<long>(C, 0));
  std::vector<long> fold_rows(K, 0);
  std::vector<int> fold(groups.rows.size());

  // Sum over classes of the variance, across folds, of each fold's share of the class.
  auto spread = [&]() {
    double total = 0;
    for (std::size_t c = 0; c < C; ++c) {
      if (class_total[c] == 0) continue;
      double mean = 0, sq = 0;
      for (std::size_t f = 0; f < K; ++f) {
        const double share = static_cast<double>(count[f][c]) / static_cast<double>(class_total[c]);
        mean += share, sq += share * share;
      }
      mean /= static_cast<double>(K);
      total += sq / static_cast<double>(K) - mean * mean;
    }
    return total;
  };

  const std::vector<std::size_t> order = group_order(groups, rng);
  std::size_t empty_folds = K;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t g = order[i];
    std::vector<long> g_count(C, 0);
    for (int r : groups.rows[g]) ++g_count[static_cast<std::size_t>(y[static_cast<std::size_t>(r)])];
    // Once only as many groups remain as folds are empty, fill those, so no fold is left empty.
    const bool must_fill = empty_folds >= order.size() - i;
    std::size_t best = K;
    double best_cost = 0;
    for (std::size_t f = 0; f < K; ++f) {
      if (must_fill && fold_rows[f] != 0) continue;
      double cost = 0;
      if (stratify) {
        for (std::size_t c = 0; c < C; ++c) count[f][c] += g_count[c];
        cost = spread();
        for (std::size_t c = 0; c < C; ++c) count[f][c] -= g_count[c];
      }
      // Costs within a rounding error are a tie, decided by fold size.
      const bool better = best == K || cost < best_cost - 1e-12 ||
                          (cost <= best_cost + 1e-12 && fold_rows[f] < fold_rows[best]);
      if (better) best = f, best_cost = cost;
    }
    if (fold_rows[best] == 0) --empty_folds;
    for (std::size_t c = 0; c < C; ++c) count[best][c] += g_count[c];
    fold_rows[best] += static_cast<long>(groups.rows[g].size());
    fold[g] = static_cast<int>(best);
  }
  return fold;
}

}  // namespace

std::vector<Split> k_fold(const Labels& y, int n_classes, int k, const SplitOptions& options,
                          const std::vector<std::string>& class_names) {
  detail::check_labels(y, n_classes, options);
  const bool grouped = options.groups != nullptr;
  const Groups groups = detail::make_groups(y, options);
  if (k < 2) throw UsageError(fmt::format("cross-validation needs at least 2 folds, got {}", k));
  if (static_cast<std::size_t>(k) > y.size())
    throw UsageError(fmt::format("cannot make {} folds from {} rows; use a smaller --cv", k, y.size()));
  if (static_cast<std::size_t>(k) > groups.rows.size())
    throw UsageError(fmt::format("cannot make {} folds from {} groups; use --cv {} or fewer", k, groups.rows.size(),
                                 groups.rows.size()));
  if (options.stratify) check_class_sizes(y, groups, n_classes, k, grouped, class_names);

  Rng rng(options.seed);
  std::vector<int> unit_fold;
  if (grouped) unit_fold = grouped_folds(y, groups, n_classes, k, options.stratify, rng);
  else if (options.stratify) unit_fold = stratified_folds(y, n_classes, k, rng);
  else unit_fold = plain_folds(y.size(), k, rng);

  std::vector<int> row_fold(y.size());
  for (std::size_t g = 0; g < groups.rows.size(); ++g)
    for (int r : groups.rows[g]) row_fold[static_cast<std::size_t>(r)] = unit_fold[g];
  std::vector<Split> folds;
  for (int f = 0; f < k; ++f) {
    std::vector<char> in_test(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) in_test[i] = row_fold[i] == f;
    folds.push_back(detail::split_from_mask(in_test));
  }
  return folds;
}

}  // namespace genrelab
