// LIBSVM's own model text (what svm_save_model writes), checked before
// svm_load_model sees it: LIBSVM 3.24 trusts its input (a negative nr_class
// or a missing SV line makes it read or write out of bounds), and a model
// file must never crash genrelab.
#pragma once

#include <string>
#include <string_view>

namespace genrelab {

class ByteReader;

// Fails through `in` unless `text` is a C-SVC model with 2..n_classes
// classes whose labels lie in [0, n_classes), consistent counts, and support
// vectors with feature indices ascending within 1..n_features.
void check_libsvm_model_text(std::string_view text, int n_classes, int n_features, ByteReader& in);

// svm_save_model / svm_load_model only work on files; these go through a
// private temporary file.
std::string libsvm_model_text(const void* model);  // const svm_model*
void* libsvm_model_from_text(const std::string& text);  // svm_model*, or nullptr

}  // namespace genrelab
