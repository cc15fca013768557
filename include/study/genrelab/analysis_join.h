// `genrelab features`: a tracks CSV joined with one audio-analysis JSON per
// row (DIR/<filename>.json or DIR/<track_id>.json), each row getting the
// harmonic/structural columns of analysis_features.h after its own.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace genrelab {

enum class MissingAnalysis { error, drop };

struct AnalysisJoinRequest {
  std::string tracks;        // CSV (read_csv)
  std::string analysis_dir;  // holds <key>.json per row
  std::string output;        // joined CSV, written atomically; never an input
  // Column whose cell names the analysis: "" = `filename` when the CSV has
  // one (genrelab extract's output), else `track_id` (Spotify CSVs).
  std::string key_column;
  MissingAnalysis missing = MissingAnalysis::error;
};

struct AnalysisJoinSummary {
  std::string key_column;                  // the column used
  std::string pattern;                     // where a row's analysis is: "DIR/<filename>.json"
  std::size_t rows_in = 0, rows_out = 0;
  std::size_t analyses = 0;                // distinct analysis files read
  std::size_t columns_added = 0;
  std::vector<std::string> dropped;        // --missing drop: analysis paths not found, one per dropped row
};

// Reads the CSV, joins, writes the output: the input's header and cells as
// they were (re-quoted per RFC 4180 where a cell needs it), then the new
// columns. Throws UsageError for bad arguments (no key column, output = an
// input), InputError for bad data: a missing analysis (listing the first few
// and the count; nothing is written) unless MissingAnalysis::drop, a
// malformed analysis (file and JSON path), an empty or unsafe key cell (line),
// a CSV that already has the new columns.
AnalysisJoinSummary join_analysis_features(const AnalysisJoinRequest& request);

}  // namespace genrelab
