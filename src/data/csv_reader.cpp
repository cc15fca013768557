// RFC 4180 reader tuned for feature tables: the whole file is read at once and
// unquoted fields (the vast majority) are handed to the Table as views into the
// input, so the only copy is the one into the per-column arenas.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include <fmt/format.h>

#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/table.h"

namespace genrelab {
namespace {

struct FieldRef {
  bool in_scratch;
  std::size_t offset;
  std::size_t length;
};

class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  // Parses the next record into fields_; false at the end of the input.
  bool next_record() {
    skip_blank_lines();
    if (pos_ >= text_.size()) return false;
    fields_.clear();
    scratch_.clear();
    record_line_ = line_;
    for (;;) {
      if (pos_ < text_.size() && text_[pos_] == '"')
        quoted_field();
      else
        plain_field();
      if (pos_ >= text_.size()) break;
      const char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        if (pos_ >= text_.size()) fields_.push_back({false, pos_, 0});
        else continue;
        break;
      }
      end_of_line();
      break;
    }
    return true;
  }

  std::vector<std::string_view> views() const {
    std::vector<std::string_view> out;
    out.reserve(fields_.size());
    for (const FieldRef& f : fields_)
      out.push_back(f.in_scratch ? std::string_view(scratch_).substr(f.offset, f.length)
                                 : text_.substr(f.offset, f.length));
    return out;
  }
  void views(std::vector<std::string_view>& out) const {
    out.clear();
    for (const FieldRef& f : fields_)
      out.push_back(f.in_scratch ? std::string_view(scratch_).substr(f.offset, f.length)
                                 : text_.substr(f.offset, f.length));
  }

  std::size_t n_fields() const { return fields_.size(); }
  long record_line() const { return record_line_; }
  void set_header(const std::vector<std::string>* header) { header_ = header; }
  // Last physical line the record occupied (differs when quotes hold line breaks).
  long last_line() const { return at_line_start_ ? line_ - 1 : line_; }

 private:
  void skip_blank_lines() {
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) end_of_line();
  }

  void end_of_line() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    at_line_start_ = true;
  }

  void plain_field() {
    const std::size_t start = pos_;
    const char* p = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    while (p < end && *p != ',' && *p != '\n' && *p != '\r') ++p;
    pos_ = static_cast<std::size_t>(p - text_.data());
    fields_.push_back({false, start, pos_ - start});
    at_line_start_ = false;
  }

  void quoted_field() {
    const long opened_at = line_;
    ++pos_;
    std::size_t segment = pos_;
    bool copied = false;
    const std::size_t scratch_start = scratch_.size();
    for (;;) {
      const std::size_t q = text_.find('"', pos_);
      if (q == std::string_view::npos)
        throw InputError(fmt::format(
            "{}: a quoted field opens at line {} and is never closed, so the rest of the file "
            "was swallowed into it. Add the missing closing quote (\") or double the quote (\"\") "
            "if it is part of the text",
            where(source_, opened_at, column_hint()), opened_at));
      line_ += std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_),
                          text_.begin() + static_cast<std::ptrdiff_t>(q), '\n');
      if (q + 1 < text_.size() && text_[q + 1] == '"') {
        scratch_.append(text_.substr(segment, q + 1 - segment));
        copied = true;
        pos_ = q + 2;
        segment = pos_;
        continue;
      }
      pos_ = q + 1;
      // Text after the closing quote is not RFC 4180, but pandas and Python's
      // csv keep it, so a hand-edited file still reads the way its author expects.
      std::size_t tail = pos_;
      while (tail < text_.size() && text_[tail] != ',' && text_[tail] != '\n' && text_[tail] != '\r') ++tail;
      if (copied || tail > pos_) {
        scratch_.append(text_.substr(segment, q - segment));
        scratch_.append(text_.substr(pos_, tail - pos_));
        fields_.push_back({true, scratch_start, scratch_.size() - scratch_start});
      } else {
        fields_.push_back({false, segment, q - segment});
      }
      pos_ = tail;
      at_line_start_ = false;
      return;
    }
  }

  // Names the column a broken quote sits in, once the header is known.
  std::string column_hint() const {
    return header_ != nullptr && fields_.size() < header_->size() ? (*header_)[fields_.size()] : std::string();
  }

  const std::vector<std::string>* header_ = nullptr;
  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
  long line_ = 1;
  long record_line_ = 1;
  bool at_line_start_ = true;
  std::vector<FieldRef> fields_;
  std::string scratch_;
};

