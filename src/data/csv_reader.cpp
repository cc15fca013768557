// RFC 4180 reader tuned for feature tables. The file is memory-mapped and cut
// into chunks at line breaks that a quote-parity pre-scan says lie outside
// quoted fields; the chunks are parsed in parallel and then checked in file
// order: each must start exactly where the one before it really ended (a
// stray quote in an unquoted field can fool the parity), and any chunk that
// does not is parsed again from the true position. So the Table, and the
// first error reported, are those a single pass from the top would give, for
// any thread count.
//
// When asked to type columns (CsvOptions::keep_text), numbers go straight
// from the file into doubles; no text is kept for them, and the pages of the
// file are handed back as each chunk is done, so memory holds about one copy
// of the numbers and the text columns, not the file as well.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <omp.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unordered_map>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "genrelab/atomic_file.h"
#include "genrelab/cell_values.h"
#include "genrelab/error.h"
#include "genrelab/input_file.h"
#include "genrelab/table.h"

namespace genrelab {
namespace data {

// The reader fills a Table's storage directly, chunk by chunk.
struct TableAccess {
  static std::vector<std::string>& arena(Table& t) { return t.arena_; }
  static std::vector<std::vector<std::uint32_t>>& ends(Table& t) { return t.ends_; }
  static std::vector<long>& lines(Table& t) { return t.lines_; }
  static std::vector<Eigen::Index>& numeric_slot(Table& t) { return t.numeric_slot_; }
  static Matrix& numeric(Table& t) { return t.numeric_; }
  static std::vector<std::unordered_map<std::size_t, std::string>>& missing_text(Table& t) { return t.missing_text_; }
  static std::vector<std::uint64_t>& text_hash(Table& t) { return t.numeric_text_hash_; }
};

}  // namespace data

namespace {

constexpr std::size_t kNoStop = std::numeric_limits<std::size_t>::max();

struct FieldRef {
  bool in_scratch;
  std::size_t offset;
  std::size_t length;
};

class CsvParser {
 public:
  // Parses records that start in [pos, stop); a record that starts before
  // `stop` is read to its end even past it.
  CsvParser(std::string_view text, const std::string& source, std::size_t pos = 0, long line = 1,
            std::size_t stop = kNoStop)
      : text_(text), source_(source), stop_(stop), pos_(pos), line_(line) {}

  // Parses the next record into fields_; false at the end of the input (or of the chunk).
  bool next_record() {
    skip_blank_lines();
    if (pos_ >= text_.size() || pos_ >= stop_) return false;
    fields_.clear();
    scratch_.clear();
    record_line_ = line_;
    record_start_ = pos_;
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
    views(out);
    return out;
  }
  void views(std::vector<std::string_view>& out) const {
    out.clear();
    for (const FieldRef& f : fields_)
      out.push_back(f.in_scratch ? std::string_view(scratch_).substr(f.offset, f.length)
                                 : text_.substr(f.offset, f.length));
  }

