#include "report/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "genrelab/model_registry.h"
#include "genrelab/protocol.h"

namespace genrelab::report {
namespace {

const char* kSchema = "https://vega.github.io/schema/vega-lite/v5.json";

json base(const std::string& title, const std::string& subtitle = "") {
  json t = {{"text", title}, {"anchor", "start"}};
  if (!subtitle.empty()) t["subtitle"] = subtitle;
  return {{"$schema", kSchema}, {"title", t}};
}

json field(const std::string& name, const std::string& type, const std::string& title) {
  return {{"field", name}, {"type", type}, {"title", title}};
}

json tip(const std::string& name, const std::string& title, const std::string& format = "") {
  json t = {{"field", name}, {"title", title}};
  if (!format.empty()) {
    t["type"] = "quantitative";
    t["format"] = format;
  }
  return t;
}

double num(const json& v) { return v.is_number() ? v.get<double>() : std::nan(""); }
json num_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::vector<std::string> genre_names(const json& profile) {
  std::vector<std::string> out;
  for (const auto& g : profile["genres"]) out.push_back(g["name"]);
  return out;
}

const json* feature_entry(const json& profile, const std::string& name) {
  for (const auto& f : profile["features"])
    if (f["name"] == name) return &f;
  return nullptr;
}

}  // namespace

Confusion confusion_of(const json& model, const std::vector<std::string>& classes) {
  Confusion c;
  c.classes = classes;
  const json* matrix = nullptr;
  if (model.contains("cv") && model["cv"].contains("out_of_fold") && model["cv"]["out_of_fold"].value("n", 0) > 0 &&
      model["cv"]["out_of_fold"]["confusion_matrix"].size() == classes.size()) {
    matrix = &model["cv"]["out_of_fold"]["confusion_matrix"];
    c.source = fmt::format("cross-validated predictions: every track predicted once, by the fold that held it out ({} tracks)",
                           model["cv"]["out_of_fold"]["n"].get<long>());
  } else {
    matrix = &model["holdout"]["test"]["confusion_matrix"];
    c.source = fmt::format("held-out test part ({} tracks)", model["holdout"]["test"].value("n", 0L));
  }
  for (const auto& row : *matrix) {
    std::vector<double> r;
    for (const auto& v : row) r.push_back(num(v));
    c.counts.push_back(r);
  }
  return c;
}

std::vector<ConfusedPair> confused_pairs(const Confusion& c) {
  std::vector<ConfusedPair> out;
  const int n = static_cast<int>(c.counts.size());
  std::vector<double> totals(static_cast<std::size_t>(n), 0);
  for (int i = 0; i < n; ++i)
    for (double v : c.counts[static_cast<std::size_t>(i)]) totals[static_cast<std::size_t>(i)] += v;
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b) {
      ConfusedPair p;
      p.a = a;
      p.b = b;
      p.a_as_b = c.counts[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
      p.b_as_a = c.counts[static_cast<std::size_t>(b)][static_cast<std::size_t>(a)];
      const double both = totals[static_cast<std::size_t>(a)] + totals[static_cast<std::size_t>(b)];
      p.share = both > 0 ? (p.a_as_b + p.b_as_a) / both : 0;
      if (p.a_as_b + p.b_as_a > 0) out.push_back(p);
    }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.share > y.share; });
  return out;
}

json tracks_chart(const std::vector<std::pair<std::string, double>>& tracks, const std::string& source) {
  json values = json::array();
  for (const auto& [genre, n] : tracks) values.push_back({{"genre", genre}, {"tracks", n}});
  json spec = base("Tracks per genre", source);
  spec["width"] = 460;
  spec["height"] = {{"step", 18}};
  spec["data"] = {{"values", values}};
  spec["mark"] = {{"type", "bar"}, {"color", "#4c78a8"}};
  spec["encoding"] = {{"y", field("genre", "nominal", "Genre")},
                      {"x", field("tracks", "quantitative", "Tracks")},
                      {"tooltip", {tip("genre", "Genre"), tip("tracks", "Tracks")}}};
  spec["encoding"]["y"]["sort"] = "-x";
  return spec;
}

