// `genrelab train --distributed`: one worker of a gradient-boosting fit
// spread over processes and machines by XGBoost's own collective.
//
// Every step that may fail on one worker alone (reading its data, its split)
// is followed by a round in which all workers learn who failed, so a bad file
// on one machine stops all of them with a message instead of leaving the
// others waiting in XGBoost for a worker that has gone. Every XGBoost call
// that talks to the others (the fit, and each DMatrix creation, which agrees
// the column count) is made by every worker in the same order.
//
// The hold-out is drawn within each worker's shard (seeded, stratified,
// group-aware as in `train`); the confusion matrices of the shards are
// summed, so the scores printed are those of every held-out row.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "genrelab/error.h"
#include "genrelab/extract.h"
#include "genrelab/load_dataset.h"
#include "genrelab/metrics.h"
#include "genrelab/pipeline.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "genrelab/train.h"
#include "genrelab/train_distributed.h"

namespace genrelab {
namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the file. Check the path", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `step` on this worker, then tells every worker which ones failed. The
// failing workers rethrow their own error; the others stop with one naming them.
template <typename Step>
void step_on_every_worker(const Collective& comm, const char* what, Step&& step) {
  std::exception_ptr error;
  try {
    step();
  } catch (...) {
    error = std::current_exception();
  }
  const auto failed = comm.gather({error ? 1u : 0u});
  if (error) std::rethrow_exception(error);
  std::vector<int> who;
  for (int r = 0; r < comm.world_size(); ++r)
    if (failed[static_cast<std::size_t>(r)]) who.push_back(r);
  if (!who.empty())
    throw InputError(fmt::format("distributed training: worker {} failed {} (its own output says why); stopping "
                                 "every worker",
                                 fmt::join(who, ", worker "), what));
}

std::string encodings_text(const std::vector<FeatureEncoding>& encodings) {
  std::string out;
  for (const auto& e : encodings) {
    out += fmt::format("{}\x1f{}", e.column, static_cast<int>(e.kind));
    for (const auto& level : e.levels) out += "\x1f" + level;
    out += '\x1e';
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += s + '\x1e';
  return out;
}

// What every worker must agree on, one block per worker (Collective::gather).
enum Slot { kLabels, kClasses, kFeatures, kNFeatures, kEncodings, kRows, kNRows, kSlots };

// One clear refusal naming every worker that differs from worker 0 (and
// workers that read the very same rows), or nothing when all agree.
void check_agreement(const std::vector<std::uint64_t>& all, int world) {
  auto at = [&](int r, Slot s) { return all[static_cast<std::size_t>(r) * kSlots + s]; };
  std::vector<std::string> problems;
  for (int r = 1; r < world; ++r) {
    if (at(r, kLabels) != at(0, kLabels))
      problems.push_back(at(r, kClasses) == at(0, kClasses)
                             ? fmt::format("worker {}'s genres (or label column) differ from worker 0's, both {} genres", r,
                                           at(r, kClasses))
                             : fmt::format("worker {} has {} genres where worker 0 has {}", r, at(r, kClasses),
                                           at(0, kClasses)));
    if (at(r, kFeatures) != at(0, kFeatures))
      problems.push_back(fmt::format("worker {}'s feature columns differ from worker 0's ({} vs {} columns)", r,
                                     at(r, kNFeatures), at(0, kNFeatures)));
    else if (at(r, kEncodings) != at(0, kEncodings))
      problems.push_back(fmt::format("worker {} encodes a categorical column differently from worker 0 (it saw other "
                                     "levels)",
                                     r));
  }
  if (!problems.empty())
    throw InputError(fmt::format(
        "distributed training: the workers disagree, so no model was trained: {}. Every worker must see the same "
        "genres, feature columns and category levels: shard one file with --shard-by COLUMN, or give every worker a "
        "file holding every genre (--genres to keep a common set)",
        fmt::join(problems, "; ")));
  for (int r = 0; r < world; ++r)
    for (int q = r + 1; q < world; ++q)
      if (at(r, kRows) == at(q, kRows) && at(r, kNRows) > 0)
        throw InputError(fmt::format(
            "distributed training: workers {} and {} read the same rows (the same file and shard), which would count "
            "them twice; give --shard-by COLUMN (e.g. --shard-by track_id) so each worker takes its own share",
            r, q));
}

}  // namespace

DistributedTrain train_distributed(const TrainRequest& request, const DistributedOptions& d, std::ostream* progress) {
  if (request.model != "gradient_boosting")
    throw UsageError(fmt::format("--distributed trains gradient_boosting only (XGBoost's collective); got --model {}",
                                 request.model));
  std::string shard_by = d.shard_by.empty() ? request.options.group_by : d.shard_by;
  if (!request.options.group_by.empty() && shard_by != request.options.group_by)
    throw UsageError(fmt::format("--shard-by {} with --group-by {}: a group could then straddle two workers and leak "
                                 "across the hold-out; shard by the group column (--shard-by {})",
                                 shard_by, request.options.group_by, request.options.group_by));
  std::size_t shard_k = 0, shard_n = 0;
  if (!d.shard.empty()) {
    std::tie(shard_k, shard_n) = parse_shard(d.shard);
    if (shard_by.empty())
      throw UsageError(fmt::format("--shard {} needs --shard-by COLUMN (e.g. track_id): the column whose value "
                                   "decides each row's shard",
                                   d.shard));
  }
  const CollectiveOptions options = collective_options_from_environment(d.collective);
  if (shard_n && shard_n != static_cast<std::size_t>(options.world_size))
    throw UsageError(fmt::format("--shard {} with {} workers: every worker takes one of world-size shares (--shard K/{})",
                                 d.shard, options.world_size, options.world_size));

  // Join first: from here on a failure on this worker is told to the others.
  const Collective comm(options);
  const int rank = comm.rank(), world = comm.world_size();
  if (!shard_n && !shard_by.empty()) {
    shard_k = static_cast<std::size_t>(rank) + 1;
    shard_n = static_cast<std::size_t>(world);
  }
  const std::string shard_text = shard_n ? fmt::format("{}/{} by {}", shard_k, shard_n, shard_by) : "all";
  if (progress) *progress << fmt::format("  worker {} of {}: rows of {}: {}\n", rank, world, request.data_path, shard_text);

  const bool seed_data = request.data_path == "seed";
  Table table;
  Dataset data;
  std::string data_sha;
  step_on_every_worker(comm, "to load its data", [&] {
    CsvOptions csv = dataset_csv_options(request.options);
    if (!shard_by.empty()) {
      // The shard column's text is hashed, so it stays text (an integer id too).
      csv.keep_text = [base = csv.keep_text, shard_by](const std::vector<std::string>& header) {
        auto text = base(header);
        for (std::size_t c = 0; c < header.size(); ++c)
          if (header[c] == shard_by) text[c] = 1;
        return text;
      };
    }
    table = seed_data ? read_csv_text(bundled_seed_csv(), kBundledSeedName, csv) : read_csv(request.data_path, csv);
    data_sha = sha256_hex(seed_data ? std::string(bundled_seed_csv()) : file_bytes(request.data_path));
    Dataset all = build_dataset(table, request.options);
    if (all.classes.size() < 2)
      throw InputError(fmt::format("{}: only one genre ({}) in the data; a classifier needs at least two",
                                   table.source(), all.classes.empty() ? std::string("none") : all.classes.front()));
    if (shard_n) {
      const auto col = table.find_column(shard_by);
      if (!col)
        throw InputError(fmt::format("{}: no column '{}' to shard by (--shard-by); name a column of the file, such "
                                     "as track_id",
                                     table.source(), shard_by));
      std::unordered_map<long, std::size_t> row_of_line;
      for (std::size_t r = 0; r < table.n_rows(); ++r) row_of_line.emplace(table.line_of(r), r);
      std::vector<int> mine;
      for (std::size_t i = 0; i < all.n_rows(); ++i) {
        const std::size_t r = row_of_line.at(all.lines[i]);
        if (shard_of(table.cell(r, *col), shard_n) == shard_k) mine.push_back(static_cast<int>(i));
      }
      data = select_rows(all, mine);
    } else {
      data = std::move(all);
    }
  });

  // Genres, features and encodings must agree before any XGBoost work.
  std::vector<std::uint64_t> mine(kSlots, 0);
  mine[kLabels] = fnv1a64(data.findings.label_column + '\x1d' + joined(data.classes));
  mine[kClasses] = data.classes.size();
  mine[kFeatures] = fnv1a64(joined(data.feature_names));
  mine[kNFeatures] = data.feature_names.size();
  mine[kEncodings] = fnv1a64(encodings_text(data.encodings));
  mine[kRows] = fnv1a64(data_sha + '\x1d' + shard_text);
  mine[kNRows] = data.n_rows();
  check_agreement(comm.gather(mine), world);

  const protocol::Protocol& p = request.protocol;
  const ParamMap params = with_default_seed(request.model, request.params, p.seed);
  const int n_classes = static_cast<int>(data.classes.size());
  Split split;
  step_on_every_worker(comm, "to split its rows", [&] {
    if (p.test_size > 0) {
      split = train_test_split(data.y, n_classes, p.test_size, split_options(p, data.groups));
    } else {
      split.train.resize(data.n_rows());
      for (std::size_t i = 0; i < split.train.size(); ++i) split.train[i] = static_cast<int>(i);
    }
  });
  const auto counts = comm.gather({split.train.size(), split.test.size(), data.n_rows(), table.n_rows()});
  std::uint64_t n_train = 0, n_test = 0;
  std::vector<std::uint64_t> per_worker_train, per_worker_test;
  for (int r = 0; r < world; ++r) {
    const std::uint64_t tr = counts[static_cast<std::size_t>(r) * 4], te = counts[static_cast<std::size_t>(r) * 4 + 1];
    const std::uint64_t rows = counts[static_cast<std::size_t>(r) * 4 + 2];
    if (tr == 0 || (p.test_size > 0 && te == 0))
      throw InputError(fmt::format("distributed training: worker {} has {} rows in its shard, {} to fit on and {} to "
                                   "hold out; every worker needs some of each: use fewer workers or more data",
                                   r, rows, tr, te));
    n_train += tr;
    n_test += te;
    per_worker_train.push_back(tr);
    per_worker_test.push_back(te);
  }

  if (progress)
    *progress << fmt::format("  {}: worker {} fits on {} of {} rows{}\n", request.model, rank, split.train.size(),
                             n_train, p.test_size > 0 ? fmt::format(", holds out {} of {}", split.test.size(), n_test) : "");
  const Matrix X_train = take_rows(data.X, split.train);
  const Labels y_train = take(data.y, split.train);
  auto pipeline = std::make_shared<Pipeline>(request.model, params);
  const std::uint64_t sent_before = tcp_bytes_sent();
  const auto t0 = std::chrono::steady_clock::now();
  pipeline->fit(X_train, y_train, n_classes);
  const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // What this worker sent to the others while fitting: the quantile sketch
  // once, then each round's gradient histograms (bench/distributed.py reads it).
  const std::uint64_t sent = tcp_bytes_sent() - sent_before;
  // n_estimators rounds (fewer with early stopping: then this is per planned round).
  const int rounds = std::max(1, std::stoi(pipeline->model().params().at("n_estimators")));
  if (progress)
    *progress << fmt::format("  worker {}: fit in {:.2f} s, {} rounds; sent {:.2f} MB to the other workers ({:.3f} MB "
                             "per round)\n",
                             rank, fit_seconds, rounds, static_cast<double>(sent) / 1e6,
                             static_cast<double>(sent) / 1e6 / rounds);

  // Every worker predicts its own rows (each DMatrix is a collective call, so
  // all predict the same sequence: held-out rows, then training rows).
  std::vector<std::uint64_t> confusion(static_cast<std::size_t>(n_classes * n_classes), 0);
  if (p.test_size > 0) {
    const Labels pred = pipeline->predict(take_rows(data.X, split.test));
    for (std::size_t i = 0; i < pred.size(); ++i)
      ++confusion[static_cast<std::size_t>(data.y[static_cast<std::size_t>(split.test[i])] * n_classes + pred[i])];
  }
  const Labels train_pred = pipeline->predict(X_train);
  std::vector<std::uint64_t> train_correct = {0};
  for (std::size_t i = 0; i < train_pred.size(); ++i) train_correct[0] += train_pred[i] == y_train[i];
  comm.sum(confusion);
  comm.sum(train_correct);
  // Column sums of the fitted rows, for the model file's feature means.
  std::vector<double> sums(data.n_features(), 0.0);
  for (Eigen::Index j = 0; j < X_train.cols(); ++j) sums[static_cast<std::size_t>(j)] = X_train.col(j).sum();
  comm.sum(sums);

  ModelFile f;
  f.genrelab_version = GENRELAB_VERSION;
  f.model = request.model;
  f.label_column = data.findings.label_column;
  f.classes = data.classes;
  f.feature_names = data.feature_names;
  f.encodings = data.encodings;
  f.training.source = seed_data ? std::string(kBundledSeedName) : request.data_path;
  f.training.file_rows = table.n_rows();
  f.training.file_columns = table.n_cols();
  f.training.sha256 = data_sha;
  f.training.rows_used = n_train;
  f.feature_means.resize(static_cast<Eigen::Index>(sums.size()));
  for (std::size_t j = 0; j < sums.size(); ++j)
    f.feature_means(static_cast<Eigen::Index>(j)) = sums[j] / static_cast<double>(n_train);

  nlohmann::json metrics = nlohmann::json::object();
  const double train_accuracy = static_cast<double>(train_correct[0]) / static_cast<double>(n_train);
  if (p.test_size > 0) {
    // The summed confusion matrix as (truth, prediction) pairs: the same
    // report as if one process had predicted every held-out row.
    Labels truth, pred;
    truth.reserve(n_test);
    pred.reserve(n_test);
    for (int t = 0; t < n_classes; ++t)
      for (int q = 0; q < n_classes; ++q)
        for (std::uint64_t k = 0; k < confusion[static_cast<std::size_t>(t * n_classes + q)]; ++k) {
          truth.push_back(t);
          pred.push_back(q);
        }
    const ClassificationReport test = evaluate_predictions(truth, pred, n_classes);
    namespace pr = protocol;
    metrics["holdout"] = pr::result_json(p, {pr::kTestSize, pr::kSeed, pr::kStratify, pr::kSklearnSplit});
    metrics["holdout"].update(nlohmann::json{
        {"grouped_by", request.options.group_by},
        {"n_train", n_train},
        {"n_test", n_test},
        {"accuracy", test.accuracy},
        {"balanced_accuracy", test.balanced_accuracy},
        {"f1_macro", test.macro.f1},
        {"train_accuracy", train_accuracy},
        {"fit_seconds", fit_seconds},
        {"split_within", "each worker's shard"},
    });
    metrics["saved_model_fitted_on"] = fmt::format("training parts of the hold-out splits of {} workers' shards", world);
  } else {
    metrics["train_accuracy"] = train_accuracy;
    metrics["saved_model_fitted_on"] = fmt::format("all rows of {} workers' shards", world);
  }
  metrics["distributed"] = {
      {"workers", world},
      {"shard_by", shard_by},
      {"rows_fitted_per_worker", per_worker_train},
      {"rows_held_out_per_worker", per_worker_test},
      {"collective", "xgboost rabit"},
  };
  f.metrics = metrics;
  f.params = pipeline->model().params();
  f.pipeline = std::move(pipeline);
  return DistributedTrain{std::move(f), rank, world};
}

}  // namespace genrelab
