// The report page: tables carry the key numbers (readable without
// JavaScript, printable, searchable), charts add the shapes. Chart specs sit
// in <script type="application/json"> blocks and are drawn by the inlined
// vega-embed; a chart that fails says so in its box and on the console.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "genrelab/model_registry.h"
#include "genrelab/protocol.h"
#include "genrelab/report.h"
#include "report/charts.h"

namespace genrelab {
namespace {

using nlohmann::json;
using report::Confusion;

std::string esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// Text inside <script> ends at the first "</script", and "<!--" can switch the
// parser into a state where it does not. In JSON '<' only occurs inside
// strings, where \u003c means the same; in JavaScript only those two
// sequences are rewritten, to forms that mean the same in strings and regexes.
std::string json_for_script(const json& spec) {
  const std::string text = spec.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return out;
}

std::string js_for_script(std::string_view js) {
  std::string out;
  out.reserve(js.size());
  for (std::size_t i = 0; i < js.size(); ++i) {
    out += js[i];
    if (js[i] != '<' || i + 1 >= js.size()) continue;
    std::string next(js.substr(i + 1, 7));
    std::transform(next.begin(), next.end(), next.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (next.rfind("/script", 0) == 0 || next.rfind("!--", 0) == 0) out += '\\';
  }
  return out;
}

// The minified builds end with a sourceMappingURL comment; the map files are
// not inlined, so the comment would only make devtools look for them.
std::string_view without_source_map(std::string_view js) {
  const auto at = js.rfind("//# sourceMappingURL=");
  return at == std::string_view::npos ? js : js.substr(0, at);
}

std::string pct(const json& v, int digits = 1) {
  return v.is_number() ? fmt::format("{:.{}f}%", 100 * v.get<double>(), digits) : "–";
}

std::string str(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "–";
  return v.dump();
}

const char* kStyle = R"CSS(
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2f6fab; --bg-soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: #fff; }
header.top { background: #102a43; color: #fff; padding: 28px 40px 22px; }
header.top h1 { margin: 0 0 6px; font-size: 26px; font-weight: 600; }
header.top p { margin: 2px 0; color: #bcccdc; font-size: 14px; }
.layout { display: flex; align-items: flex-start; max-width: 1500px; margin: 0 auto; }
nav.toc { position: sticky; top: 0; flex: 0 0 230px; max-height: 100vh; overflow-y: auto; padding: 24px 16px 24px 24px;
          font-size: 14px; border-right: 1px solid var(--line); }
nav.toc h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 8px; }
nav.toc ol { padding-left: 18px; margin: 0; }
nav.toc li { margin: 4px 0; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
main { flex: 1 1 auto; min-width: 0; padding: 8px 40px 60px; }
section { border-bottom: 1px solid var(--line); padding: 12px 0 24px; }
h2 { font-size: 21px; margin: 22px 0 8px; }
h3 { font-size: 17px; margin: 22px 0 8px; }
p.lead, p.note { color: var(--muted); max-width: 900px; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; }
td.num, th.num { text-align: right; }
tbody tr:nth-child(even) { background: #fbfcfd; }
figure { margin: 16px 0 24px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; max-width: 900px; }
.chart { overflow-x: auto; min-height: 40px; }
.chart-error { color: #b42318; background: #fef3f2; padding: 8px 12px; border: 1px solid #fecdca; }
.grid { display: flex; flex-wrap: wrap; gap: 8px 32px; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; background: var(--bg-soft); border: 1px solid var(--line);
        font-size: 12.5px; margin: 0 4px 4px 0; }
details > summary { cursor: pointer; color: var(--accent); margin: 8px 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; background: var(--bg-soft);
       padding: 0 4px; border-radius: 3px; }
td code { font-size: 11.5px; }
.noscript { background: #fffbea; border: 1px solid #f0b429; padding: 8px 12px; }
@media (max-width: 900px) { nav.toc { display: none; } main { padding: 8px 16px; } }
@media print { nav.toc { display: none; } .vega-actions { display: none; } }
)CSS";

const char* kEmbed = R"JS(
(function () {
  var options = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
  var boxes = document.querySelectorAll('div.chart[data-spec]');
  boxes.forEach(function (box) {
    var spec;
    try {
      spec = JSON.parse(document.getElementById(box.getAttribute('data-spec')).textContent);
    } catch (err) {
      box.textContent = 'This chart could not be read: ' + err;
      box.classList.add('chart-error');
      console.error('genrelab report: chart ' + box.id + ': ' + err);
      return;
    }
    vegaEmbed(box, spec, options).then(function () {
      box.setAttribute('data-rendered', 'true');
    }).catch(function (err) {
      box.textContent = 'This chart could not be drawn: ' + err;
      box.classList.add('chart-error');
      console.error('genrelab report: chart ' + box.id + ': ' + err);
    });
  });
})();
)JS";

class Page {
 public:
  std::string body;
  std::vector<Chart> charts;
  std::vector<std::pair<std::string, std::string>> toc;  // id, title

  void section(const std::string& id, const std::string& title) {
    if (!toc.empty()) body += "</section>\n";
    toc.emplace_back(id, title);
    body += fmt::format("<section id=\"{}\">\n<h2>{}. {}</h2>\n", id, toc.size(), esc(title));
  }

  void chart(json spec, const std::string& caption = "") {
    const std::string id = fmt::format("chart-{}", charts.size() + 1);
    body += fmt::format("<figure><div class=\"chart\" id=\"{0}\" data-spec=\"{0}-spec\"></div>", id);
    if (!caption.empty()) body += "<figcaption>" + caption + "</figcaption>";
    body += "</figure>\n";
    charts.push_back({id, std::move(spec)});
  }
};

std::vector<std::string> class_names(const json& comparison) {
  std::vector<std::string> out;
  for (const auto& c : comparison["dataset"]["classes"]) out.push_back(c["name"]);
  return out;
}

// Numeric (non-indicator) features; for wide data the ones whose genre means
// spread most, since a page of 500 panels helps nobody.
std::vector<std::string> profile_features(const json& profile, std::size_t limit, bool* trimmed) {
  std::vector<std::pair<double, std::string>> scored;
  for (const auto& f : profile["features"]) {
    if (f.value("kind", "") != "numeric") continue;
    double spread = 0;
    for (const auto& [g, d] : f["per_genre"].items())
      if (d["mean_z"].is_number()) spread += d["mean_z"].get<double>() * d["mean_z"].get<double>();
    scored.emplace_back(spread, f["name"]);
  }
  *trimmed = scored.size() > limit;
  if (*trimmed) {
    std::vector<std::pair<double, std::string>> top = scored;
    std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    top.resize(limit);
    std::set<std::string> keep;
    for (const auto& t : top) keep.insert(t.second);
    std::vector<std::pair<double, std::string>> kept;
    for (const auto& s : scored)
      if (keep.count(s.second)) kept.push_back(s);
    scored = kept;
  }
  std::vector<std::string> out;
  for (const auto& s : scored) out.push_back(s.second);
  return out;
}

// Genres named in the options that the profile lacks are dropped with a note
// rather than failing: the report should still be written.
std::vector<std::string> overlay_genres(const ReportInputs& in, const ReportOptions& o, std::string* note) {
  std::vector<std::string> known;
  for (const auto& g : in.profile["genres"]) known.push_back(g["name"]);
  std::vector<std::string> wanted = o.overlay_genres;
  if (wanted.empty() && in.summary.contains("report") && in.summary["report"].contains("overlay_genres"))
    for (const auto& g : in.summary["report"]["overlay_genres"]) wanted.push_back(g);
  std::vector<std::string> out;
  for (const auto& g : wanted) {
    if (std::find(known.begin(), known.end(), g) != known.end())
      out.push_back(g);
    else
      *note += fmt::format("Genre '{}' is not in the profile and is left out. ", g);
  }
  if (!out.empty()) return out;
  // The three most confused genres of the first subset's best model: the ones
  // whose distributions are most worth comparing.
  const json& comparison = in.comparisons.front();
  const auto classes = class_names(comparison);
  const auto pairs = report::confused_pairs(report::confusion_of(comparison["models"][0], classes));
  std::vector<std::string> chosen;
  for (const auto& p : pairs) {
    for (int g : {p.a, p.b}) {
      const std::string& name = classes[static_cast<std::size_t>(g)];
      if (chosen.size() < 3 && std::find(chosen.begin(), chosen.end(), name) == chosen.end() &&
          std::find(known.begin(), known.end(), name) != known.end())
        chosen.push_back(name);
    }
    if (chosen.size() >= 3) break;
  }
  if (chosen.empty())
    for (std::size_t i = 0; i < std::min<std::size_t>(3, known.size()); ++i) chosen.push_back(known[i]);
  *note += "Genres: the three most confused by the best model. ";
  return chosen;
}

void overview_section(Page& page, const ReportInputs& in) {
  const json& s = in.summary;
  page.section("overview", "Data overview");
  page.body += fmt::format("<p class=\"lead\">Data: <code>{}</code>. Seed {}. ", esc(str(s.value("data", json("?")))),
                           esc(str(s.value(protocol::kSeed.result_key(), json("?")))));
  if (s.contains("settings")) {
    const json& st = s["settings"];
    const protocol::Protocol p = protocol::from_result(st);  // what the file lacks: the defaults
    page.body += fmt::format(
        "Models are compared on the same {}{}-fold cross-validation folds and on one {} held-out test part{}; "
        "preprocessing is fitted on training folds only.",
        p.stratify ? "stratified " : "", p.cv, pct(json(p.test_size), 0),
        st.value("tuned", false) ? " (parameters tuned by CV on the training part)" : "");
  }
  page.body += "</p>\n";
  // The subset with the most genres shows the whole data set.
  std::size_t widest = 0;
  for (std::size_t i = 0; i < in.comparisons.size(); ++i)
    if (in.comparisons[i]["dataset"]["classes"].size() > in.comparisons[widest]["dataset"]["classes"].size()) widest = i;
  std::vector<std::pair<std::string, double>> tracks;
  for (const auto& c : in.comparisons[widest]["dataset"]["classes"]) tracks.emplace_back(c["name"], c.value("tracks", 0.0));
  page.chart(report::tracks_chart(tracks, s["subsets"][widest]["title"].get<std::string>()),
             "Number of tracks of each genre in the data the models saw.");

  page.body += "<h3>Subsets compared</h3>\n<table><thead><tr><th>Subset</th><th class=\"num\">Tracks</th>"
               "<th class=\"num\">Features</th><th>Genres (tracks)</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < in.comparisons.size(); ++i) {
    const json& d = in.comparisons[i]["dataset"];
    std::string genres;
    for (const auto& c : d["classes"])
      genres += fmt::format("<span class=\"pill\">{} ({})</span>", esc(c["name"]), str(c.value("tracks", json(0))));
    page.body += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                             esc(s["subsets"][i]["title"]), str(d.value("rows", json(0))),
                             d.contains("features") ? std::to_string(d["features"].size()) : "–", genres);
  }
  page.body += "</tbody></table>\n<h3>Validation findings</h3>\n";
  for (std::size_t i = 0; i < in.comparisons.size(); ++i) {
    const json& d = in.comparisons[i]["dataset"];
    if (!d.contains("findings")) continue;
    const json& f = d["findings"];
    page.body += fmt::format("<p><strong>{}</strong> (label column <code>{}</code>)</p>\n<ul>\n",
                             esc(s["subsets"][i]["title"]), esc(str(d.value("label_column", f.value("label_column", json("?"))))));
    for (const auto& [key, label] :
         std::vector<std::pair<std::string, std::string>>{{"duplicate_rows", "duplicate rows (same features and label)"},
                                                          {"ids_with_several_labels", "track ids listed under several genres"},
                                                          {"rows_with_repeated_id", "rows repeating an earlier track id"},
                                                          {"rows_dropped", "rows dropped for missing values"},
                                                          {"cells_imputed", "cells imputed"}})
      page.body += fmt::format("<li>{}: {}</li>\n", esc(label), str(f.value(key, json(0))));
    for (const auto& e : f.value("excluded_columns", json::array()))
      page.body += fmt::format("<li>column <code>{}</code> not used: {}</li>\n", esc(str(e["column"])), esc(str(e["reason"])));
    for (const auto& n : f.value("notes", json::array())) page.body += "<li>" + esc(str(n)) + "</li>\n";
    page.body += "</ul>\n";
  }
}

void profile_section(Page& page, const ReportInputs& in, const ReportOptions& options) {
  page.section("profiles", "Genre profiles");
  if (!in.has_profile) {
    page.body += "<p class=\"note\">No genre profile in this results directory (summary.json names none). "
                 "Set <code>[profile] enabled = true</code> in the experiment file, or run "
                 "<code>genrelab profile DATA -o DIR/profile</code>.</p>\n";
    return;
  }
  bool trimmed = false;
  const auto features = profile_features(in.profile, 24, &trimmed);
  if (features.empty()) {
    page.body += "<p class=\"note\">The profile has no numeric features to draw.</p>\n";
    return;
  }
  page.body += "<p class=\"lead\">What each genre's tracks look like, feature by feature, in the style of a notebook's "
               "exploratory plots. One-hot and 0/1 indicator columns are left out here.";
  if (trimmed) page.body += " With this many features, the 24 whose genre means differ most are shown.";
  page.body += "</p>\n";
  page.chart(report::profile_chart(in.profile, features),
             "Hover a box for the genre's count, mean, sd and quartiles (pandas <code>describe()</code>).");
  page.chart(report::fingerprint_chart(in.profile, features),
             "Each cell: how many overall standard deviations the genre's mean lies above (red) or below (blue) the mean "
             "of all tracks.");
  page.body += "<h3>Where each genre is most extreme</h3>\n<table><thead><tr><th>Genre</th><th class=\"num\">Tracks</th>"
               "<th>Features (z of the genre mean; genre mean vs the other genres' mean)</th></tr></thead><tbody>\n";
  for (const auto& g : in.profile["genres"]) {
    std::string parts;
    const json& ext = in.profile.value("extremes", json::object());
    if (ext.contains(g["name"].get<std::string>()))
      for (const auto& e : ext[g["name"].get<std::string>()])
        parts += fmt::format("<span class=\"pill\">{} {:+.1f} ({:.3g} vs {:.3g})</span>", esc(str(e["feature"])),
                             e.value("mean_z", 0.0), e["mean"].is_number() ? e["mean"].get<double>() : NAN,
                             e["mean_of_other_genres"].is_number() ? e["mean_of_other_genres"].get<double>() : NAN);
    page.body += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n", esc(str(g["name"])),
                             str(g.value("tracks", json(0))), parts);
  }
  page.body += "</tbody></table>\n";

  page.section("distributions", "Overlaid distributions");
  std::string note;
  const auto genres = overlay_genres(in, options, &note);
  std::string feature = options.overlay_feature;
  if (feature.empty() && in.summary.contains("report")) feature = in.summary["report"].value("overlay_feature", "");
  if (std::find(features.begin(), features.end(), feature) == features.end()) {
    if (!feature.empty()) note += fmt::format("Feature '{}' is not a numeric feature of the profile. ", feature);
    feature = std::find(features.begin(), features.end(), "energy") != features.end() ? "energy" : features.front();
  }
  page.body += "<p class=\"lead\">The same feature's distribution in a few genres at once, on bins shared by all "
               "genres, as shares of each genre's tracks (genres of different sizes stay comparable).</p>\n";
  page.chart(report::overlay_chart(in.profile, features, feature, genres),
             esc(note) + "Change the genres with <code>genrelab report --overlay-genres</code> or the experiment's "
                         "<code>[report] overlay_genres</code>.");
}

void separability_section(Page& page, const ReportInputs& in) {
  page.section("separability", "Separability of genre pairs");
  if (!in.has_separability) {
    page.body += "<p class=\"note\">No pairwise separability in this results directory. Set <code>[profile] "
                 "separability = true</code> in the experiment file, or run <code>genrelab profile DATA -o "
                 "DIR/profile</code>.</p>\n";
    return;
  }
  const json& s = in.separability;
  page.body += "<p class=\"lead\">For every pair of genres, a classifier trained on those two genres alone, scored by "
               "cross-validation. Pairs near 50% sound alike to the model; the clustering order puts similar genres "
               "next to each other.</p>\n";
  page.chart(report::separability_chart(s), "Hover a cell for the fold-to-fold spread.");
  std::vector<const json*> pairs;
  for (const auto& p : s["pairs"]) pairs.push_back(&p);
  std::stable_sort(pairs.begin(), pairs.end(), [](const json* a, const json* b) {
    return (*a)["balanced_accuracy"].get<double>() < (*b)["balanced_accuracy"].get<double>();
  });
  page.body += "<h3>The hardest pairs to tell apart</h3>\n<table><thead><tr><th>Genre</th><th>Genre</th>"
               "<th class=\"num\">Balanced accuracy</th><th class=\"num\">sd</th>"
               "<th>Features that separate them best (histogram overlap)</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < std::min<std::size_t>(10, pairs.size()); ++i) {
    const json& p = *pairs[i];
    std::string best;
    if (p.contains("features")) {
      std::vector<const json*> fs;
      for (const auto& f : p["features"]) fs.push_back(&f);
      std::stable_sort(fs.begin(), fs.end(),
                       [](const json* a, const json* b) { return (*a)["overlap"].get<double>() < (*b)["overlap"].get<double>(); });
      for (std::size_t k = 0; k < std::min<std::size_t>(3, fs.size()); ++k)
        best += fmt::format("<span class=\"pill\">{} ({:.0f}% overlap)</span>", esc(str((*fs[k])["feature"])),
                            100 * (*fs[k])["overlap"].get<double>());
    }
    page.body += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                             esc(str(p["a"])), esc(str(p["b"])), pct(p["balanced_accuracy"]),
                             pct(p.value("balanced_accuracy_sd", json(nullptr))), best);
  }
  page.body += "</tbody></table>\n";
}

std::string params_text(const json& params) {
  std::string out;
  if (!params.is_object()) return out;
  for (const auto& [k, v] : params.items()) {
    if (k == "n_jobs" || k == "random_state") continue;
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, str(v));
  }
  return out;
}

