// Checks that look across rows: duplicates and tracks filed under several
// genres. They do not change the data; they tell the user what could inflate
// accuracy (the same track in training and test) before any model runs.
#pragma once

#include <optional>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/table.h"

namespace genrelab::data {

// Rows equal to an earlier row in every feature value and in the label.
std::size_t count_duplicate_rows(const Matrix& X, const Labels& y);

// Rows equal to an earlier row in every source column except `skip` (the row index).
// `taken`: the table's numeric matrix after it became the feature matrix
// (row i there is rows[i]); null while the table still holds it.
std::size_t count_identical_records(const Table& table, const std::vector<std::size_t>& rows,
                                    std::optional<std::size_t> skip, const Matrix* taken = nullptr);

// Rows whose feature values all equal those of an earlier row with another
// label: one recording filed under two genres (GTZAN's metal.00058 and
// rock.00016), which no model can get right both times.
struct FeatureConflicts {
  std::size_t rows = 0;                                   // later rows in such a pair
  std::vector<std::pair<std::size_t, std::size_t>> examples;  // (earlier, later) row indices into X, first few
};
FeatureConflicts find_feature_conflicts(const Matrix& X, const Labels& y, std::size_t max_examples = 5);

struct IdFindings {
  std::size_t ids_with_several_labels = 0;
  std::size_t repeated_ids = 0;           // ids on more than one row
  std::size_t rows_with_repeated_id = 0;  // rows whose id already appeared on an earlier row
};
IdFindings check_ids(const Table& table, std::size_t id_column, const std::vector<std::size_t>& rows,
                     const Labels& y);

}  // namespace genrelab::data
