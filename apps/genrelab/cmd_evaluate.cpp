#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct EvaluateArgs {
  DataArgs data;
  EvaluateRequest request;
  std::vector<std::string> params;
  bool no_stratify = false;
  std::string json_path;
  std::string importance;
  int repeats = 5;
};
}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  auto* cmd = app.add_subcommand("evaluate", "Score one model: held-out test split and k-fold cross-validation");
  add_data_options(*cmd, args->data);
  cmd->add_option("--model", args->request.model, "model name (see `genrelab models`)")->capture_default_str();
  cmd->add_option("--param", args->params, "model parameter name=value, repeatable (e.g. max_depth=10)");
  add_cv_option(*cmd, args->request.protocol.cv, protocol::None::Allowed);
  add_test_size_option(*cmd, args->request.protocol.test_size, protocol::None::Allowed);
  add_seed_option(*cmd, args->request.protocol.seed);
  add_no_stratify_flag(*cmd, args->no_stratify);
  add_sklearn_split_flag(*cmd, args->request.protocol.sklearn_split);
  cmd->add_option("--top", args->request.top_importances, "how many feature importances to print")->capture_default_str();
  cmd->add_option("--json", args->json_path, "also write the full results as JSON to this file");
  cmd->add_option("--importance", args->importance,
                  "permutation: also measure each feature's permutation importance on the held-out part")
      ->check(CLI::IsMember({"", "permutation"}));
  cmd->add_option("--repeats", args->repeats, "shuffles per feature for --importance permutation")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->footer(
      "Example:  genrelab evaluate seed --model random_forest --param max_depth=10 --cv 5\n"
      "          genrelab evaluate tracks.csv --label track_genre --group-by track_id --json rf.json");
  cmd->callback([args] {
    args->request.params = parse_params(args->params);
    args->request.protocol.stratify = !args->no_stratify;
    if (args->request.protocol.sklearn_split && args->request.protocol.test_size <= 0)
      throw UsageError("--sklearn-split chooses the held-out rows, so it needs --test-size > 0 (e.g. 0.2)");
    const Dataset data = load_dataset(args->data.path, args->data.options());
    std::cerr << dataset_text(data);
    const EvaluationResult result = evaluate_model(data, args->request, &std::cerr);
    std::cout << evaluation_text(result, data);
    nlohmann::json permutation;
    if (args->importance == "permutation") {
      if (!result.has_holdout) throw UsageError("--importance permutation needs a held-out part (--test-size > 0)");
      const auto& split = result.holdout.split;
      const PermutationImportance p =
          permutation_importance(*result.holdout.model, take_rows(data.X, split.test), take(data.y, split.test),
                                 static_cast<int>(data.classes.size()), args->repeats, args->request.protocol.seed);
      std::cout << "\n" << permutation_text(p, data, args->request.model, Scoring::Accuracy, args->repeats, 15);
      permutation = permutation_json(p, data, Scoring::Accuracy, args->repeats);
    }
    if (!args->json_path.empty()) {
      nlohmann::json doc = {{"dataset", dataset_json(data)}, {"evaluation", evaluation_json(result, data, true)}};
      if (!permutation.is_null()) doc["evaluation"]["permutation_importance"] = permutation;
      write_file_atomic(args->json_path, doc.dump(2) + "\n");
    }
  });
}

}  // namespace genrelab::cli
