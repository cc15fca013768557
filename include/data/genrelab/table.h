// Raw tables as read from CSV: named columns of cells, before any typing.
// The Table keeps where every row came from so later stages can point a person
// at the exact line of the file.
//
// A column is stored one of two ways. Text columns keep every cell's text.
// Numeric columns (only when the reader is asked to type columns, see
// CsvOptions) keep one double per cell, in a column-major matrix that can
// become a Dataset's feature matrix without a copy; their cells have no text,
// except the few that are missing markers (NaN, empty, ...), whose text is
// kept for the messages that quote them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "genrelab/matrix.h"

namespace genrelab {

namespace data {
struct TableAccess;  // the CSV reader, which fills a Table chunk by chunk
}

class Table {
 public:
  Table() = default;
  Table(std::string source, std::vector<std::string> header);

  const std::string& source() const { return source_; }
  std::size_t n_rows() const { return lines_.size(); }
  std::size_t n_cols() const { return header_.size(); }
  const std::vector<std::string>& header() const { return header_; }
  const std::string& column_name(std::size_t c) const { return header_[c]; }
  std::optional<std::size_t> find_column(std::string_view name) const;

  // Text of a cell of a text column (std::logic_error for a numeric column).
  std::string_view cell(std::size_t row, std::size_t col) const;
  // Physical line of the file where `row` starts (header is line 1).
  long line_of(std::size_t row) const { return lines_[row]; }

  // Numeric columns: every cell was a number (parse_number) or a missing
  // marker (is_missing), which is stored as NaN.
  bool is_numeric(std::size_t col) const { return !numeric_slot_.empty() && numeric_slot_[col] >= 0; }
  bool has_numeric_columns() const { return numeric_.cols() > 0; }
  double number(std::size_t row, std::size_t col) const {
    return numeric_(static_cast<Eigen::Index>(row), numeric_slot_[col]);
  }
  // The text of a missing cell of a numeric column ("NaN", "", " n/a").
  std::string_view missing_text(std::size_t row, std::size_t col) const;
  // Numeric columns in file order, and their matrix (n_rows x their count).
  std::vector<std::size_t> numeric_columns() const;
  const Matrix& numeric_matrix() const { return numeric_; }
  // Hands the numeric matrix over (to become a feature matrix without a
  // copy); afterwards the table has no numeric values left to read.
  Matrix take_numeric_matrix();
  // Per row, a hash of the text of every numeric cell (in file order), so
  // that "identical records" still means identical text, as it does for
  // text columns ("1.0" and "1" are different records).
  std::uint64_t numeric_text_hash(std::size_t row) const { return numeric_text_hash_[row]; }

  // Appends one record; cells.size() must equal n_cols(). Text tables only.
  void add_row(const std::vector<std::string_view>& cells, long line);

 private:
  friend struct data::TableAccess;

  std::string source_;
  std::vector<std::string> header_;
  // Text cells are stored column by column in one text arena per column, which
  // keeps 114k x 21 cells at a few MB instead of millions of std::strings.
  std::vector<std::string> arena_;
  std::vector<std::vector<std::uint32_t>> ends_;
  std::vector<long> lines_;
  // Numeric columns: slot in numeric_ per column (-1: text column).
  std::vector<Eigen::Index> numeric_slot_;
  Matrix numeric_;
  std::vector<std::unordered_map<std::size_t, std::string>> missing_text_;  // per slot: row -> text
  std::vector<std::uint64_t> numeric_text_hash_;
};

// How read_csv types columns and splits its work.
struct CsvOptions {
  // Empty: every column is kept as text (what predict, merge and tests use).
  // Otherwise it is called once with the header and returns, per column,
  // whether the column must stay text (labels, identifiers, categories);
  // every other column is stored as numbers when all its cells are numbers
  // or missing markers, and as text otherwise.
  std::function<std::vector<char>(const std::vector<std::string>& header)> keep_text;
  int threads = 0;                  // 0: one per core
  std::size_t chunk_bytes = 0;      // 0: automatic; tests set it small to get many chunks
};

// Reads an RFC 4180 CSV file: quoted fields, doubled quotes, embedded commas
// and newlines, CRLF or LF, an optional UTF-8 BOM. Throws InputError naming the
// file, line and column for ragged rows, unbalanced quotes, empty or duplicate
// header names, and files that are not text. Large files are parsed in
// parallel chunks; the result does not depend on the thread count.
Table read_csv(const std::string& path, const CsvOptions& options = {});
Table read_csv_text(std::string_view text, const std::string& source_name, const CsvOptions& options = {});

}  // namespace genrelab
