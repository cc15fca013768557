// The list of models. One entry per model holds everything the program asks
// about it; the constructors are defined next to each model.
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "genrelab/error.h"
#include "genrelab/model_registry.h"
#include "genrelab/suggest.h"

namespace genrelab {

std::unique_ptr<Classifier> make_dummy();
std::unique_ptr<Classifier> make_decision_tree();
std::unique_ptr<Classifier> make_random_forest();
std::unique_ptr<Classifier> make_extra_trees();
std::unique_ptr<Classifier> make_svm();
std::unique_ptr<Classifier> make_linear_svm();
std::unique_ptr<Classifier> make_gradient_boosting();
std::unique_ptr<Classifier> make_adaboost();
std::unique_ptr<Classifier> make_knn();
std::unique_ptr<Classifier> make_naive_bayes();
std::unique_ptr<Classifier> make_logistic_regression();

namespace {

using I = ImportanceKind;
using E = ExplanationMethod;

// In the order `compare --models all` runs them. Cost ranks: gradient
// boosting's fits are the longest, the dummy's the shortest. Default grids
// are small grids around the values that matter most for each family, chosen
// so that `compare --tune` on a few thousand tracks finishes in seconds.
const std::vector<ModelInfo>& entries() {
  static const std::vector<ModelInfo> list = {
      {"dummy", "baseline that ignores the features (strategy most_frequent|prior|stratified|uniform)", make_dummy,
       "strategy=prior,stratified", 10, I::None, E::Occlusion, /*baseline=*/true},
      {"decision_tree", "CART decision tree (gini or entropy)", make_decision_tree,
       "max_depth=5,10,None min_samples_leaf=1,5", 8, I::Impurity, E::TreeShap},
      // The default model: the seed study's. Per pair it has the study's
      // settings, cheap enough to fit once per pair and fold.
      {"random_forest", "random forest of CART trees on bootstrap samples", make_random_forest,
       "n_estimators=300 max_depth=10,20,None max_features=sqrt,0.3", 5, I::Impurity, E::TreeShap,
       /*baseline=*/false, /*is_default=*/true, /*pairwise_params=*/{{"n_estimators", "100"}, {"max_depth", "10"}}},
      {"extra_trees", "extremely randomised trees", make_extra_trees,
       "n_estimators=300 max_depth=20,None max_features=sqrt,0.3", 4, I::Impurity, E::TreeShap},
      {"svm", "kernel support-vector classifier (LIBSVM C-SVC, as sklearn SVC)", make_svm,
       "C=0.5,2,8,32 gamma=scale,0.005,0.02", 2, I::None, E::Occlusion},
      {"linear_svm", "linear support-vector classifier (LIBLINEAR, as sklearn LinearSVC)", make_linear_svm,
       "C=0.01,0.1,1", 1, I::None, E::Occlusion},
      {"gradient_boosting", "gradient-boosted trees (XGBoost hist, as XGBClassifier)", make_gradient_boosting,
       "n_estimators=100,300 max_depth=3,6 learning_rate=0.05,0.1 subsample=0.8", 0, I::Gain, E::XGBoostTreeShap},
      {"adaboost", "SAMME AdaBoost over shallow decision trees", make_adaboost,
       "n_estimators=100,300 learning_rate=0.5,1.0 max_depth=1,3", 6, I::Impurity, E::Occlusion},
      {"knn", "k-nearest neighbours vote (k-d tree or brute force, as KNeighborsClassifier)", make_knn,
       "n_neighbors=5,10,20,40 weights=uniform,distance", 7, I::None, E::Occlusion},
      {"naive_bayes", "Gaussian naive Bayes (as GaussianNB)", make_naive_bayes,
       "var_smoothing=1e-9,1e-6,1e-3,1e-1", 9, I::None, E::Occlusion},
      {"logistic_regression", "multinomial logistic regression, L2, L-BFGS (as LogisticRegression)",
       make_logistic_regression, "C=0.01,0.1,1,10 max_iter=1000", 3, I::None, E::Occlusion},
  };
  return list;
}

}  // namespace

const std::vector<ModelInfo>& model_registry() { return entries(); }

const ModelInfo* find_model_info(const std::string& name) {
  for (const auto& e : entries())
    if (e.name == name) return &e;
  return nullptr;
}

const std::string& default_model() {
  static const std::string name = [] {
    const auto& list = entries();
    const auto marked = [](const ModelInfo& e) { return e.is_default; };
    if (std::count_if(list.begin(), list.end(), marked) != 1)
      throw std::logic_error("the model registry must mark exactly one entry is_default");
    return std::find_if(list.begin(), list.end(), marked)->name;
  }();
  return name;
}

const ModelInfo& model_info(const std::string& name) {
  if (const ModelInfo* e = find_model_info(name)) return *e;
  throw UsageError(fmt::format("unknown model '{}'. Available models: {}.{}", name, fmt::join(classifier_names(), ", "),
                               did_you_mean(name, classifier_names())));
}

std::vector<ParameterSet::Spec> ModelInfo::parameters() const { return make()->parameter_set().specs(); }

std::unique_ptr<Classifier> make_classifier(const std::string& name, const ParamMap& params) {
  auto model = model_info(name).make();
  model->set_params(params);
  return model;
}

std::vector<std::string> classifier_names() {
  std::vector<std::string> names;
  for (const auto& e : entries()) names.push_back(e.name);
  return names;
}

std::string describe_classifier(const std::string& name) {
  const ModelInfo& e = model_info(name);
  std::string out = fmt::format("{}: {}\n", e.name, e.description);
  for (const auto& s : e.parameters())
    out += fmt::format("  {:<22} default {:<10} {}\n", s.name, s.default_value, s.help);
  return out;
}

ParamMap with_default_seed(const std::string& model, ParamMap params, std::uint64_t seed) {
  // Building the model checks `params` first, so a misspelt name is reported as such.
  const auto probe = make_classifier(model, params);
  const auto& specs = probe->parameter_set().specs();
  const bool has_random_state =
      std::any_of(specs.begin(), specs.end(), [](const auto& s) { return s.name == "random_state"; });
  if (has_random_state && !params.count("random_state")) params["random_state"] = std::to_string(seed);
  return params;
}

std::string importance_label(ImportanceKind kind) {
  switch (kind) {
    case ImportanceKind::Gain: return "total gain, normalised";
    case ImportanceKind::Impurity: return "mean decrease in impurity, MDI";
    case ImportanceKind::None: break;
  }
  return "none";
}

std::string explanation_name(ExplanationMethod method) {
  switch (method) {
    case ExplanationMethod::XGBoostTreeShap: return "xgboost-treeshap";
    case ExplanationMethod::TreeShap: return "treeshap";
    case ExplanationMethod::Occlusion: break;
  }
  return "occlusion";
}

}  // namespace genrelab
