// Orchestration the command line calls: load a data set, evaluate a model
// honestly, run the seed study. Everything here returns results as values and
// JSON; the CLI only parses arguments and prints.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <map>
#include <string>
#include <string_view>

#include "genrelab/dataset.h"
#include "genrelab/evaluation.h"
#include "genrelab/importance.h"
#include "genrelab/tuning.h"

namespace genrelab {

// The seed study's CSV, compiled into the program so `genrelab demo` works from anywhere.
std::string_view bundled_seed_csv();
inline constexpr const char* kBundledSeedName = "data/seed/all_genres.csv";

// Reads a CSV and builds the Dataset; `path` "seed" means the bundled seed data.
Dataset load_dataset(const std::string& path, const DatasetOptions& options);

struct EvaluateRequest {
  std::string model = "random_forest";
  ParamMap params;
  int cv = 5;               // 0: no cross-validation
  double test_size = 0.2;   // 0: no held-out split
  std::uint64_t seed = 42;  // splits, folds, and the model's random_state unless given
  bool stratify = true;
  bool sklearn_split = false;  // held-out rows as scikit-learn's train_test_split picks them (SplitOptions::sklearn_holdout)
  int top_importances = 15;
};

struct EvaluationResult {
  EvaluateRequest request;
  ParamMap params;  // every parameter of the model, defaults included
  bool has_holdout = false, has_cv = false;
  Holdout holdout;
  CrossValidation cv;
};

EvaluationResult evaluate_model(const Dataset& data, const EvaluateRequest& request,
                                std::ostream* progress = nullptr);

nlohmann::json dataset_json(const Dataset& data);
// with_fold_assignment adds cv.fold_of_row (one fold number per row) and
// holdout.test_rows, so another tool can be run on exactly the same rows.
nlohmann::json evaluation_json(const EvaluationResult& result, const Dataset& data,
                               bool with_fold_assignment = false);
// What a person reads in the terminal: scores, classification report,
// confusion matrix, top importances.
std::string evaluation_text(const EvaluationResult& result, const Dataset& data);
std::string dataset_text(const Dataset& data);

// ---- tune ---------------------------------------------------------------
struct TuneRequest {
  std::string model;
  ParamMap fixed;           // --param values held constant
  std::string grid;         // 'p=v1,v2 q=...'; empty: the model's default grid
  std::size_t random = 0;   // > 0: random search over that many grid points
  int cv = 5;
  std::uint64_t seed = 42;
  bool stratify = true;
  Scoring scoring = Scoring::Accuracy;
};
// A small, sensible grid per model, for `compare --tune` and `tune` without --grid.
std::string default_grid(const std::string& model);
TuneResult run_tune(const Dataset& data, const TuneRequest& request, std::ostream* progress = nullptr);
nlohmann::json tune_json(const TuneResult& result, const TuneRequest& request);
std::string tune_text(const TuneResult& result, const TuneRequest& request, std::size_t top = 20);

// ---- compare ------------------------------------------------------------
struct CompareRequest {
  std::vector<std::string> models;  // empty: every model in the factory
  int cv = 5;
  double test_size = 0.2;
  std::uint64_t seed = 42;
  bool stratify = true;
  bool sklearn_split = false;  // held-out rows as scikit-learn's train_test_split picks them (SplitOptions::sklearn_holdout)
  bool tune = false;  // choose parameters by CV on the training part, then test once
  Scoring scoring = Scoring::Accuracy;
  std::string importance;  // "" or "permutation": permutation importance on the held-out part
  int repeats = 5;
  std::map<std::string, ParamMap> params;  // per-model fixed parameters
  std::map<std::string, std::string> grids;  // per-model grid searched when tuning; absent: default_grid
};

struct ModelComparison {
  std::string model;
  EvaluationResult evaluation;  // holdout always; cv = CV on all rows (no tuning) or on the training part
  bool tuned = false;
  TuneResult tuning;
  bool has_permutation = false;
  PermutationImportance permutation;
  // Time spent on this model. Untuned, its fits share the cores with other
  // models' fits, so this is the sum of its own fits' durations (and of the
  // permutation importance); tuned, models run one after another and this is
  // the wall-clock time of its tuning, final fit and importance.
  double seconds = 0;
};

// Permutation importance as JSON (features ranked by mean drop) and as text.
nlohmann::json permutation_json(const PermutationImportance& p, const Dataset& data, Scoring scoring, int repeats);
std::string permutation_text(const PermutationImportance& p, const Dataset& data, const std::string& model,
                             Scoring scoring, int repeats, std::size_t top);

std::vector<ModelComparison> compare_models(const Dataset& data, const CompareRequest& request,
                                            std::ostream* progress = nullptr);
nlohmann::json comparison_json(const std::vector<ModelComparison>& results, const CompareRequest& request,
                               const Dataset& data);
std::string comparison_text(const std::vector<ModelComparison>& results, const CompareRequest& request,
                            const Dataset& data);

struct DemoOptions {
  std::string output_dir = "genrelab-report";
  std::uint64_t seed = 42;
};
// The seed study: Dummy and Random Forest (100 trees, max_depth 10) on all 14
// genres and on the study's 6; prints everything and writes JSON to output_dir.
void run_demo(const DemoOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace genrelab
