// JSON and terminal renderings of datasets and evaluation results.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "genrelab/protocol.h"
#include "genrelab/split.h"
#include "genrelab/study.h"

namespace genrelab {
namespace {

using nlohmann::json;

json report_json(const ClassificationReport& r, const std::vector<std::string>& classes) {
  json per_class = json::array();
  for (std::size_t k = 0; k < r.per_class.size(); ++k) {
    const auto& s = r.per_class[k];
    per_class.push_back({{"class", classes[k]}, {"precision", s.precision}, {"recall", s.recall},
                         {"f1", s.f1}, {"support", s.support}});
  }
  auto avg = [](const ClassScores& s) {
    return json{{"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}};
  };
  return {{"n", r.n},
          {"accuracy", r.accuracy},
          {"balanced_accuracy", r.balanced_accuracy},
          {"per_class", per_class},
          {"macro_avg", avg(r.macro)},
          {"weighted_avg", avg(r.weighted)},
          {"confusion_matrix", r.confusion}};
}

std::vector<std::size_t> ranked(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return values[a] > values[b]; });
  return order;
}

std::string pct(double x) { return fmt::format("{:.1f}%", 100.0 * x); }

std::string params_text(const ParamMap& params) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : params) parts.push_back(k + "=" + v);
  return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace

json dataset_json(const Dataset& data) {
  json classes = json::array();
  const auto counts = data.class_counts();
  for (std::size_t k = 0; k < data.classes.size(); ++k)
    classes.push_back({{"name", data.classes[k]}, {"tracks", counts[k]}});
  const auto& f = data.findings;
  json excluded = json::array();
  for (const auto& [col, why] : f.excluded_columns) excluded.push_back({{"column", col}, {"reason", why}});
  return {{"source", data.source},
          {"rows", data.n_rows()},
          {"features", data.feature_names},
          {"label_column", f.label_column},
          {"classes", classes},
          {"findings",
           {{"excluded_columns", excluded},
            {"duplicate_rows", f.duplicate_rows},
            {"id_column", f.id_column},
            {"ids_with_several_labels", f.ids_with_several_labels},
            {"rows_with_repeated_id", f.rows_with_repeated_id},
            {"rows_dropped", f.rows_dropped},
            {"cells_imputed", f.cells_imputed},
            {"rows_outside_genres", f.rows_outside_genres},
            {"notes", f.notes}}}};
}

json evaluation_json(const EvaluationResult& result, const Dataset& data, bool with_fold_assignment) {
  const auto& req = result.request;
  const protocol::Protocol& p = req.protocol;
  // The protocol's keys are protocol.h's; the held-out fraction and the
  // folds are written with their results below.
  json out = protocol::result_json(p, {protocol::kSeed, protocol::kStratify, protocol::kSklearnSplit});
  out["model"] = req.model;
  out["params"] = result.params;
  out[protocol::kGroupBy.result_key()] = data.groups.empty() ? json(nullptr) : json(true);
  out["genrelab_version"] = GENRELAB_VERSION;
  if (result.has_holdout) {
    const auto& h = result.holdout;
    json importances = json::array();
    for (std::size_t i : ranked(h.importances))
      importances.push_back({{"feature", data.feature_names[i]}, {"importance", h.importances[i]}});
    out["holdout"] = {{protocol::kTestSize.result_key(), p.test_size},
                      {"n_train", h.split.train.size()},
                      {"n_test", h.split.test.size()},
                      {"train_accuracy", h.train_accuracy},
                      {"fit_seconds", h.fit_seconds},
                      {"predict_seconds", h.predict_seconds},
                      {"test", report_json(h.test, data.classes)},
                      {"importances", importances}};
    if (with_fold_assignment) out["holdout"]["test_rows"] = h.split.test;
  }
  if (result.has_cv) {
    const auto& cv = result.cv;
    json folds = json::array();
    for (const auto& f : cv.folds)
      folds.push_back({{"accuracy", f.accuracy}, {"balanced_accuracy", f.balanced_accuracy},
                       {"f1_macro", f.f1_macro}, {"train_accuracy", f.train_accuracy},
                       {"n_train", f.n_train}, {"n_test", f.n_test},
                       {"fit_seconds", f.fit_seconds}, {"predict_seconds", f.predict_seconds}});
    auto ms = [](const MeanSd& m) { return json{{"mean", m.mean}, {"sd", m.sd}}; };
    out["cv"] = {{"k", p.cv},
                 {"accuracy", ms(cv.accuracy)},
                 {"balanced_accuracy", ms(cv.balanced_accuracy)},
                 {"f1_macro", ms(cv.f1_macro)},
                 {"train_accuracy", ms(cv.train_accuracy)},
                 {"sd_convention", "population (ddof=0), as numpy.std"},
                 {"fit_seconds_total", cv.fit_seconds},
                 {"predict_seconds_total", cv.predict_seconds},
                 {"folds", folds},
                 {"out_of_fold", report_json(cv.out_of_fold, data.classes)}};
    if (with_fold_assignment) out["cv"]["fold_of_row"] = cv.fold_of_row;
  }
  return out;
}

std::string dataset_text(const Dataset& data) {
  std::string out = fmt::format("{}: {} tracks, {} features, {} genres (label column '{}')\n", data.source,
                                data.n_rows(), data.n_features(), data.classes.size(), data.findings.label_column);
  const auto counts = data.class_counts();
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < data.classes.size(); ++k) parts.push_back(fmt::format("{} {}", data.classes[k], counts[k]));
  out += fmt::format("  genres: {}\n", fmt::join(parts, ", "));
  for (const auto& note : data.findings.notes) out += "  note: " + note + "\n";
  return out;
}

