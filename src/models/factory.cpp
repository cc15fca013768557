#include <fmt/format.h>

#include <functional>

#include "genrelab/error.h"
#include "genrelab/model.h"
#include "models/registry.h"

namespace genrelab {
namespace {

struct Entry {
  const char* name;
  const char* summary;
  std::function<std::unique_ptr<Classifier>()> make;
};

// The list of models, in the order `compare --models all` runs them.
const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {"dummy", "baseline that ignores the features (strategy most_frequent|prior|stratified|uniform)", make_dummy},
      {"decision_tree", "CART decision tree (gini or entropy)", make_decision_tree},
      {"random_forest", "random forest of CART trees on bootstrap samples", make_random_forest},
      {"extra_trees", "extremely randomised trees", make_extra_trees},
      {"svm", "kernel support-vector classifier (LIBSVM C-SVC, as sklearn SVC)", make_svm},
      {"linear_svm", "linear support-vector classifier (LIBLINEAR, as sklearn LinearSVC)", make_linear_svm},
      {"gradient_boosting", "gradient-boosted trees (XGBoost hist, as XGBClassifier)", make_gradient_boosting},
      {"adaboost", "SAMME AdaBoost over shallow decision trees", make_adaboost},
      {"knn", "k-nearest neighbours vote (k-d tree or brute force, as KNeighborsClassifier)", make_knn},
      {"naive_bayes", "Gaussian naive Bayes (as GaussianNB)", make_naive_bayes},
      {"logistic_regression", "multinomial logistic regression, L2, L-BFGS (as LogisticRegression)", make_logistic_regression},
  };
  return entries;
}

}  // namespace

std::unique_ptr<Classifier> make_classifier(const std::string& name, const ParamMap& params) {
  for (const auto& e : registry()) {
    if (name == e.name) {
      auto model = e.make();
      model->set_params(params);
      return model;
    }
  }
  throw UsageError(fmt::format("unknown model '{}'. Available models: {}.", name, fmt::join(classifier_names(), ", ")));
}

std::vector<std::string> classifier_names() {
  std::vector<std::string> names;
  for (const auto& e : registry()) names.emplace_back(e.name);
  return names;
}

std::string describe_classifier(const std::string& name) {
  for (const auto& e : registry()) {
    if (name == e.name) {
      std::string out = fmt::format("{}: {}\n", e.name, e.summary);
      const auto model = e.make();  // must outlive the loop over its specs
      for (const auto& s : model->parameter_set().specs())
        out += fmt::format("  {:<22} default {:<10} {}\n", s.name, s.default_value, s.help);
      return out;
    }
  }
  throw UsageError(fmt::format("unknown model '{}'. Available models: {}.", name, fmt::join(classifier_names(), ", ")));
}

}  // namespace genrelab
