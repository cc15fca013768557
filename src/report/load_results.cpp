// Reading a results directory for the report. Every file and field the report
// uses is checked up front, so a missing or hand-edited file produces one
// message saying which file, what is missing and which command writes it,
// never a half-drawn report.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/report.h"

namespace genrelab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kHowToProduce =
    "A results directory is written by `genrelab run EXPERIMENT.toml` or `genrelab demo -o DIR`";

json read_json(const fs::path& path, const std::string& what) {
  note_input_file(path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(fmt::format("{}: not found ({}). {}.", path.string(), what, kHowToProduce));
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return json::parse(ss.str());
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON ({}): {}. Re-create it with `genrelab run` or `genrelab demo`.",
                                 path.string(), what, e.what()));
  }
}

// Checks that `pointer` exists in `doc` and has the expected kind.
void require(const json& doc, const std::string& pointer, const fs::path& file, const char* kind) {
  const json::json_pointer p(pointer);
  if (!doc.contains(p))
    throw InputError(fmt::format("{}: missing \"{}\" ({} expected). The file is incomplete or from another tool; "
                                 "re-create it with `genrelab run` or `genrelab demo`.",
                                 file.string(), pointer, kind));
  const json& v = doc.at(p);
  const std::string k = kind;
  const bool ok = (k == "array" && v.is_array()) || (k == "object" && v.is_object()) ||
                  (k == "string" && v.is_string()) || (k == "number" && v.is_number());
  if (!ok)
    throw InputError(fmt::format("{}: \"{}\" should be {} {}, not {}. Re-create it with `genrelab run` or `genrelab demo`.",
                                 file.string(), pointer, k == "array" || k == "object" ? "an" : "a", kind,
                                 v.type_name()));
}

void check_comparison(const json& c, const fs::path& file) {
  require(c, "/dataset/classes", file, "array");
  require(c, "/models", file, "array");
  if (c["models"].empty())
    throw InputError(fmt::format("{}: \"models\" is empty: no model was compared. Re-run the experiment with at least "
                                 "one model.", file.string()));
  const std::size_t n_classes = c["dataset"]["classes"].size();
  for (std::size_t i = 0; i < c["models"].size(); ++i) {
    const std::string m = fmt::format("/models/{}", i);
    require(c, m + "/model", file, "string");
    require(c, m + "/cv/accuracy/mean", file, "number");
    require(c, m + "/cv/accuracy/sd", file, "number");
    require(c, m + "/holdout/train_accuracy", file, "number");
    require(c, m + "/holdout/test/accuracy", file, "number");
    require(c, m + "/holdout/test/confusion_matrix", file, "array");
    require(c, m + "/holdout/importances", file, "array");
    if (c["models"][i]["holdout"]["test"]["confusion_matrix"].size() != n_classes)
      throw InputError(fmt::format("{}: \"{}/holdout/test/confusion_matrix\" has {} rows but the data set has {} "
                                   "genres; the file was edited or mixed with another run.",
                                   file.string(), m, c["models"][i]["holdout"]["test"]["confusion_matrix"].size(),
                                   n_classes));
  }
}

}  // namespace

ReportInputs load_results(const std::string& results_dir) {
  const fs::path dir(results_dir);
  if (!fs::is_directory(dir))
    throw InputError(fmt::format("{}: not a directory. {} (layout: summary.json, results/ID_comparison.json, "
                                 "profile/profile.json, profile/separability.json).",
                                 results_dir, kHowToProduce));
  ReportInputs in;
  in.results_dir = results_dir;
  const fs::path summary_file = dir / "summary.json";
  in.summary = read_json(summary_file, "the study summary, which lists every other file");
  if (in.summary.contains("format") && in.summary["format"] != "genrelab-results/1")
    throw InputError(fmt::format("{}: \"format\" is {}, genrelab reads \"genrelab-results/1\".", summary_file.string(),
                                 in.summary["format"].dump()));
  require(in.summary, "/subsets", summary_file, "array");
  if (in.summary["subsets"].empty())
    throw InputError(fmt::format("{}: \"subsets\" is empty: the study compared no models.", summary_file.string()));
  for (std::size_t i = 0; i < in.summary["subsets"].size(); ++i) {
    require(in.summary, fmt::format("/subsets/{}/id", i), summary_file, "string");
    auto& subset = in.summary["subsets"][i];
    const std::string id = subset["id"];
    if (!subset.contains("comparison")) subset["comparison"] = fmt::format("results/{}_comparison.json", id);
    require(in.summary, fmt::format("/subsets/{}/comparison", i), summary_file, "string");
    if (!subset.contains("title")) subset["title"] = id;
    const fs::path file = dir / subset["comparison"].get<std::string>();
    in.comparisons.push_back(read_json(file, fmt::format("the model comparison of subset '{}'", id)));
    check_comparison(in.comparisons.back(), file);
  }
  if (in.summary.contains("profile") && in.summary["profile"].is_string()) {
    const fs::path file = dir / in.summary["profile"].get<std::string>();
    in.profile = read_json(file, "the genre profile named in summary.json; `genrelab profile DATA -o DIR` also writes it");
    if (in.profile.value("format", "") != "genrelab-profile/1")
      throw InputError(fmt::format("{}: \"format\" should be \"genrelab-profile/1\" (written by `genrelab profile`).",
                                   file.string()));
    require(in.profile, "/genres", file, "array");
    require(in.profile, "/features", file, "array");
    in.has_profile = true;
  }
  if (in.summary.contains("separability") && in.summary["separability"].is_string()) {
    const fs::path file = dir / in.summary["separability"].get<std::string>();
    in.separability = read_json(file, "the pairwise separability named in summary.json; `genrelab profile` writes it");
    if (in.separability.value("format", "") != "genrelab-separability/1")
      throw InputError(fmt::format("{}: \"format\" should be \"genrelab-separability/1\" (written by `genrelab profile`).",
                                   file.string()));
    require(in.separability, "/genres", file, "array");
    require(in.separability, "/order", file, "array");
    require(in.separability, "/separability", file, "array");
    require(in.separability, "/pairs", file, "array");
    in.has_separability = true;
  }
  // Optional: an open-set evaluation put beside the study's results.
  const fs::path open_set_file = dir / "open_set.json";
  if (fs::exists(open_set_file)) {
    const json doc = read_json(open_set_file, "the open-set evaluation (`genrelab evaluate DATA --open-set K --json FILE`)");
    require(doc, "/open_set/rejection_curve", open_set_file, "array");
    require(doc, "/open_set/per_genre", open_set_file, "array");
    require(doc, "/open_set/settings", open_set_file, "object");
    require(doc, "/open_set/summary", open_set_file, "object");
    in.open_set = doc["open_set"];
    in.has_open_set = true;
  }
  return in;
}

void write_report(const std::string& results_dir, const std::string& output_path, const ReportOptions& options) {
  const ReportInputs inputs = load_results(results_dir);
  write_file_atomic(output_path, render_report(inputs, options).html);
}

}  // namespace genrelab
