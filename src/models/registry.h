// Constructors of every model family, for the factory. Private to src/: the
// public way to build a model is make_classifier() in genrelab/model.h.
#pragma once

#include <memory>

#include "genrelab/model.h"

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

}  // namespace genrelab