void models_section(Page& page, const ReportInputs& in) {
  page.section("models", "Model comparison");
  page.body += "<p class=\"lead\">Every model on the same split and folds. CV: cross-validated mean ± population sd "
               "(as <code>numpy.std</code>). Train / test: one fit on the training part scored on itself and on the "
               "held-out part; a large gap means over-fitting.</p>\n";
  for (std::size_t i = 0; i < in.comparisons.size(); ++i) {
    const json& c = in.comparisons[i];
    const json& subset = in.summary["subsets"][i];
    const std::string title = subset["title"];
    const json published = subset.value("published", json::object());
    page.body += fmt::format("<h3>{}</h3>\n<table><thead><tr><th class=\"num\">Rank</th><th>Model</th>"
                             "<th class=\"num\">CV accuracy</th><th class=\"num\">± sd</th>"
                             "<th class=\"num\">Balanced acc.</th><th class=\"num\">Macro F1</th>"
                             "<th class=\"num\">Train</th><th class=\"num\">Test</th><th class=\"num\">Fit s</th>"
                             "<th>Parameters</th></tr></thead><tbody>\n",
                             esc(title));
    int rank = 0;
    for (const auto& m : c["models"]) {
      const json& cv = m["cv"];
      page.body += fmt::format(
          "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td><code>{}</code></td></tr>\n",
          ++rank, esc(str(m["model"])), pct(cv["accuracy"]["mean"]), pct(cv["accuracy"]["sd"]),
          pct(cv.value("balanced_accuracy", json::object()).value("mean", json(nullptr))),
          pct(cv.value("f1_macro", json::object()).value("mean", json(nullptr))), pct(m["holdout"]["train_accuracy"]),
          pct(m["holdout"]["test"]["accuracy"]),
          m["holdout"].value("fit_seconds", json(nullptr)).is_number()
              ? fmt::format("{:.3f}", m["holdout"]["fit_seconds"].get<double>())
              : "–",
          esc(params_text(m.value("params", json::object()))));
    }
    for (const auto& [model, acc] : published.items())
      page.body += fmt::format("<tr><td></td><td>{} (published)</td><td></td><td></td><td></td><td></td><td></td>"
                               "<td class=\"num\">{}</td><td></td><td>the study's own split</td></tr>\n",
                               esc(model), pct(acc));
    page.body += "</tbody></table>\n";
    page.chart(report::comparison_chart(c, published, title));
  }
}

