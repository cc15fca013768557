#include <iostream>

#include "commands.h"
#include "genrelab/atomic_file.h"
#include "genrelab/profiling.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct DiffArgs {
  DataArgs data;
  std::string a, b;
  int top = 20;
  std::string json_path;
};
}  // namespace

void add_diff_command(CLI::App& app) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand("diff", "Which features differ between two groups of genres, and by how much");
  add_data_options(*cmd, args->data);
  cmd->add_option("--a", args->a, "genre(s) of group A, comma-separated")->required();
  cmd->add_option("--b", args->b, "genre(s) of group B, comma-separated")->required();
  cmd->add_option("--top", args->top, "rows to print (0: all); the JSON always has every feature")->capture_default_str();
  cmd->add_option("-o,--json", args->json_path, "also write the full table as JSON");
  cmd->footer(
      "Per feature: medians and means, Mann-Whitney U and two-sample KS tests with Benjamini-Hochberg\n"
      "adjusted p-values, and Cliff's delta (|d| 0.147 / 0.33 / 0.474: small / medium / large).\n"
      "Example:  genrelab diff seed --a french --b spanish\n"
      "          genrelab diff seed --a 'hip hop,chill hop' --b 'detroit_techo' -o diff.json");
  cmd->callback([args] {
    const Dataset data = load_dataset(args->data.path, args->data.options());
    std::cerr << dataset_text(data);
    const GroupDiff d = diff_groups(data, split_list(args->a), split_list(args->b));
    std::cout << diff_text(d, static_cast<std::size_t>(std::max(args->top, 0)));
    if (!args->json_path.empty()) write_file_atomic(args->json_path, diff_json(d).dump(2) + "\n");
  });
}

}  // namespace genrelab::cli
