#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/open_set.h"
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
  // Open set (issue 17).
  int open_set = -1;  // -1: off
  bool open_set_each = false;
  OpenSetRequest open;
  std::string set_score = "lac", reject_score = "combined";
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
  // Open set (issue 17): replaces the ordinary evaluation when given.
  cmd->add_option("--open-set", args->open_set,
                  "hide K whole genres per round from training, treat them as unknown at test, and score the novelty "
                  "scores, the calibrated rejection and the prediction sets (0: prediction sets only)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--open-set-repeats", args->open.repeats, "--open-set rounds (round r splits with seed + r)")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_flag("--open-set-each", args->open_set_each, "with --open-set 1: hide every genre once, in turn");
  cmd->add_option("--calibrate", args->open.calibrate, "--open-set: fraction of the train part held out to calibrate")
      ->capture_default_str();
  cmd->add_option("--false-reject", args->open.false_reject, "--open-set: target false-rejection rate on known genres")
      ->capture_default_str();
  cmd->add_option("--alpha", args->open.alpha, "--open-set: prediction sets hold the true genre with probability >= 1 - alpha")
      ->capture_default_str();
  cmd->add_option("--set-score", args->set_score, "--open-set: lac or aps (non-randomised)")
      ->capture_default_str()->check(CLI::IsMember({"lac", "aps"}));
  cmd->add_option("--reject-score", args->reject_score, "--open-set: the score open-set accuracy rejects with")
      ->capture_default_str()->check(CLI::IsMember({"max_proba", "mahalanobis", "combined"}));
  cmd->footer(
      "Example:  genrelab evaluate seed --model random_forest --param max_depth=10 --cv 5\n"
      "          genrelab evaluate seed --model random_forest --open-set 1 --open-set-each --json open.json\n"
      "          genrelab evaluate tracks.csv --label track_genre --group-by track_id --json rf.json");
  cmd->callback([args, cmd] {
    args->request.params = parse_params(args->params);
    for (const char* o : {"--open-set-repeats", "--open-set-each", "--calibrate", "--false-reject", "--alpha",
                          "--set-score", "--reject-score"})
      if (cmd->count(o) && args->open_set < 0) throw UsageError(fmt::format("{} needs --open-set K", o));
    if (args->open_set >= 0) {
      if (cmd->count("--cv")) throw UsageError("--open-set draws its own splits; drop --cv");
      if (args->open_set_each && args->open_set != 1) throw UsageError("--open-set-each hides one genre at a time; use --open-set 1");
      if (args->open_set_each && cmd->count("--open-set-repeats"))
        throw UsageError("--open-set-each makes one round per genre; drop --open-set-repeats");
      if (!args->importance.empty()) throw UsageError("--importance does not combine with --open-set");
      OpenSetRequest& o = args->open;
      o.model = args->request.model;
      o.params = args->request.params;
      o.protocol = args->request.protocol;
      o.protocol.stratify = !args->no_stratify;
      o.hidden = args->open_set;
      o.each = args->open_set_each;
      o.set_score = parse_set_score(args->set_score);
      o.reject_score = parse_novelty_score(args->reject_score);
      o.group_by = args->data.options().group_by;
      check_calibrate(o.calibrate, "--calibrate");
      check_rate(o.false_reject, "--false-reject");
      check_rate(o.alpha, "--alpha");
      const Dataset data = load_dataset(args->data.path, args->data.options());
      std::cerr << dataset_text(data);
      const OpenSetResult result = evaluate_open_set(data, o, &std::cerr);
      std::cout << open_set_text(result);
      if (!args->json_path.empty()) {
        const nlohmann::json doc = {{"dataset", dataset_json(data)}, {"open_set", open_set_json(result)}};
        write_file_atomic(args->json_path, doc.dump(2) + "\n");
      }
      return;
    }
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
