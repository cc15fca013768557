#include <iostream>

#include "commands.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct EvaluateArgs {
  DataArgs data;
  EvaluateRequest request;
  std::vector<std::string> params;
  bool no_stratify = false;
  std::string json_path;
};
}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  auto* cmd = app.add_subcommand("evaluate", "Score one model: held-out test split and k-fold cross-validation");
  add_data_options(*cmd, args->data);
  cmd->add_option("--model", args->request.model, "model name (see `genrelab models`)")->capture_default_str();
  cmd->add_option("--param", args->params, "model parameter name=value, repeatable (e.g. max_depth=10)");
  cmd->add_option("--cv", args->request.cv, "number of cross-validation folds (0: none)")
      ->capture_default_str()->check(CLI::Range(0, 1000));
  cmd->add_option("--test-size", args->request.test_size, "fraction of tracks held out for testing (0: none)")
      ->capture_default_str()->check(CLI::Range(0.0, 0.9));
  cmd->add_option("--seed", args->request.seed, "seed for splits, folds and the model")->capture_default_str();
  cmd->add_flag("--no-stratify", args->no_stratify, "plain shuffled splits instead of stratified ones");
  cmd->add_option("--top", args->request.top_importances, "how many feature importances to print")->capture_default_str();
  cmd->add_option("--json", args->json_path, "also write the full results as JSON to this file");
  cmd->footer(
      "Example:  genrelab evaluate seed --model random_forest --param max_depth=10 --cv 5\n"
      "          genrelab evaluate tracks.csv --label track_genre --group-by track_id --json rf.json");
  cmd->callback([args] {
    args->request.params = parse_params(args->params);
    args->request.stratify = !args->no_stratify;
    const Dataset data = load_dataset(args->data.path, args->data.options());
    std::cerr << dataset_text(data);
    const EvaluationResult result = evaluate_model(data, args->request, &std::cerr);
    std::cout << evaluation_text(result, data);
    if (!args->json_path.empty()) {
      nlohmann::json doc = {{"dataset", dataset_json(data)}, {"evaluation", evaluation_json(result, data, true)}};
      write_file_atomic(args->json_path, doc.dump(2) + "\n");
    }
  });
}

}  // namespace genrelab::cli
