#include "commands.h"
#include "genrelab/launch.h"

namespace genrelab::cli {

void add_launch_command(CLI::App& app) {
  auto request = std::make_shared<LaunchRequest>();
  auto* cmd = app.add_subcommand(
      "launch", "Run a distributed `train` on this machine: XGBoost's tracker and N workers, output prefixed [worker K]");
  cmd->add_option("--workers", request->workers, "number of worker processes")->required()->check(CLI::Range(1, 256));
  cmd->add_option("--timeout", request->timeout_seconds,
                  "seconds before a stalled worker fails the run (also each worker's --timeout)")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  cmd->add_option("--host", request->host, "address the tracker listens on")->capture_default_str();
  cmd->add_option("--port", request->port, "tracker port (0: any free one)")->capture_default_str()->check(CLI::Range(0, 65535));
  cmd->add_option("--python", request->python,
                  "Python with python3-xgboost for the tracker (default: $GENRELAB_PYTHON, else /usr/bin/python3)");
  cmd->add_option("COMMAND", request->command, "after --: the genrelab command each worker runs (train ... --distributed)")
      ->required();
  cmd->footer(
      "Example:  genrelab launch --workers 2 -- train tracks.csv --model gradient_boosting --distributed \\\n"
      "              --shard-by track_id --group-by track_id --holdout 0.2 -o gb.glab\n"
      "Each worker K gets DMLC_TRACKER_URI, DMLC_TRACKER_PORT, DMLC_TASK_ID=K and DMLC_NUM_WORKER; with --shard-by it\n"
      "trains on the rows whose column value hashes to it. A worker that fails stops the others; exit code 1.\n"
      "On a cluster: see README, \"When one machine is not enough\" (Slurm with srun).");
  cmd->callback([request] {
    const int code = run_launch(*request);
    if (code != 0) throw ExitStatus{code};
  });
}

}  // namespace genrelab::cli
