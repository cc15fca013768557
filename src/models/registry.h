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

}  // namespace genrelab
