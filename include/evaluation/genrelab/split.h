// Train/test splits and cross-validation folds. Seeded, stratified by default,
// and group-aware: with groups (e.g. track_id) no group has rows on both sides.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/protocol.h"

namespace genrelab {

struct Split {
  std::vector<int> train;  // row indices, ascending
  std::vector<int> test;   // row indices, ascending
};

struct SplitOptions {
  std::uint64_t seed = protocol::kDefaultSeed;
  bool stratify = true;
  // train_test_split only: pick exactly the test rows scikit-learn's
  // train_test_split(X, y, test_size, random_state=seed) picks (no stratify=,
  // no groups; numpy's RandomState permutation), so a result can be set beside
  // an existing notebook's on the same rows. `stratify` is then ignored.
  bool sklearn_holdout = false;
  // Optional, one entry per row; rows with equal values stay together.
  const std::vector<std::string>* groups = nullptr;
};

// The split options `p` asks for: its seed, stratification and scikit-learn
// hold-out (which k_fold ignores); `groups` one per row, or empty for none,
// and must outlive the options.
SplitOptions split_options(const protocol::Protocol& p, const std::vector<std::string>& groups);

// test_size in (0, 1): fraction of rows (rounded up, like scikit-learn) for testing.
// Stratified: every class contributes in proportion to its size (and at least one
// test and one train row when it has two or more rows).
Split train_test_split(const Labels& y, int n_classes, double test_size, const SplitOptions& options);
// How a held-out split was drawn, for people: "stratified", "not stratified",
// or "scikit-learn's train_test_split rows".
const char* holdout_split_name(bool stratify, bool sklearn_holdout);
// The same for JSON: "sklearn" or "genrelab".
inline const char* holdout_split_id(bool sklearn_holdout) { return sklearn_holdout ? "sklearn" : "genrelab"; }

// k folds; each row is in exactly one test fold. Stratified: class proportions in
// each fold match the whole. Throws InputError naming the class when a class has
// fewer rows (groups, when grouping) than k and stratification was asked for.
std::vector<Split> k_fold(const Labels& y, int n_classes, int k, const SplitOptions& options,
                          const std::vector<std::string>& class_names = {});

}  // namespace genrelab
