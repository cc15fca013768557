// Every subcommand registers itself on the CLI11 app; each lives in its own
// file and only parses arguments, calls src/study and prints.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/parameters.h"

namespace genrelab::cli {

void add_demo_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_models_command(CLI::App& app);
void add_tune_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_profile_command(CLI::App& app), add_select_command(CLI::App& app), add_diff_command(CLI::App& app);

// Options shared by every command that reads a data set.
struct DataArgs {
  std::string path;
  std::string label;
  std::string features, drop, genres;
  std::string on_missing = "error";
  std::string group_by;
  bool fold_label_case = false;
  DatasetOptions options() const;
};
void add_data_options(CLI::App& command, DataArgs& args);
void add_train_command(CLI::App& app), add_predict_command(CLI::App& app), add_explain_command(CLI::App& app);
void add_inspect_command(CLI::App& app);  // the model card of a .glab file
void add_extract_command(CLI::App& app), add_merge_command(CLI::App& app);
void add_features_command(CLI::App& app);  // analysis JSON -> harmonic/structural columns
void add_fetch_command(CLI::App& app);     // Spotify Web API -> tracks CSV
void add_load_command(CLI::App& app);      // hidden: read and validate only, for bench/csv_read.py

// Thrown by a command that has printed everything itself and only needs the
// process to end with `code` (extract stopped by SIGINT: 130).
struct ExitStatus {
  int code;
};

// "k=v" strings from repeated --param into a map; UsageError for malformed ones.
ParamMap parse_params(const std::vector<std::string>& items);
std::vector<std::string> split_list(const std::string& text);
// --param's help where a model is fitted once per genre pair (profile,
// select): it names the registry's pairwise_params, the defaults there.
std::string pairwise_param_help();

}  // namespace genrelab::cli
