#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/error.h"
#include "genrelab/model_file.h"
#include "genrelab/train.h"

namespace genrelab::cli {

namespace {
struct TrainArgs {
  DataArgs data;
  TrainRequest request;
  std::vector<std::string> params;
  bool no_stratify = false;
  std::string output;
};
}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Fit one model and save it to a model file (.glab) for predict and explain");
  add_data_options(*cmd, args->data);
  cmd->add_option("--model", args->request.model, "model name (see `genrelab models`)")->capture_default_str();
  cmd->add_option("--param", args->params, "model parameter name=value, repeatable (e.g. max_depth=10)");
  add_test_size_option(*cmd, args->request.protocol.test_size, protocol::None::Allowed, "--holdout",
                       "fraction held out and scored; the saved model is the one fitted on the rest (0: fit on all rows)");
  add_seed_option(*cmd, args->request.protocol.seed, "seed for the split and the model");
  add_no_stratify_flag(*cmd, args->no_stratify, "plain shuffled hold-out split instead of a stratified one");
  add_sklearn_split_flag(*cmd, args->request.protocol.sklearn_split);
  cmd->add_option("-o,--output", args->output, "model file to write (e.g. model.glab)")->required();
  // Open set (issue 17).
  cmd->add_option("--calibrate", args->request.calibrate,
                  "hold out this fraction of the training rows (stratified, seeded, group-aware) to calibrate "
                  "novelty scores and prediction sets for predict --reject / --sets (e.g. 0.2)")
      ->check(CLI::Range(0.0, 0.5));
  cmd->footer(
      "Example:  genrelab train seed --model random_forest --param max_depth=10 --holdout 0.2 -o rf.glab\n"
      "          genrelab predict rf.glab new_tracks.csv --top 3 -o predictions.csv");
  cmd->callback([args] {
    args->request.data_path = args->data.path;
    args->request.options = args->data.options();
    args->request.params = parse_params(args->params);
    args->request.protocol.stratify = !args->no_stratify;
    if (args->request.protocol.sklearn_split && args->request.protocol.test_size <= 0)
      throw UsageError("--sklearn-split chooses the held-out rows, so it needs --holdout (e.g. --holdout 0.2)");
    const ModelFile file = train_model_file(args->request, &std::cerr);
    save_model_file(args->output, file);
    std::cout << train_text(file);
    std::cout << "saved      " << args->output << "\n";
  });
}

}  // namespace genrelab::cli