  std::size_t pos() const { return pos_; }
  long line() const { return line_; }
  // Continues from another position (a chunk's parser hands records it
  // cannot take the fast way to this one).
  void reset(std::size_t pos, long line) {
    pos_ = pos;
    line_ = line;
    at_line_start_ = true;
  }
  long record_line() const { return record_line_; }
  std::size_t record_start() const { return record_start_; }
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
  std::size_t stop_;
  std::size_t pos_;
  long line_;
  long record_line_ = 1;
  std::size_t record_start_ = 0;
  bool at_line_start_ = true;
  std::vector<FieldRef> fields_;
  std::string scratch_;
};

// The magic-number checks need only the first bytes; the NUL check needs
// every byte and is done by the pre-scan.
void reject_non_text_magic(std::string_view text, const std::string& source) {
  auto starts = [&](std::string_view magic) { return text.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xFE") || starts("\xFE\xFF"))
    throw InputError(source + ": the file is UTF-16 encoded. Save it as UTF-8 CSV (in Excel: 'CSV UTF-8')");
  if (starts("\x1F\x8B"))
    throw InputError(source + ": the file is gzip-compressed. Decompress it first (gunzip) and pass the .csv");
  if (starts(std::string_view("PK\x03\x04", 4)))
    throw InputError(source +
                     ": the file is a ZIP archive (an .xlsx workbook?), not CSV. Export the sheet as CSV");
}

[[noreturn]] void reject_nul(const std::string& source, long line) {
  throw InputError(fmt::format("{}: the file contains a NUL byte, so it is binary, not CSV text. "
                               "Export the data as a UTF-8 CSV file",
                               where(source, line, "")));
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

// A fast 64-bit hash of a cell's bytes. Short cells (most numbers) are read
// with at most two fixed-size loads that stay inside the cell, the way wyhash
// does, instead of a variable-length copy that stalls the load after it.
std::uint64_t hash_bytes(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  const char* p = s.data();
  const std::size_t n = s.size();
  auto load8 = [](const char* q) {
    std::uint64_t w;
    std::memcpy(&w, q, 8);
    return w;
  };
  auto load4 = [](const char* q) {
    std::uint32_t w;
    std::memcpy(&w, q, 4);
    return static_cast<std::uint64_t>(w);
  };
  std::uint64_t h = (n + 1) * kMul;
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 < n; i += 8) {
      h = (h ^ load8(p + i)) * kMul;
      h ^= h >> 29;
    }
    h = (h ^ load8(p + n - 8)) * kMul;  // the last eight, overlapping the loop's
  } else if (n >= 4) {
    h = (h ^ (load4(p) << 32 | load4(p + n - 4))) * kMul;
  } else if (n > 0) {
    const auto a = static_cast<unsigned char>(p[0]), b = static_cast<unsigned char>(p[n / 2]),
               c = static_cast<unsigned char>(p[n - 1]);
    h = (h ^ (std::uint64_t(a) << 16 | std::uint64_t(b) << 8 | c)) * kMul;
  }
  return h ^ (h >> 29);
}

// A zero read from a number with a nonzero digit before its exponent
// (1e-400): parse_number, like std::from_chars, rejects it as out of range.
inline bool underflows(std::string_view number) {
  for (const char c : number) {
    if (c == 'e' || c == 'E') return false;
    if (c >= '1' && c <= '9') return true;
  }
  return false;
}

// parse_number for the cells that need none of its trimming: no surrounding
// blanks, no '+'. Whatever it accepts parse_number accepts with the same
// value; everything else (false) goes to parse_number and is_missing.
inline bool plain_number(std::string_view cell, double& value) {
  if (cell.empty()) return false;
  const char back = cell.back();
  if (back == ' ' || back == '\t') return false;
  const char first = cell.front() == '-' && cell.size() > 1 ? cell[1] : cell.front();
  if (!((first >= '0' && first <= '9') || first == '.')) return false;
  const auto [end, ec] = fast_float::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) return false;
  return !(value == 0 && underflows(cell));
}

// What the columns are while parsing: per column a text index or a numeric slot.
struct Layout {
  std::vector<int> text_index;  // per column, -1 when numeric
  std::vector<int> slot;        // per column, -1 when text
  std::vector<std::size_t> slot_column;
  std::size_t n_text = 0;

  explicit Layout(const std::vector<char>& numeric) : text_index(numeric.size(), -1), slot(numeric.size(), -1) {
    for (std::size_t c = 0; c < numeric.size(); ++c) {
      if (numeric[c]) {
        slot[c] = static_cast<int>(slot_column.size());
        slot_column.push_back(c);
      } else {
        text_index[c] = static_cast<int>(n_text++);
      }
    }
  }
  std::size_t n_numeric() const { return slot_column.size(); }
};

struct MissingCell {
  std::size_t row;  // within the chunk
  std::size_t slot;
  std::string text;
};

// One chunk's records, parsed from `start` (at line `start_line`) while
// records start before `stop`.
struct Chunk {
  std::size_t start = 0, stop = 0;
  long start_line = 1;
  // Where the parse really began (after blank lines) and ended.
  std::size_t first_pos = 0, end_pos = 0;
  long first_line = 1, end_line = 1;
  std::exception_ptr error;
  std::size_t rows = 0;
  std::vector<long> lines;
  std::vector<std::string> arena;                 // per text column
  std::vector<std::vector<std::uint32_t>> ends;   // per text column, offsets into this chunk's arena
  // Numbers go straight into the table's column-major matrix: column `slot`
  // of this chunk's rows starts at out + slot * stride; at most `capacity` rows.
  double* out = nullptr;
  std::size_t stride = 0;
  std::size_t capacity = 0;
  std::vector<std::uint64_t> text_hash;           // per row, over numeric cells
  std::vector<MissingCell> missing;
  std::vector<char> demoted;                      // per slot: a cell was neither a number nor missing
};

// The text being read and, when it is our own mapping of the file, a way to
// hand finished pages back (they stay in the page cache, not in our memory).
struct Source {
  std::string_view text;
  bool mapped = false;