void reject_non_text(std::string_view text, const std::string& source) {
  auto starts = [&](std::string_view magic) { return text.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xFE") || starts("\xFE\xFF"))
    throw InputError(source + ": the file is UTF-16 encoded. Save it as UTF-8 CSV (in Excel: 'CSV UTF-8')");
  if (starts("\x1F\x8B"))
    throw InputError(source + ": the file is gzip-compressed. Decompress it first (gunzip) and pass the .csv");
  if (starts(std::string_view("PK\x03\x04", 4)))
    throw InputError(source +
                     ": the file is a ZIP archive (an .xlsx workbook?), not CSV. Export the sheet as CSV");
  const std::size_t nul = text.find('\0');
  if (nul != std::string_view::npos) {
    const long line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    throw InputError(fmt::format("{}: the file contains a NUL byte, so it is binary, not CSV text. "
                                 "Export the data as a UTF-8 CSV file",
                                 where(source, line, "")));
  }
}

std::vector<std::string> parse_header(CsvParser& parser, const std::string& source) {
  std::vector<std::string> header;
  for (std::string_view v : parser.views()) header.emplace_back(v);
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c].empty()) {
      // pandas' to_csv writes the index under an empty name; pandas itself
      // reads it back as "Unnamed: 0", which is the name its users know.
      if (c == 0 && header.size() > 1) {
        header[c] = "Unnamed: 0";
      } else {
        throw InputError(fmt::format("{}: column {} of the header has no name. Give every column a name",
                                     where(source, parser.record_line(), ""), c + 1));
      }
    }
  }
  for (std::size_t c = 0; c < header.size(); ++c) {
    auto [it, inserted] = seen.emplace(header[c], c);
    if (!inserted)
      throw InputError(fmt::format("{}: columns {} and {} are both named '{}'. Rename one of them so every "
                                   "column name is unique",
                                   where(source, parser.record_line(), header[c]), it->second + 1, c + 1,
                                   header[c]));
  }
  return header;
}

[[noreturn]] void ragged_row(const CsvParser& parser, const std::vector<std::string>& header,
                             const std::vector<std::string_view>& cells, const std::string& source) {
  const std::size_t expected = header.size();
  const std::size_t got = cells.size();
  std::string what;
  std::string column;
  if (got < expected) {
    column = header[got];
    what = fmt::format("expected {} fields as in the header, got {}; the row stops before column '{}'", expected,
                       got, header[got]);
  } else {
    what = fmt::format("expected {} fields as in the header, got {}", expected, got);
    if (got == expected + 1 && cells.back().empty()) what += "; the row ends with an extra comma";
  }
  if (parser.last_line() > parser.record_line())
    what += fmt::format(
        ". The record runs from line {} to line {} because a quoted field holds line breaks; check for a "
        "missing or extra quote",
        parser.record_line(), parser.last_line());
  throw InputError(fmt::format("{}: {}. Make every row have {} comma-separated fields and quote fields that "
                               "contain commas",
                               where(source, parser.record_line(), column), what, expected));
}

}  // namespace

Table read_csv_text(std::string_view text, const std::string& source_name) {
  reject_non_text(text, source_name);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvParser parser(text, source_name);
  if (!parser.next_record())
    throw InputError(source_name + ": the file is empty. Expected a header row and at least one data row");
  std::vector<std::string> header = parse_header(parser, source_name);
  parser.set_header(&header);
  Table table(source_name, header);
  std::vector<std::string_view> cells;
  cells.reserve(header.size() + 1);
  while (parser.next_record()) {
    parser.views(cells);
    if (cells.size() != header.size()) ragged_row(parser, header, cells, source_name);
    table.add_row(cells, parser.record_line());
  }
  if (table.n_rows() == 0)
    throw InputError(fmt::format("{}: the file has a header ({} columns) but no data rows. Add data rows",
                                 source_name, header.size()));
  return table;
}

Table read_csv(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + ": is a directory, not a CSV file. Pass the path of a .csv file");
  note_input_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the file (" + std::strerror(errno) + "). Check the path");
  std::string text;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) {
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), size);
    if (in.gcount() != size) throw InputError(path + ": the file could not be read completely. Check the disk");
  }
  return read_csv_text(text, path);
}

}  // namespace genrelab