json profile_chart(const json& profile, const std::vector<std::string>& features) {
  const auto genres = genre_names(profile);
  json values = json::array();
  for (const auto& name : features) {
    const json* f = feature_entry(profile, name);
    if (!f) continue;
    for (const auto& g : genres) {
      const json& d = (*f)["per_genre"][g];
      values.push_back({{"feature", name}, {"genre", g}, {"count", d["count"]}, {"min", d["min"]},
                        {"q1", d["25%"]}, {"median", d["50%"]}, {"q3", d["75%"]}, {"max", d["max"]},
                        {"mean", d["mean"]}, {"std", d["std"]}});
    }
  }
  json y = field("genre", "nominal", "Genre");
  y["sort"] = genres;
  const json tooltip = {tip("genre", "Genre"), tip("feature", "Feature"), tip("count", "Tracks"),
                        tip("mean", "Mean", ".3~g"), tip("std", "Std (ddof=1)", ".3~g"), tip("min", "Min", ".3~g"),
                        tip("q1", "25%", ".3~g"), tip("median", "Median", ".3~g"), tip("q3", "75%", ".3~g"),
                        tip("max", "Max", ".3~g")};
  auto x = [](const std::string& f) {
    json e = field(f, "quantitative", "Value");
    e["scale"] = {{"zero", false}};
    return e;
  };
  json layers = json::array();
  layers.push_back({{"mark", {{"type", "rule"}, {"color", "#888"}}},
                    {"encoding", {{"y", y}, {"x", x("min")}, {"x2", {{"field", "max"}}}, {"tooltip", tooltip}}}});
  layers.push_back({{"mark", {{"type", "bar"}, {"size", 9}}},
                    {"encoding",
                     {{"y", y},
                      {"x", x("q1")},
                      {"x2", {{"field", "q3"}}},
                      {"color", {{"field", "genre"}, {"type", "nominal"}, {"legend", nullptr}, {"scale", {{"scheme", "tableau20"}}}}},
                      {"tooltip", tooltip}}}});
  layers.push_back({{"mark", {{"type", "tick"}, {"color", "black"}, {"size", 11}, {"thickness", 2}}},
                    {"encoding", {{"y", y}, {"x", x("median")}, {"tooltip", tooltip}}}});
  layers.push_back({{"mark", {{"type", "point"}, {"shape", "diamond"}, {"filled", true}, {"color", "white"},
                              {"stroke", "black"}, {"strokeWidth", 0.8}, {"size", 30}}},
                    {"encoding", {{"y", y}, {"x", x("mean")}, {"tooltip", tooltip}}}});
  json spec = base("Per-genre profile of each feature",
                   "box: 25%–75%, black tick: median, diamond: mean, line: min–max");
  spec["data"] = {{"values", values}};
  spec["facet"] = {{"field", "feature"}, {"type", "nominal"}, {"title", "Feature"}, {"sort", features},
                   {"header", {{"labelFontWeight", "bold"}, {"labelFontSize", 12}, {"title", nullptr}}}};
  spec["columns"] = 3;
  spec["spec"] = {{"width", 210}, {"height", {{"step", 13}}}, {"layer", layers}};
  spec["resolve"] = {{"scale", {{"x", "independent"}}}, {"axis", {{"y", "independent"}}}};
  return spec;
}

json fingerprint_chart(const json& profile, const std::vector<std::string>& features) {
  const auto genres = genre_names(profile);
  json values = json::array();
  for (const auto& name : features) {
    const json* f = feature_entry(profile, name);
    if (!f) continue;
    for (const auto& g : genres) {
      const json& d = (*f)["per_genre"][g];
      values.push_back({{"feature", name}, {"genre", g}, {"mean_z", d["mean_z"]}, {"mean", d["mean"]}});
    }
  }
  json x = field("feature", "nominal", "Feature");
  x["sort"] = features;
  x["axis"] = {{"labelAngle", -40}};
  json y = field("genre", "nominal", "Genre");
  y["sort"] = genres;
  const json tooltip = {tip("genre", "Genre"), tip("feature", "Feature"), tip("mean", "Genre mean", ".3~g"),
                        tip("mean_z", "z of the mean", "+.2f")};
  json spec = base("Genre fingerprints: how far each genre's mean is from all tracks",
                   "z = (genre mean − mean of all tracks) / sd of all tracks; red above, blue below");
  spec["data"] = {{"values", values}};
  spec["width"] = {{"step", 46}};
  spec["height"] = {{"step", 20}};
  spec["encoding"] = {{"x", x}, {"y", y}, {"tooltip", tooltip}};
  json color = field("mean_z", "quantitative", "z of the mean");
  color["scale"] = {{"scheme", "redblue"}, {"reverse", true}, {"domain", {-2, 2}}, {"clamp", true}};
  spec["layer"] = json::array(
      {{{"mark", "rect"}, {"encoding", {{"color", color}}}},
       {{"mark", {{"type", "text"}, {"fontSize", 9}}},
        {"encoding", {{"text", {{"field", "mean_z"}, {"type", "quantitative"}, {"format", "+.1f"}}},
                      {"color", {{"condition", {{"test", "abs(datum.mean_z) > 1.3"}, {"value", "white"}}},
                                 {"value", "black"}}}}}}});
  return spec;
}

