#include "models/random_forest.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "genrelab/error.h"
#include "genrelab/forest.h"
#include "genrelab/bytes.h"
#include "models/tree/histogram.h"
#include "models/tree/params.h"

namespace genrelab {

RandomForest::RandomForest(bool extra_trees) : extra_(extra_trees) {
  params_.set_owner(name());
  params_.declare_int("n_estimators", "100", "number of trees", 1, 100000);
  tree::declare_tree_params(params_, "sqrt");
  // Extra trees draw random thresholds, which the exact search serves.
  if (!extra_) tree::declare_split_search_params(params_);
  params_.declare_bool("bootstrap", extra_ ? "false" : "true",
                       "train each tree on n draws with replacement instead of all rows");
  params_.declare_float("max_samples", "None",
                        "draws per bootstrap: None (n), an integer, or a fraction (0,1] of the rows", 0.0, 1e308,
                        true, {"None"});
  params_.declare_bool("oob_score", "false", "score each row with the trees that did not see it (needs bootstrap)");
  params_.declare_choice("class_weight", "None",
                         "balanced: weights inverse to class frequency; balanced_subsample: the same per bootstrap",
                         {"None", "balanced", "balanced_subsample"});
  // scikit-learn defaults to None (a fresh seed each run); genrelab results must
  // be reproducible, so the default is a fixed seed.
  params_.declare_int("random_state", "0", "seed; tree t uses its own stream derived from it", 0, 4294967295.0);
  params_.declare_int("n_jobs", "-1", "threads: -1 uses all cores, None means 1", 1, 4096, {"-1", "None"});
}

int RandomForest::threads() const {
  const std::string& jobs = params_.get("n_jobs");
  if (jobs == "-1") return omp_get_max_threads();
  if (jobs == "None") return 1;
  return static_cast<int>(params_.get_int("n_jobs"));
}

void RandomForest::fit_model(const Matrix& X, const Labels& y, int n_classes) { fit_forest(X, nullptr, y, n_classes); }

void RandomForest::fit_rows_model(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes) {
  fit_forest(X, &rows, y, n_classes);
}

void RandomForest::fit_forest(const Matrix& X, const std::vector<int>* rows, const Labels& y, int n_classes) {
  const int n = static_cast<int>(rows ? rows->size() : static_cast<std::size_t>(X.rows()));
  tree::TreeOptions opt = tree::resolve_tree_options(params_, name(), n, static_cast<int>(X.cols()));
  opt.random_thresholds = extra_;
  const int n_trees = static_cast<int>(params_.get_int("n_estimators"));
  const bool bootstrap = params_.get_bool("bootstrap");
  const bool want_oob = params_.get_bool("oob_score");
  const auto seed = static_cast<std::uint64_t>(params_.get_int("random_state"));

  if (want_oob && !bootstrap)
    throw UsageError(fmt::format("{}: oob_score=true needs bootstrap=true (every tree sees every row otherwise)",
                                 name()));
  int n_draws = n;
  const std::string& ms = params_.get("max_samples");
  if (ms != "None") {
    if (!bootstrap) throw UsageError(fmt::format("{}: max_samples needs bootstrap=true", name()));
    const double v = params_.get_float("max_samples");
    if (ms.find_first_of(".eE") != std::string::npos) {
      if (v > 1.0) throw UsageError(fmt::format("{}: max_samples={} is not allowed; a fraction must lie in (0, 1]", name(), ms));
      n_draws = std::max(1, static_cast<int>(std::round(v * n)));
    } else {
      if (v < 1.0 || v > n || v != std::floor(v))
        throw UsageError(fmt::format("{}: max_samples={} is not allowed; an integer must lie in [1, {}] (the rows)",
                                     name(), ms, n));
      n_draws = static_cast<int>(v);
    }
  }
  const std::string& cw_mode = params_.get("class_weight");
  // As scikit-learn: balanced_subsample without bootstrap is plain balanced.
  const bool per_tree_balance = cw_mode == "balanced_subsample" && bootstrap;
  std::vector<double> class_weight(static_cast<std::size_t>(n_classes), 1.0);
  if (cw_mode == "balanced" || (cw_mode == "balanced_subsample" && !bootstrap))
    class_weight = balanced_class_weights(y, n_classes);

  // One of the two searches' data, built once and shared by every tree.
  const bool hist = !extra_ && tree::use_histogram_search(params_, name(), n, false);
  if (!hist && rows) {
    fit_forest(take_rows(X, *rows), nullptr, y, n_classes);
    return;
  }
  std::optional<tree::BinnedData> bins;
  std::optional<tree::TrainingData> data;
  if (hist)
    bins.emplace(X, static_cast<int>(params_.get_int("max_bins")), seed, name(), rows);
  else
    data.emplace(X, y, n_classes, extra_ ? tree::TrainingData::kCodes : tree::TrainingData::kRanks);
  trees_.assign(static_cast<std::size_t>(n_trees), tree::Tree{});
  // Which rows each tree saw; only kept for the out-of-bag score.
  std::vector<std::uint8_t> in_bag(want_oob ? static_cast<std::size_t>(n_trees) * n : 0);

#pragma omp parallel num_threads(threads())
  {
    tree::Workspace ws;
    std::vector<double> counts(static_cast<std::size_t>(n));
    std::vector<double> weight(static_cast<std::size_t>(n));
#pragma omp for schedule(dynamic, 1)
    for (int t = 0; t < n_trees; ++t) {
      Rng rng = Rng::derive(seed, static_cast<std::uint64_t>(t));
      if (bootstrap) {
        // Bootstrap as integer sample weights, the way scikit-learn does it:
        // a row drawn twice counts twice in impurities but once in
        // min_samples_leaf.
        std::fill(counts.begin(), counts.end(), 0.0);
        for (int d = 0; d < n_draws; ++d) counts[rng.uniform_index(static_cast<std::uint64_t>(n))] += 1.0;
      } else {
        std::fill(counts.begin(), counts.end(), 1.0);
      }
      const std::vector<double> cw = per_tree_balance ? balanced_class_weights(y, n_classes, counts) : class_weight;
      for (int i = 0; i < n; ++i)
        weight[static_cast<std::size_t>(i)] = counts[static_cast<std::size_t>(i)] * cw[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])];
      if (hist)
        trees_[static_cast<std::size_t>(t)].grow_hist(*bins, y, n_classes, weight, opt, rng, ws);
      else
        trees_[static_cast<std::size_t>(t)].grow(*data, X, weight, opt, rng, ws);
      if (want_oob)
        for (int i = 0; i < n; ++i)
          in_bag[static_cast<std::size_t>(t) * n + i] = counts[static_cast<std::size_t>(i)] > 0.0 ? 1 : 0;
    }
  }
  n_classes_ = n_classes;
  n_features_ = static_cast<int>(X.cols());

  has_oob_ = false;
  if (want_oob) {
    long correct = 0;
#pragma omp parallel num_threads(threads()) reduction(+ : correct)
    {
      std::vector<double> acc(static_cast<std::size_t>(n_classes));
#pragma omp for schedule(static)
      for (int i = 0; i < n; ++i) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int t = 0; t < n_trees; ++t) {
          if (in_bag[static_cast<std::size_t>(t) * n + i]) continue;
          const auto& tr = trees_[static_cast<std::size_t>(t)];
          tr.add_leaf_proba(tr.apply(X, rows ? (*rows)[static_cast<std::size_t>(i)] : i), 1.0, acc.data());
        }
        // A row that was in every bootstrap gets all-zero votes and so class
        // 0, exactly as scikit-learn scores it (it warns; we keep it simple).
        int best = 0;
        for (int k = 1; k < n_classes; ++k)
          if (acc[static_cast<std::size_t>(k)] > acc[static_cast<std::size_t>(best)]) best = k;
        if (best == y[static_cast<std::size_t>(i)]) ++correct;
      }
    }
    oob_ = static_cast<double>(correct) / n;
    has_oob_ = true;
  }
}

