// A whole study described by one TOML file (see examples/seed-study.toml):
// the data, the genre subsets, the models with their parameters or grids,
// how they are evaluated, the genre profile, and where the results and the
// report go. `genrelab demo` is the built-in seed-study experiment.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/model_registry.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"
#include "genrelab/report.h"
#include "genrelab/tuning.h"

namespace genrelab {

struct ExperimentSubset {
  std::string id, title;
  std::vector<std::string> genres;          // empty: every genre of the data
  std::map<std::string, double> published;  // accuracy a publication reported, per model, for comparison
};
// The model the seed study published an accuracy for. summary.json repeats a
// subset's published accuracy of it as "published_<model>_accuracy", a key
// kept for the readers that came before "published" held every model's.
inline constexpr const char* kSeedStudyPublishedModel = "random_forest";

struct ExperimentModel {
  std::string name;
  ParamMap params;   // held fixed
  std::string grid;  // searched when tuning ('p=v1,v2 q=...'); empty: the model's default grid
};

struct Experiment {
  std::string file;      // where it was read from, for messages; "(built-in)" for the demo
  std::string title = "genrelab study";
  std::string data = "seed";  // CSV path (relative paths resolved against the file's directory) or "seed"
  DatasetOptions data_options;
  std::vector<ExperimentModel> models;  // empty: every model genrelab has
  protocol::Protocol protocol;  // [evaluation], and [study] seed
  bool tune = false;
  std::string importance;  // "" or "permutation"
  int repeats = 5;
  std::vector<ExperimentSubset> subsets;  // empty: one subset "all" with every genre
  bool profile = true, separability = true;
  int bins = 20;
  std::string separability_model = default_model();
  ParamMap separability_params;
  int separability_cv = protocol::kDefaultFolds;  // the rest of separability's protocol is the study's
  std::string output_dir = "genrelab-report";  // relative to the current directory, like every -o
  bool report = true;
  ReportOptions report_options;
  bool confirmed = false;  // run --yes: tuning searches above protocol::kMaxFitsUnconfirmed fits may start
};

// Parses experiment TOML. UsageError naming the file, line and key for syntax
// errors, unknown keys, wrong types, unknown models or parameters.
// `base_dir` resolves a relative data path ("" leaves it as written), so an
// experiment file and its CSV can move together.
Experiment parse_experiment(std::string_view toml_text, const std::string& file, const std::string& base_dir);
Experiment load_experiment(const std::string& path);
// What run_experiment checks before any work (UsageError): the comparison's
// models, parameters and grids, and the size of every tuning search.
void check_experiment(const Experiment& x);

// examples/seed-study.toml, compiled into the program.
std::string_view bundled_seed_study_toml();
Experiment seed_study_experiment();

// Runs the study: prints what a person reads to `out`, progress to
// `progress`, and writes the results directory (layout in report.h), every
// file only after everything was computed.
void run_experiment(const Experiment& experiment, std::ostream& out, std::ostream& progress);

}  // namespace genrelab
