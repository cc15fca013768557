#include <iostream>

#include "commands.h"
#include "genrelab/report.h"

namespace genrelab::cli {

namespace {
struct ReportArgs {
  std::string results_dir;
  std::string output = "report.html";
  std::string overlay_genres;
  ReportOptions options;
};
}  // namespace

void add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "Write one self-contained HTML report (charts and tables) from a results directory");
  cmd->add_option("RESULTS_DIR", args->results_dir, "directory written by `genrelab run` or `genrelab demo`")->required();
  cmd->add_option("-o,--output", args->output, "the HTML file to write")->capture_default_str();
  cmd->add_option("--title", args->options.title, "report title (default: the study's)");
  cmd->add_option("--overlay-feature", args->options.overlay_feature,
                  "feature whose distributions are overlaid (default: the experiment's, else energy)");
  cmd->add_option("--overlay-genres", args->overlay_genres,
                  "comma-separated genres to overlay (default: the experiment's, else the three most confused)");
  cmd->footer(
      "RESULTS_DIR holds summary.json, results/ID_comparison.json per genre subset and, when profiled,\n"
      "profile/profile.json and profile/separability.json. The HTML needs no network: the chart\n"
      "libraries (vega, vega-lite, vega-embed) are inside it.\n"
      "Example:  genrelab demo -o seed-results && genrelab report seed-results -o seed-report.html\n"
      "          genrelab report seed-results -o r.html --overlay-feature danceability --overlay-genres 'disco,ska'");
  cmd->callback([args] {
    args->options.overlay_genres = split_list(args->overlay_genres);
    write_report(args->results_dir, args->output, args->options);
    std::cout << "Report written to " << args->output << "\n";
  });
}

}  // namespace genrelab::cli