json overlay_chart(const json& profile, const std::vector<std::string>& features, const std::string& feature,
                   const std::vector<std::string>& genres) {
  json values = json::array();
  for (const auto& name : features) {
    const json* f = feature_entry(profile, name);
    if (!f) continue;
    const json& edges = (*f)["histogram"]["edges"];
    for (const auto& g : genres) {
      const json& counts = (*f)["histogram"]["counts"][g];
      double total = 0;
      for (const auto& c : counts) total += num(c);
      for (std::size_t b = 0; b < counts.size() && b + 1 < edges.size(); ++b)
        values.push_back({{"feature", name}, {"genre", g}, {"bin_start", edges[b]}, {"bin_end", edges[b + 1]},
                          {"count", counts[b]}, {"share", total > 0 ? num(counts[b]) / total : 0.0}});
    }
  }
  std::string names;
  for (const auto& g : genres) names += (names.empty() ? "" : ", ") + g;
  json spec = base("Overlaid distributions of one feature",
                   fmt::format("genres: {}; share of each genre's tracks per bin (bins shared by all genres); "
                               "choose the feature below the chart",
                               names));
  spec["data"] = {{"values", values}};
  spec["width"] = 560;
  spec["height"] = 260;
  spec["params"] = json::array({{{"name", "overlay_feature"},
                                 {"value", feature},
                                 {"bind", {{"input", "select"}, {"options", features}, {"name", "Feature: "}}}}});
  spec["transform"] = json::array({{{"filter", "datum.feature == overlay_feature"}}});
  spec["mark"] = {{"type", "bar"}, {"opacity", 0.5}, {"binSpacing", 0}};
  json y = field("share", "quantitative", "Share of the genre's tracks");
  y["stack"] = nullptr;
  y["axis"] = {{"format", ".0%"}};
  json color = field("genre", "nominal", "Genre");
  color["scale"] = {{"domain", genres}};
  spec["encoding"] = {
      {"x", field("bin_start", "quantitative", "Feature value (bins shared by all genres)")},
      {"x2", {{"field", "bin_end"}}},
      {"y", y},
      {"y2", {{"datum", 0}}},
      {"color", color},
      {"tooltip",
       {tip("genre", "Genre"), tip("feature", "Feature"), tip("bin_start", "From", ".3~g"), tip("bin_end", "To", ".3~g"),
        tip("count", "Tracks"), tip("share", "Share", ".1%")}}};
  spec["encoding"]["x"]["scale"] = {{"zero", false}};
  return spec;
}

json separability_chart(const json& s) {
  std::vector<std::string> order;
  for (const auto& g : s["order"]) order.push_back(g);
  json values = json::array();
  for (const auto& p : s["pairs"]) {
    for (int flip = 0; flip < 2; ++flip)
      values.push_back({{"a", flip ? p["b"] : p["a"]},
                        {"b", flip ? p["a"] : p["b"]},
                        {"balanced_accuracy", p["balanced_accuracy"]},
                        {"balanced_accuracy_sd", p["balanced_accuracy_sd"]},
                        {"accuracy", p["accuracy"]}});
  }
  json x = field("b", "nominal", "Genre");
  x["sort"] = order;
  x["axis"] = {{"labelAngle", -40}};
  json y = field("a", "nominal", "Genre");
  y["sort"] = order;
  json color = field("balanced_accuracy", "quantitative", "Separability");
  color["scale"] = {{"scheme", "viridis"}, {"domain", {0.5, 1}}};
  color["legend"] = {{"format", ".0%"}};
  json spec = base("How well each pair of genres can be told apart",
                   fmt::format("cross-validated balanced accuracy of a {} trained on the two genres alone "
                               "(50% = chance); rows and columns in clustering order",
                               s.value("model", std::string("classifier"))));
  spec["data"] = {{"values", values}};
  spec["width"] = {{"step", 30}};
  spec["height"] = {{"step", 30}};
  spec["encoding"] = {{"x", x},
                      {"y", y},
                      {"tooltip",
                       {tip("a", "Genre"), tip("b", "vs genre"), tip("balanced_accuracy", "Balanced accuracy", ".1%"),
                        tip("balanced_accuracy_sd", "sd over folds", ".1%"), tip("accuracy", "Accuracy", ".1%")}}};
  spec["layer"] = json::array(
      {{{"mark", "rect"}, {"encoding", {{"color", color}}}},
       {{"mark", {{"type", "text"}, {"fontSize", 9}}},
        {"encoding", {{"text", {{"field", "balanced_accuracy"}, {"type", "quantitative"}, {"format", ".0%"}}},
                      {"color", {{"condition", {{"test", "datum.balanced_accuracy < 0.8"}, {"value", "white"}}},
                                 {"value", "black"}}}}}}});
  return spec;
}