void confusion_section(Page& page, const ReportInputs& in) {
  page.section("confusion", "Confusion matrices");
  page.body += "<p class=\"lead\">Rows are the true genre, columns the predicted one. The row-normalised matrix shows "
               "each genre's recall on the diagonal and where its tracks go otherwise. Models in ranking order; the "
               "best model is open, the others are folded.</p>\n";
  for (std::size_t i = 0; i < in.comparisons.size(); ++i) {
    const json& c = in.comparisons[i];
    const std::string title = in.summary["subsets"][i]["title"];
    const auto classes = class_names(c);
    page.body += fmt::format("<h3>{}</h3>\n", esc(title));
    bool first = true;
    for (const auto& m : c["models"]) {
      const std::string name = m["model"];
      page.body += fmt::format("<details{}><summary>{} — CV accuracy {}</summary>\n", first ? " open" : "", esc(name),
                               pct(m["cv"]["accuracy"]["mean"]));
      page.chart(report::confusion_chart(report::confusion_of(m, classes), name, title));
      page.body += "</details>\n";
      first = false;
    }
  }
}

void importance_section(Page& page, const ReportInputs& in) {
  page.section("importance", "Feature importance");
  page.body += "<p class=\"lead\">Which features the models lean on. Impurity-based importances (MDI) come with the "
               "tree models and favour features with many distinct values; permutation importance, when computed "
               "(<code>importance = \"permutation\"</code>), measures the drop in held-out score when a feature is "
               "shuffled.</p>\n";
  bool any = false;
  for (std::size_t i = 0; i < in.comparisons.size(); ++i) {
    const json& c = in.comparisons[i];
    const std::string title = in.summary["subsets"][i]["title"];
    std::string heading = fmt::format("<h3>{}</h3>\n<div class=\"grid\">\n", esc(title));
    bool opened = false;
    for (const auto& m : c["models"]) {
      const bool mdi = !m["holdout"]["importances"].empty();
      const bool perm = m.contains("permutation_importance") && m["permutation_importance"].contains("features");
      if (!mdi && !perm) continue;
      if (!opened) page.body += heading;
      opened = any = true;
      if (mdi) page.chart(report::importance_chart(m, title, 15));
      if (perm) page.chart(report::permutation_chart(m, title, 15));
    }
    if (opened) page.body += "</div>\n";
  }
  if (!any) page.body += "<p class=\"note\">None of the compared models reports importances.</p>\n";
}

