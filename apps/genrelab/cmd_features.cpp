#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "genrelab/analysis_join.h"

namespace genrelab::cli {

void add_features_command(CLI::App& app) {
  struct FeaturesArgs {
    AnalysisJoinRequest request;
    std::string missing = "error";
    bool quiet = false;
  };
  auto args = std::make_shared<FeaturesArgs>();
  auto* cmd = app.add_subcommand(
      "features", "Add harmonic and structural columns from audio analyses (Spotify's or genrelab's) to a tracks CSV");
  cmd->add_option("TRACKS", args->request.tracks, "CSV of tracks: genrelab extract's output or a Spotify CSV")
      ->required();
  cmd->add_option("--analysis-dir", args->request.analysis_dir,
                  "folder with one audio-analysis JSON per track: <filename>.json or <track_id>.json")
      ->required();
  cmd->add_option("-o,--output", args->request.output, "the joined CSV (never the input)")->required();
  cmd->add_option("--key", args->request.key_column,
                  "column naming each row's analysis (default: filename if there is one, else track_id)");
  cmd->add_option("--missing", args->missing, "a row without an analysis: error (nothing is written) or drop it")
      ->capture_default_str()
      ->check(CLI::IsMember({"error", "drop"}));
  cmd->add_flag("-q,--quiet", args->quiet, "no summary line (dropped rows are still reported)");
  cmd->footer(
      "Every input column is kept as it is; 70 columns follow (sec_degree_0..11, sec_n_keys,\n"
      "sec_key_changes_per_min, sec_other_mode_share, sec_tempo_mean/sd, sec_count, seg_pitch_mean/sd_0..11,\n"
      "seg_timbre_mean/sd_0..11, seg_loudness_max_mean/sd, seg_count, seg_per_sec; README defines each).\n"
      "A row's analysis is DIR/<filename>.json (filename may hold subfolders: DIR/gtzan/blues.00000.wav.json)\n"
      "or DIR/<track_id>.json. Missing analyses are listed and nothing is written, unless --missing drop.\n"
      "Example:  genrelab extract music --label-from parent --analysis-dir analyses -o features.csv\n"
      "          genrelab features --analysis-dir analyses features.csv -o joined.csv\n"
      "          genrelab compare joined.csv");
  cmd->callback([args] {
    args->request.missing = args->missing == "drop" ? MissingAnalysis::drop : MissingAnalysis::error;
    const AnalysisJoinSummary s = join_analysis_features(args->request);
    if (!s.dropped.empty()) {
      std::string names;
      for (std::size_t i = 0; i < std::min<std::size_t>(s.dropped.size(), 5); ++i)
        names += (i ? ", " : "") + s.dropped[i];
      if (s.dropped.size() > 5) names += fmt::format(", ... and {} more", s.dropped.size() - 5);
      std::cerr << fmt::format("features: dropped {} of {} rows whose analysis is missing (--missing drop): {}\n",
                               s.dropped.size(), s.rows_in, names);
    }
    if (!args->quiet)
      std::cerr << fmt::format("features: {} rows joined by {} ({}, {} analyses), {} columns added, in {}\n",
                               s.rows_out, s.key_column, s.pattern, s.analyses, s.columns_added,
                               args->request.output);
  });
}

}  // namespace genrelab::cli
