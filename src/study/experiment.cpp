// Reading experiment files. Every key is checked against the keys genrelab
// knows, so a typo ("n_estimator", "test-size") stops the run with the file
// and line instead of being silently ignored and giving a different study.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/experiment.h"
#include "genrelab/input_file.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/protocol.h"
#include "genrelab/profiling.h"
#include "genrelab/suggest.h"

namespace genrelab {
namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& what) const {
    if (node && node->source().begin.line > 0)
      throw UsageError(fmt::format("{}:{}: {}", file_, node->source().begin.line, what));
    throw UsageError(fmt::format("{}: {}", file_, what));
  }

  // Rejects keys of `table` that are not in `known`, naming the first one found.
  void only(const toml::table& table, const std::string& where, const std::set<std::string>& known) const {
    for (const auto& [key, node] : table) {
      const std::string k(key.str());
      if (known.count(k)) continue;
      std::string list;
      for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
      fail(&node, fmt::format("unknown key '{}' in {}; known keys: {}.{}", k, where, list,
                              did_you_mean(k, std::vector<std::string>(known.begin(), known.end()))));
    }
  }

  const toml::table* table(const toml::table& parent, const std::string& key, const std::string& where) const {
    const toml::node* node = parent.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) fail(node, fmt::format("'{}' in {} must be a table", key, where));
    return node->as_table();
  }

  std::string string(const toml::table& t, const std::string& key, const std::string& where, std::string def) const {
    const toml::node* node = t.get(key);
    if (!node) return def;
    if (!node->is_string()) fail(node, fmt::format("'{}' in {} must be a string", key, where));
    return node->value<std::string>().value();
  }

  bool boolean(const toml::table& t, const std::string& key, const std::string& where, bool def) const {
    const toml::node* node = t.get(key);
    if (!node) return def;
    if (!node->is_boolean()) fail(node, fmt::format("'{}' in {} must be true or false", key, where));
    return *node->value<bool>();
  }

  long long integer(const toml::table& t, const std::string& key, const std::string& where, long long def,
                    long long min, long long max) const {
    const toml::node* node = t.get(key);
    if (!node) return def;
    if (!node->is_integer()) fail(node, fmt::format("'{}' in {} must be a whole number", key, where));
    const long long v = *node->value<long long>();
    if (v < min || v > max) fail(node, fmt::format("'{}' in {} must be between {} and {}, not {}", key, where, min, max, v));
    return v;
  }

  double number(const toml::table& t, const std::string& key, const std::string& where, double def, double min,
                double max) const {
    const toml::node* node = t.get(key);
    if (!node) return def;
    if (!node->is_number()) fail(node, fmt::format("'{}' in {} must be a number", key, where));
    const double v = *node->value<double>();
    if (!(v >= min && v <= max)) fail(node, fmt::format("'{}' in {} must be between {} and {}, not {}", key, where, min, max, v));
    return v;
  }

  // An empty list, or an empty name in one, is refused: `genres = []` must
  // not quietly mean "every genre" (leave the key out for that).
  std::vector<std::string> strings(const toml::table& t, const std::string& key, const std::string& where) const {
    const toml::node* node = t.get(key);
    if (!node) return {};
    if (!node->is_array()) fail(node, fmt::format("'{}' in {} must be a list of strings", key, where));
    std::vector<std::string> out;
    for (const auto& item : *node->as_array()) {
      if (!item.is_string()) fail(&item, fmt::format("'{}' in {} must be a list of strings", key, where));
      out.push_back(*item.value<std::string>());
      if (out.back().empty()) fail(&item, fmt::format("'{}' in {} holds an empty name", key, where));
    }
    if (out.empty()) fail(node, fmt::format("'{}' in {} is an empty list; name at least one, or leave the key out", key, where));
    return out;
  }

  // A string key that, when present, must say something (label = "" is a mistake, not "detect").
  std::string nonempty_string(const toml::table& t, const std::string& key, const std::string& where) const {
    const std::string v = string(t, key, where, "");
    if (t.get(key) && v.empty()) fail(t.get(key), fmt::format("'{}' in {} is empty; name a column, or leave the key out", key, where));
    return v;
  }

  // A parameter value the way it would be typed on the command line.
  std::string param_text(const toml::node& node, const std::string& what) const {
    if (node.is_string()) return *node.value<std::string>();
    if (node.is_integer()) return std::to_string(*node.value<long long>());
    if (node.is_floating_point()) return fmt::format("{}", *node.value<double>());
    if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
    fail(&node, fmt::format("{} must be a string, number or boolean", what));
  }

  ParamMap params(const toml::table& t, const std::string& where, const std::set<std::string>& skip = {}) const {
    ParamMap out;
    for (const auto& [key, node] : t) {
      const std::string k(key.str());
      if (skip.count(k)) continue;
      out[k] = param_text(node, fmt::format("parameter '{}' in {}", k, where));
    }
    return out;
  }

  // Builds the model once so unknown models and bad parameter values are
  // reported against the line that set them, before any work starts.
  void check_model(const toml::node* node, const std::string& model, const ParamMap& params) const {
    try {
      make_classifier(model, params);
    } catch (const UsageError& e) {
      fail(node, e.what());
    }
  }

  // Whether `model` is among the models the study runs ([models] read already).
  bool runs(const Experiment& x, const std::string& model) const {
    if (x.models.empty()) {
      const auto all = classifier_names();
      return std::find(all.begin(), all.end(), model) != all.end();
    }
    return std::any_of(x.models.begin(), x.models.end(), [&](const ExperimentModel& m) { return m.name == model; });
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (base_dir.empty() || path.empty() || path == "seed" || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

// [study]: title and seed.
void read_study(const Reader& r, const toml::table* t, Experiment& x) {
  r.only(*t, "[study]", {"title", protocol::kSeed.key});
  x.title = r.string(*t, "title", "[study]", x.title);
  x.protocol.seed = static_cast<std::uint64_t>(r.integer(*t, protocol::kSeed.key, "[study]",
                                                          static_cast<long long>(x.protocol.seed), 0,
                                                          static_cast<long long>(protocol::kMaxSeed)));
}

// [data]: the data set and how it is read.
void read_data(const Reader& r, const toml::table* t, const std::string& base_dir, Experiment& x) {
  r.only(*t, "[data]", {"path", "label", "genres", "features", "drop", protocol::kGroupBy.key, "on_missing",
                        "fold_label_case"});
  x.data = resolve(base_dir, r.string(*t, "path", "[data]", x.data));
  auto& o = x.data_options;
  o.label = r.nonempty_string(*t, "label", "[data]");
  o.genres = r.strings(*t, "genres", "[data]");
  o.features = r.strings(*t, "features", "[data]");
  o.drop = r.strings(*t, "drop", "[data]");
  o.group_by = r.nonempty_string(*t, protocol::kGroupBy.key, "[data]");
  o.fold_label_case = r.boolean(*t, "fold_label_case", "[data]", false);
  const std::string missing = r.string(*t, "on_missing", "[data]", "error");
  try {
    o.on_missing = parse_missing_policy(missing);
  } catch (const std::exception& e) {
    r.fail(t->get("on_missing"), e.what());
  }
}

// [evaluation]: the evaluation protocol's keys (protocol.h) and what is reported.
void read_evaluation(const Reader& r, const toml::table* t, Experiment& x) {
  const std::string w = "[evaluation]";
  namespace p = protocol;  // the keys and ranges are the evaluation protocol's
  r.only(*t, w, {p::kCv.key, p::kTestSize.key, p::kStratify.key, p::kSklearnSplit.key, "tune", p::kScoring.key,
                 "importance", "repeats"});
  p::Protocol& pr = x.protocol;
  pr.cv = static_cast<int>(r.integer(*t, p::kCv.key, w, pr.cv, p::kMinFolds, p::kMaxFolds));
  pr.test_size = r.number(*t, p::kTestSize.key, w, pr.test_size, p::kMinTestSize, p::kMaxTestSize);
  pr.stratify = r.boolean(*t, p::kStratify.key, w, pr.stratify);
  pr.sklearn_split = r.boolean(*t, p::kSklearnSplit.key, w, pr.sklearn_split);
  x.tune = r.boolean(*t, "tune", w, x.tune);
  const std::string scoring = r.string(*t, p::kScoring.key, w, scoring_name(pr.scoring));
  try {
    pr.scoring = parse_scoring(scoring);
  } catch (const std::exception& e) {
    r.fail(t->get(p::kScoring.key), e.what());
  }
  x.importance = r.string(*t, "importance", w, "");
  if (x.importance != "" && x.importance != "permutation")
    r.fail(t->get("importance"), fmt::format("'importance' in {} must be \"\" or \"permutation\", not \"{}\"", w, x.importance));
  x.repeats = static_cast<int>(r.integer(*t, "repeats", w, x.repeats, 1, 1000));
}

// A model's grid, as a table (param = [values]) or as the text --grid takes;
// every value is checked against the model.
std::string read_grid(const Reader& r, const toml::node* g, const std::string& name, const std::string& where) {
  std::string grid;
  if (g->is_string()) {
    grid = *g->value<std::string>();
  } else if (g->is_table()) {
    std::vector<std::string> axes;
    for (const auto& [gk, gn] : *g->as_table()) {
      const std::string p(gk.str());
      std::vector<std::string> values;
      if (const auto* arr = gn.as_array()) {
        for (const auto& v : *arr) values.push_back(r.param_text(v, fmt::format("grid value of '{}' in {}", p, where)));
      } else {
        values.push_back(r.param_text(gn, fmt::format("grid value of '{}' in {}", p, where)));
      }
      if (values.empty()) r.fail(&gn, fmt::format("grid '{}' in {} has no values", p, where));
      for (const auto& v : values) r.check_model(&gn, name, {{p, v}});
      std::string axis = p + "=";
      for (std::size_t i = 0; i < values.size(); ++i) axis += (i ? "," : "") + values[i];
      axes.push_back(axis);
    }
    for (const auto& a : axes) grid += (grid.empty() ? "" : " ") + a;
  } else {
    r.fail(g, fmt::format("'grid' in {} must be a table (param = [values]) or a string 'p=v1,v2 q=..'", where));
  }
  try {
    parse_grid(grid);
  } catch (const UsageError& e) {
    r.fail(g, e.what());
  }
  return grid;
}

// [models]: which models run, their parameters and grids.
void read_models(const Reader& r, const toml::table* t, Experiment& x) {
  std::vector<std::string> use;
  const toml::node* use_node = t->get("use");
  const auto known = classifier_names();
  if (!use_node || (use_node->is_string() && *use_node->value<std::string>() == "all")) {
    // every model, in the factory's order (empty list)
  } else if (use_node->is_array()) {
    use = r.strings(*t, "use", "[models]");
    if (use.empty()) r.fail(use_node, "'use' in [models] lists no model; write \"all\" or name some");
  } else {
    r.fail(use_node, "'use' in [models] must be \"all\" or a list of model names");
  }
  for (std::size_t i = 0; i < use.size(); ++i) {
    r.check_model(use_node, use[i], {});
    if (std::find(use.begin(), use.begin() + static_cast<std::ptrdiff_t>(i), use[i]) != use.begin() + static_cast<std::ptrdiff_t>(i))
      r.fail(&(*use_node->as_array())[i], fmt::format("'use' in [models] names '{}' twice; name each model once", use[i]));
  }
  for (const auto& [key, node] : *t) {
    const std::string name(key.str());
    if (name == "use") continue;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
      r.fail(&node, fmt::format("unknown key '{}' in [models]: not a model genrelab has (known: use, {}).{}", name, list,
                                did_you_mean(name, known)));
    }
    if (!node.is_table()) r.fail(&node, fmt::format("[models.{}] must be a table of parameters", name));
    const std::string where = fmt::format("[models.{}]", name);
    const auto& mt = *node.as_table();
    ExperimentModel m;
    m.name = name;
    m.params = r.params(mt, where, {"grid"});
    for (const auto& [pk, pn] : mt) {
      if (pk.str() == "grid") continue;
      r.check_model(&pn, name, {{std::string(pk.str()), m.params.at(std::string(pk.str()))}});
    }
    if (const toml::node* g = mt.get("grid")) {
      if (!x.tune)
        r.fail(g, fmt::format("{} has a grid, but grids are searched only when tuning; set tune = true in "
                              "[evaluation], or remove the grid",
                              where));
      m.grid = read_grid(r, g, name, where);
    }
    x.models.push_back(std::move(m));
  }
  if (!use.empty()) {
    // Listed models keep the listed order; parameter tables of unlisted models are mistakes.
    std::vector<ExperimentModel> ordered;
    for (const auto& name : use) {
      ExperimentModel m;
      m.name = name;
      for (const auto& given : x.models)
        if (given.name == name) m = given;
      ordered.push_back(m);
    }
    for (const auto& given : x.models)
      if (std::find(use.begin(), use.end(), given.name) == use.end())
        r.fail(t->get(given.name), fmt::format("[models.{}] sets parameters of a model that 'use' does not list", given.name));
    x.models = std::move(ordered);
  } else if (!x.models.empty()) {
    // "all": every model, with the given tables applied.
    std::vector<ExperimentModel> all;
    for (const auto& name : known) {
      ExperimentModel m;
      m.name = name;
      for (const auto& given : x.models)
        if (given.name == name) m = given;
      all.push_back(m);
    }
    x.models = std::move(all);
  }
}

// [[subsets]]: the genre subsets the study runs on.
void read_subsets(const Reader& r, const toml::node* node, Experiment& x) {
  if (!node->is_array_of_tables()) r.fail(node, "'subsets' must be an array of tables: [[subsets]]");
  std::set<std::string> ids;
  for (const auto& item : *node->as_array()) {
    const auto& t = *item.as_table();
    r.only(t, "[[subsets]]", {"id", "title", "genres", "published"});
    ExperimentSubset s;
    s.id = r.string(t, "id", "[[subsets]]", "");
    if (s.id.empty()) r.fail(&item, "every [[subsets]] needs an id (used in file names), e.g. id = \"six\"");
    // Used in file names on every system: letters, digits, '_', '-', '.', not starting with '.' or '-'.
    const bool plain = s.id.size() <= 64 && s.id.front() != '.' && s.id.front() != '-' &&
                       std::all_of(s.id.begin(), s.id.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                c == '_' || c == '-' || c == '.';
                       });
    if (!plain)
      r.fail(t.get("id"), fmt::format("subset id '{}' is used in file names: use up to 64 letters, digits, '_', '-' "
                                      "or '.', not starting with '.' or '-' (e.g. id = \"six\")",
                                      s.id));
    if (!ids.insert(s.id).second) r.fail(t.get("id"), fmt::format("subset id '{}' appears twice", s.id));
    s.title = r.string(t, "title", "[[subsets]]", s.id);
    s.genres = r.strings(t, "genres", "[[subsets]]");
    if (const toml::node* p = t.get("published")) {
      if (!p->is_table()) r.fail(p, "'published' in [[subsets]] must be a table: { model = accuracy }");
      for (const auto& [mk, mv] : *p->as_table()) {
        const std::string model(mk.str());
        if (!r.runs(x, model)) {
          std::vector<std::string> running;
          for (const auto& m : x.models.empty() ? classifier_names() : std::vector<std::string>{})
            running.push_back(m);
          for (const auto& m : x.models) running.push_back(m.name);
          r.fail(&mv, fmt::format("'published' in [[subsets]] names '{}', which is not a model this study runs "
                                  "(it runs: {})",
                                  model, fmt::join(running, ", ")));
        }
        if (!mv.is_number() || *mv.value<double>() < 0 || *mv.value<double>() > 1)
          r.fail(&mv, fmt::format("published accuracy of '{}' must be a number between 0 and 1", mk.str()));
        s.published[std::string(mk.str())] = *mv.value<double>();
      }
    }
    x.subsets.push_back(std::move(s));
  }
}

