#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/atomic_file.h"
#include "genrelab/profiling.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct SelectArgs {
  DataArgs data;
  SelectRequest request;
  std::vector<std::string> params;
  std::string compare;
  bool no_stratify = false;
  std::string json_path;
};
}  // namespace

void add_select_command(CLI::App& app) {
  auto args = std::make_shared<SelectArgs>();
  auto* cmd = app.add_subcommand("select", "Find the K most mutually distinct genres (best weakest pair)");
  add_data_options(*cmd, args->data);
  cmd->add_option("--k", args->request.k, "how many genres to choose")->required()->check(CLI::Range(2, 100000));
  cmd->add_option("--model", args->request.separability.model, "model for pairwise separability and the multi-class check")
      ->capture_default_str();
  cmd->add_option("--param", args->params, pairwise_param_help());
  add_cv_option(*cmd, args->request.separability.protocol.cv, protocol::None::Refused);
  add_seed_option(*cmd, args->request.separability.protocol.seed, "seed for folds and the model");
  add_no_stratify_flag(*cmd, args->no_stratify, "plain shuffled folds instead of stratified ones");
  cmd->add_option("--compare", args->compare, "comma-separated genre set to compare the choice with");
  cmd->add_option("-o,--json", args->json_path, "also write the selection and the separability matrix as JSON");
  cmd->footer(
      "Separability of a pair = its cross-validated balanced accuracy with a binary classifier on just\n"
      "that pair; the chosen set maximises its weakest pair (ties: larger mean), exactly when feasible.\n"
      "Example:  genrelab select seed --k 6 --compare '50s Hits,classical,electronic,industrial pop,rockabilly,spanish'");
  cmd->callback([args] {
    args->request.separability.params = parse_params(args->params);
    args->request.separability.protocol.stratify = !args->no_stratify;
    args->request.separability.per_feature = !args->json_path.empty();  // only the JSON shows them
    args->request.compare = split_list(args->compare);
    const Dataset data = load_dataset(args->data.path, args->data.options());
    std::cerr << dataset_text(data);
    const Selection selection = select_genres(data, args->request, &std::cerr);
    std::cout << selection_text(selection);
    if (!args->json_path.empty()) write_file_atomic(args->json_path, selection_json(selection).dump(2) + "\n");
  });
}

}  // namespace genrelab::cli
