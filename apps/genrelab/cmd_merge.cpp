#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "genrelab/extract.h"

namespace genrelab::cli {

void add_merge_command(CLI::App& app) {
  struct MergeArgs {
    std::vector<std::string> inputs;
    std::string output;
    bool quiet = false;
  };
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "Join the CSVs of extract shards into one, sorted by filename");
  cmd->add_option("CSV", args->inputs, "outputs of genrelab extract --shard K/N (the same columns in each)")->required();
  cmd->add_option("-o,--output", args->output, "the joined CSV (never one of the inputs)")->required();
  cmd->add_flag("-q,--quiet", args->quiet, "no summary line");
  cmd->footer(
      "Refuses inputs whose columns differ (naming the file and column) and a filename present twice\n"
      "(naming both files). N shards merged are byte for byte what one run over the whole library writes.\n"
      "Example:  genrelab merge part-1.csv part-2.csv part-3.csv -o features.csv\n"
      "          genrelab merge part-*.segments.csv -o features.segments.csv");
  cmd->callback([args] {
    const MergeSummary s = merge_feature_files(args->inputs, args->output);
    if (!args->quiet) std::cerr << fmt::format("merge: {} rows from {} files in {}\n", s.rows, s.files, args->output);
  });
}

}  // namespace genrelab::cli
