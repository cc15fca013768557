// Every model by its name, with everything the rest of the program asks about
// it: what `genrelab models` prints, the grid `compare --tune` searches, the
// order the scheduler starts fits in, what the report calls its importances,
// how `explain` explains it, which model is used when none is named and how
// it is lightened for per-pair fits. Adding a model is its file pair and one
// entry in src/models/registry.cpp; nothing else names a model.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "genrelab/model.h"
#include "genrelab/parameters.h"

namespace genrelab {

// What a model's feature_importances() mean.
enum class ImportanceKind { None, Impurity, Gain };
// How `explain` attributes a prediction to features (explain.h).
enum class ExplanationMethod { Occlusion, TreeShap, XGBoostTreeShap };

struct ModelInfo {
  std::string name;         // as typed on the command line and written in files
  std::string description;  // one line
  std::function<std::unique_ptr<Classifier>()> make;
  // A small, sensible grid for `compare --tune` and `tune` without --grid.
  std::string default_grid;
  // Typical cost of one fit, 0 the heaviest; only the order in which pooled
  // fits start depends on it, never a result.
  int cost_rank = 0;
  ImportanceKind importance = ImportanceKind::None;
  ExplanationMethod explanation = ExplanationMethod::Occlusion;
  // A baseline ignores the features (left out of "all models" summaries).
  bool baseline = false;
  // The model a request uses when it names none (default_model()); exactly
  // one entry is.
  bool is_default = false;
  // Set, unless given, where the model is fitted once per genre pair and fold
  // (separability, select): many small fits, so lighter settings than the
  // model's own defaults where those are costly. Empty: its defaults.
  ParamMap pairwise_params = {};

  // Its parameters (name, type, default, range, help), as the model declares them.
  std::vector<ParameterSet::Spec> parameters() const;
};

// In the order `compare --models all` runs them.
const std::vector<ModelInfo>& model_registry();
// UsageError listing the models when `name` is none of them.
const ModelInfo& model_info(const std::string& name);
// nullptr when `name` is none of them (results written by another version).
const ModelInfo* find_model_info(const std::string& name);
// The name of the entry marked is_default: what --model means when not given.
const std::string& default_model();

// A model by name with `params` set. Unknown names and parameters are
// UsageErrors that list what exists.
std::unique_ptr<Classifier> make_classifier(const std::string& name, const ParamMap& params = {});
std::vector<std::string> classifier_names();
// Name, description and parameters, for `genrelab models` and error messages.
std::string describe_classifier(const std::string& name);

// --seed is the one number a person sets for a reproducible run; it seeds the
// model too unless they chose a random_state of their own.
ParamMap with_default_seed(const std::string& model, ParamMap params, std::uint64_t seed);

std::string importance_label(ImportanceKind kind);     // "total gain, normalised", ...
std::string explanation_name(ExplanationMethod method);  // "treeshap", ...

}  // namespace genrelab
