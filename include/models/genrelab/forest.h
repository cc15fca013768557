// Forest-specific results that do not fit the generic Classifier contract.
#pragma once

#include <optional>

#include "genrelab/model.h"

namespace genrelab {

// Out-of-bag accuracy (scikit-learn's oob_score_) of a fitted random_forest
// or extra_trees model trained with oob_score=true and bootstrap=true;
// nullopt for any other model or setting.
std::optional<double> oob_score(const Classifier& model);

}  // namespace genrelab