void confused_pairs_section(Page& page, const ReportInputs& in) {
  page.section("confused-pairs", "Most confused genre pairs");
  page.body += "<p class=\"lead\">From the confusion matrices: the share of the two genres' tracks that the model put "
               "in the other genre of the pair. <em>Best model</em> is the top-ranked model; <em>all models</em> is the "
               "mean share over every compared model except the dummy baseline.</p>\n";
  for (std::size_t i = 0; i < in.comparisons.size(); ++i) {
    const json& c = in.comparisons[i];
    const auto classes = class_names(c);
    const std::string best = c["models"][0]["model"];
    std::map<std::pair<int, int>, double> mean_share;
    int counted = 0;
    for (const auto& m : c["models"]) {
      const ModelInfo* info = find_model_info(m["model"].get<std::string>());
      if (info && info->baseline) continue;
      ++counted;
      for (const auto& p : report::confused_pairs(report::confusion_of(m, classes))) mean_share[{p.a, p.b}] += p.share;
    }
    const auto pairs = report::confused_pairs(report::confusion_of(c["models"][0], classes));
    page.body += fmt::format("<h3>{}</h3>\n<table><thead><tr><th>Genre A</th><th>Genre B</th>"
                             "<th class=\"num\">A predicted as B</th><th class=\"num\">B predicted as A</th>"
                             "<th class=\"num\">Share confused ({})</th><th class=\"num\">Share confused (all models)</th>"
                             "</tr></thead><tbody>\n",
                             esc(in.summary["subsets"][i]["title"].get<std::string>()), esc(best));
    for (std::size_t k = 0; k < std::min<std::size_t>(10, pairs.size()); ++k) {
      const auto& p = pairs[k];
      const auto it = mean_share.find({p.a, p.b});
      page.body += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{:g}</td><td class=\"num\">{:g}</td><td class=\"num\">{:.1f}%</td>"
          "<td class=\"num\">{}</td></tr>\n",
          esc(classes[static_cast<std::size_t>(p.a)]), esc(classes[static_cast<std::size_t>(p.b)]), p.a_as_b, p.b_as_a,
          100 * p.share, counted > 0 && it != mean_share.end() ? fmt::format("{:.1f}%", 100 * it->second / counted) : "–");
    }
    if (pairs.empty()) page.body += "<tr><td colspan=\"6\">No genre was confused with another.</td></tr>\n";
    page.body += "</tbody></table>\n";
  }
}

