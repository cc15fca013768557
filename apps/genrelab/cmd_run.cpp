#include <iostream>

#include "commands.h"
#include "genrelab/experiment.h"

namespace genrelab::cli {

namespace {
struct RunArgs {
  std::string file;
  std::string output_dir;
  bool no_report = false;
  bool check = false;
  bool yes = false;
};
}  // namespace

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a whole study described by an experiment file (TOML)");
  cmd->add_option("EXPERIMENT", args->file, "experiment file, e.g. examples/seed-study.toml")->required();
  cmd->add_option("-o,--output", args->output_dir, "results directory (overrides [output] directory)");
  cmd->add_flag("--no-report", args->no_report, "skip the HTML report");
  cmd->add_flag("--check", args->check, "only read and check the experiment file");
  cmd->add_flag("--yes", args->yes, "start tuning searches even above 10000 fits (candidates x folds)");
  cmd->footer(
      "The file names the data, genre subsets, models with parameters or grids, cv, test_size, seed,\n"
      "tuning, the profile, and where results go; see examples/seed-study.toml (which is `genrelab demo`).\n"
      "A relative data path is relative to the experiment file; the output directory to where you run.\n"
      "Example:  genrelab run examples/seed-study.toml -o seed-results");
  cmd->callback([args] {
    Experiment x = load_experiment(args->file);
    if (!args->output_dir.empty()) x.output_dir = args->output_dir;
    if (args->no_report) x.report = false;
    x.confirmed = args->yes;
    check_experiment(x);
    if (args->check) {
      std::cout << args->file << ": OK\n";
      return;
    }
    run_experiment(x, std::cout, std::cerr);
  });
}

}  // namespace genrelab::cli
