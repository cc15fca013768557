// Running an experiment: every subset's model comparison, the genre profile
// and separability, then the results directory and the report. Nothing is
// written until everything has been computed, so a failure half-way leaves
// the previous results intact.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "genrelab/atomic_file.h"
#include "genrelab/split.h"
#include "genrelab/error.h"
#include "genrelab/experiment.h"
#include "genrelab/model_registry.h"
#include "genrelab/profiling.h"
#include "genrelab/protocol.h"
#include "genrelab/report.h"
#include "genrelab/study.h"

namespace genrelab {
namespace {

std::vector<ExperimentSubset> subsets_of(const Experiment& x) {
  if (!x.subsets.empty()) return x.subsets;
  return {ExperimentSubset{"all", "all genres", {}, {}}};
}

// A subset's genres are picked from the data the experiment kept.
DatasetOptions subset_options(const Experiment& x, const ExperimentSubset& s) {
  DatasetOptions o = x.data_options;
  if (!s.genres.empty()) o.genres = s.genres;
  return o;
}

// What one run writes, gathered so that nothing is written until all of it is ready.
struct RunOutputs {
  std::vector<std::pair<std::string, std::string>> files;  // relative to the output directory
  std::string table;                                       // the summary table's rows
  ReportInputs report_inputs;
};

nlohmann::json summary_header(const Experiment& x) {
  namespace pr = protocol;
  nlohmann::json settings =
      pr::result_json(x.protocol, {pr::kCv, pr::kTestSize, pr::kStratify, pr::kSklearnSplit, pr::kScoring});
  settings["tuned"] = x.tune;
  settings["importance"] = x.importance;
  // The seed sits at the top: it is the study's ([study] seed), the rest its [evaluation].
  nlohmann::json summary = pr::result_json(x.protocol, {pr::kSeed});
  summary.update(nlohmann::json{{"format", "genrelab-results/1"},
                                {"study", x.title},
                                {"data", x.data == "seed" ? std::string(kBundledSeedName) : x.data},
                                {"experiment", x.file},
                                {"settings", settings},
                                {"subsets", nlohmann::json::array()},
                                {"profile", nullptr},
                                {"separability", nullptr}});
  return summary;
}

// The experiment's [evaluation] and [models] as one comparison of models.
CompareRequest compare_request(const Experiment& x) {
  CompareRequest request;
  request.protocol = x.protocol;
  request.tune = x.tune;
  request.importance = x.importance;
  request.repeats = x.repeats;
  request.confirmed = x.confirmed;
  for (const auto& m : x.models) {
    request.models.push_back(m.name);
    if (!m.params.empty()) request.params[m.name] = m.params;
    if (!m.grid.empty()) request.grids[m.name] = m.grid;
  }
  return request;
}

// One subset: compare every model, print, queue its result files; its entry in summary.json.
nlohmann::json run_subset(const Experiment& x, const ExperimentSubset& subset, std::ostream& out, std::ostream& progress,
                          RunOutputs& w) {
  for (const auto& g : subset.genres)
    if (!x.data_options.genres.empty() &&
        std::find(x.data_options.genres.begin(), x.data_options.genres.end(), g) == x.data_options.genres.end())
      throw UsageError(fmt::format("{}: subset '{}' names genre '{}', which [data] genres leaves out", x.file,
                                   subset.id, g));
  progress << fmt::format("genrelab: {} ...\n", subset.title);
  const Dataset data = load_dataset(x.data, subset_options(x, subset));
  out << fmt::format("\n######## {} ########\n", subset.title) << dataset_text(data) << "\n";

  const CompareRequest request = compare_request(x);
  const auto results = compare_models(data, request, &progress);
  out << comparison_text(results, request, data) << "\n";

  const std::string comparison_file = fmt::format("results/{}_comparison.json", subset.id);
  nlohmann::json comparison = comparison_json(results, request, data);
  w.files.emplace_back(comparison_file, comparison.dump(2) + "\n");
  w.report_inputs.comparisons.push_back(std::move(comparison));

  nlohmann::json published = nlohmann::json::object();
  for (const auto& [model, acc] : subset.published) published[model] = acc;
  nlohmann::json subset_json = {{"id", subset.id},
                                {"title", subset.title},
                                {"dataset", dataset_json(data)},
                                {"comparison", comparison_file},
                                {"published", published},
                                {"models", nlohmann::json::array()}};
  if (auto p = subset.published.find(kSeedStudyPublishedModel); p != subset.published.end())
    subset_json[fmt::format("published_{}_accuracy", kSeedStudyPublishedModel)] = p->second;
  for (const auto& r : results) {
    // The headline models, the default one and the baselines it is measured
    // against, get the full report in the terminal; every model's full
    // results are in its JSON file.
    if (r.model == default_model() || model_info(r.model).baseline)
      out << evaluation_text(r.evaluation, data) << "\n";
    const std::string file = fmt::format("results/{}_{}.json", subset.id, r.model);
    w.files.emplace_back(file, evaluation_json(r.evaluation, data).dump(2) + "\n");
    subset_json["models"].push_back({{"model", r.model},
                                     {"file", x.output_dir + "/" + file},
                                     {"holdout_accuracy", r.evaluation.holdout.test.accuracy},
                                     {"cv_accuracy", r.evaluation.cv.accuracy.mean},
                                     {"cv_accuracy_sd", r.evaluation.cv.accuracy.sd}});
    w.table += fmt::format("  {:<8} {:<20} {:>14.1f}% {:>12.1f}% ± {:.1f}\n", subset.id, r.model,
                           100 * r.evaluation.holdout.test.accuracy, 100 * r.evaluation.cv.accuracy.mean,
                           100 * r.evaluation.cv.accuracy.sd);
  }
  for (const auto& [model, acc] : subset.published)
    w.table += fmt::format("  {:<8} {:<20} {:>14.1f}%   (published {}, the study's own split)\n", subset.id,
                           "published", 100 * acc, model);
  return subset_json;
}

// [profile]: genre profiles and, when asked, pairwise separability.
void run_profile(const Experiment& x, std::ostream& out, std::ostream& progress, nlohmann::json& summary,
                 RunOutputs& w) {
  progress << "genrelab: profiling the genres ...\n";
  const Dataset data = load_dataset(x.data, x.data_options);
  const Profile profile = profile_genres(data, x.bins);
  w.report_inputs.profile = profile_json(profile);
  w.report_inputs.has_profile = true;
  w.files.emplace_back("profile/profile.json", w.report_inputs.profile.dump(2) + "\n");
  w.files.emplace_back("profile/profile.csv", profile_csv(profile));
  summary["profile"] = "profile/profile.json";
  out << "\n######## Genre profiles ########\n" << profile_text(profile, 3);
  if (x.separability) {
    SeparabilityRequest sr;
    sr.model = x.separability_model;
    sr.params = x.separability_params;
    sr.protocol = x.protocol;
    sr.protocol.cv = x.separability_cv;
    sr.bins = x.bins;
    const Separability s = genre_separability(data, sr, &progress);
    w.report_inputs.separability = separability_json(s);
    w.report_inputs.has_separability = true;
    w.files.emplace_back("profile/separability.json", w.report_inputs.separability.dump(2) + "\n");
    summary["separability"] = "profile/separability.json";
    out << "\n" << separability_text(s);
  }
}

}  // namespace

void check_experiment(const Experiment& x) { check_compare_request(compare_request(x)); }

void run_experiment(const Experiment& x, std::ostream& out, std::ostream& progress) {
  check_experiment(x);
  nlohmann::json summary = summary_header(x);
  RunOutputs w;
  w.report_inputs.results_dir = x.output_dir;
  for (const auto& subset : subsets_of(x)) summary["subsets"].push_back(run_subset(x, subset, out, progress, w));

  const protocol::Protocol& p = x.protocol;
  out << "\n######## Summary ########\n";
  out << fmt::format("  {:<8} {:<20} {:>15} {:>20}\n", "subset", "model", "held-out",
                     fmt::format("{}-fold CV mean ± sd", p.cv));
  out << w.table;
  out << fmt::format("Held-out: {:g}/{:g} split ({}), seed {}; CV: {}{}-fold{}. Features are standardised inside each "
                     "fold for models that need it.\n",
                     100 * (1 - p.test_size), 100 * p.test_size, holdout_split_name(p.stratify, p.sklearn_split), p.seed,
                     p.stratify ? "stratified " : "", p.cv, x.tune ? " on the training part, which chose the parameters" : "");

  if (x.profile) run_profile(x, out, progress, summary, w);

  summary["report"] = {{"title", x.report_options.title.empty() ? x.title : x.report_options.title},
                       {"overlay_feature", x.report_options.overlay_feature},
                       {"overlay_genres", x.report_options.overlay_genres}};
  w.report_inputs.summary = summary;
  w.files.emplace_back("summary.json", summary.dump(2) + "\n");
  if (x.report) w.files.emplace_back("index.html", render_report(w.report_inputs, x.report_options).html);

  for (const auto& [path, content] : w.files) write_file_atomic(x.output_dir + "/" + path, content);
  out << fmt::format("\nResults written to {}/ (summary.json, results/*.json{}{})\n", x.output_dir,
                     x.profile ? ", profile/" : "", x.report ? ", index.html" : "");
  if (x.report) out << fmt::format("Report: {}/index.html\n", x.output_dir);
}

}  // namespace genrelab