std::optional<Contributions> RandomForest::contributions_toward(const Matrix& X, const Labels& target) const {
  std::vector<const tree::Tree*> trees;
  for (const auto& t : trees_) trees.push_back(&t);
  return tree::tree_shap(trees, X, target, predict_proba(X));
}

Matrix RandomForest::predict_proba_model(const Matrix& X) const {
  const Eigen::Index rows = X.rows();
  Matrix P(rows, n_classes_);
  const double scale = 1.0 / static_cast<double>(trees_.size());
  // Blocks of rows in parallel; within a block tree after tree, so one tree's
  // nodes stay in cache while its rows are routed. Each row still sums the
  // trees in the same order, which gives the same bits on any thread count.
  constexpr Eigen::Index kBlock = 256;
  const Eigen::Index blocks = (rows + kBlock - 1) / kBlock;
  const auto K = static_cast<std::size_t>(n_classes_);
#pragma omp parallel num_threads(threads())
  {
    std::vector<double> acc(static_cast<std::size_t>(kBlock) * K);
#pragma omp for schedule(static)
    for (Eigen::Index b = 0; b < blocks; ++b) {
      const Eigen::Index begin = b * kBlock, end = std::min(rows, begin + kBlock);
      std::fill(acc.begin(), acc.end(), 0.0);
      for (const auto& tr : trees_)
        for (Eigen::Index i = begin; i < end; ++i)
          tr.add_leaf_proba(tr.apply(X, i), 1.0, acc.data() + static_cast<std::size_t>(i - begin) * K);
      for (int k = 0; k < n_classes_; ++k)
        for (Eigen::Index i = begin; i < end; ++i)
          P(i, k) = acc[static_cast<std::size_t>(i - begin) * K + static_cast<std::size_t>(k)] * scale;
    }
  }
  return P;
}

