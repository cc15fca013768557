// `genrelab train`: fit one pipeline and describe it completely, so that the
// file alone says what the model is, what it was trained on and how well it
// did. With a hold-out the saved model is the one fitted on the training
// part: the score printed and stored belongs to exactly the saved model (what
// people coming from scikit-learn's train_test_split expect).
#include <fmt/format.h>

#include <fstream>
#include <ostream>
#include <sstream>

#include "genrelab/error.h"
#include "genrelab/evaluation.h"
#include "genrelab/metrics.h"
#include "genrelab/protocol.h"
#include "genrelab/train.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "genrelab/model_registry.h"

namespace genrelab {
namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the file. Check the path", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

ModelFile train_model_file(const TrainRequest& request, std::ostream* progress) {
  const bool seed_data = request.data_path == "seed";
  // Typed, like load_dataset: numbers go straight to the matrix, no text kept for them.
  const CsvOptions csv = dataset_csv_options(request.options);
  const Table table =
      seed_data ? read_csv_text(bundled_seed_csv(), kBundledSeedName, csv) : read_csv(request.data_path, csv);
  const Dataset data = build_dataset(table, request.options);
  require_two_genres(data, "training a classifier");
  // What the data set is and what was dropped, imputed or left out, as evaluate prints it.
  if (progress) *progress << dataset_text(data);
  const protocol::Protocol& p = request.protocol;
  const ParamMap params = with_default_seed(request.model, request.params, p.seed);
  const int n_classes = static_cast<int>(data.classes.size());

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
  f.training.sha256 = sha256_hex(seed_data ? std::string(bundled_seed_csv()) : file_bytes(request.data_path));

  std::vector<int> fit_rows;
  nlohmann::json metrics = nlohmann::json::object();
  if (p.test_size > 0) {
    if (progress) *progress << fmt::format("  {}: fitting on {:g} % of the rows, scoring on the held-out {:g} %\n",
                                           request.model, 100 * (1 - p.test_size), 100 * p.test_size);
    const Split split = train_test_split(data.y, n_classes, p.test_size, split_options(p, data.groups));
    const Holdout h = evaluate_holdout(data, request.model, params, split);
    f.pipeline = h.model;
    fit_rows = split.train;
    namespace pr = protocol;
    metrics["holdout"] = pr::result_json(p, {pr::kTestSize, pr::kSeed, pr::kStratify, pr::kSklearnSplit});
    metrics["holdout"].update(nlohmann::json{
        {"grouped_by", request.options.group_by},
        {"n_train", split.train.size()},
        {"n_test", split.test.size()},
        {"accuracy", h.test.accuracy},
        {"balanced_accuracy", h.test.balanced_accuracy},
        {"f1_macro", h.test.macro.f1},
        {"train_accuracy", h.train_accuracy},
        {"fit_seconds", h.fit_seconds},
    });
    metrics["saved_model_fitted_on"] = "training part of the hold-out split";
  } else {
    if (progress) *progress << fmt::format("  {}: fitting on all {} rows\n", request.model, data.n_rows());
    auto pipeline = std::make_shared<Pipeline>(request.model, params);
    pipeline->fit(data.X, data.y, n_classes);
    fit_rows.resize(data.n_rows());
    for (std::size_t i = 0; i < fit_rows.size(); ++i) fit_rows[i] = static_cast<int>(i);
    metrics["train_accuracy"] = accuracy(data.y, pipeline->predict(data.X));
    metrics["saved_model_fitted_on"] = "all rows";
    f.pipeline = std::move(pipeline);
  }
  f.metrics = metrics;
  f.params = f.pipeline->model().params();
  f.training.rows_used = fit_rows.size();
  f.feature_means = take_rows(data.X, fit_rows).colwise().mean().transpose();
  return f;
}

std::string train_text(const ModelFile& f) {
  std::string out = fmt::format("model      {} ({} features, {} genres)\n", f.model, f.feature_names.size(), f.classes.size());
  std::string params;
  for (const auto& [k, v] : f.params) params += fmt::format("{}={} ", k, v);
  out += fmt::format("parameters {}\n", params);
  out += fmt::format("data       {} ({} rows x {} columns, sha256 {}...)\n", f.training.source, f.training.file_rows,
                     f.training.file_columns, f.training.sha256.substr(0, 16));
  out += fmt::format("fitted on  {} rows ({})\n", f.training.rows_used, f.metrics.value("saved_model_fitted_on", ""));
  if (f.metrics.contains("holdout")) {
    const auto& h = f.metrics["holdout"];
    out += fmt::format("held out   {} rows: accuracy {:.3f}, balanced accuracy {:.3f}, macro F1 {:.3f} (train accuracy {:.3f})\n",
                       h["n_test"].get<std::size_t>(), h["accuracy"].get<double>(), h["balanced_accuracy"].get<double>(),
                       h["f1_macro"].get<double>(), h["train_accuracy"].get<double>());
  } else if (f.metrics.contains("train_accuracy")) {
    out += fmt::format("training accuracy {:.3f} (on the rows it was fitted on; use --holdout 0.2 for an honest score)\n",
                       f.metrics["train_accuracy"].get<double>());
  }
  return out;
}

}  // namespace genrelab