  void release(std::size_t from, std::size_t to) const {
    if (!mapped) return;
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t a = (from + page - 1) / page * page;
    const std::size_t b = to / page * page;
    if (b > a) madvise(const_cast<char*>(text.data()) + a, b - a, MADV_DONTNEED);
  }
};

// Stores one record's cells in the chunk. `fast[c]` (may be null): the
// cell's number, already read by fast_record.
void store_record(Chunk& chunk, const Layout& layout, const std::vector<std::uint64_t>& salt,
                  const std::vector<std::string_view>& cells, const double* fast, const char* parsed, long line) {
  // The bound counts every line break in the chunk, which no record can beat.
  if (layout.n_numeric() > 0 && chunk.rows >= chunk.capacity)
    throw std::logic_error("read_csv: a chunk holds more records than line breaks");
  chunk.lines.push_back(line);
  std::uint64_t h = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string_view cell = cells[c];
    const int t = layout.text_index[c];
    if (t >= 0) {
      std::string& arena = chunk.arena[static_cast<std::size_t>(t)];
      arena.append(cell);
      // The 4 GB limit on a column is checked when chunks are joined.
      chunk.ends[static_cast<std::size_t>(t)].push_back(static_cast<std::uint32_t>(arena.size()));
      continue;
    }
    const auto slot = static_cast<std::size_t>(layout.slot[c]);
    // A sum of independent per-cell terms, not a chain: cheaper per cell.
    h += hash_bytes(cell) * salt[slot];
    double& out = chunk.out[slot * chunk.stride + chunk.rows];
    double value;
    if (parsed != nullptr && parsed[c]) {
      out = fast[c];
    } else if (plain_number(cell, value)) {
      out = value;
    } else if (const auto v = data::parse_number(cell)) {
      out = *v;
    } else {
      out = std::numeric_limits<double>::quiet_NaN();
      if (data::is_missing(cell)) chunk.missing.push_back({chunk.rows, slot, std::string(cell)});
      else chunk.demoted[slot] = 1;
    }
  }
  if (layout.n_numeric() > 0) chunk.text_hash.push_back(h);
  ++chunk.rows;
}

// The common record: no quotes, the right number of fields. Numbers are read
// where they lie (fast_float stops at the delimiter, so the field is never
// scanned twice). Returns false, having stored nothing, for anything else;
// the full parser then reads the record and reports its errors.
bool fast_record(std::string_view text, std::size_t& pos, long& line, const Layout& layout,
                 std::vector<std::string_view>& cells, std::vector<double>& values, std::vector<char>& parsed) {
  const char* p = text.data() + pos;
  const char* const end = text.data() + text.size();
  const std::size_t n = cells.size();
  for (std::size_t c = 0; c < n; ++c) {
    if (p < end && *p == '"') return false;
    const char* const field = p;
    parsed[c] = 0;
    if (layout.slot[c] >= 0 && p + 3 <= end && p[0] == '0' && p[1] == '.' && p[2] == '0' &&
        (p + 3 == end || p[3] == ',' || p[3] == '\n' || p[3] == '\r')) {
      // "0.0", how pandas writes a zero: most cells of sparse indicator
      // columns, worth a shortcut past the general parser.
      values[c] = 0.0;
      parsed[c] = 1;
      p += 3;
    } else if (layout.slot[c] >= 0 && p < end) {
      const char first = *p == '-' && p + 1 < end ? p[1] : *p;
      if ((first >= '0' && first <= '9') || first == '.') {
        double v;
        const auto [q, ec] = fast_float::from_chars(p, end, v);
        if (ec == std::errc() && (q == end || *q == ',' || *q == '\n' || *q == '\r') && std::isfinite(v) &&
            !(v == 0 && underflows(std::string_view(p, static_cast<std::size_t>(q - p))))) {
          values[c] = v;
          parsed[c] = 1;
          p = q;
        }
      }
    }
    if (!parsed[c])
      while (p < end && *p != ',' && *p != '\n' && *p != '\r') ++p;
    cells[c] = std::string_view(field, static_cast<std::size_t>(p - field));
    if (c + 1 < n) {
      if (p >= end || *p != ',') return false;  // too few fields
      ++p;
      if (p >= end) return false;  // a comma ends the text
    } else if (p < end && *p == ',') {
      return false;  // too many fields
    }
  }
  if (p < end) {
    if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
    ++p;
    ++line;
  }
  pos = static_cast<std::size_t>(p - text.data());
  return true;
}

