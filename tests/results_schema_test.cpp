// Every JSON file `genrelab demo` writes (study and profiling results, read by
// the report) against its definition in schemas/results.schema.json, the one
// place the result layout is written down.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "json_schema.h"

namespace fs = std::filesystem;
using namespace genrelab::testing;

namespace {

// The definition a file's place in the output directory says it follows.
std::string kind_of(const fs::path& relative) {
  const std::string name = relative.filename().string();
  const std::string dir = relative.parent_path().string();
  if (dir.empty() && name == "summary.json") return "summary";
  if (dir == "profile" && name == "profile.json") return "profile";
  if (dir == "profile" && name == "separability.json") return "separability";
  if (dir == "results" && name.ends_with("_comparison.json")) return "comparison";
  if (dir == "results") return "evaluation";
  return "";
}

TEST(ResultsSchema, EveryFileTheDemoWritesFollowsTheSchema) {
  const auto schema = nlohmann::json::parse(slurp(std::string(GENRELAB_SOURCE_DIR) + "/schemas/results.schema.json"));
  const auto dir = scratch_dir("schema");
  const auto r = run_cli("demo -o report", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "report")) {
    if (entry.path().extension() != ".json") continue;
    const fs::path relative = fs::relative(entry.path(), dir / "report");
    SCOPED_TRACE(relative.string());
    const std::string kind = kind_of(relative);
    ASSERT_FALSE(kind.empty()) << "a result file the schema has no definition for";
    std::vector<std::string> errors;
    validate_json(nlohmann::json::parse(slurp(entry.path().string())), schema["$defs"][kind], schema, "$", errors);
    EXPECT_TRUE(errors.empty()) << errors.size() << " violations, first: " << errors.front();
    ++checked;
  }
  EXPECT_EQ(checked, 27u) << "summary, profile, separability and 2 x (11 models + comparison)";
  fs::remove_all(dir);
}

TEST(ResultsSchema, TheValidatorCatchesWhatItMust) {
  const auto schema = nlohmann::json::parse(slurp(std::string(GENRELAB_SOURCE_DIR) + "/schemas/results.schema.json"));
  const auto& def = schema["$defs"]["separability"];
  nlohmann::json ok = {{"cv", 5}};
  std::vector<std::string> errors;
  validate_json(ok, def, schema, "$", errors);
  EXPECT_FALSE(errors.empty()) << "required keys are missing";
  errors.clear();
  validate_json(nlohmann::json{{"cv", "five"}}, def, schema, "$", errors);
  bool wrong_type = false;
  for (const auto& e : errors) wrong_type = wrong_type || e.find("$.cv: is string") != std::string::npos;
  EXPECT_TRUE(wrong_type);
  errors.clear();
  validate_json(nlohmann::json{{"not_a_key", 1}}, def, schema, "$", errors);
  bool unknown = false;
  for (const auto& e : errors) unknown = unknown || e.find("'not_a_key' is not in the schema") != std::string::npos;
  EXPECT_TRUE(unknown);
}

}  // namespace
