// `genrelab merge`: shard outputs of `extract` joined into one CSV, rows
// sorted by filename as one run writes them, so N shards merged equal one run
// byte for byte.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <map>

#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/table.h"
#include "study/extract_internal.h"

namespace genrelab {

namespace {

// A shard can be empty (more shards than files): its CSV is a header alone,
// which read_csv refuses; its header is read by repeating it as a row.
Table read_shard(const std::string& path, bool& header_only) {
  note_input_file(path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const auto eol = text.find('\n');
  header_only = in && eol != std::string::npos && text.find_first_not_of("\r\n", eol) == std::string::npos;
  if (!header_only) return read_csv(path);
  const std::string header = text.substr(0, eol);
  return read_csv_text(header + "\n" + header + "\n", path);
}

}  // namespace

MergeSummary merge_feature_files(const std::vector<std::string>& inputs, const std::string& output) {
  namespace fs = std::filesystem;
  if (inputs.empty()) throw UsageError("merge: give the CSV files to join (e.g. genrelab merge shard-*.csv -o all.csv)");
  if (output.empty() || output == "-") throw UsageError("merge needs an output file (-o all.csv)");
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::equivalent(input, output, ec))
      throw UsageError(fmt::format("{} is an input and the output: merge never replaces an input; choose another -o",
                                   input));
  }
  struct Row {
    std::string filename;
    std::size_t input;
    long line;
    std::string text;
  };
  std::vector<Row> rows;
  std::vector<std::string> header;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    bool header_only = false;
    const Table t = read_shard(inputs[k], header_only);
    if (k == 0) {
      header = t.header();
      if (header.empty() || header[0] != "filename")
        throw InputError(fmt::format("{}: the first column is '{}', not 'filename': merge joins the CSVs genrelab "
                                     "extract writes",
                                     inputs[k], header.empty() ? "" : header[0]));
    } else if (t.header() != header) {
      const auto& h = t.header();
      const std::size_t n = std::min(h.size(), header.size());
      std::size_t c = 0;
      while (c < n && h[c] == header[c]) ++c;
      if (c < n)
        throw InputError(fmt::format("{}: column {} is '{}' where {} has '{}'; shards must be extracted with the same "
                                     "settings (and all with labels or all without)",
                                     inputs[k], c + 1, h[c], inputs[0], header[c]));
      if (h.size() < header.size())
        throw InputError(fmt::format("{}: has no column '{}' ({}'s column {}); shards must be extracted with the same "
                                     "settings (and all with labels or all without)",
                                     inputs[k], header[c], inputs[0], c + 1));
      throw InputError(fmt::format("{}: has an extra column '{}' (column {}) that {} lacks; shards must be extracted "
                                   "with the same settings (and all with labels or all without)",
                                   inputs[k], h[c], c + 1, inputs[0]));
    }
    for (std::size_t r = 0; r < (header_only ? 0 : t.n_rows()); ++r) {
      std::string text;
      for (std::size_t c = 0; c < t.n_cols(); ++c) {
        if (c) text += ',';
        text += extract_detail::csv_cell(t.cell(r, c));
      }
      rows.push_back({std::string(t.cell(r, 0)), k, t.line_of(r), text + "\n"});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.filename < b.filename; });
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].filename != rows[i - 1].filename) continue;
    const Row& a = rows[i - 1];
    const Row& b = rows[i];
    if (a.input == b.input)
      throw InputError(fmt::format("{}: '{}' is there twice (lines {} and {})", inputs[a.input], a.filename, a.line,
                                   b.line));
    throw InputError(fmt::format("'{}' is in both {} (line {}) and {} (line {}): the shards overlap (the same shard "
                                 "given twice, or shards of different --shard N?)",
                                 a.filename, inputs[a.input], a.line, inputs[b.input], b.line));
  }
  std::string text;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) text += ',';
    text += extract_detail::csv_cell(header[c]);
  }
  text += "\n";
  for (const Row& r : rows) text += r.text;
  write_file_atomic(output, text);
  return {inputs.size(), rows.size()};
}

}  // namespace genrelab
