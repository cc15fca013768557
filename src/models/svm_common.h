// Pieces shared by the LIBSVM, LIBLINEAR and XGBoost wrappers (svm,
// linear_svm, gradient_boosting): the classes present, the per-thread C
// rand() and the thread count for per-class fits. Input checks are the
// Classifier contract's (model.h).
#pragma once

#include <string>
#include <vector>

#include "genrelab/matrix.h"

namespace genrelab::svm_common {

// LIBSVM (Platt cross-validation) and LIBLINEAR (dual coordinate descent
// order) draw from the C library's rand(). genrelab replaces rand/srand with a
// per-thread generator (c_rand.cpp), so srand(seed) right before training on
// the same thread makes "same seed, same model" true with no lock, also when
// folds or classes are fitted in parallel. Call this rather than std::srand:
// it is what links c_rand.cpp into every program.
void seed_c_rand(unsigned seed);

// Threads for the wrappers' own parallel loops (one-vs-rest classes,
// one-vs-one pairs): one inside an active parallel region, where the caller
// (parallel folds, grid points) already uses the cores, else OpenMP's default.
int fit_threads();

// Rows per class code (size n_classes).
std::vector<int> class_counts(const Labels& y, int n_classes);
// Codes that occur in y, ascending.
std::vector<int> present_classes(const Labels& y, int n_classes);

}  // namespace genrelab::svm_common
