#include <iostream>
#include <limits>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/atomic_file.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct TuneArgs {
  DataArgs data;
  TuneRequest request;
  std::vector<std::string> params;
  std::string scoring = scoring_name(protocol::Protocol{}.scoring);
  bool no_stratify = false;
  std::string json_path;
};
}  // namespace

void add_tune_command(CLI::App& app) {
  auto args = std::make_shared<TuneArgs>();
  auto* cmd = app.add_subcommand("tune", "Choose a model's parameters by cross-validated grid or random search");
  add_data_options(*cmd, args->data);
  cmd->add_option("--model", args->request.model, "model name (see `genrelab models`)")->required();
  cmd->add_option("--grid", args->request.grid,
                  "parameter grid 'name=v1,v2 name2=...' (default: a small grid for the model)");
  cmd->add_option("--param", args->params, "fixed parameter name=value, repeatable");
  cmd->add_option("--random", args->request.random, "random search: try this many grid points instead of all")
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  cmd->add_flag("--yes", args->request.confirmed, "start the search even above 10000 fits (candidates x folds)");
  add_cv_option(*cmd, args->request.protocol.cv, protocol::None::Refused);
  add_scoring_option(*cmd, args->scoring);
  add_seed_option(*cmd, args->request.protocol.seed, "seed for folds, sampling and the model");
  add_no_stratify_flag(*cmd, args->no_stratify, "plain shuffled folds instead of stratified ones");
  cmd->add_option("--json", args->json_path, "also write every candidate's scores as JSON to this file");
  cmd->footer("Example:  genrelab tune seed --model random_forest --grid 'max_depth=5,10,20 n_estimators=100,300'");
  cmd->callback([args] {
    args->request.fixed = parse_params(args->params);
    args->request.protocol.scoring = parse_scoring(args->scoring);
    args->request.protocol.stratify = !args->no_stratify;
    check_tune_size(args->request, "tune");  // before the data is read
    const Dataset data = load_dataset(args->data.path, args->data.options());
    std::cerr << dataset_text(data);
    const TuneResult result = run_tune(data, args->request, &std::cerr);
    std::cout << tune_text(result, args->request);
    if (!args->json_path.empty())
      write_file_atomic(args->json_path, tune_json(result, args->request).dump(2) + "\n");
  });
}

}  // namespace genrelab::cli
