// The parallel, typed CSV reader: chunks cut anywhere (inside quoted fields
// that hold line breaks, next to stray quotes) give the table a single pass
// gives, for any thread count; numbers read straight into the matrix are the
// numbers parse_number reads from the text; and every message, late in the
// file or not, is word for word the one the all-text path gives.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "genrelab/cell_values.h"
#include "genrelab/dataset.h"
#include "genrelab/error.h"
#include "genrelab/table.h"

namespace genrelab {
namespace {

CsvOptions chunked(std::size_t chunk_bytes, int threads, bool typed = false) {
  CsvOptions o = typed ? dataset_csv_options({}) : CsvOptions{};
  o.chunk_bytes = chunk_bytes;
  o.threads = threads;
  return o;
}

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_same_table(const Table& a, const Table& b) {
  ASSERT_EQ(a.header(), b.header());
  ASSERT_EQ(a.n_rows(), b.n_rows());
  for (std::size_t r = 0; r < a.n_rows(); ++r) {
    ASSERT_EQ(a.line_of(r), b.line_of(r)) << "row " << r;
    for (std::size_t c = 0; c < a.n_cols(); ++c) {
      ASSERT_EQ(a.is_numeric(c), b.is_numeric(c));
      if (a.is_numeric(c)) {
        const double x = a.number(r, c), y = b.number(r, c);
        ASSERT_EQ(std::memcmp(&x, &y, sizeof x), 0) << "row " << r << " column " << c;
        ASSERT_EQ(a.missing_text(r, c), b.missing_text(r, c));
        ASSERT_EQ(a.numeric_text_hash(r), b.numeric_text_hash(r));
      } else {
        ASSERT_EQ(a.cell(r, c), b.cell(r, c)) << "row " << r << " column " << c;
      }
    }
  }
}

void expect_same_dataset(const Dataset& a, const Dataset& b) {
  ASSERT_EQ(a.X.rows(), b.X.rows());
  ASSERT_EQ(a.X.cols(), b.X.cols());
  for (Eigen::Index i = 0; i < a.X.size(); ++i) {
    const double x = a.X.data()[i], y = b.X.data()[i];
    ASSERT_TRUE(std::memcmp(&x, &y, sizeof x) == 0 || (std::isnan(x) && std::isnan(y))) << "element " << i;
  }
  EXPECT_EQ(a.y, b.y);
  EXPECT_EQ(a.classes, b.classes);
  EXPECT_EQ(a.feature_names, b.feature_names);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.groups, b.groups);
  EXPECT_EQ(a.findings.label_column, b.findings.label_column);
  EXPECT_EQ(a.findings.excluded_columns, b.findings.excluded_columns);
  EXPECT_EQ(a.findings.duplicate_rows, b.findings.duplicate_rows);
  EXPECT_EQ(a.findings.identical_records, b.findings.identical_records);
  EXPECT_EQ(a.findings.repeated_ids, b.findings.repeated_ids);
  EXPECT_EQ(a.findings.rows_dropped, b.findings.rows_dropped);
  EXPECT_EQ(a.findings.cells_imputed, b.findings.cells_imputed);
  EXPECT_EQ(a.findings.notes, b.findings.notes);
}

// A file with everything that makes cutting it hard: quoted fields holding
// commas, doubled quotes and line breaks (LF and CRLF), blank lines, a stray
// quote inside an unquoted field (which flips a naive quote parity), and
// missing markers in numeric columns.
std::string awkward_file(int rows) {
  std::string text = "track_id,name,energy,tempo,genre\n";
  for (int i = 0; i < rows; ++i) {
    const std::string id = "t" + std::to_string(i % 97);
    std::string name;
    switch (i % 7) {
      case 0: name = "\"line one\nline two, still " + std::to_string(i) + "\""; break;
      case 1: name = "\"She said \"\"hi\"\"\r\nthen left\""; break;
      case 2: name = "5'11\" tall"; break;  // a quote that opens nothing
      case 3: name = "\"\""; break;
      default: name = "plain " + std::to_string(i); break;
    }
    const std::string energy = i % 31 == 5 ? "NaN" : i % 29 == 3 ? "" : std::to_string((i % 100) / 100.0);
    const std::string tempo = i % 13 == 0 ? " 1.5e2 " : std::to_string(60 + i % 120) + ".25";
    text += id + "," + name + "," + energy + "," + tempo + "," + (i % 3 == 0 ? "rock" : "jazz") + "\n";
    if (i % 50 == 49) text += "\n";
  }
  return text;
}

TEST(CsvParallel, ChunksCutInsideQuotedLineBreaksGiveTheSerialTable) {
  const std::string text = awkward_file(600);
  const Table serial = read_csv_text(text, "a.csv", chunked(1 << 30, 1));
  ASSERT_EQ(serial.n_rows(), 600u);
  EXPECT_EQ(serial.cell(0, 1), "line one\nline two, still 0");
  EXPECT_EQ(serial.cell(1, 1), "She said \"hi\"\r\nthen left");
  EXPECT_EQ(serial.cell(2, 1), "5'11\" tall");
  // Every chunk size from a few bytes up moves the cuts through every kind of field.
  for (std::size_t bytes : {7u, 16u, 61u, 128u, 1000u, 4096u})
    for (int threads : {1, 2, 4}) {
      SCOPED_TRACE("chunk " + std::to_string(bytes) + " bytes, " + std::to_string(threads) + " threads");
      expect_same_table(serial, read_csv_text(text, "a.csv", chunked(bytes, threads)));
    }
}

TEST(CsvParallel, TypedTableIsTheSameForAnyThreadCountAndMatchesTheText) {
  const std::string text = awkward_file(600);
  const Table text_table = read_csv_text(text, "a.csv");
  const Table one = read_csv_text(text, "a.csv", chunked(1 << 30, 1, true));
  ASSERT_TRUE(one.is_numeric(2));  // energy
  ASSERT_TRUE(one.is_numeric(3));  // tempo
  EXPECT_FALSE(one.is_numeric(0));  // track_id: identifiers stay text
  EXPECT_FALSE(one.is_numeric(4));  // the label
  for (std::size_t r = 0; r < one.n_rows(); ++r)
    for (std::size_t c : {2u, 3u}) {
      const std::string_view cell = text_table.cell(r, c);
      const auto expected = data::parse_number(cell);
      if (expected) {
        EXPECT_EQ(one.number(r, c), *expected) << "row " << r;
      } else {
        EXPECT_TRUE(std::isnan(one.number(r, c)));
        EXPECT_EQ(one.missing_text(r, c), cell);
      }
    }
  for (std::size_t bytes : {9u, 100u, 3000u})
    for (int threads : {2, 3}) expect_same_table(one, read_csv_text(text, "a.csv", chunked(bytes, threads, true)));
}

TEST(CsvParallel, TypedDatasetEqualsTheTextDataset) {
  const std::string text = awkward_file(600);
  DatasetOptions options;
  options.on_missing = MissingPolicy::ImputeMedian;
  options.group_by = "track_id";
  const Dataset expected = build_dataset(read_csv_text(text, "a.csv"), options);
  CsvOptions csv = dataset_csv_options(options);
  csv.chunk_bytes = 50;
  const Table typed = read_csv_text(text, "a.csv", csv);
  expect_same_dataset(expected, build_dataset(typed, options));
  // The rvalue form hands the numeric matrix over instead of copying it.
  expect_same_dataset(expected, build_dataset(read_csv_text(text, "a.csv", csv), options));
  EXPECT_GT(expected.findings.cells_imputed, 0u);
}

TEST(CsvParallel, HandedOverMatrixKeepsFindings) {
  // Only numeric features, every row kept: the table's matrix becomes X.
  std::string text = "a,b,genre\n";
  for (int i = 0; i < 300; ++i)
    text += std::to_string(i % 10) + (i % 20 < 10 ? ".0" : "") + "," + std::to_string(i % 7) + "," +
            (i % 2 ? "x" : "y") + "\n";
  const Dataset expected = build_dataset(read_csv_text(text, "h.csv"), {});
  CsvOptions csv = dataset_csv_options({});
  csv.chunk_bytes = 64;
  const Dataset taken = build_dataset(read_csv_text(text, "h.csv", csv), {});
  expect_same_dataset(expected, taken);
  // "1.0" and "1" are the same number but not the same text: identical
  // records still compare text, duplicate rows compare values.
  EXPECT_GT(expected.findings.duplicate_rows, expected.findings.identical_records);
}

TEST(CsvParallel, BadNumberLateInTheFileNamesItsLine) {
  std::string text = "energy,tempo,genre\n";
  for (int i = 0; i < 3000; ++i)
    text += (i == 2500 ? std::string("0,7") : std::to_string(i % 10) + ".5") + "," + std::to_string(100 + i) + ",rock\n";
  // Quoted so the row keeps its three fields: a decimal comma.
  text.replace(text.find("0,7"), 3, "\"0,7\"");
  const std::string serial = message_of([&] { build_dataset(read_csv_text(text, "late.csv"), {}); });
  EXPECT_NE(serial.find("late.csv, line 2502, column 'energy'"), std::string::npos) << serial;
  EXPECT_NE(serial.find("decimal comma"), std::string::npos) << serial;
  for (int threads : {1, 2, 4}) {
    CsvOptions csv = dataset_csv_options({});
    csv.chunk_bytes = 256;
    csv.threads = threads;
    EXPECT_EQ(message_of([&] { build_dataset(read_csv_text(text, "late.csv", csv), {}); }), serial);
  }
}

TEST(CsvParallel, StructuralErrorsLateInTheFileAreTheSerialOnes) {
  std::string good;
  for (int i = 0; i < 2000; ++i) good += std::to_string(i) + ".5,2,rock\n";
  const std::string head = "energy,tempo,genre\n";
  const std::vector<std::string> broken = {
      head + good + "1,2\n" + good,                   // ragged, late
      head + good + "1,2,rock,\n" + good,             // extra comma
      head + good + "1,\"open,rock\n" + good,         // quote never closed
      head + good + "1,\"x,2\n3\",rock,5\n" + good,   // quote swallowing a line
      head + good + std::string("1,2,r\0ck\n", 9),    // NUL byte
  };
  for (const std::string& text : broken) {
    const std::string serial = message_of([&] { read_csv_text(text, "s.csv", chunked(1 << 30, 1)); });
    ASSERT_NE(serial, "(no error)");
    EXPECT_NE(serial.find("line 2002"), std::string::npos) << serial;
    for (std::size_t bytes : {100u, 777u})
      for (int threads : {2, 4}) {
        EXPECT_EQ(message_of([&] { read_csv_text(text, "s.csv", chunked(bytes, threads)); }), serial);
        EXPECT_EQ(message_of([&] { read_csv_text(text, "s.csv", chunked(bytes, threads, true)); }), serial);
      }
  }
}

TEST(CsvParallel, MissingCellMessagesQuoteTheCell) {
  std::string text = "energy,genre\n";
  for (int i = 0; i < 500; ++i) text += (i == 321 ? std::string(" n/a") : std::to_string(i)) + ",rock\n";
  const std::string serial = message_of([&] { build_dataset(read_csv_text(text, "m.csv"), {}); });
  EXPECT_NE(serial.find("line 323, column 'energy': the value is missing (' n/a')"), std::string::npos) << serial;
  CsvOptions csv = dataset_csv_options({});
  csv.chunk_bytes = 128;
  EXPECT_EQ(message_of([&] { build_dataset(read_csv_text(text, "m.csv", csv), {}); }), serial);
}

TEST(CsvParallel, TextInNumericLookingColumnsIsHandledAsBefore) {
  // "FALSE" among numbers: the column is read as text (and is an error in a
  // known numeric column); mostly TRUE/FALSE: a boolean feature; a note
  // name in key: a category. The typed reader must not change any of it.
  std::string text = "energy,flag,key,loudness,genre\n";
  for (int i = 0; i < 400; ++i)
    text += std::to_string(i % 9) + "," + (i % 5 ? "TRUE" : "FALSE") + "," + (i % 2 ? "C#" : "3") + "," +
            (i == 390 ? std::string("FALSE") : "-" + std::to_string(i % 11)) + "," + (i % 2 ? "a" : "b") + "\n";
  CsvOptions csv = dataset_csv_options({});
  csv.chunk_bytes = 200;
  const Table typed = read_csv_text(text, "f.csv", csv);
  EXPECT_TRUE(typed.is_numeric(0));
  EXPECT_FALSE(typed.is_numeric(1));
  EXPECT_FALSE(typed.is_numeric(2));
  EXPECT_FALSE(typed.is_numeric(3));  // the FALSE far down makes loudness text
  const std::string serial = message_of([&] { build_dataset(read_csv_text(text, "f.csv"), {}); });
  EXPECT_NE(serial.find("line 392, column 'loudness': 'FALSE' is not a number"), std::string::npos) << serial;
  EXPECT_EQ(message_of([&] { build_dataset(read_csv_text(text, "f.csv", csv), {}); }), serial);
  DatasetOptions drop;
  drop.drop = {"loudness"};
  CsvOptions csv_drop = dataset_csv_options(drop);
  csv_drop.chunk_bytes = 200;
  expect_same_dataset(build_dataset(read_csv_text(text, "f.csv"), drop),
                      build_dataset(read_csv_text(text, "f.csv", csv_drop), drop));
}

// The reference: what parse_number did with std::from_chars.
std::optional<double> reference_number(std::string_view cell) {
  cell = data::trim(cell);
  if (!cell.empty() && cell.front() == '+') cell.remove_prefix(1);
  if (cell.empty()) return std::nullopt;
  const char first = cell.front() == '-' && cell.size() > 1 ? cell[1] : cell.front();
  if (!((first >= '0' && first <= '9') || first == '.')) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

TEST(CsvParallel, FastFloatAgreesWithFromCharsAndStrtod) {
  const std::vector<std::string> cells = {
      "1e-6", "1.01e-06", "-0", "0", "0.0", "-0.0", "1.7976931348623157e308", "1.7976931348623158e308",
      "1.7976931348623159e308", "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "5e-324",
      "2.4e-324", "2.5e-324", "1e-400", "0e-400", "0.000e999", "1e400", "-1e400", "123456789012345678901234567890",
      "0.1", "0.30000000000000004", "9007199254740993", "5.", ".5", "-.5", "+3", " 4 ", "\t-2.5\t", "1e", "1e+",
      "0x1p3", "1d3", "1_000", "1,5", "nan", "NaN", "inf", "-inf", "Infinity", "FALSE", "True", "-", ".", "+",
      "", "e5", "--1", "1..2", "1e5.5", "00012", "-00.0100", "8.357999999999999", "-8.357999999999999"};
  for (const std::string& cell : cells) {
    SCOPED_TRACE("'" + cell + "'");
    const auto got = data::parse_number(cell);
    const auto want = reference_number(cell);
    ASSERT_EQ(got.has_value(), want.has_value());
    if (!got) continue;
    EXPECT_EQ(std::memcmp(&*got, &*want, sizeof(double)), 0);
    const std::string trimmed(data::trim(cell));
    EXPECT_EQ(*got, std::strtod(trimmed.c_str(), nullptr));
    EXPECT_EQ(std::signbit(*got), std::signbit(std::strtod(trimmed.c_str(), nullptr)));
  }
  // Through the typed reader, where numbers are read in place: the same values,
  // and the cells parse_number refuses are missing or make the column text.
  std::string text = "x,genre\n";
  std::vector<std::string> numeric;
  for (const std::string& cell : cells)
    if (reference_number(cell) || data::is_missing(cell)) numeric.push_back(cell);
  for (const std::string& cell : numeric) text += (cell.find(',') != std::string::npos ? "\"" + cell + "\"" : cell) + ",g\n";
  const Table typed = read_csv_text(text, "n.csv", dataset_csv_options({}));
  ASSERT_TRUE(typed.is_numeric(0));
  for (std::size_t r = 0; r < numeric.size(); ++r) {
    SCOPED_TRACE("'" + numeric[r] + "'");
    const auto want = reference_number(numeric[r]);
    const double got = typed.number(r, 0);
    if (want) EXPECT_EQ(std::memcmp(&got, &*want, sizeof got), 0);
    else EXPECT_TRUE(std::isnan(got));
  }
  const Table text_column = read_csv_text(text + "1e-400,g\n", "n.csv", dataset_csv_options({}));
  EXPECT_FALSE(text_column.is_numeric(0));  // an underflow is not a number, as before
}

}  // namespace
}  // namespace genrelab
