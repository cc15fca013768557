// Distributed gradient boosting over XGBoost's collective, end to end on
// 127.0.0.1: `genrelab launch` (tracker + workers), the agreement check that
// refuses a worker with other genres, a distributed hold-out scored over all
// shards, and a worker killed or stalled mid-training ending the run.
//
// The data is a subset of the 114k Spotify Tracks set (../shared/data) so the
// whole file runs in well under a minute; the full-size comparison is
// bench/distributed.py --compare (numbers in bench/results/distributed.md).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "genrelab/dataset.h"
#include "genrelab/extract.h"
#include "genrelab/model_file.h"
#include "genrelab/predict.h"
#include "genrelab/split.h"
#include "genrelab/table.h"
#include "shared_data.h"
#include "models/gradient_boosting.h"

namespace genrelab {
namespace {

using testing::run_cli;
using testing::scratch_dir;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const fs::path kTracks = testing::shared_data_dir() / "spotify_tracks_114k" / "tracks.csv";

// The first `n_genres` genres of the file, in file order (the file holds
// 1,000 rows per genre, one genre after another).
std::vector<std::string> first_genres(std::size_t n_genres) {
  std::ifstream in(kTracks);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> out;
  while (out.size() < n_genres && std::getline(in, line)) {
    const std::string genre = line.substr(line.rfind(',') + 1);
    if (out.empty() || out.back() != genre) out.push_back(genre);
  }
  return out;
}

// Rows of those genres copied line for line (track_id is the second field and
// the genre the last; neither is ever quoted in this file); a row goes to the
// test file when FNV-1a of its track_id is 0 mod 5, so a track is never on both sides.
void write_subset(const std::vector<std::string>& genres, const fs::path& train, const fs::path& test) {
  const std::set<std::string> keep(genres.begin(), genres.end());
  std::ifstream in(kTracks);
  std::ofstream tr(train), te(test);
  std::string line;
  std::getline(in, line);
  tr << line << "\n";
  te << line << "\n";
  while (std::getline(in, line)) {
    if (!keep.count(line.substr(line.rfind(',') + 1))) continue;
    const auto a = line.find(',') + 1;
    const std::string id = line.substr(a, line.find(',', a) - a);
    (fnv1a64(id) % 5 == 0 ? te : tr) << line << "\n";
  }
}

double accuracy_on(const fs::path& model, const fs::path& csv) {
  const ModelFile f = load_model_file(model.string());
  const PredictResult r = predict_table(f, read_csv(csv.string()), {});
  EXPECT_EQ(r.unknown_labels, 0u);
  return static_cast<double>(r.correct) / static_cast<double>(r.labelled);
}

std::string trees_json(const fs::path& model) {
  const ModelFile f = load_model_file(model.string());
  return dynamic_cast<const GradientBoostingClassifier&>(f.pipeline->model()).model_bytes("json");
}

const std::string kParams =
    "--model gradient_boosting --param n_estimators=20 --param max_depth=4 --param n_jobs=1";

class Distributed : public ::testing::Test {
 protected:
  void SetUp() override {
    GENRELAB_REQUIRE_SHARED(kTracks);
    dir = scratch_dir("distributed");
    write_subset(first_genres(8), dir / "train.csv", dir / "test.csv");
  }
  void TearDown() override {
    if (!dir.empty()) fs::remove_all(dir);
  }
  fs::path dir;
};

TEST_F(Distributed, TwoAndThreeWorkersMatchOneProcessOnTheSameTestRows) {
  const auto single = run_cli("train train.csv " + kParams + " -o single.glab", dir);
  ASSERT_EQ(single.exit_code, 0) << single.err;
  const double acc1 = accuracy_on(dir / "single.glab", dir / "test.csv");
  for (int n : {2, 3}) {
    const std::string model = "d" + std::to_string(n) + ".glab";
    const auto r = run_cli("launch --workers " + std::to_string(n) + " -- train train.csv " + kParams +
                               " --distributed --shard-by track_id -o " + model,
                           dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Every worker's output arrives, prefixed; only worker 0 prints the summary and writes the model.
    for (int k = 0; k < n; ++k) EXPECT_NE(r.err.find("[worker " + std::to_string(k) + "]"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("[worker 0] workers    " + std::to_string(n)), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("[worker 1]"), std::string::npos) << r.out;
    const double acc = accuracy_on(dir / model, dir / "test.csv");
    // On this subset (1,591 test rows: one row is 0.063 points) the gaps
    // measured were +0.63 points (2 workers) and +0.69 (3 workers) against
    // 70.33 % for one process; the 0.5 points is checked on the
    // whole 114k set (dist_transcripts.md).
    EXPECT_NEAR(acc, acc1, 0.01) << n << " workers vs one process";
    // The trees are reported, not asserted: each worker sketches its own
    // rows and XGBoost merges the sketches, so the bin edges (and with them
    // the splits) can differ from one process's sketch of all rows.
    const bool same = trees_json(dir / model) == trees_json(dir / "single.glab");
    std::printf("  %d workers: accuracy %.4f; one process: %.4f; trees %s\n", n, acc, acc1,
                same ? "identical" : "differ");
  }
}

TEST_F(Distributed, HoldOutIsScoredOverTheRowsOfEveryShard) {
  const auto r = run_cli("launch --workers 2 -- train train.csv " + kParams +
                             " --distributed --shard-by track_id --group-by track_id --holdout 0.25 --seed 7 -o h.glab",
                         dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ModelFile f = load_model_file((dir / "h.glab").string());
  const auto& h = f.metrics.at("holdout");

  // Redo each worker's split as train_distributed does (shard by FNV-1a of
  // track_id, then a seeded stratified group split within the shard) and
  // score the saved model on the union of the held-out rows.
  DatasetOptions options;
  options.group_by = "track_id";
  const Table table = read_csv((dir / "train.csv").string(), dataset_csv_options(options));
  const Dataset all = build_dataset(table, options);
  const auto id = *table.find_column("track_id");
  std::size_t n_test = 0, correct = 0;
  for (std::size_t k = 1; k <= 2; ++k) {
    std::vector<int> rows;
    for (std::size_t i = 0; i < all.n_rows(); ++i)
      if (shard_of(table.cell(i, id), 2) == k) rows.push_back(static_cast<int>(i));
    const Dataset shard = select_rows(all, rows);
    protocol::Protocol p;
    p.test_size = 0.25;
    p.seed = 7;
    const Split s = train_test_split(shard.y, static_cast<int>(shard.classes.size()), 0.25, split_options(p, shard.groups));
    const Labels pred = f.pipeline->predict(take_rows(shard.X, s.test));
    for (std::size_t i = 0; i < s.test.size(); ++i) correct += pred[i] == shard.y[static_cast<std::size_t>(s.test[i])];
    n_test += s.test.size();
  }
  EXPECT_EQ(h.at("n_test").get<std::size_t>(), n_test);
  EXPECT_EQ(h.at("n_train").get<std::size_t>() + n_test, all.n_rows());
  EXPECT_DOUBLE_EQ(h.at("accuracy").get<double>(), static_cast<double>(correct) / static_cast<double>(n_test));
  EXPECT_NE(r.out.find(fmt::format("held out   {} rows: accuracy {:.1f}%", n_test, 100 * h.at("accuracy").get<double>())),
            std::string::npos)
      << r.out;
}

// Runs the tracker script and two workers by hand, as a cluster scheduler
// would (each worker its own file here), and returns their results.
struct Worker {
  int exit_code;
  std::string err;
};
std::vector<Worker> run_by_hand(const fs::path& dir, const std::vector<std::string>& files) {
  const std::string tracker = "/usr/bin/python3 '" GENRELAB_SOURCE_DIR "/scripts/xgboost_tracker.py' --workers " +
                              std::to_string(files.size()) + " > '" + (dir / "tracker.env").string() + "' 2>/dev/null";
  const pid_t tracker_pid = fork();
  if (tracker_pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + tracker).c_str(), nullptr);
    _exit(127);
  }
  std::string port;
  for (int i = 0; i < 600 && port.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::istringstream env(testing::slurp((dir / "tracker.env").string()));
    for (std::string line; std::getline(env, line);)
      if (line.rfind("DMLC_TRACKER_PORT=", 0) == 0) port = line.substr(18);
  }
  EXPECT_FALSE(port.empty()) << "the tracker printed no port";
  std::vector<pid_t> pids;
  for (std::size_t k = 0; k < files.size(); ++k) {
    const std::string cmd = "cd '" + dir.string() + "' && exec '" GENRELAB_CLI "' train " + files[k] + " " + kParams +
                            " --distributed --tracker-uri 127.0.0.1 --tracker-port " + port + " --rank " +
                            std::to_string(k) + " --world-size " + std::to_string(files.size()) +
                            " --timeout 20 -o by-hand.glab > /dev/null 2> err" + std::to_string(k) + ".txt";
    const pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
      _exit(127);
    }
    pids.push_back(pid);
  }
  std::vector<Worker> out;
  for (std::size_t k = 0; k < pids.size(); ++k) {
    int status = 0;
    waitpid(pids[k], &status, 0);
    out.push_back({WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                   testing::slurp((dir / ("err" + std::to_string(k) + ".txt")).string())});
  }
  kill(tracker_pid, SIGTERM);
  waitpid(tracker_pid, nullptr, 0);
  return out;
}

TEST_F(Distributed, WorkerWithAnotherGenreSetIsRefusedByName) {
  // Worker 0 has 8 genres; worker 1 the same rows without the last genre.
  const auto genres = first_genres(8);
  write_subset(genres, dir / "a.csv", dir / "a_test.csv");
  write_subset(std::vector<std::string>(genres.begin(), genres.end() - 1), dir / "b.csv", dir / "b_test.csv");
  const auto workers = run_by_hand(dir, {"a.csv", "b.csv"});
  ASSERT_EQ(workers.size(), 2u);
  for (const auto& w : workers) {
    EXPECT_EQ(w.exit_code, 1) << w.err;
    EXPECT_NE(w.err.find("the workers disagree, so no model was trained: worker 1 has 7 genres where worker 0 has 8"),
              std::string::npos)
        << w.err;
  }
  EXPECT_FALSE(fs::exists(dir / "by-hand.glab"));
}

TEST_F(Distributed, TwoWorkersOnTheSameRowsAreRefused) {
  const auto workers = run_by_hand(dir, {"train.csv", "train.csv"});
  for (const auto& w : workers) {
    EXPECT_EQ(w.exit_code, 1) << w.err;
    EXPECT_NE(w.err.find("workers 0 and 1 read the same rows"), std::string::npos) << w.err;
  }
}

// The launcher's child that runs worker `k` (DMLC_TASK_ID=k in its environment).
pid_t worker_pid(pid_t launcher, int k) {
  std::istringstream children(testing::slurp(fmt::format("/proc/{}/task/{}/children", launcher, launcher)));
  for (pid_t pid; children >> pid;) {
    const std::string env = testing::slurp(fmt::format("/proc/{}/environ", pid));
    if (env.find(fmt::format("DMLC_TASK_ID={}", k) + '\0') != std::string::npos) return pid;
  }
  return -1;
}

struct Outcome {
  int exit_code;
  double seconds_to_error;
  std::string err;
};
// Starts a 2-worker launch that trains for a long time, waits until both
// workers are fitting, sends `sig` to worker 1 and times the launcher's exit.
Outcome interrupt_worker(const fs::path& dir, int sig, int timeout) {
  const std::string cmd = "cd '" + dir.string() + "' && exec '" GENRELAB_CLI "' launch --workers 2 --timeout " +
                          std::to_string(timeout) +
                          " -- train train.csv --model gradient_boosting --param n_estimators=100000 --param n_jobs=1 "
                          "--distributed --shard-by track_id -o never.glab > out.txt 2> err.txt";
  const pid_t sh = fork();
  if (sh == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  // Both workers have reported their rows once they are about to fit.
  for (int i = 0; i < 1200; ++i) {
    const std::string err = testing::slurp((dir / "err.txt").string());
    if (err.find("[worker 0]   gradient_boosting: worker 0 fits") != std::string::npos &&
        err.find("[worker 1]   gradient_boosting: worker 1 fits") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // into the boosting rounds
  const pid_t victim = worker_pid(sh, 1);
  EXPECT_GT(victim, 0);
  const auto t0 = Clock::now();
  if (victim > 0) kill(victim, sig);
  int status = 0;
  waitpid(sh, &status, 0);
  const double took = std::chrono::duration<double>(Clock::now() - t0).count();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, took, testing::slurp((dir / "err.txt").string())};
}

TEST_F(Distributed, KilledWorkerEndsTheRunAtOnce) {
  const Outcome o = interrupt_worker(dir, SIGKILL, 30);
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_LT(o.seconds_to_error, 15.0) << o.err;
  EXPECT_NE(o.err.find("launch: worker 1 was killed by signal 9"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("another worker died or stopped answering"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir / "never.glab"));
  std::printf("  killed worker: the run ended %.1f s later\n", o.seconds_to_error);
}

TEST_F(Distributed, StalledWorkerEndsTheRunAfterTheTimeout) {
  const int timeout = 5;
  const Outcome o = interrupt_worker(dir, SIGSTOP, timeout);
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_GE(o.seconds_to_error, timeout - 0.5) << o.err;
  EXPECT_LT(o.seconds_to_error, timeout + 15.0) << o.err;
  EXPECT_NE(o.err.find("Poll timeout"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("launch: stopping worker 1"), std::string::npos) << o.err;
  std::printf("  stalled worker: the run ended %.1f s later (timeout %d s)\n", o.seconds_to_error, timeout);
}

TEST(DistributedUsage, OptionsOfAWorkerNeedDistributedAndGradientBoosting) {
  const auto dir = scratch_dir("distributed-usage");
  auto r = run_cli("train seed --shard-by track_id -o m.glab", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("add --distributed"), std::string::npos) << r.err;
  r = run_cli("train seed --model random_forest --distributed -o m.glab", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--distributed trains gradient_boosting only"), std::string::npos) << r.err;
  r = run_cli("launch --workers 2 -- evaluate seed", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("launch runs a distributed `train`"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace genrelab