void parse_chunk(const Source& src, const std::string& source, const std::vector<std::string>& header,
                 const Layout& layout, Chunk& chunk) {
  const std::size_t expected_rows = chunk.capacity;
  chunk.rows = 0;
  chunk.error = nullptr;
  chunk.first_pos = kNoStop;  // unknown until a record is read, so never taken as a match
  chunk.first_line = -1;
  const std::string_view text = src.text;
  std::size_t pos = chunk.start;
  long line = chunk.start_line;
  const std::size_t n_numeric = layout.n_numeric();
  // Everything, allocation included, stays inside the try: this runs in an
  // OpenMP region, which an exception must not leave.
  try {
    chunk.arena.assign(layout.n_text, std::string());
    chunk.ends.assign(layout.n_text, std::vector<std::uint32_t>());
    chunk.demoted.assign(n_numeric, 0);
    chunk.lines.clear();
    chunk.lines.reserve(expected_rows);
    chunk.text_hash.clear();
    chunk.missing.clear();
    if (n_numeric > 0) chunk.text_hash.reserve(expected_rows);
    for (auto& e : chunk.ends) e.reserve(expected_rows);
    std::vector<std::uint64_t> salt(n_numeric);
    for (std::size_t s = 0; s < n_numeric; ++s) salt[s] = (0x9E3779B97F4A7C15ULL * (s + 1)) | 1;
    const std::size_t n_cols = header.size();
    std::vector<std::string_view> cells(n_cols);
    std::vector<double> values(n_cols);
    std::vector<char> parsed(n_cols);
    CsvParser parser(text, source, pos, line, chunk.stop);
    parser.set_header(&header);
    for (;;) {
      // Blank lines between records, exactly as CsvParser skips them.
      while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) {
        if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
        ++pos;
        ++line;
      }
      if (chunk.first_pos == kNoStop) {
        // Where this chunk's first record starts: it must be where the one
        // before it ended for this chunk's records to be the file's.
        chunk.first_pos = pos;
        chunk.first_line = line;
      }
      if (pos >= text.size() || pos >= chunk.stop) break;
      const long record_line = line;
      if (fast_record(text, pos, line, layout, cells, values, parsed)) {
        store_record(chunk, layout, salt, cells, values.data(), parsed.data(), record_line);
        continue;
      }
      parser.reset(pos, line);
      parser.next_record();
      parser.views(cells);
      if (cells.size() != n_cols) ragged_row(parser, header, cells, source);
      store_record(chunk, layout, salt, cells, nullptr, nullptr, record_line);
      pos = parser.pos();
      line = parser.line();
      cells.resize(n_cols);
    }
  } catch (...) {
    chunk.error = std::current_exception();
  }
  chunk.end_pos = pos;
  chunk.end_line = line;
  src.release(chunk.start, std::min(chunk.end_pos, text.size()));
}

// Line breaks: LF, CRLF (once) and a lone CR, as CsvParser ends lines.
std::size_t count_line_breaks(std::string_view text, std::size_t from, std::size_t to) {
  std::size_t n = 0;
  for (std::size_t p = from; p < to; ++p)
    n += text[p] == '\n' || (text[p] == '\r' && !(p + 1 < text.size() && text[p + 1] == '\n'));
  return n;
}

struct PreScan {
  std::size_t quotes = 0;
  std::size_t newlines = 0;
  std::size_t breaks = 0;  // count_line_breaks
  std::size_t nul = std::string_view::npos;  // first NUL byte in the range
  std::size_t bad_utf8 = std::string_view::npos;  // first byte of the range that is not valid UTF-8
};

// Length of the UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when the bytes there are not one. Sequences
// may run past `end` into the rest of the text (`limit`).
std::size_t utf8_sequence(const unsigned char* p, const unsigned char* limit) {
  const unsigned char b = p[0];
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b == 0xE0) n = 3, lo = 0xA0;
  else if (b >= 0xE1 && b <= 0xEC) n = 3;
  else if (b == 0xED) n = 3, hi = 0x9F;
  else if (b >= 0xEE && b <= 0xEF) n = 3;
  else if (b == 0xF0) n = 4, lo = 0x90;
  else if (b >= 0xF1 && b <= 0xF3) n = 4;
  else if (b == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (limit - p < static_cast<std::ptrdiff_t>(n)) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((p[k] & 0xC0) != 0x80) return 0;
  return n;
}