json comparison_chart(const json& comparison, const json& published, const std::string& subset_title) {
  json values = json::array();
  std::vector<std::string> order;
  for (const auto& m : comparison["models"]) {
    const std::string name = m["model"];
    order.push_back(name);
    const double mean = num(m["cv"]["accuracy"]["mean"]), sd = num(m["cv"]["accuracy"]["sd"]);
    values.push_back({{"model", name}, {"measure", "CV accuracy (mean ± sd)"}, {"value", mean},
                      {"lo", std::max(0.0, mean - sd)}, {"hi", std::min(1.0, mean + sd)}, {"sd", sd}});
    values.push_back({{"model", name}, {"measure", "train accuracy (held-out fit)"},
                      {"value", m["holdout"]["train_accuracy"]}});
    values.push_back({{"model", name}, {"measure", "test accuracy (held-out part)"},
                      {"value", m["holdout"]["test"]["accuracy"]}});
    if (published.is_object() && published.contains(name))
      values.push_back({{"model", name}, {"measure", "published (the study's own split)"}, {"value", published[name]}});
  }
  json y = field("model", "nominal", "Model");
  y["sort"] = order;
  json x = field("value", "quantitative", "Accuracy");
  x["scale"] = {{"domain", {0, 1}}};
  x["axis"] = {{"format", ".0%"}};
  const std::vector<std::string> measures = {"CV accuracy (mean ± sd)", "train accuracy (held-out fit)",
                                             "test accuracy (held-out part)", "published (the study's own split)"};
  json color = field("measure", "nominal", "Measure");
  color["scale"] = {{"domain", measures}, {"range", {"#4c78a8", "#f58518", "#54a24b", "#b279a2"}}};
  color["legend"] = {{"labelLimit", 320}};
  json shape = field("measure", "nominal", "Measure");
  shape["scale"] = {{"domain", measures}, {"range", {"circle", "triangle-up", "square", "diamond"}}};
  const json tooltip = {tip("model", "Model"), tip("measure", "Measure"), tip("value", "Accuracy", ".1%"),
                        tip("sd", "CV sd", ".1%")};
  json spec = base(fmt::format("Model comparison: {}", subset_title),
                   fmt::format("{}-fold CV mean ± sd; a train accuracy far above the test accuracy means over-fitting",
                               protocol::from_result(comparison).cv));
  spec["data"] = {{"values", values}};
  spec["width"] = 520;
  spec["height"] = {{"step", 24}};
  json rule_x = field("lo", "quantitative", "Accuracy");
  rule_x["scale"] = {{"domain", {0, 1}}};
  spec["layer"] = json::array(
      {{{"transform", {{{"filter", "datum.measure == 'CV accuracy (mean ± sd)'"}}}},
        {"mark", {{"type", "rule"}, {"color", "#4c78a8"}, {"strokeWidth", 2}}},
        {"encoding", {{"y", y}, {"x", rule_x}, {"x2", {{"field", "hi"}}}, {"tooltip", tooltip}}}},
       {{"mark", {{"type", "point"}, {"filled", true}, {"size", 70}, {"opacity", 0.9}}},
        {"encoding", {{"y", y}, {"x", x}, {"color", color}, {"shape", shape}, {"tooltip", tooltip}}}}});
  return spec;
}