std::vector<double> RandomForest::feature_importances() const {
  if (n_features_ == 0) return {};
  std::vector<double> total(static_cast<std::size_t>(n_features_), 0.0);
  int used = 0;
  // As scikit-learn: single-leaf trees carry no information and are skipped.
  for (const auto& tr : trees_) {
    if (tr.node_count() <= 1) continue;
    const auto imp = tr.importances(n_features_);
    for (std::size_t f = 0; f < imp.size(); ++f) total[f] += imp[f];
    ++used;
  }
  double sum = 0.0;
  for (double v : total) sum += v;
  if (used > 0 && sum > 0.0)
    for (double& v : total) v /= sum;
  return total;
}

double RandomForest::oob_score() const {
  if (!has_oob_)
    throw UsageError(fmt::format("{}: no out-of-bag score; fit with oob_score=true and bootstrap=true", name()));
  return oob_;
}

std::optional<double> oob_score(const Classifier& model) {
  const auto* forest = dynamic_cast<const RandomForest*>(&model);
  if (forest == nullptr || !forest->has_oob_score()) return std::nullopt;
  return forest->oob_score();
}

void RandomForest::save(ByteWriter& out) const {
  out.i32(n_classes_);
  out.i32(n_features_);
  out.boolean(has_oob_);
  out.f64(oob_);
  out.u64(trees_.size());
  for (const auto& tr : trees_) tr.save(out);
}

void RandomForest::load(ByteReader& in) {
  const int n_classes = in.int_in("forest n_classes", 1, 1000000);
  const int n_features = in.int_in("forest n_features", 1, 10000000);
  const bool has_oob = in.boolean();
  const double oob = in.f64();
  const std::uint64_t n_trees = in.u64();
  // Each tree takes well over 64 bytes, which bounds the count before reserving.
  in.require(n_trees >= 1 && n_trees <= in.remaining() / 64, "the forest's tree count does not fit the payload");
  std::vector<tree::Tree> trees(static_cast<std::size_t>(n_trees));
  for (auto& tr : trees) tr.load(in, n_features, n_classes);
  trees_ = std::move(trees);
  n_classes_ = n_classes;
  n_features_ = n_features;
  has_oob_ = has_oob;
  oob_ = oob;
}

std::unique_ptr<Classifier> make_random_forest() { return std::make_unique<RandomForest>(false); }
std::unique_ptr<Classifier> make_extra_trees() { return std::make_unique<RandomForest>(true); }

}  // namespace genrelab