// The first byte in [from, to) that is not part of valid UTF-8, or npos.
// Runs of ASCII go eight bytes at a time. A piece may start inside a
// sequence that began in the piece before: those continuation bytes are
// valid only if that sequence really covers them.
std::size_t first_bad_utf8(std::string_view text, std::size_t from, std::size_t to) {
  const auto* base = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* limit = base + text.size();
  std::size_t p = from;
  if (from > 0 && (base[from] & 0xC0) == 0x80) {
    std::size_t lead = from - 1;
    while (lead > 0 && from - lead < 4 && (base[lead] & 0xC0) == 0x80) --lead;
    const std::size_t n = utf8_sequence(base + lead, limit);
    if (n == 0) return std::string_view::npos;  // the piece before reports it
    if (lead + n <= from) return from;
    p = lead + n;
  }
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (p < to) {
    if (p + 32 <= to) {
      std::uint64_t w[4];
      std::memcpy(w, base + p, 32);
      if (((w[0] | w[1] | w[2] | w[3]) & kHigh) == 0) {
        p += 32;
        continue;
      }
    }
    if (p + 8 <= to) {
      std::uint64_t w;
      std::memcpy(&w, base + p, 8);
      if ((w & kHigh) == 0) {
        p += 8;
        continue;
      }
    }
    const std::size_t n = utf8_sequence(base + p, limit);
    if (n == 0) return p;
    p += n;
  }
  return std::string_view::npos;
}

