#include "genrelab/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "genrelab/abbreviate.h"
#include "genrelab/error.h"
#include "genrelab/model_registry.h"

namespace genrelab {
namespace {

Contributions occlusion(const Pipeline& pipeline, const Matrix& X, const Labels& target, const Vector& reference,
                        const Matrix& P) {
  const Eigen::Index n = X.rows(), d = X.cols();
  Contributions c;
  c.method = "occlusion";
  c.output = "probability";
  c.additive = false;
  c.values.resize(n, d);
  c.output_value.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) c.output_value(i) = P(i, target[static_cast<std::size_t>(i)]);
  Matrix Xj = X;
  for (Eigen::Index j = 0; j < d; ++j) {
    Xj.col(j).setConstant(reference(j));
    const Matrix Pj = pipeline.predict_proba(Xj);
    for (Eigen::Index i = 0; i < n; ++i)
      c.values(i, j) = c.output_value(i) - Pj(i, target[static_cast<std::size_t>(i)]);
    Xj.col(j) = X.col(j);
  }
  const Matrix P0 = pipeline.predict_proba(reference.transpose());
  c.bias.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) c.bias(i) = P0(0, target[static_cast<std::size_t>(i)]);
  return c;
}

}  // namespace

std::string explanation_method(const std::string& model) { return explanation_name(model_info(model).explanation); }

Contributions explain_rows(const Pipeline& pipeline, const std::string& model, const Matrix& X, const Labels& target,
                           const Vector& reference) {
  if (static_cast<Eigen::Index>(target.size()) != X.rows())
    throw std::invalid_argument("explain_rows: one target class per row is needed");
  if (reference.size() != X.cols()) throw std::invalid_argument("explain_rows: reference has the wrong width");
  const Classifier& m = pipeline.model();
  for (int t : target)
    if (t < 0 || t >= m.n_classes()) throw std::invalid_argument("explain_rows: target class out of range");
  const Matrix Xm = pipeline.transform(X);
  // The model's own method (registry: TreeSHAP, XGBoost contributions) where it has one.
  try {
    if (auto own = m.contributions_toward(Xm, target)) return *std::move(own);
  } catch (const InputError&) {
    throw;
  } catch (const UsageError&) {
    throw;
  } catch (const std::runtime_error& e) {
    // XGBoost's messages run to many lines of its own source context; one
    // line that says what failed is what a person can act on.
    const std::string what = e.what();
    throw InputError(fmt::format("explaining the {} model failed: {}", m.name(), what.substr(0, what.find('\n'))));
  }
  const Matrix P = m.predict_proba(Xm);
  (void)model;
  return occlusion(pipeline, X, target, reference, P);
}

ModelExplanation explain_model(const ModelFile& file, const Table& tracks) {
  const Matrix X = encode_features(tracks, file.encodings);
  if (X.rows() == 0) throw InputError(fmt::format("{}: no tracks to explain", tracks.source()));
  const Matrix P = file.pipeline->predict_proba(X);
  Labels predicted(static_cast<std::size_t>(X.rows()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) predicted[static_cast<std::size_t>(i)] = argmax_row(P, i);
  const Contributions c = explain_rows(*file.pipeline, file.model, X, predicted, file.feature_means);

  ModelExplanation e;
  e.model = file.model;
  e.method = c.method;
  e.output = c.output;
  e.additive = c.additive;
  e.rows = static_cast<std::size_t>(X.rows());
  e.feature_names = file.feature_names;
  e.model_importances = file.pipeline->model().feature_importances();
  const auto d = static_cast<std::size_t>(X.cols());
  if (c.additive)
    for (Eigen::Index i = 0; i < X.rows(); ++i)
      e.max_additivity_error = std::max(e.max_additivity_error, std::abs(c.values.row(i).sum() + c.bias(i) - c.output_value(i)));
  const auto by_abs = [](const FeatureEffect& a, const FeatureEffect& b) { return a.mean_abs > b.mean_abs; };
  for (std::size_t g = 0; g < file.classes.size(); ++g) {
    GenreExplanation ge;
    ge.genre = file.classes[g];
    std::vector<double> sum(d, 0.0), sum_abs(d, 0.0);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      if (predicted[static_cast<std::size_t>(i)] != static_cast<int>(g)) continue;
      ++ge.tracks;
      for (std::size_t j = 0; j < d; ++j) {
        sum[j] += c.values(i, static_cast<Eigen::Index>(j));
        sum_abs[j] += std::abs(c.values(i, static_cast<Eigen::Index>(j)));
      }
    }
    if (ge.tracks == 0) continue;
    for (std::size_t j = 0; j < d; ++j)
      ge.features.push_back({file.feature_names[j], sum[j] / ge.tracks, sum_abs[j] / ge.tracks});
    // Ordered by the value the lists show, the mean signed contribution (by
    // its size, so pushes away rank beside pushes toward): a feature that
    // pushes both ways on different tracks (large mean |c|, mean near 0)
    // says little about the genre and must not head its list.
    std::stable_sort(ge.features.begin(), ge.features.end(), [](const FeatureEffect& a, const FeatureEffect& b) {
      return std::abs(a.mean) > std::abs(b.mean);
    });
    e.genres.push_back(std::move(ge));
  }
  for (std::size_t j = 0; j < d; ++j) {
    const auto col = c.values.col(static_cast<Eigen::Index>(j));
    e.global.push_back({file.feature_names[j], col.mean(), col.cwiseAbs().mean()});
  }
  std::stable_sort(e.global.begin(), e.global.end(), by_abs);
  return e;
}