// [profile]: genre profiles and separability.
void read_profile(const Reader& r, const toml::table* t, Experiment& x) {
  const std::string w = "[profile]";
  r.only(*t, w, {"enabled", "bins", "separability", "model", protocol::kCv.key, "params"});
  x.profile = r.boolean(*t, "enabled", w, x.profile);
  x.bins = static_cast<int>(r.integer(*t, "bins", w, x.bins, 1, 1000));
  x.separability = r.boolean(*t, "separability", w, x.separability) && x.profile;
  x.separability_model = r.string(*t, "model", w, x.separability_model);
  r.check_model(t->get("model"), x.separability_model, {});
  if (const auto* p = r.table(*t, "params", w)) {
    x.separability_params = r.params(*p, "[profile.params]");
    for (const auto& [k, v] : x.separability_params) r.check_model(p->get(k), x.separability_model, {{k, v}});
  }
  x.separability_cv =
      static_cast<int>(r.integer(*t, protocol::kCv.key, w, x.separability_cv, protocol::kMinFolds, protocol::kMaxFolds));
}

// [output]: where results go.
void read_output(const Reader& r, const toml::table* t, Experiment& x) {
  r.only(*t, "[output]", {"directory", "report"});
  x.output_dir = r.string(*t, "directory", "[output]", x.output_dir);
  if (x.output_dir.empty()) r.fail(t->get("directory"), "'directory' in [output] is empty");
  x.report = r.boolean(*t, "report", "[output]", x.report);
}

