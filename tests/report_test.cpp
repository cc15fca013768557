// The HTML report: built from a real (small) results directory, it has every
// section, every chart is a valid Vega-Lite spec with a title, titled axes and
// tooltips, it needs no network, and missing or broken inputs stop
// `genrelab report` with a message that says which file and how to make it.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "genrelab/error.h"
#include "genrelab/report.h"
#include "study_fixture.h"

namespace fs = std::filesystem;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;
using nlohmann::json;

namespace {

// One results directory for the whole binary; tests copy it before damaging it.
const fs::path& results() {
  static const fs::path dir = [] {
    auto d = scratch_dir("report") / "results";
    genrelab::testing::make_quick_results(d);
    return d;
  }();
  return dir;
}

fs::path damaged_copy(const std::string& name) {
  const auto dir = scratch_dir("report-" + name);
  fs::copy(results(), dir / "results", fs::copy_options::recursive);
  return dir;
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The JSON blocks the page hands to vega-embed, by container id.
std::map<std::string, json> specs_in(const std::string& html) {
  std::map<std::string, json> out;
  const std::string open = "<script type=\"application/json\" id=\"";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto id_end = html.find('"', at + open.size());
    const auto body = html.find('>', id_end) + 1;
    const auto end = html.find("</script>", body);
    out[html.substr(at + open.size(), id_end - at - open.size())] = json::parse(html.substr(body, end - body));
  }
  return out;
}

// Every x / y encoding in the spec (layers, facets, concatenations) has a
// title, and at least one tooltip encoding exists.
void check_spec(const json& spec, const std::string& id) {
  bool tooltip = false;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object()) {
      if (node.contains("encoding")) {
        const json& enc = node["encoding"];
        for (const char* channel : {"x", "y"})
          if (enc.contains(channel)) {
            EXPECT_TRUE(enc[channel].contains("title") && enc[channel]["title"].is_string() &&
                        !enc[channel]["title"].get<std::string>().empty())
                << id << ": " << channel << " axis without a title: " << enc[channel].dump();
          }
        if (enc.contains("tooltip")) tooltip = true;
      }
      for (const auto& [k, v] : node.items()) walk(v);
    } else if (node.is_array()) {
      for (const auto& v : node) walk(v);
    }
  };
  walk(spec);
  EXPECT_TRUE(tooltip) << id << ": no tooltip";
  ASSERT_TRUE(spec.contains("title")) << id;
  EXPECT_FALSE(spec["title"]["text"].get<std::string>().empty()) << id;
  EXPECT_EQ(spec["$schema"], "https://vega.github.io/schema/vega-lite/v5.json") << id;
  EXPECT_TRUE(spec.contains("data") && spec["data"].contains("values") && !spec["data"]["values"].empty())
      << id << ": a chart without data";
}

}  // namespace

TEST(Report, ResultsDirectoryHasTheDocumentedLayout) {
  for (const char* file : {"summary.json", "results/four_comparison.json", "results/pair_comparison.json",
                           "results/four_random_forest.json", "profile/profile.json", "profile/profile.csv",
                           "profile/separability.json", "index.html"})
    EXPECT_TRUE(fs::exists(results() / file)) << file;
  const auto summary = json::parse(slurp((results() / "summary.json").string()));
  EXPECT_EQ(summary["format"], "genrelab-results/1");
  EXPECT_EQ(summary["subsets"][0]["comparison"], "results/four_comparison.json");
  EXPECT_EQ(summary["profile"], "profile/profile.json");
  EXPECT_EQ(summary["separability"], "profile/separability.json");
  EXPECT_EQ(summary["report"]["overlay_genres"], json({"hip hop", "ska"}));
}

