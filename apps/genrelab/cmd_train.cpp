#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/error.h"
#include "genrelab/model_file.h"
#include "genrelab/train.h"
#include "genrelab/train_distributed.h"

namespace genrelab::cli {

namespace {
struct TrainArgs {
  DataArgs data;
  TrainRequest request;
  std::vector<std::string> params;
  bool no_stratify = false;
  std::string output;
  DistributedOptions distributed;
};

// --distributed and the options of one worker (train_distributed): where the
// tracker is and which rows are this worker's. Launchers set the DMLC_*
// variables instead; `genrelab launch` does.
void add_distributed_options(CLI::App& cmd, DistributedOptions& d) {
  const std::string group = "Distributed (gradient_boosting over XGBoost's collective)";
  cmd.add_flag("--distributed", d.enabled,
               "be one worker of a gradient_boosting fit spread over processes or machines (see `genrelab launch`)")
      ->group(group);
  cmd.add_option("--tracker-uri", d.collective.tracker_uri, "tracker host (default: $DMLC_TRACKER_URI)")->group(group);
  cmd.add_option("--tracker-port", d.collective.tracker_port, "tracker port (default: $DMLC_TRACKER_PORT)")
      ->check(CLI::Range(1, 65535))
      ->group(group);
  cmd.add_option("--rank", d.collective.task_id,
                 "this worker's task id, 0..N-1; the tracker orders ranks by it (default: $DMLC_TASK_ID)")
      ->group(group);
  cmd.add_option("--world-size", d.collective.world_size, "number of workers (default: $DMLC_NUM_WORKER)")
      ->check(CLI::Range(1, 1000000))
      ->group(group);
  cmd.add_option("--shard-by", d.shard_by,
                 "column whose value (hashed, FNV-1a 64) picks each row's worker, e.g. track_id (default: --group-by; "
                 "neither: each worker trains on all of its own DATA file)")
      ->group(group);
  cmd.add_option("--shard", d.shard, "K/N: take shard K of N (default with --shard-by: the worker's rank + 1 of N)")
      ->group(group);
  cmd.add_option("--timeout", d.collective.timeout_seconds,
                 "seconds a worker waits for a stalled peer before failing (a dead one fails it at once)")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400))
      ->group(group);
}
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
  add_distributed_options(*cmd, args->distributed);
  cmd->footer(
      "Example:  genrelab train seed --model random_forest --param max_depth=10 --holdout 0.2 -o rf.glab\n"
      "          genrelab predict rf.glab new_tracks.csv --top 3 -o predictions.csv\n"
      "Distributed: genrelab launch --workers 2 -- train tracks.csv --model gradient_boosting --distributed "
      "--shard-by track_id --group-by track_id --holdout 0.2 -o gb.glab");
  cmd->callback([args] {
    args->request.data_path = args->data.path;
    args->request.options = args->data.options();
    args->request.params = parse_params(args->params);
    args->request.protocol.stratify = !args->no_stratify;
    if (args->request.protocol.sklearn_split && args->request.protocol.test_size <= 0)
      throw UsageError("--sklearn-split chooses the held-out rows, so it needs --holdout (e.g. --holdout 0.2)");
    const DistributedOptions& d = args->distributed;
    if (!d.enabled && (!d.shard.empty() || !d.shard_by.empty() || !d.collective.tracker_uri.empty() ||
                       d.collective.tracker_port != 0 || !d.collective.task_id.empty() || d.collective.world_size != 0))
      throw UsageError("--shard, --shard-by, --tracker-uri, --tracker-port, --rank and --world-size are options of "
                       "one worker of a distributed fit: add --distributed (or run it under `genrelab launch`)");
    if (d.enabled && args->request.calibrate > 0)
      throw UsageError("--calibrate is not available with --distributed yet: train the calibrated model in one "
                       "process (drop --distributed), or drop --calibrate");
    if (d.enabled) {
      const DistributedTrain run = train_distributed(args->request, d, &std::cerr);
      // One model, identical on every worker: the worker of rank 0 writes it.
      if (run.rank != 0) {
        std::cerr << "  worker " << run.rank << " of " << run.world_size << ": done; worker 0 writes " << args->output << "\n";
        return;
      }
      save_model_file(args->output, run.file);
      std::cout << train_text(run.file);
      std::cout << "workers    " << run.world_size << " (XGBoost collective; rows fitted per worker "
                << run.file.metrics["distributed"]["rows_fitted_per_worker"].dump() << ")\n";
      std::cout << "saved      " << args->output << "\n";
      return;
    }
    const ModelFile file = train_model_file(args->request, &std::cerr);
    save_model_file(args->output, file);
    std::cout << train_text(file);
    std::cout << "saved      " << args->output << "\n";
  });
}

}  // namespace genrelab::cli