// Only when the results directory holds open_set.json, so existing reports keep their sections.
void open_set_section(Page& page, const ReportInputs& in) {
  if (!in.has_open_set) return;
  page.section("open-set", "Open set: unknown genres and prediction sets");
  const json& o = in.open_set;
  const json& s = o["settings"];
  const json& sm = o["summary"];
  page.body += fmt::format(
      "<p class=\"lead\">{} genre(s) were hidden from training in each of {} round(s) and their tracks treated as "
      "unknown at test. Thresholds are split-conformal, set on {}% of the training part for a {} false-rejection "
      "rate on known genres; prediction sets target {} coverage.</p>\n",
      esc(str(s["hidden"])), esc(str(s["repeats"])), esc(str(json(100 * s.value("calibrate", 0.0)))),
      pct(s["false_reject"], 0), pct(json(1.0 - s.value("alpha", 0.1)), 0));
  page.body += "<table><thead><tr><th>Score</th><th class=\"num\">AUROC known vs unknown</th>"
               "<th class=\"num\">False rejection</th><th class=\"num\">False acceptance</th></tr></thead><tbody>\n";
  for (const auto& [name, v] : sm["scores"].items())
    page.body += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                             esc(name), esc(str(v["auroc"]["mean"].is_number() ? json(std::round(1000 * v["auroc"]["mean"].get<double>()) / 1000) : json(nullptr))),
                             pct(v["frr"]["mean"]), pct(v["far"]["mean"]));
  page.body += "</tbody></table>\n";
  page.body += fmt::format("<p>Open-set accuracy {} (known tracks accepted and named right, unknown ones rejected); "
                           "closed-set accuracy on known genres {}; prediction-set coverage {} with {} genres per "
                           "set on average.</p>\n",
                           pct(sm["open_set_accuracy"]["mean"]), pct(sm["closed_set_accuracy"]["mean"]),
                           pct(sm["coverage"]["mean"]), esc(str(sm["mean_set_size"]["mean"].is_number() ? json(std::round(100 * sm["mean_set_size"]["mean"].get<double>()) / 100) : json(nullptr))));
  if (s.value("hidden", 0) > 0) page.chart(report::open_set_curve_chart(o), "Hover a point for its target and rates.");
  page.chart(report::open_set_coverage_chart(o), "Hover a bar for the mean set size.");
}

}  // namespace

