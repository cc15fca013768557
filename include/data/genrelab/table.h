// Raw tables as read from CSV: named columns of text cells, before any typing.
// The Table keeps where every row came from so later stages can point a person
// at the exact line of the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab {

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

  std::string_view cell(std::size_t row, std::size_t col) const;
  // Physical line of the file where `row` starts (header is line 1).
  long line_of(std::size_t row) const { return lines_[row]; }

  // Appends one record; cells.size() must equal n_cols().
  void add_row(const std::vector<std::string_view>& cells, long line);

 private:
  std::string source_;
  std::vector<std::string> header_;
  // Cells are stored column by column in one text arena per column, which
  // keeps 114k x 21 cells at a few MB instead of millions of std::strings.
  std::vector<std::string> arena_;
  std::vector<std::vector<std::uint32_t>> ends_;
  std::vector<long> lines_;
};

// Reads an RFC 4180 CSV file: quoted fields, doubled quotes, embedded commas
// and newlines, CRLF or LF, an optional UTF-8 BOM. Throws InputError naming the
// file, line and column for ragged rows, unbalanced quotes, empty or duplicate
// header names, and files that are not text.
Table read_csv(const std::string& path);
Table read_csv_text(std::string_view text, const std::string& source_name);

}  // namespace genrelab
