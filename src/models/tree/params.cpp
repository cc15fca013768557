#include "models/tree/params.h"

#include <fmt/format.h>

#include <cmath>

#include "genrelab/error.h"

namespace genrelab::tree {
namespace {

// scikit-learn tells an int from a float by its Python type; people type
// text, so "2" is a count and "0.5" or "1.0" a fraction.
bool looks_fractional(const std::string& text) { return text.find_first_of(".eE") != std::string::npos; }

}  // namespace

void declare_tree_params(ParameterSet& params, const std::string& max_features_default) {
  params.declare_choice("criterion", "gini", "split quality: gini, or entropy (log_loss is the same)",
                        {"gini", "entropy", "log_loss"});
  params.declare_int("max_depth", "None", "deepest level a leaf may sit at (root is 0); None grows until pure",
                     1, 1e308, {"None"});
  params.declare_float("min_samples_split", "2",
                       "samples a node needs to be split: an integer >= 2, or a fraction (0,1] of the training rows",
                       0.0, 1e308, true);
  params.declare_float("min_samples_leaf", "1",
                       "samples each leaf must keep: an integer >= 1, or a fraction (0,1) of the training rows", 0.0,
                       1e308, true);
  params.declare_float("max_features", max_features_default,
                       "features tried per split: sqrt, log2, None (all), an integer, or a fraction (0,1]", 0.0,
                       1e308, true, {"None", "sqrt", "log2"});
  params.declare_float("min_impurity_decrease", "0", "a split must lower weighted impurity by at least this", 0.0,
                       1e308);
}

void declare_split_search_params(ParameterSet& params) {
  params.declare_choice("split_search", "auto",
                        "how best thresholds are searched: exact (every distinct value), hist (up to max_bins "
                        "quantile bins per feature, linear in the rows), or auto (hist from 50000 training rows)",
                        {"auto", "hist", "exact"});
  params.declare_int("max_bins", "255", "bins per feature for split_search=hist", 2, 255);
}

bool use_histogram_search(const ParameterSet& params, const std::string& owner, int n_samples,
                          bool random_thresholds) {
  if (params.is_word("split_search", "exact")) return false;
  if (params.is_word("split_search", "hist")) {
    if (random_thresholds)
      throw UsageError(fmt::format("{}: split_search=hist searches best thresholds only; with random thresholds "
                                   "use split_search=exact or auto",
                                   owner));
    return true;
  }
  return !random_thresholds && n_samples >= kAutoHistRows;
}

TreeOptions resolve_tree_options(const ParameterSet& params, const std::string& owner, int n_samples,
                                 int n_features) {
  TreeOptions opt;
  opt.criterion = params.is_word("criterion", "gini") ? Criterion::gini : Criterion::entropy;
  if (!params.is_word("max_depth", "None")) opt.max_depth = static_cast<int>(params.get_int("max_depth"));

  auto bad = [&](const std::string& name, const std::string& rule) {
    return UsageError(fmt::format("{}: {}='{}' is not allowed; {}.", owner, name, params.get(name), rule));
  };

  const std::string& leaf_text = params.get("min_samples_leaf");
  const double leaf_value = params.get_float("min_samples_leaf");
  if (looks_fractional(leaf_text)) {
    if (!(leaf_value > 0.0 && leaf_value < 1.0))
      throw bad("min_samples_leaf", "a fraction must lie in (0, 1); an integer count must be >= 1");
    opt.min_samples_leaf = static_cast<int>(std::ceil(leaf_value * n_samples));
  } else {
    if (leaf_value < 1.0 || leaf_value != std::floor(leaf_value))
      throw bad("min_samples_leaf", "an integer count must be >= 1; a fraction must lie in (0, 1)");
    opt.min_samples_leaf = static_cast<int>(std::min(leaf_value, 2e9));
  }

  const std::string& split_text = params.get("min_samples_split");
  const double split_value = params.get_float("min_samples_split");
  if (looks_fractional(split_text)) {
    if (!(split_value > 0.0 && split_value <= 1.0))
      throw bad("min_samples_split", "a fraction must lie in (0, 1]; an integer count must be >= 2");
    opt.min_samples_split = std::max(2, static_cast<int>(std::ceil(split_value * n_samples)));
  } else {
    if (split_value < 2.0 || split_value != std::floor(split_value))
      throw bad("min_samples_split", "an integer count must be >= 2; a fraction must lie in (0, 1]");
    opt.min_samples_split = static_cast<int>(std::min(split_value, 2e9));
  }
  opt.min_samples_split = std::max(opt.min_samples_split, 2 * opt.min_samples_leaf);

  const std::string& mf = params.get("max_features");
  if (mf == "None") {
    opt.max_features = n_features;
  } else if (mf == "sqrt") {
    opt.max_features = std::max(1, static_cast<int>(std::sqrt(static_cast<double>(n_features))));
  } else if (mf == "log2") {
    opt.max_features = std::max(1, static_cast<int>(std::log2(static_cast<double>(n_features))));
  } else {
    const double v = params.get_float("max_features");
    if (looks_fractional(mf)) {
      if (!(v > 0.0 && v <= 1.0)) throw bad("max_features", "a fraction must lie in (0, 1]");
      opt.max_features = std::max(1, static_cast<int>(v * n_features));
    } else {
      if (v < 1.0 || v > n_features || v != std::floor(v))
        throw bad("max_features", fmt::format("an integer must lie in [1, {}] (the number of features)", n_features));
      opt.max_features = static_cast<int>(v);
    }
  }
  opt.min_impurity_decrease = params.get_float("min_impurity_decrease");
  return opt;
}

}  // namespace genrelab::tree
