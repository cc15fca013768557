#include <limits>
#include <stdexcept>

#include "genrelab/error.h"
#include "genrelab/table.h"

namespace genrelab {

Table::Table(std::string source, std::vector<std::string> header)
    : source_(std::move(source)), header_(std::move(header)), arena_(header_.size()), ends_(header_.size()) {}

std::optional<std::size_t> Table::find_column(std::string_view name) const {
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (header_[c] == name) return c;
  return std::nullopt;
}

std::string_view Table::cell(std::size_t row, std::size_t col) const {
  // A numeric column has no text to view; callers ask is_numeric() first.
  if (is_numeric(col)) throw std::logic_error("Table::cell: column '" + header_[col] + "' is stored as numbers");
  const auto& ends = ends_[col];
  const std::uint32_t begin = row == 0 ? 0 : ends[row - 1];
  return std::string_view(arena_[col]).substr(begin, ends[row] - begin);
}

std::string_view Table::missing_text(std::size_t row, std::size_t col) const {
  const auto& texts = missing_text_[static_cast<std::size_t>(numeric_slot_[col])];
  const auto it = texts.find(row);
  return it == texts.end() ? std::string_view() : std::string_view(it->second);
}

std::vector<std::size_t> Table::numeric_columns() const {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (is_numeric(c)) out.push_back(c);
  return out;
}

Matrix Table::take_numeric_matrix() {
  Matrix out = std::move(numeric_);
  numeric_ = Matrix();
  return out;
}

void Table::add_row(const std::vector<std::string_view>& cells, long line) {
  if (cells.size() != header_.size())
    throw std::logic_error("Table::add_row: cell count does not match the header");
  if (has_numeric_columns()) throw std::logic_error("Table::add_row: the table has numeric columns");
  for (std::size_t c = 0; c < cells.size(); ++c) {
    std::string& arena = arena_[c];
    // Offsets are 32-bit to halve the index memory; a single column above
    // 4 GB of text is far outside what a feature table should be.
    if (arena.size() + cells[c].size() > std::numeric_limits<std::uint32_t>::max())
      throw InputError(where(source_, line, header_[c]) +
                       ": the column holds more than 4 GB of text. Split the file into smaller parts");
    arena.append(cells[c]);
    ends_[c].push_back(static_cast<std::uint32_t>(arena.size()));
  }
  lines_.push_back(line);
}

}  // namespace genrelab
