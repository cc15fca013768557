// The HTML report: one self-contained file (charts are Vega-Lite specs,
// rendered by vega-embed, with vega, vega-lite and vega-embed inlined) built
// from a results directory, so it opens offline and can be mailed around.
//
// Results directory layout (written by `genrelab run` and `genrelab demo`):
//
//   RESULTS_DIR/summary.json                 required; "format": "genrelab-results/1"
//   RESULTS_DIR/results/ID_comparison.json   one per subset (comparison_json), named by
//                                            the subset's "comparison" entry
//   RESULTS_DIR/results/ID_MODEL.json        one per subset and model (evaluation_json);
//                                            not read by the report
//   RESULTS_DIR/profile/profile.json         profile_json, when summary.json names it
//   RESULTS_DIR/profile/profile.csv          the same statistics in long CSV
//   RESULTS_DIR/profile/separability.json    separability_json, when summary.json names it
//   RESULTS_DIR/open_set.json                optional: `genrelab evaluate DATA --open-set K
//                                            --json RESULTS_DIR/open_set.json` (open_set_json)
//   RESULTS_DIR/index.html                   the report (when the experiment asks for it)
//
// summary.json:
// { "format": "genrelab-results/1", "study", "data", "seed",
//   "settings": {"cv", "test_size", "stratified", "tuned", "scoring"},
//   "subsets": [{"id", "title", "dataset": dataset_json, "comparison": "results/ID_comparison.json",
//                "published": {MODEL: accuracy}, "models": [{"model", "file", "holdout_accuracy",
//                "cv_accuracy", "cv_accuracy_sd"}]}],
//   "profile": "profile/profile.json" | null, "separability": "profile/separability.json" | null,
//   "report": {"title", "overlay_feature", "overlay_genres": [..]} }
// Paths inside summary.json are relative to RESULTS_DIR.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab {

// The chart libraries' minified builds, compiled into the program.
std::string_view bundled_vega_js();
std::string_view bundled_vega_lite_js();
std::string_view bundled_vega_embed_js();

struct ReportOptions {
  std::string title;                        // empty: summary.json's report.title, else its study
  std::string overlay_feature;              // empty: summary.json's, else "energy" or the first numeric feature
  std::vector<std::string> overlay_genres;  // empty: summary.json's, else the three most confused genres
};

// Everything the report reads, parsed and checked. InputError naming the file,
// what is missing and which command writes it.
struct ReportInputs {
  std::string results_dir;
  nlohmann::json summary;
  std::vector<nlohmann::json> comparisons;  // one per summary subset, same order
  bool has_profile = false, has_separability = false;
  nlohmann::json profile, separability;
  bool has_open_set = false;
  nlohmann::json open_set;  // the "open_set" object of open_set.json
};
ReportInputs load_results(const std::string& results_dir);

struct Chart {
  std::string id;          // HTML id of its container
  nlohmann::json spec;     // a Vega-Lite spec
};

// The page and the chart specs in it (exposed so tests can check every spec).
struct RenderedReport {
  std::string html;
  std::vector<Chart> charts;
  std::vector<std::string> sections;  // HTML ids of the sections, in order
};
RenderedReport render_report(const ReportInputs& inputs, const ReportOptions& options = {});

// load_results + render_report + write_file_atomic(output_path).
void write_report(const std::string& results_dir, const std::string& output_path, const ReportOptions& options = {});

}  // namespace genrelab
