// XGBoost's collective (Rabit, the engine under its Dask, Spark and Ray
// integrations) for training one gradient-boosting model across processes
// and machines. While a Collective is alive, XGBoost itself builds the
// quantile sketch and allreduces the gradient histograms of `tree_method
// hist` over every worker; genrelab adds only its own checks and counts.
//
// XGBoost's collective is process-wide: at most one Collective may exist at
// a time, and every collective call (including XGBoost creating a DMatrix,
// which agrees the column count) must be made by every worker in the same
// order, or the others wait until the timeout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genrelab {

// Where a worker finds the tracker and who it is, as launchers give it
// (`python3 -m xgboost.tracker`, scripts/xgboost_tracker.py, genrelab launch).
struct CollectiveOptions {
  std::string tracker_uri;  // DMLC_TRACKER_URI
  int tracker_port = 0;     // DMLC_TRACKER_PORT
  std::string task_id;      // DMLC_TASK_ID: the tracker orders ranks by it (scripts/xgboost_tracker.py)
  int world_size = 0;       // DMLC_NUM_WORKER
  // A peer that stops answering (a stalled process, a lost machine) fails
  // every other worker after this many seconds; a peer that dies fails them
  // at once (its sockets close).
  int timeout_seconds = 300;
};

// `given` with every empty field filled from the DMLC_* environment
// variables. UsageError naming the option and the variable for anything
// still missing or malformed.
CollectiveOptions collective_options_from_environment(CollectiveOptions given);

class Collective {
 public:
  // Joins the tracker (XGCommunicatorInit). InputError when it cannot.
  explicit Collective(const CollectiveOptions& options);
  ~Collective();  // XGCommunicatorFinalize: tells the tracker this worker is done
  Collective(const Collective&) = delete;
  Collective& operator=(const Collective&) = delete;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }

  // In-place sums over every worker.
  void sum(std::vector<std::uint64_t>& values) const;
  void sum(std::vector<double>& values) const;
  // Each worker's `mine` (the same length on all), gathered: the result holds
  // world_size() blocks of mine.size(), block r from the worker of rank r.
  std::vector<std::uint64_t> gather(const std::vector<std::uint64_t>& mine) const;

  // Whether a Collective is active in this process (XGCommunicatorIsDistributed).
  static bool active();

 private:
  int rank_ = 0;
  int world_size_ = 1;
};

// Bytes this process has sent over all its open TCP sockets (Linux
// TCP_INFO), which during a fit are XGBoost's allreduce traffic: read before
// and after to measure it. 0 where it cannot be read.
std::uint64_t tcp_bytes_sent();

// XGBoost's error text up to its first line: the message without the stack trace.
std::string xgboost_error_summary(const char* text);

}  // namespace genrelab