// memchr runs many bytes per cycle; the three characters are counted one
// pass each, which beats one byte-by-byte pass counting all three.
std::size_t count_char(const char* p, const char* end, char c) {
  std::size_t n = 0;
  while (p < end) {
    const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
    if (hit == nullptr) break;
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

PreScan prescan(std::string_view text, std::size_t from, std::size_t to) {
  PreScan out;
  const char* p = text.data() + from;
  const char* end = text.data() + to;
  if (const void* z = std::memchr(p, '\0', static_cast<std::size_t>(end - p)))
    out.nul = static_cast<std::size_t>(static_cast<const char*>(z) - text.data());
  out.bad_utf8 = first_bad_utf8(text, from, to);
  out.quotes = count_char(p, end, '"');
  out.newlines = count_char(p, end, '\n');
  out.breaks = out.newlines;
  if (std::memchr(p, '\r', static_cast<std::size_t>(end - p)) != nullptr) out.breaks = count_line_breaks(text, from, to);
  return out;
}

class Reader {
 public:
  Reader(Source src, const std::string& source, const CsvOptions& options)
      : src_(src), source_(source), options_(options) {
    threads_ = options.threads > 0 ? options.threads : omp_get_max_threads();
    chunk_bytes_ = options.chunk_bytes > 0 ? options.chunk_bytes : std::size_t(4) << 20;
  }

  Table read() {
    std::string_view text = src_.text;
    reject_non_text_magic(text, source_);
    const std::size_t n = text.size();
    // Nominal pieces of the whole text, for the pre-scan and the chunk cuts.
    std::vector<std::size_t> cuts;
    for (std::size_t p = 0; p < n; p += chunk_bytes_) cuts.push_back(p);
    cuts.push_back(n);
    const std::size_t pieces = cuts.size() - 1;
    std::vector<PreScan> scans(pieces);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_) if (pieces > 1)
    for (std::size_t i = 0; i < pieces; ++i) {
      scans[i] = prescan(text, cuts[i], cuts[i + 1]);
      src_.release(cuts[i], cuts[i + 1]);
    }
    std::size_t newlines_before = 0;
    for (std::size_t i = 0; i < pieces; ++i) {
      if (scans[i].nul != std::string_view::npos)
        reject_nul(source_, 1 + static_cast<long>(newlines_before) +
                                std::count(text.begin() + static_cast<std::ptrdiff_t>(cuts[i]),
                                           text.begin() + static_cast<std::ptrdiff_t>(scans[i].nul), '\n'));
      newlines_before += scans[i].newlines;
    }

    for (std::size_t i = 0; i < pieces; ++i)
      if (scans[i].bad_utf8 != std::string_view::npos) reject_bad_utf8(text, scans[i].bad_utf8);

    std::size_t begin = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") begin = 3;
    CsvParser parser(text, source_, begin);
    if (!parser.next_record())
      throw InputError(source_ + ": the file is empty. Expected a header row and at least one data row");
    header_ = parse_header(parser, source_);
    const std::size_t data_start = parser.pos();
    const long data_line = parser.line();

    // Line breaks before a position, from the pre-scan's counts per piece.
    std::vector<std::size_t> breaks_before_piece(pieces + 1, 0);
    for (std::size_t i = 0; i < pieces; ++i) breaks_before_piece[i + 1] = breaks_before_piece[i] + scans[i].breaks;
    auto breaks_before = [&](std::size_t pos) {
      if (pos >= n) return breaks_before_piece[pieces];
      const std::size_t i = static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), pos) - cuts.begin()) - 1;
      return breaks_before_piece[i] + count_line_breaks(text, cuts[i], pos);
    };

    // Chunks start after a line break with an even number of quotes before it.
    std::vector<std::size_t> starts = {data_start};
    std::size_t quotes_before = 0;
    for (std::size_t i = 0; i < pieces; ++i) {
      if (i > 0 && cuts[i] > data_start) {
        bool odd = (quotes_before & 1) != 0;
        for (std::size_t p = cuts[i]; p < cuts[i + 1]; ++p) {
          const char c = text[p];
          if (c == '"') {
            odd = !odd;
          } else if (c == '\n' && !odd) {
            if (p + 1 > starts.back() && p + 1 < n) starts.push_back(p + 1);
            break;
          }
        }
      }
      quotes_before += scans[i].quotes;
    }
    const std::size_t n_chunks = starts.size();
    starts.push_back(n);
    // Each chunk's first line (a guess the join checks: line breaks inside
    // quotes count differently) and a bound on its records: one starts at the
    // chunk's start and one after each line break but the chunk's last.
    std::vector<long> start_lines(n_chunks);
    std::vector<std::size_t> capacity(n_chunks), first_slot(n_chunks + 1, 0);
    std::size_t breaks_at = breaks_before(data_start);
    for (std::size_t k = 0; k < n_chunks; ++k) {
      const std::size_t next = breaks_before(starts[k + 1]);
      start_lines[k] = k == 0 ? data_line : 1 + static_cast<long>(breaks_at);
      // The last chunk also holds a last line with no line break after it.
      const bool last_unended = n > 0 && text[n - 1] != '\n' && text[n - 1] != '\r';
      capacity[k] = next - breaks_at + (k + 1 == n_chunks && last_unended ? 1 : 0);
      first_slot[k + 1] = first_slot[k] + capacity[k];
      breaks_at = next;
    }

    std::vector<char> numeric(header_.size(), 0);
    if (options_.keep_text) {
      const std::vector<char> keep = options_.keep_text(header_);
      for (std::size_t c = 0; c < header_.size(); ++c) numeric[c] = c < keep.size() && keep[c] ? 0 : 1;
      // A first look at the top of the file finds most text columns before
      // the parallel pass, so that pass rarely has to be repeated.
      sniff(numeric, data_start, data_line);
    }

    std::vector<Chunk> chunks(n_chunks);
    for (;;) {
      const Layout layout(numeric);
      // Rows of chunk k go to rows first_slot[k].. of the matrix, which has
      // room for every chunk's bound; the gaps are closed once all are in.
      Matrix M;
      if (layout.n_numeric() > 0)
        M.resize(static_cast<Eigen::Index>(first_slot[n_chunks]), static_cast<Eigen::Index>(layout.n_numeric()));
      for (std::size_t k = 0; k < n_chunks; ++k) {
        Chunk& c = chunks[k];
        c.start = starts[k];
        c.stop = starts[k + 1];
        c.start_line = start_lines[k];
        c.out = M.data() + first_slot[k];
        c.stride = first_slot[n_chunks];
        c.capacity = capacity[k];
      }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_) if (n_chunks > 1)
      for (std::size_t k = 0; k < n_chunks; ++k) parse_chunk(src_, source_, header_, layout, chunks[k]);

      // Join in file order, parsing again every chunk that did not start
      // where the one before it ended.
      bool any_demoted = false;
      for (std::size_t k = 0; k < n_chunks; ++k) {
        Chunk& c = chunks[k];
        if (k > 0) {
          const Chunk& prev = chunks[k - 1];
          if (c.first_pos != prev.end_pos || c.first_line != prev.end_line) {
            c.start = prev.end_pos;
            c.start_line = prev.end_line;
            parse_chunk(src_, source_, header_, layout, c);
          }
        }
        if (c.error) std::rethrow_exception(c.error);
        for (std::size_t s = 0; s < layout.n_numeric(); ++s)
          if (c.demoted[s]) {
            numeric[layout.slot_column[s]] = 0;
            any_demoted = true;
          }
      }
      if (!any_demoted) return assemble(layout, chunks, std::move(M), first_slot);
      // A column held text further down than the first look reached: it is
      // a text column after all, and every chunk is read again with it as text.
    }
  }

 private:
  void sniff(std::vector<char>& numeric, std::size_t data_start, long data_line) {
    Chunk probe;
    probe.start = data_start;
    probe.start_line = data_line;
    // No further than one chunk, so that small chunks (in tests) also
    // exercise a text column found only by the parallel pass.
    probe.stop = std::min(src_.text.size(), data_start + std::min(chunk_bytes_, std::size_t(1) << 18));
    const Layout layout(numeric);
    probe.capacity = count_line_breaks(src_.text, data_start, probe.stop) + 1;
    std::vector<double> values(probe.capacity * layout.n_numeric());
    probe.out = values.data();
    probe.stride = probe.capacity;
    parse_chunk(Source{src_.text, false}, source_, header_, layout, probe);
    for (std::size_t s = 0; s < layout.n_numeric(); ++s)
      if (probe.demoted[s]) numeric[layout.slot_column[s]] = 0;
  }

  Table assemble(const Layout& layout, std::vector<Chunk>& chunks, Matrix M, const std::vector<std::size_t>& first_slot) {
    std::size_t rows = 0;
    for (const Chunk& c : chunks) rows += c.rows;
    if (rows == 0)
      throw InputError(fmt::format("{}: the file has a header ({} columns) but no data rows. Add data rows",
                                   source_, header_.size()));
    Table table(source_, header_);
    auto& lines = data::TableAccess::lines(table);
    lines.reserve(rows);
    for (const Chunk& c : chunks) lines.insert(lines.end(), c.lines.begin(), c.lines.end());

    auto& arenas = data::TableAccess::arena(table);
    auto& ends = data::TableAccess::ends(table);
    for (std::size_t col = 0; col < header_.size(); ++col) {
      const int t = layout.text_index[col];
      if (t < 0) continue;
      const auto ti = static_cast<std::size_t>(t);
      std::size_t total = 0;
      for (const Chunk& c : chunks) {
        const std::size_t limit = std::numeric_limits<std::uint32_t>::max();
        if (total + c.arena[ti].size() > limit) {
          // Offsets are 32-bit to halve the index memory; a single column above
          // 4 GB of text is far outside what a feature table should be.
          std::size_t i = 0;
          while (total + c.ends[ti][i] <= limit) ++i;
          throw InputError(where(source_, c.lines[i], header_[col]) +
                           ": the column holds more than 4 GB of text. Split the file into smaller parts");
        }
        total += c.arena[ti].size();
      }
      std::string& arena = arenas[col];
      std::vector<std::uint32_t>& e = ends[col];
      arena.reserve(total);
      e.reserve(rows);
      for (Chunk& c : chunks) {
        const auto base = static_cast<std::uint32_t>(arena.size());
        arena.append(c.arena[ti]);
        for (std::uint32_t v : c.ends[ti]) e.push_back(base + v);
        std::string().swap(c.arena[ti]);
        std::vector<std::uint32_t>().swap(c.ends[ti]);
      }
    }

    const std::size_t n_numeric = layout.n_numeric();
    if (n_numeric > 0) {
      auto& slots = data::TableAccess::numeric_slot(table);
      slots.assign(header_.size(), -1);
      for (std::size_t c = 0; c < header_.size(); ++c) slots[c] = layout.slot[c];
      std::vector<std::size_t> first_row(chunks.size(), 0);
      for (std::size_t k = 1; k < chunks.size(); ++k) first_row[k] = first_row[k - 1] + chunks[k - 1].rows;
      // Close the gaps between chunks (a bound is rarely met exactly: blank
      // lines, line breaks in quotes, the last line): every value moves to a
      // lower address, in address order, so nothing is overwritten unread.
      const std::size_t bound = first_slot.back();
      if (rows < bound) {
        double* data = M.data();
        for (std::size_t s = 0; s < n_numeric; ++s)
          for (std::size_t k = 0; k < chunks.size(); ++k)
            std::memmove(data + s * rows + first_row[k], data + s * bound + first_slot[k], chunks[k].rows * sizeof(double));
        // The same buffer, shorter: as one long row Eigen reallocates it in
        // place (a column-major matrix keeps its data when only columns go),
        // then takes the real shape without touching the data.
        const auto size = static_cast<Eigen::Index>(rows * n_numeric);
        M.resize(1, M.size());
        M.conservativeResize(1, size);
        M.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(n_numeric));
      }
      data::TableAccess::numeric(table) = std::move(M);
      auto& texts = data::TableAccess::missing_text(table);
      texts.assign(n_numeric, {});
      auto& hashes = data::TableAccess::text_hash(table);
      hashes.reserve(rows);
      for (std::size_t k = 0; k < chunks.size(); ++k) {
        for (MissingCell& m : chunks[k].missing) texts[m.slot].emplace(first_row[k] + m.row, std::move(m.text));
        hashes.insert(hashes.end(), chunks[k].text_hash.begin(), chunks[k].text_hash.end());
      }
    }
    return table;
  }

  // Found before any parsing, so nothing is computed (and no JSON written
  // with the bytes in it) from a file in another encoding. Names the line,
  // the field (by the header's name when the header is readable) and the fix.
  [[noreturn]] void reject_bad_utf8(std::string_view text, std::size_t at) const {
    const long line = 1 + static_cast<long>(count_line_breaks(text, 0, at));
    std::size_t line_start = at;
    while (line_start > 0 && text[line_start - 1] != '\n' && text[line_start - 1] != '\r') --line_start;
    std::size_t field = 0;
    bool quoted = false;
    for (std::size_t p = line_start; p < at; ++p) {
      if (text[p] == '"') quoted = !quoted;
      else if (text[p] == ',' && !quoted) ++field;
    }
    std::string column;
    if (line > 1) {
      // The header's names, read the plain way (it has no bad byte, or it would have been reported first).
      std::size_t begin = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
      CsvParser header(text, source_, begin);
      if (header.next_record()) {
        const auto names = header.views();
        if (field < names.size()) column = std::string(names[field]);
      }
    }
    throw InputError(fmt::format(
        "{}: byte 0x{:02X} (field {}, character {} of the line) is not valid UTF-8; the file is probably in "
        "another encoding (Latin-1 or Windows-1252, as older Excel and Windows tools export). Convert it, e.g. "
        "iconv -f latin1 -t utf-8 '{}' > converted.csv, and read that",
        where(source_, line, column), static_cast<unsigned>(static_cast<unsigned char>(text[at])), field + 1,
        at - line_start + 1, source_));
  }

  Source src_;
  const std::string& source_;
  const CsvOptions& options_;
  int threads_ = 1;
  std::size_t chunk_bytes_ = 0;
  std::vector<std::string> header_;
};