json confusion_chart(const Confusion& c, const std::string& model, const std::string& subset_title) {
  json values = json::array();
  for (std::size_t i = 0; i < c.counts.size(); ++i) {
    double total = 0;
    for (double v : c.counts[i]) total += v;
    for (std::size_t j = 0; j < c.counts[i].size(); ++j)
      values.push_back({{"true", c.classes[i]}, {"predicted", c.classes[j]}, {"count", c.counts[i][j]},
                        {"share", total > 0 ? c.counts[i][j] / total : 0.0}});
  }
  json x = field("predicted", "nominal", "Predicted genre");
  x["sort"] = c.classes;
  x["axis"] = {{"labelAngle", -40}};
  json y = field("true", "nominal", "True genre");
  y["sort"] = c.classes;
  const json tooltip = {tip("true", "True genre"), tip("predicted", "Predicted"), tip("count", "Tracks"),
                        tip("share", "Share of the true genre", ".1%")};
  const int step = c.classes.size() > 10 ? 20 : 30;
  auto panel = [&](const std::string& title, const std::string& value, const std::string& format, const char* scheme,
                   const std::string& label_test) {
    json color = field(value, "quantitative", value == "count" ? "Tracks" : "Share");
    color["scale"] = {{"scheme", scheme}};
    if (value == "share") {
      color["scale"]["domain"] = {0, 1};
      color["legend"] = {{"format", ".0%"}};
    }
    return json{{"title", title},
                {"width", {{"step", step}}},
                {"height", {{"step", step}}},
                {"encoding", {{"x", x}, {"y", y}, {"tooltip", tooltip}}},
                {"layer", json::array({{{"mark", "rect"}, {"encoding", {{"color", color}}}},
                                       {{"transform", {{{"filter", label_test}}}},
                                        {"mark", {{"type", "text"}, {"fontSize", 8}}},
                                        {"encoding",
                                         {{"text", {{"field", value}, {"type", "quantitative"}, {"format", format}}},
                                          {"color", {{"condition", {{"test", fmt::format("datum.share > 0.5")},
                                                                    {"value", "white"}}},
                                                     {"value", "black"}}}}}}})}};
  };
  json spec = base(fmt::format("Confusion matrix: {} ({})", model, subset_title), c.source);
  spec["data"] = {{"values", values}};
  spec["hconcat"] = json::array({panel("Counts", "count", "d", "blues", "datum.count > 0"),
                                 panel("Row-normalised (recall on the diagonal)", "share", ".0%", "blues",
                                       "datum.share >= 0.005")});
  spec["resolve"] = {{"scale", {{"color", "independent"}}}};
  return spec;
}

json importance_chart(const json& model, const std::string& subset_title, std::size_t top) {
  json values = json::array();
  for (const auto& f : model["holdout"]["importances"]) {
    if (values.size() >= top) break;
    values.push_back({{"feature", f["feature"]}, {"importance", num_or_null(num(f["importance"]))}});
  }
  const std::string name = model["model"];
  // Results may name a model this build does not know; its importances were then MDI-like.
  const ModelInfo* info = find_model_info(name);
  const ImportanceKind kind = info ? info->importance : ImportanceKind::Impurity;
  const bool gain = kind == ImportanceKind::Gain;
  json spec = base(fmt::format("Feature importance: {} ({})", name, subset_title),
                   fmt::format("top {} of the model's own importances ({}), fitted on the training part",
                               values.size(), importance_label(kind)));
  spec["data"] = {{"values", values}};
  spec["width"] = 420;
  spec["height"] = {{"step", 16}};
  spec["mark"] = {{"type", "bar"}, {"color", "#4c78a8"}};
  json y = field("feature", "nominal", "Feature");
  y["sort"] = "-x";
  spec["encoding"] = {{"y", y},
                      {"x", field("importance", "quantitative", gain ? "Importance (gain share)" : "Importance (MDI)")},
                      {"tooltip", {tip("feature", "Feature"), tip("importance", "Importance", ".4f")}}};
  return spec;
}

