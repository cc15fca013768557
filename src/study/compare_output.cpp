#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "genrelab/protocol.h"
#include "genrelab/split.h"
#include "genrelab/study.h"

namespace genrelab {

namespace {
std::vector<std::size_t> by_mean_drop(const PermutationImportance& p) {
  std::vector<std::size_t> order(p.mean.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p.mean[a] > p.mean[b]; });
  return order;
}
}  // namespace

nlohmann::json permutation_json(const PermutationImportance& p, const Dataset& data, Scoring scoring, int repeats) {
  nlohmann::json features = nlohmann::json::array();
  for (auto i : by_mean_drop(p))
    features.push_back({{"feature", data.feature_names[i]}, {"mean", p.mean[i]}, {"sd", p.sd[i]}});
  return {{protocol::kScoring.result_key(), scoring_name(scoring)},
          {"repeats", repeats},
          {"baseline", p.baseline},
          {"features", features}};
}

std::string permutation_text(const PermutationImportance& p, const Dataset& data, const std::string& model,
                             Scoring scoring, int repeats, std::size_t top) {
  const auto order = by_mean_drop(p);
  std::string out = fmt::format("Permutation importance, {} (drop in held-out {}, {} repeats), top {}:\n", model,
                                scoring_name(scoring), repeats, std::min(top, order.size()));
  for (std::size_t i = 0; i < std::min(top, order.size()); ++i)
    out += fmt::format("  {:>28}  {:+.4f} ± {:.4f}\n", data.feature_names[order[i]], p.mean[order[i]],
                       p.sd[order[i]]);
  return out;
}

nlohmann::json comparison_json(const std::vector<ModelComparison>& results, const CompareRequest& request,
                               const Dataset& data) {
  nlohmann::json models = nlohmann::json::array();
  int rank = 0;
  for (const auto& r : results) {
    nlohmann::json m = evaluation_json(r.evaluation, data);
    m["rank"] = ++rank;
    m["seconds_total"] = r.seconds;
    m["cv_scope"] = r.tuned ? "training part (parameters chosen by this CV)" : "all rows";
    if (r.tuned) {
      TuneRequest tr;
      tr.protocol = request.protocol;
      m["tuning"] = tune_json(r.tuning, tr);
    }
    if (r.has_permutation) {
      m["permutation_importance"] =
          permutation_json(r.permutation, data, request.protocol.scoring, request.repeats);
    }
    models.push_back(m);
  }
  namespace pr = protocol;
  nlohmann::json out = pr::result_json(
      request.protocol, {pr::kCv, pr::kTestSize, pr::kSeed, pr::kStratify, pr::kSklearnSplit, pr::kScoring});
  out["dataset"] = dataset_json(data);
  out["tuned"] = request.tune;
  out["models"] = std::move(models);
  return out;
}

std::string comparison_text(const std::vector<ModelComparison>& results, const CompareRequest& request,
                            const Dataset& data) {
  const protocol::Protocol& p = request.protocol;
  std::string out = fmt::format(
      "Model comparison on {} ({} tracks, {} genres): {}-fold {}CV{}, held-out {:g} % test split ({}), seed {}\n",
      data.source, data.n_rows(), data.classes.size(), p.cv, p.stratify ? "stratified " : "",
      request.tune ? " on the training part (parameters tuned by it)" : "", 100 * p.test_size,
      holdout_split_name(p.stratify, p.sklearn_split), p.seed);
  out += fmt::format("{:>4}  {:<20} {:>15} {:>8} {:>8} {:>8} {:>8} {:>9} {:>11}\n", "rank", "model", "CV acc ± sd",
                     "bal acc", "macro F1", "train", "test", "fit s", "predict ms");
  int rank = 0;
  for (const auto& r : results) {
    const auto& ev = r.evaluation;
    out += fmt::format("{:>4}  {:<20} {:>8.1f}% ± {:>4.1f} {:>7.1f}% {:>7.1f}% {:>7.1f}% {:>7.1f}% {:>9.3f} {:>11.1f}\n",
                       ++rank, r.model, 100 * ev.cv.accuracy.mean, 100 * ev.cv.accuracy.sd,
                       100 * ev.cv.balanced_accuracy.mean, 100 * ev.cv.f1_macro.mean,
                       100 * ev.holdout.train_accuracy, 100 * ev.holdout.test.accuracy, ev.holdout.fit_seconds,
                       1000 * ev.holdout.predict_seconds);
  }
  out += "CV acc / bal acc / macro F1: cross-validated means; train / test: accuracy of one fit on the training part,"
         " scored on itself and on the held-out part (a large gap means over-fitting).\n";
  if (request.tune) {
    out += "Chosen parameters:\n";
    for (const auto& r : results) {
      std::vector<std::string> parts;
      for (const auto& [k, v] : r.tuning.candidates.front().params) parts.push_back(k + "=" + v);
      out += fmt::format("  {:<20} {}\n", r.model, fmt::join(parts, " "));
    }
  }
  for (const auto& r : results) {
    if (r.has_permutation)
      out += permutation_text(r.permutation, data, r.model, p.scoring, request.repeats, 10);
  }
  return out;
}

}  // namespace genrelab
