// Decides what each source column is: a numeric, boolean or categorical
// feature, or a column to keep out of the model (identifiers, free text, the
// row index) together with the reason a person will read.
#pragma once

#include <string>
#include <vector>

#include "genrelab/cell_values.h"
#include "genrelab/dataset.h"
#include "genrelab/table.h"

namespace genrelab::data {

struct ColumnPlan {
  std::size_t column = 0;
  bool is_feature = false;
  FeatureEncoding encoding;
  Vocabulary vocabulary = Vocabulary::Plain;
  std::string exclude_reason;  // when !is_feature
  std::string note;            // one sentence for DataFindings::notes, if any
};

// Name rules, also used before reading to decide which columns stay text.
bool is_identifier_name(std::string_view name);
bool is_index_name(std::string_view name);
// The other columns that already one-hot encode `column`'s vocabulary (the
// seed file's "A", "A#/Bb", ... next to "key"); empty when there are none.
std::vector<std::string> existing_expansion(const std::vector<std::string>& header, std::size_t column,
                                            Vocabulary vocabulary);

// `rows` are the table rows that will enter the dataset. `requested` means the
// user named the column in --features, which overrides the name-based rules.
ColumnPlan classify_column(const Table& table, std::size_t column, const std::vector<std::size_t>& rows,
                           bool requested);

}  // namespace genrelab::data