json permutation_chart(const json& model, const std::string& subset_title, std::size_t top) {
  const json& p = model["permutation_importance"];
  json values = json::array();
  for (const auto& f : p["features"]) {
    if (values.size() >= top) break;
    const double mean = num(f["mean"]), sd = num(f["sd"]);
    values.push_back({{"feature", f["feature"]}, {"mean", mean}, {"sd", sd}, {"lo", mean - sd}, {"hi", mean + sd}});
  }
  std::vector<std::string> order;
  for (const auto& v : values) order.push_back(v["feature"]);
  const std::string scoring = scoring_name(protocol::from_result(p).scoring);  // the score whose drop it shows
  json spec = base(fmt::format("Permutation importance: {} ({})", model["model"].get<std::string>(), subset_title),
                   fmt::format("drop in held-out {} when one feature is shuffled, mean ± sd over {} repeats", scoring,
                               p.value("repeats", 0)));
  spec["data"] = {{"values", values}};
  spec["width"] = 420;
  spec["height"] = {{"step", 16}};
  json y = field("feature", "nominal", "Feature");
  y["sort"] = order;
  const json tooltip = {tip("feature", "Feature"), tip("mean", "Mean drop", ".4f"), tip("sd", "sd", ".4f")};
  spec["layer"] = json::array(
      {{{"mark", {{"type", "rule"}, {"color", "#888"}}},
        {"encoding", {{"y", y}, {"x", field("lo", "quantitative", fmt::format("Drop in {}", scoring))},
                      {"x2", {{"field", "hi"}}}, {"tooltip", tooltip}}}},
       {{"mark", {{"type", "point"}, {"filled", true}, {"color", "#e45756"}}},
        {"encoding", {{"y", y}, {"x", field("mean", "quantitative", fmt::format("Drop in {}", scoring))},
                      {"tooltip", tooltip}}}}});
  return spec;
}

json open_set_curve_chart(const json& o) {
  json values = json::array();
  for (const auto& c : o["rejection_curve"])
    if (c["frr"].is_number() && c["far"].is_number())
      values.push_back({{"score", c["score"]}, {"target", c["target_frr"]}, {"frr", c["frr"]}, {"far", c["far"]}});
  const auto& s = o["settings"];
  json spec = base("Rejection curve: unknown tracks accepted against known tracks rejected",
                   fmt::format("{}, {} hidden genre(s) per round, {} round(s); each point a split-conformal threshold "
                               "for a target false-rejection rate; lower and further left is better",
                               o.value("model", std::string("model")), s.value("hidden", 0), s.value("repeats", 0)));
  spec["data"] = {{"values", values}};
  spec["width"] = 420;
  spec["height"] = 300;
  spec["mark"] = {{"type", "line"}, {"point", true}};
  json x = field("frr", "quantitative", "False rejection of known-genre tracks");
  x["axis"] = {{"format", ".0%"}};
  json y = field("far", "quantitative", "False acceptance of hidden-genre tracks");
  y["axis"] = {{"format", ".0%"}};
  y["scale"] = {{"domain", {0, 1}}};
  spec["encoding"] = {{"x", x},
                      {"y", y},
                      {"color", field("score", "nominal", "Novelty score")},
                      {"tooltip",
                       {tip("score", "Score"), tip("target", "Target FRR", ".0%"), tip("frr", "FRR", ".1%"),
                        tip("far", "FAR", ".1%")}}};
  return spec;
}

json open_set_coverage_chart(const json& o) {
  json values = json::array();
  for (const auto& g : o["per_genre"])
    if (g["coverage"].is_number())
      values.push_back({{"genre", g["genre"]}, {"coverage", g["coverage"]}, {"set_size", g["mean_set_size"]},
                        {"tracks", g["known_test_tracks"]}});
  const double target = 1.0 - o["settings"].value("alpha", 0.1);
  json spec = base(fmt::format("Coverage of the {:.0f}% prediction sets per genre", 100 * target),
                   fmt::format("share of held-out tracks of each genre whose set holds the true genre ({} score), "
                               "pooled over rounds; the rule marks the target (a promise on average, not per genre)",
                               o["settings"].value("set_score", std::string("lac"))));
  spec["data"] = {{"values", values}};
  spec["width"] = {{"step", 22}};
  spec["height"] = 260;
  json x = field("genre", "nominal", "Genre");
  x["axis"] = {{"labelAngle", -40}};
  json y = field("coverage", "quantitative", "Coverage");
  y["axis"] = {{"format", ".0%"}};
  y["scale"] = {{"domain", {0, 1}}};
  spec["layer"] = json::array(
      {{{"mark", "bar"},
        {"encoding",
         {{"x", x},
          {"y", y},
          {"tooltip",
           {tip("genre", "Genre"), tip("coverage", "Coverage", ".1%"), tip("set_size", "Mean set size", ".2f"),
            tip("tracks", "Test tracks")}}}}},
       {{"mark", {{"type", "rule"}, {"color", "black"}, {"strokeDash", {4, 3}}}},
        {"data", {{"values", json::array({{{"target", target}}})}}},
        {"encoding", {{"y", {{"field", "target"}, {"type", "quantitative"}}}}}}});
  return spec;
}

}  // namespace genrelab::report