TEST(Report, HasEverySectionAndValidChartSpecs) {
  const auto report = genrelab::render_report(genrelab::load_results(results().string()));
  const std::vector<std::string> sections = {"overview",   "profiles",  "distributions",  "separability",
                                             "models",     "confusion", "importance",     "confused-pairs"};
  EXPECT_EQ(report.sections, sections);
  for (const auto& s : sections) {
    EXPECT_NE(report.html.find("<section id=\"" + s + "\">"), std::string::npos) << s;
    EXPECT_NE(report.html.find("href=\"#" + s + "\""), std::string::npos) << "table of contents lacks " << s;
  }
  const auto specs = specs_in(report.html);
  ASSERT_EQ(specs.size(), report.charts.size());
  // tracks, profile, fingerprint, overlay, separability, 2 comparisons,
  // 3 + 3 confusion matrices, MDI for 2 tree models x 2 subsets, permutation for 3 models x 2 subsets.
  EXPECT_EQ(report.charts.size(), 1u + 3 + 1 + 2 + 6 + 4 + 6);
  for (const auto& chart : report.charts) {
    ASSERT_TRUE(specs.count(chart.id + "-spec")) << chart.id;
    EXPECT_EQ(specs.at(chart.id + "-spec"), chart.spec) << "the page carries the spec unchanged";
    EXPECT_NE(report.html.find("id=\"" + chart.id + "\""), std::string::npos) << "no container for " << chart.id;
    check_spec(chart.spec, chart.id);
  }
}

TEST(Report, KeyNumbersAreInTablesAndTheOverlayUsesTheChosenGenres) {
  const auto report = genrelab::render_report(genrelab::load_results(results().string()));
  const auto comparison = json::parse(slurp((results() / "results/four_comparison.json").string()));
  const double best = comparison["models"][0]["cv"]["accuracy"]["mean"];
  EXPECT_NE(report.html.find(fmt::format("{:.1f}%", 100 * best)), std::string::npos);
  EXPECT_NE(report.html.find("Most confused genre pairs"), std::string::npos);
  EXPECT_NE(report.html.find("<noscript>"), std::string::npos);
  const json* overlay = nullptr;
  for (const auto& c : report.charts)
    if (c.spec["title"]["text"] == "Overlaid distributions of one feature") overlay = &c.spec;
  ASSERT_NE(overlay, nullptr);
  EXPECT_EQ((*overlay)["params"][0]["value"], "energy");
  EXPECT_EQ((*overlay)["encoding"]["color"]["scale"]["domain"], json({"hip hop", "ska"}));
  // Bins come from the profile: 10 shared bins per feature and genre.
  std::size_t energy_bins = 0;
  for (const auto& v : (*overlay)["data"]["values"]) energy_bins += v["feature"] == "energy" && v["genre"] == "ska";
  EXPECT_EQ(energy_bins, 10u);

  genrelab::ReportOptions options;
  options.overlay_feature = "danceability";
  options.overlay_genres = {"classical", "sleep", "no such genre"};
  const auto custom = genrelab::render_report(genrelab::load_results(results().string()), options);
  EXPECT_NE(custom.html.find("Genre &#39;no such genre&#39; is not in the profile"), std::string::npos);
  for (const auto& c : custom.charts)
    if (c.spec["title"]["text"] == "Overlaid distributions of one feature") {
      EXPECT_EQ(c.spec["params"][0]["value"], "danceability");
      EXPECT_EQ(c.spec["encoding"]["color"]["scale"]["domain"], json({"classical", "sleep"}));
    }
}

TEST(Report, IsSelfContained) {
  const std::string html = slurp((results() / "index.html").string());
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("sourceMappingURL"), std::string::npos);
  EXPECT_NE(html.find(std::string(genrelab::bundled_vega_embed_js().substr(0, 200))), std::string::npos);
  EXPECT_GT(genrelab::bundled_vega_js().size(), 100000u);
  EXPECT_GT(genrelab::bundled_vega_lite_js().size(), 100000u);
  // Only the three libraries, the specs and the embedding script are scripts.
  std::size_t scripts = 0;
  for (auto at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) ++scripts;
  EXPECT_EQ(scripts, specs_in(html).size() + 4);
}