// A read-only private mapping of the file; pages we have finished with are
// dropped from our memory (they stay in the page cache).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    struct stat st {};
    if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return;
    size_ = static_cast<std::size_t>(st.st_size);
    regular_ = true;
    if (size_ == 0) return;
    void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) {
      regular_ = false;
      return;
    }
    data_ = static_cast<const char*>(p);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  bool opened() const { return fd_ >= 0; }
  bool mapped() const { return regular_; }
  std::string_view text() const { return data_ == nullptr ? std::string_view() : std::string_view(data_, size_); }

 private:
  int fd_ = -1;
  bool regular_ = false;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace

Table read_csv_text(std::string_view text, const std::string& source_name, const CsvOptions& options) {
  return Reader(Source{text, false}, source_name, options).read();
}

Table read_csv(const std::string& path, const CsvOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + ": is a directory, not a CSV file. Pass the path of a .csv file");
  note_input_file(path);
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    // `-`, a pipe, <(...), /dev/stdin: read as a stream as it arrives (a
    // FIFO nobody writes gets a message); a device that never ends is refused.
    InputLimits limits{std::numeric_limits<std::size_t>::max() / 2, "CSV file"};
    limits.refuse_empty = false;  // the reader says "empty" with what it expected
    return read_csv_text(read_input_file(path, limits), path == "-" ? std::string("standard input") : path, options);
  }
  {
    MappedFile file(path);
    if (!file.opened())
      throw InputError(path + ": cannot open the file (" + std::strerror(errno) + "). Check the path");
    if (file.mapped()) return Reader(Source{file.text(), true}, path, options).read();
  }
  // Not a regular file (a pipe, a device): read it whole.
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the file (" + std::strerror(errno) + "). Check the path");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": the file could not be read completely. Check the disk");
  return read_csv_text(text, path, options);
}

}  // namespace genrelab