nlohmann::json explanation_json(const ModelExplanation& e) {
  auto effects = [](const std::vector<FeatureEffect>& list) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& f : list) a.push_back({{"feature", f.feature}, {"mean", f.mean}, {"mean_abs", f.mean_abs}});
    return a;
  };
  nlohmann::json genres = nlohmann::json::array();
  for (const auto& g : e.genres) genres.push_back({{"genre", g.genre}, {"tracks", g.tracks}, {"features", effects(g.features)}});
  nlohmann::json importances = nlohmann::json::object();
  for (std::size_t j = 0; j < e.model_importances.size() && j < e.feature_names.size(); ++j)
    importances[e.feature_names[j]] = e.model_importances[j];
  return {{"model", e.model},
          {"method", e.method},
          {"output", e.output},
          {"additive", e.additive},
          {"max_additivity_error", e.max_additivity_error},
          {"tracks", e.rows},
          {"grouping", "tracks predicted as each genre; contributions toward that genre"},
          {"global", effects(e.global)},
          {"model_importances", e.model_importances.empty() ? nlohmann::json(nullptr) : importances},
          {"genres", genres}};
}

std::string explanation_text(const ModelExplanation& e, std::size_t top) {
  std::string out = fmt::format("{} explained by {} on the {} ({}), {} tracks\n", e.model, e.method, e.output,
                                e.additive ? "contributions + bias = output" : "not additive", e.rows);
  out += "\nGlobal: mean |contribution| toward each track's predicted genre\n";
  std::vector<double> imp(e.feature_names.size(), std::nan(""));
  for (std::size_t j = 0; j < e.model_importances.size() && j < imp.size(); ++j) imp[j] = e.model_importances[j];
  out += fmt::format("  {:<28} {:>12} {:>12}\n", "feature", "mean |c|", e.model_importances.empty() ? "" : "model imp.");
  // Cut to the column, distinct (two long names sharing 28 characters stay two).
  const std::vector<std::string> shown = unique_abbreviations(e.feature_names, 28);
  for (std::size_t k = 0; k < e.global.size() && k < top * 2; ++k) {
    const auto& f = e.global[k];
    const auto j = static_cast<std::size_t>(std::find(e.feature_names.begin(), e.feature_names.end(), f.feature) - e.feature_names.begin());
    out += fmt::format("  {:<28} {:>12.5f} {:>12}\n", j < shown.size() ? shown[j] : f.feature.substr(0, 28), f.mean_abs,
                       e.model_importances.empty() || j >= imp.size() ? "" : fmt::format("{:.4f}", imp[j]));
  }
  out += "\nPer genre (tracks predicted as it): features that push toward it (+) or away (-), largest mean "
         "contribution first\n";
  for (const auto& g : e.genres) {
    out += fmt::format("  {} ({} tracks):", g.genre, g.tracks);
    for (std::size_t k = 0; k < g.features.size() && k < top; ++k)
      out += fmt::format("{} {} {:+.3g}", k ? "," : "", g.features[k].feature, g.features[k].mean);
    out += "\n";
  }
  return out;
}

}  // namespace genrelab