TEST(Report, CommandWritesTheFileFromAnyDirectory) {
  const auto dir = scratch_dir("report-cli");
  const auto r = run_cli("report '" + results().string() + "' -o out/report.html --overlay-genres 'classical,sleep'", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = slurp((dir / "out/report.html").string());
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(specs_in(html).size(), 23u);
  fs::remove_all(dir);
}

TEST(Report, MissingSummaryFailsClearlyAndWritesNothing) {
  const auto dir = scratch_dir("report-empty");
  fs::create_directories(dir / "empty");
  const auto r = run_cli("report empty -o report.html", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("empty/summary.json: not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("genrelab run"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "report.html"));

  const auto none = run_cli("report does-not-exist -o report.html", dir);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("does-not-exist: not a directory"), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(dir / "report.html"));
  fs::remove_all(dir);
}

TEST(Report, BrokenInputsNameTheFileAndWhatIsMissing) {
  struct Case {
    std::string name;
    std::function<void(const fs::path&)> damage;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"comparison-missing", [](const fs::path& d) { fs::remove(d / "results/pair_comparison.json"); },
       "results/pair_comparison.json: not found (the model comparison of subset 'pair')"},
      {"summary-not-json", [](const fs::path& d) { write(d / "summary.json", "{\"subsets\": ["); },
       "summary.json: not valid JSON"},
      {"summary-no-subsets", [](const fs::path& d) { write(d / "summary.json", "{\"format\": \"genrelab-results/1\"}"); },
       "summary.json: missing \"/subsets\" (array expected)"},
      {"comparison-no-cv",
       [](const fs::path& d) {
         auto c = json::parse(slurp((d / "results/four_comparison.json").string()));
         c["models"][1].erase("cv");
         write(d / "results/four_comparison.json", c.dump());
       },
       "four_comparison.json: missing \"/models/1/cv/accuracy/mean\""},
      {"profile-missing", [](const fs::path& d) { fs::remove(d / "profile/profile.json"); },
       "profile/profile.json: not found (the genre profile named in summary.json"},
      {"separability-wrong-type",
       [](const fs::path& d) {
         auto s = json::parse(slurp((d / "profile/separability.json").string()));
         s["pairs"] = 3;
         write(d / "profile/separability.json", s.dump());
       },
       "separability.json: \"/pairs\" should be an array, not number"},
  };
  for (const auto& c : cases) {
    const auto dir = damaged_copy(c.name);
    c.damage(dir / "results");
    const auto r = run_cli("report results -o report.html", dir);
    EXPECT_EQ(r.exit_code, 1) << c.name;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir / "report.html")) << c.name;
    fs::remove_all(dir);
  }
}

TEST(Report, WithoutProfileTheSectionsSayHowToGetOne) {
  const auto dir = damaged_copy("no-profile");
  auto summary = json::parse(slurp((dir / "results/summary.json").string()));
  summary["profile"] = nullptr;
  summary["separability"] = nullptr;
  write(dir / "results/summary.json", summary.dump());
  const auto report = genrelab::render_report(genrelab::load_results((dir / "results").string()));
  EXPECT_NE(report.html.find("No genre profile in this results directory"), std::string::npos);
  EXPECT_NE(report.html.find("No pairwise separability"), std::string::npos);
  for (const auto& chart : report.charts) check_spec(chart.spec, chart.id);
  fs::remove_all(dir);
}

TEST(Report, ScriptBlocksCannotBeClosedByData) {
  const auto dir = damaged_copy("script-injection");
  auto summary = json::parse(slurp((dir / "results/summary.json").string()));
  summary["subsets"][0]["title"] = "</script><script>alert(1)</script>";
  write(dir / "results/summary.json", summary.dump());
  const auto report = genrelab::render_report(genrelab::load_results((dir / "results").string()));
  EXPECT_EQ(report.html.find("<script>alert(1)"), std::string::npos);
  for (const auto& [id, spec] : specs_in(report.html)) EXPECT_TRUE(spec.is_object()) << id;
  fs::remove_all(dir);
}