std::string evaluation_text(const EvaluationResult& result, const Dataset& data) {
  const auto& req = result.request;
  const protocol::Protocol& p = req.protocol;
  std::string out = fmt::format("== {} ({})\n", req.model, params_text(result.params));
  if (result.has_holdout) {
    const auto& h = result.holdout;
    out += fmt::format(
        "Held-out test ({} train / {} test, {}, seed {}): accuracy {}  balanced accuracy {}  macro F1 {}  "
        "(train accuracy {})\n",
        h.split.train.size(), h.split.test.size(), holdout_split_name(p.stratify, p.sklearn_split), p.seed,
        pct(h.test.accuracy), pct(h.test.balanced_accuracy), pct(h.test.macro.f1), pct(h.train_accuracy));
  }
  if (result.has_cv) {
    const auto& cv = result.cv;
    std::vector<std::string> folds;
    for (const auto& f : cv.folds) folds.push_back(fmt::format("{:.1f}", 100 * f.accuracy));
    out += fmt::format("{}-fold {}CV: accuracy {} ± {:.1f}  balanced accuracy {}  macro F1 {}  (folds: {})\n",
                       p.cv, p.stratify ? "stratified " : "", pct(cv.accuracy.mean), 100 * cv.accuracy.sd,
                       pct(cv.balanced_accuracy.mean), pct(cv.f1_macro.mean), fmt::join(folds, ", "));
  }
  if (result.has_holdout) {
    const auto& h = result.holdout;
    out += "\nClassification report (held-out test):\n";
    out += format_classification_report(h.test, data.classes);
    if (data.classes.size() > kConfusionMatrixMaxGenres) {
      constexpr std::size_t kPairs = 15;
      out += fmt::format("\nMost confused genres (held-out test): the {} largest cells of the {}x{} confusion matrix;\n"
                         "rate = share of the true genre's test tracks. The full matrix: --json FILE "
                         "(evaluation.holdout.test.confusion_matrix)\n",
                         kPairs, data.classes.size(), data.classes.size());
      out += format_confused_pairs(h.test, data.classes, kPairs);
    } else {
      out += "\nConfusion matrix (held-out test; rows = true genre, columns = predicted):\n";
      out += format_confusion_matrix(h.test, data.classes);
    }
    if (!h.importances.empty() && req.top_importances > 0) {
      out += fmt::format("\nTop {} feature importances (impurity decrease, fitted on the training part):\n",
                         std::min<std::size_t>(req.top_importances, h.importances.size()));
      int shown = 0;
      for (std::size_t i : ranked(h.importances)) {
        if (shown++ >= req.top_importances) break;
        const int bar = static_cast<int>(h.importances[i] * 200 + 0.5);
        out += fmt::format("  {:>28}  {:.4f}  {}\n", data.feature_names[i], h.importances[i],
                           std::string(static_cast<std::size_t>(std::min(bar, 40)), '#'));
      }
    }
  }
  return out;
}

}  // namespace genrelab
