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
#include "genrelab/open_set.h"
#include "genrelab/protocol.h"
#include "genrelab/train.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "genrelab/model_registry.h"

namespace genrelab {
ModelFile train_model_file(const TrainRequest& request, std::ostream* progress) {
  const bool seed_data = request.data_path == "seed";
  // Typed, like load_dataset: numbers go straight to the matrix, no text kept for them.
  const CsvOptions csv = dataset_csv_options(request.options);
  Table table =
      seed_data ? read_csv_text(bundled_seed_csv(), kBundledSeedName, csv) : read_csv(request.data_path, csv);
  const std::size_t file_rows = table.n_rows(), file_columns = table.n_cols();
  // Handed over whole, so the numbers are in memory once (load_dataset).
  const Dataset data = build_dataset(std::move(table), request.options);
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
  f.training.file_rows = file_rows;
  f.training.file_columns = file_columns;
  f.training.sha256 = seed_data ? sha256_hex(bundled_seed_csv()) : sha256_file_hex(request.data_path);

  std::vector<int> fit_rows;
  nlohmann::json metrics = nlohmann::json::object();
  // --calibrate: the rows the model may learn from lose a share to calibration.
  std::vector<int> cal_rows;
  auto set_aside_calibration = [&](std::vector<int> rows) {
    if (request.calibrate <= 0) return rows;
    check_calibrate(request.calibrate, "--calibrate");
    Labels y_rows = take(data.y, rows);
    std::vector<std::string> groups;
    if (!data.groups.empty())
      for (int r : rows) groups.push_back(data.groups[static_cast<std::size_t>(r)]);
    const Split s = train_test_split(y_rows, n_classes, request.calibrate, split_options(p, groups));
    std::vector<int> fit;
    for (int i : s.train) fit.push_back(rows[static_cast<std::size_t>(i)]);
    for (int i : s.test) cal_rows.push_back(rows[static_cast<std::size_t>(i)]);
    return fit;
  };
  if (p.test_size > 0) {
    if (progress) *progress << fmt::format("  {}: fitting on {:g} % of the rows, scoring on the held-out {:g} %\n",
                                           request.model, 100 * (1 - p.test_size), 100 * p.test_size);
    Split split = train_test_split(data.y, n_classes, p.test_size, split_options(p, data.groups));
    split.train = set_aside_calibration(split.train);
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
    std::vector<int> all(data.n_rows());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    fit_rows = set_aside_calibration(std::move(all));
    auto pipeline = std::make_shared<Pipeline>(request.model, params);
    if (cal_rows.empty()) {
      if (progress) *progress << fmt::format("  {}: fitting on all {} rows\n", request.model, data.n_rows());
      pipeline->fit(data.X, data.y, n_classes);
      metrics["train_accuracy"] = accuracy(data.y, pipeline->predict(data.X));
      metrics["saved_model_fitted_on"] = "all rows";
    } else {
      if (progress)
        *progress << fmt::format("  {}: fitting on {} rows, calibrating on {}\n", request.model, fit_rows.size(),
                                 cal_rows.size());
      const Matrix X_fit = take_rows(data.X, fit_rows);
      const Labels y_fit = take(data.y, fit_rows);
      pipeline->fit(X_fit, y_fit, n_classes);
      metrics["train_accuracy"] = accuracy(y_fit, pipeline->predict(X_fit));
      metrics["saved_model_fitted_on"] = "all rows but the calibration rows";
    }
    f.pipeline = std::move(pipeline);
  }
  if (!cal_rows.empty()) {
    if (progress && p.test_size > 0)
      *progress << fmt::format("  {}: calibrating open-set scores on {} of the training rows\n", request.model,
                               cal_rows.size());
    const Matrix X_fit = take_rows(data.X, fit_rows);
    auto calibration = std::make_shared<OpenSetCalibration>(OpenSetCalibration::fit(
        *f.pipeline, X_fit, take(data.y, fit_rows), take_rows(data.X, cal_rows), take(data.y, cal_rows), n_classes));
    calibration->fraction = request.calibrate;
    metrics["calibration"] = {{"rows", cal_rows.size()}, {"fraction", request.calibrate},
                              {"grouped_by", request.options.group_by}};
    f.open_set = std::move(calibration);
  }
  f.metrics = metrics;
  f.params = f.pipeline->model().params();
  f.training.rows_used = fit_rows.size();
  // Column by column (the same sums as colwise().mean() of the copied rows,
  // without that copy of the training part).
  f.feature_means.resize(data.X.cols());
  Vector column(static_cast<Eigen::Index>(fit_rows.size()));
  for (Eigen::Index c = 0; c < data.X.cols(); ++c) {
    for (std::size_t i = 0; i < fit_rows.size(); ++i) column(static_cast<Eigen::Index>(i)) = data.X(fit_rows[i], c);
    f.feature_means(c) = column.mean();
  }
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
    // Percentages with one decimal, as evaluate, compare and predict print them.
    out += fmt::format("held out   {} rows: accuracy {:.1f}%, balanced accuracy {:.1f}%, macro F1 {:.1f}% (train accuracy {:.1f}%)\n",
                       h["n_test"].get<std::size_t>(), 100 * h["accuracy"].get<double>(),
                       100 * h["balanced_accuracy"].get<double>(), 100 * h["f1_macro"].get<double>(),
                       100 * h["train_accuracy"].get<double>());
  } else if (f.metrics.contains("train_accuracy")) {
    out += fmt::format("training accuracy {:.1f}% (on the rows it was fitted on; use --holdout 0.2 for an honest score)\n",
                       100 * f.metrics["train_accuracy"].get<double>());
  }
  if (f.open_set)
    out += fmt::format("calibrated {} held-out training rows: open-set scores and prediction sets (predict --reject / --sets)\n",
                       f.open_set->n_calibration);
  return out;
}

}  // namespace genrelab