RenderedReport render_report(const ReportInputs& in, const ReportOptions& options) {
  Page page;
  overview_section(page, in);
  profile_section(page, in, options);
  separability_section(page, in);
  models_section(page, in);
  confusion_section(page, in);
  importance_section(page, in);
  confused_pairs_section(page, in);
  open_set_section(page, in);
  page.body += "</section>\n";

  std::string title = options.title;
  if (title.empty() && in.summary.contains("report")) title = in.summary["report"].value("title", "");
  if (title.empty()) title = in.summary.value("study", std::string("genrelab study"));

  RenderedReport out;
  std::string& html = out.html;
  html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"genrelab {}\">\n<title>{} — genrelab report</title>\n<style>{}</style>\n"
      "</head>\n<body>\n<header class=\"top\"><h1>{}</h1><p>genrelab {} report · data <code>{}</code> · results "
      "<code>{}</code></p></header>\n<div class=\"layout\">\n<nav class=\"toc\"><h2>Contents</h2><ol>\n",
      GENRELAB_VERSION, esc(title), kStyle, esc(title), GENRELAB_VERSION, esc(str(in.summary.value("data", json("?")))),
      esc(in.results_dir));
  for (const auto& [id, t] : page.toc) {
    html += fmt::format("<li><a href=\"#{}\">{}</a></li>\n", id, esc(t));
    out.sections.push_back(id);
  }
  html += "</ol></nav>\n<main>\n<noscript><p class=\"noscript\">Charts need JavaScript; every key number is also in "
          "the tables.</p></noscript>\n";
  html += page.body;
  html += "</main>\n</div>\n";
  for (const auto& c : page.charts)
    html += fmt::format("<script type=\"application/json\" id=\"{}-spec\">{}</script>\n", c.id,
                        json_for_script(c.spec));
  for (auto lib : {bundled_vega_js(), bundled_vega_lite_js(), bundled_vega_embed_js()})
    html += "<script>" + js_for_script(without_source_map(lib)) + "</script>\n";
  html += std::string("<script>") + kEmbed + "</script>\n</body>\n</html>\n";
  out.charts = std::move(page.charts);
  return out;
}

}  // namespace genrelab
