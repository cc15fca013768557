#include <iostream>

#include "commands.h"
#include "genrelab/study.h"
#include "protocol_args.h"

namespace genrelab::cli {

void add_demo_command(CLI::App& app) {
  auto opts = std::make_shared<DemoOptions>();
  auto* cmd = app.add_subcommand("demo", "The seed study on the bundled data: every model compared on 14 and on 6 genres");
  cmd->add_option("-o,--output", opts->output_dir, "directory for the results: JSON, profile, and the HTML report index.html")->capture_default_str();
  add_seed_option(*cmd, opts->seed, "seed for splits, folds and models");
  cmd->footer("Example:  genrelab demo -o genrelab-report");
  cmd->callback([opts] { run_demo(*opts, std::cout, std::cerr); });
}

}  // namespace genrelab::cli