// [report]: the HTML report.
void read_report(const Reader& r, const toml::table* t, Experiment& x) {
  r.only(*t, "[report]", {"title", "overlay_feature", "overlay_genres"});
  x.report_options.title = r.string(*t, "title", "[report]", "");
  x.report_options.overlay_feature = r.string(*t, "overlay_feature", "[report]", "");
  x.report_options.overlay_genres = r.strings(*t, "overlay_genres", "[report]");
}

}  // namespace

Experiment parse_experiment(std::string_view text, const std::string& file, const std::string& base_dir) {
  const Reader r(file);
  // TOML forbids NUL, and toml++ meets one with an internal assertion in a
  // debug build (fuzz/experiment_fuzz.cpp found it): refuse it here, where
  // the message can say what the file probably is.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const std::string_view before = text.substr(0, nul);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
    throw UsageError(fmt::format("{}:{}:{}: the file holds a NUL byte, which no TOML text has: it is binary or "
                                 "UTF-16. Save the experiment file as UTF-8 text (see examples/seed-study.toml)",
                                 file, line, nul - line_start + 1));
  }
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw UsageError(fmt::format("{}:{}:{}: {}", file, e.source().begin.line, e.source().begin.column, e.description()));
  }
  r.only(root, "the file", {"study", "data", "evaluation", "models", "subsets", "profile", "output", "report"});
  if (root.empty())
    throw UsageError(fmt::format("{}: the experiment file sets nothing (no [data], [models] or other table). Describe "
                                 "the study, starting from examples/seed-study.toml",
                                 file));

  Experiment x;
  x.file = file;
  if (const auto* t = r.table(root, "study", "the file")) read_study(r, t, x);
  if (const auto* t = r.table(root, "data", "the file")) read_data(r, t, base_dir, x);
  if (const auto* t = r.table(root, "evaluation", "the file")) read_evaluation(r, t, x);
  if (const auto* t = r.table(root, "models", "the file")) read_models(r, t, x);
  if (const toml::node* node = root.get("subsets")) read_subsets(r, node, x);
  if (const auto* t = r.table(root, "profile", "the file")) read_profile(r, t, x);
  if (const auto* t = r.table(root, "output", "the file")) read_output(r, t, x);
  if (const auto* t = r.table(root, "report", "the file")) read_report(r, t, x);
  return x;
}

Experiment load_experiment(const std::string& path) {
  note_input_file(path);
  // A directory, an empty file or /dev/null is an error, never the defaults
  // (which would quietly run the built-in study).
  const std::string text = read_input_file(path, InputLimits{std::size_t(16) << 20, "experiment file"});
  const auto dir = std::filesystem::path(path).parent_path();
  return parse_experiment(text, path, dir.empty() || path == "-" ? std::string(".") : dir.string());
}

Experiment seed_study_experiment() {
  return parse_experiment(bundled_seed_study_toml(), "examples/seed-study.toml (built-in)", "");
}

}  // namespace genrelab
