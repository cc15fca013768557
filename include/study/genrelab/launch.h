// `genrelab launch --workers N -- train ... --distributed`: XGBoost's tracker
// and N workers of one distributed fit on this machine, their output
// forwarded line by line with a "[worker K]" prefix.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace genrelab {

struct LaunchRequest {
  int workers = 2;
  // The genrelab command each worker runs (after `--`), e.g. {"train",
  // "tracks.csv", ..., "--distributed"}; `--distributed` and `--timeout` are
  // added when missing. "{task}" in an argument becomes the worker's number
  // 0..N-1 (e.g. part-{task}.csv, for workers that each read their own file).
  std::vector<std::string> command;
  std::string host = "127.0.0.1";  // where the tracker listens; the workers reach it there
  int port = 0;                    // 0: any free port
  // A worker that fails, the tracker that exits early, or a worker that
  // cannot reach a stalled peer: the others get `grace_seconds` to report
  // their own error, then are stopped. Also passed to the workers as
  // --timeout (their wait for a stalled peer).
  int timeout_seconds = 300;
  int grace_seconds = 5;
  std::string python;      // empty: $GENRELAB_PYTHON, else /usr/bin/python3 (Debian's, with python3-xgboost), else python3
  std::string executable;  // the genrelab program the workers run; empty: this one (/proc/self/exe)
};

// Runs the tracker and the workers to the end; returns the exit code for the
// launcher: 0 when every worker succeeded, else the failed workers' code
// (1 when they differ). Messages about the run go to stderr.
int run_launch(const LaunchRequest& request);

// The tracker script built into genrelab (scripts/xgboost_tracker.py).
std::string_view bundled_xgboost_tracker_py();

}  // namespace genrelab
