// The seed study, reproduced honestly: scaled where it matters, split before
// anything is fitted, stratified, seeded, and with no ghost class.
#include <fmt/format.h>

#include <ostream>

#include "genrelab/study.h"

namespace genrelab {
namespace {

struct Subset {
  std::string id, title;
  std::vector<std::string> genres;  // empty: all
  double published;                 // the study's reported Random Forest accuracy
};

const std::vector<Subset>& subsets() {
  static const std::vector<Subset> list = {
      {"all14", "all 14 genres", {}, 0.604},
      {"six", "the study's 6 most distinct genres",
       {"50s Hits", "classical", "electronic", "industrial pop", "rockabilly", "spanish"}, 0.804},
  };
  return list;
}

}  // namespace

void run_demo(const DemoOptions& options, std::ostream& out, std::ostream& progress) {
  nlohmann::json summary = {{"study", "seed study (Spotify audio features, 2020)"},
                            {"data", kBundledSeedName},
                            {"seed", options.seed},
                            {"subsets", nlohmann::json::array()}};
  std::vector<std::pair<std::string, std::string>> files;  // written only after everything succeeded
  std::string table;

  for (const auto& subset : subsets()) {
    DatasetOptions data_options;
    data_options.genres = subset.genres;
    progress << fmt::format("genrelab demo: {} ...\n", subset.title);
    const Dataset data = load_dataset("seed", data_options);
    out << fmt::format("\n######## {} ########\n", subset.title) << dataset_text(data) << "\n";

    nlohmann::json subset_json = {{"id", subset.id}, {"title", subset.title}, {"dataset", dataset_json(data)},
                                  {"published_random_forest_accuracy", subset.published},
                                  {"models", nlohmann::json::array()}};
    CompareRequest request;
    request.seed = options.seed;
    request.params["random_forest"] = {{"n_estimators", "100"}, {"max_depth", "10"}, {"max_features", "sqrt"}};
    const auto results = compare_models(data, request, &progress);
    out << comparison_text(results, request, data) << "\n";
    files.emplace_back(fmt::format("{}/results/{}_comparison.json", options.output_dir, subset.id),
                       comparison_json(results, request, data).dump(2) + "\n");
    for (const auto& r : results) {
      // The study's headline models get the full report in the terminal; every
      // model's full results are in its JSON file.
      if (r.model == "random_forest" || r.model == "dummy") out << evaluation_text(r.evaluation, data) << "\n";
      const std::string file = fmt::format("{}/results/{}_{}.json", options.output_dir, subset.id, r.model);
      files.emplace_back(file, evaluation_json(r.evaluation, data).dump(2) + "\n");
      subset_json["models"].push_back({{"model", r.model}, {"file", file},
                                       {"holdout_accuracy", r.evaluation.holdout.test.accuracy},
                                       {"cv_accuracy", r.evaluation.cv.accuracy.mean},
                                       {"cv_accuracy_sd", r.evaluation.cv.accuracy.sd}});
      table += fmt::format("  {:<8} {:<20} {:>14.1f}% {:>12.1f}% ± {:.1f}\n", subset.id, r.model,
                           100 * r.evaluation.holdout.test.accuracy, 100 * r.evaluation.cv.accuracy.mean,
                           100 * r.evaluation.cv.accuracy.sd);
    }
    table += fmt::format("  {:<8} {:<20} {:>14.1f}%   (the study's published Random Forest, its own split)\n",
                         subset.id, "published", 100 * subset.published);
    summary["subsets"].push_back(subset_json);
  }

  out << "\n######## Summary ########\n";
  out << fmt::format("  {:<8} {:<20} {:>15} {:>20}\n", "subset", "model", "held-out 20%", "5-fold CV mean ± sd");
  out << table;
  out << "Held-out: stratified 80/20 split, seed " << options.seed
      << "; CV: stratified 5-fold. Features are standardised inside each fold for models that need it.\n";

  files.emplace_back(options.output_dir + "/summary.json", summary.dump(2) + "\n");
  for (const auto& [path, content] : files) write_file_atomic(path, content);
  out << fmt::format("Results written to {}/ (summary.json, results/*.json)\n", options.output_dir);
}

}  // namespace genrelab
