// `genrelab features`: a tracks CSV joined with one audio-analysis JSON per
// row. See include/genrelab/analysis_join.h.
#include "genrelab/analysis_join.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <optional>
#include <system_error>

#include "genrelab/analysis_features.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/parallel_tasks.h"
#include "genrelab/progress.h"
#include "genrelab/table.h"
#include "study/extract_internal.h"

namespace genrelab {

namespace {

namespace fs = std::filesystem;
using extract_detail::csv_cell;

// How many missing files an error names before it only counts them.
constexpr std::size_t kListed = 10;
// Below this many analyses the reading takes well under a second: no progress.
constexpr std::size_t kProgressFrom = 500;

std::string choose_key_column(const Table& t, const std::string& requested) {
  if (!requested.empty()) {
    if (!t.find_column(requested))
      throw UsageError(fmt::format("{}: no column '{}' (--key): give the column whose cells name the analyses",
                                   t.source(), requested));
    return requested;
  }
  for (const char* name : {"filename", "track_id"})
    if (t.find_column(name)) return name;
  throw InputError(fmt::format("{}: no 'filename' column (genrelab extract's output) and no 'track_id' column "
                               "(Spotify CSVs) to find each row's analysis by; name the column with --key COLUMN",
                               t.source()));
}

// The analysis of one row: DIR/<cell>.json. A cell that would reach outside
// DIR (absolute, or with a '..' step) is refused rather than followed.
fs::path analysis_path(const Table& t, std::size_t row, std::size_t key_col, const fs::path& dir) {
  const std::string key(t.cell(row, key_col));
  const std::string& column = t.column_name(key_col);
  if (key.empty())
    throw InputError(fmt::format("{}: empty '{}': every row needs one to find its analysis ({}/<{}>.json)",
                                 where(t.source(), t.line_of(row), column), column, dir.string(), column));
  const fs::path relative(key);
  bool climbs = relative.is_absolute();
  for (const auto& step : relative) climbs = climbs || step == "..";
  if (climbs)
    throw InputError(fmt::format("{}: '{}' leads outside the analysis directory; the '{}' column holds paths "
                                 "relative to it (as genrelab extract writes them) or track ids",
                                 where(t.source(), t.line_of(row), column), key, column));
  return dir / (key + ".json");
}

std::string number_cell(double v) {
  if (v == 0) return "0";  // never "-0"
  return fmt::format("{}", v);
}

}  // namespace

AnalysisJoinSummary join_analysis_features(const AnalysisJoinRequest& req) {
  if (req.output.empty() || req.output == "-")
    throw UsageError("features needs an output file (-o joined.csv)");
  if (req.analysis_dir.empty())
    throw UsageError("features needs --analysis-dir DIR (the folder holding one analysis JSON per track)");
  std::error_code ec;
  if (fs::equivalent(req.tracks, req.output, ec))
    throw UsageError(fmt::format("{} is the input and the output: features never replaces an input; choose another "
                                 "-o",
                                 req.tracks));
  if (!fs::is_directory(req.analysis_dir))
    throw InputError(fmt::format("{}: {} (--analysis-dir wants the folder of analysis JSON files, e.g. what "
                                 "genrelab extract --analysis-dir wrote)",
                                 req.analysis_dir, fs::exists(req.analysis_dir) ? "not a directory" : "no such directory"));

  const Table t = read_csv(req.tracks);
  const auto& columns = analysis_feature_columns();
  for (const auto& c : columns)
    if (t.find_column(c))
      throw InputError(fmt::format("{}: already has a column '{}' (joined before?): features appends its columns to "
                                   "a CSV without them; give it the CSV from before the join",
                                   t.source(), c));

  AnalysisJoinSummary summary;
  summary.key_column = choose_key_column(t, req.key_column);
  summary.rows_in = t.n_rows();
  summary.columns_added = columns.size();
  const std::size_t key_col = *t.find_column(summary.key_column);
  const fs::path dir(req.analysis_dir);

  // Every row's file first, so one message lists every missing analysis
  // before any is parsed. Rows naming the same analysis (a track in two
  // playlists) share one parse.
  std::map<std::string, std::size_t> index;  // path -> analysis number
  std::vector<std::string> paths;
  std::vector<std::optional<std::size_t>> row_analysis(t.n_rows());
  std::vector<std::size_t> missing_rows;
  const bool output_exists = fs::exists(req.output);
  for (std::size_t r = 0; r < t.n_rows(); ++r) {
    const std::string path = analysis_path(t, r, key_col, dir).string();
    auto it = index.find(path);
    if (it == index.end()) {
      if (!fs::is_regular_file(path)) {
        missing_rows.push_back(r);
        continue;
      }
      if (output_exists && fs::equivalent(path, req.output, ec))
        throw UsageError(fmt::format("{} is an analysis and the output: features never replaces an input; choose "
                                     "another -o",
                                     path));
      it = index.emplace(path, paths.size()).first;
      paths.push_back(path);
    }
    row_analysis[r] = it->second;
  }

  std::string shown_dir = dir.string();  // "analyses/" is shown as "analyses"
  while (shown_dir.size() > 1 && shown_dir.back() == '/') shown_dir.pop_back();
  summary.pattern = fmt::format("{}/<{}>.json", shown_dir, summary.key_column);
  const std::string how = fmt::format("joined by {}: {}", summary.key_column, summary.pattern);
  if (!missing_rows.empty() && req.missing == MissingAnalysis::error) {
    std::string list;
    for (std::size_t i = 0; i < std::min(kListed, missing_rows.size()); ++i) {
      const std::size_t r = missing_rows[i];
      list += fmt::format("\n  {} (line {})", analysis_path(t, r, key_col, dir).string(), t.line_of(r));
    }
    if (missing_rows.size() > kListed) list += fmt::format("\n  ... and {} more", missing_rows.size() - kListed);
    throw InputError(fmt::format("{}: no analysis for {} of {} rows ({}):{}\nNothing was written. Point "
                                 "--analysis-dir at the folder holding them, or leave those rows out with "
                                 "--missing drop",
                                 t.source(), missing_rows.size(), t.n_rows(), how, list));
  }
  if (t.n_rows() > 0 && missing_rows.size() == t.n_rows())
    throw InputError(fmt::format("{}: no row has an analysis ({}; e.g. {} is not there): is --analysis-dir the "
                                 "right folder? Nothing was written",
                                 t.source(), how, analysis_path(t, missing_rows[0], key_col, dir).string()));
  for (std::size_t r : missing_rows) summary.dropped.push_back(analysis_path(t, r, key_col, dir).string());

  // Parse in parallel; the error reported is the first file in row order, so
  // the message does not depend on the thread count.
  std::vector<std::string> cells(paths.size());
  std::vector<std::string> errors(paths.size());
  double bytes = 0.0;
  std::vector<double> sizes(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto size = fs::file_size(paths[i], ec);  // for the ETA only
    bytes += (sizes[i] = ec ? 0.0 : static_cast<double>(size));
  }
  {
    Progress progress(stderr, paths.size() >= kProgressFrom ? ProgressStyle::automatic : ProgressStyle::off,
                      "features", paths.size(), bytes);
    run_tasks(paths.size(), true, [&](std::size_t i) {
      try {
        std::string text;
        for (double v : analysis_features(read_analysis_file(paths[i]))) text.append(",").append(number_cell(v));
        cells[i] = std::move(text);
      } catch (const InputError& e) {
        errors[i] = e.what();
      }
      progress.add(sizes[i], 0.0);
    });
    progress.finish();
  }
  for (const auto& e : errors)
    if (!e.empty()) throw InputError(e);
  summary.analyses = paths.size();

  std::string out;
  for (std::size_t c = 0; c < t.n_cols(); ++c) out.append(c ? "," : "").append(csv_cell(t.column_name(c)));
  for (const auto& c : columns) out.append(",").append(c);
  out += "\n";
  for (std::size_t r = 0; r < t.n_rows(); ++r) {
    if (!row_analysis[r]) continue;
    for (std::size_t c = 0; c < t.n_cols(); ++c) out.append(c ? "," : "").append(csv_cell(t.cell(r, c)));
    out += cells[*row_analysis[r]];
    out += "\n";
    ++summary.rows_out;
  }
  write_file_atomic(req.output, out);
  return summary;
}

}  // namespace genrelab
