// `genrelab run examples/seed-study.toml` and `genrelab demo` are the same
// study: every number in every results file agrees (only timings differ).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace fs = std::filesystem;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;
using nlohmann::json;

namespace {

// Compares two result documents, skipping wall-clock timings and the paths
// that name the output directory.
void expect_same(const json& a, const json& b, const std::string& where, int* numbers) {
  ASSERT_EQ(a.type(), b.type()) << where;
  if (a.is_object()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    for (const auto& [k, v] : a.items()) {
      if (k.find("seconds") != std::string::npos || k == "file" || k == "experiment") continue;
      ASSERT_TRUE(b.contains(k)) << where << "/" << k;
      expect_same(v, b[k], where + "/" + k, numbers);
    }
  } else if (a.is_array()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    for (std::size_t i = 0; i < a.size(); ++i) expect_same(a[i], b[i], where + "/" + std::to_string(i), numbers);
  } else {
    if (a.is_number()) ++*numbers;
    EXPECT_EQ(a, b) << where;
  }
}

}  // namespace

TEST(ExperimentSlow, SeedStudyFileGivesExactlyTheDemoNumbers) {
  const auto dir = scratch_dir("run-vs-demo");
  const auto demo = run_cli("demo -o demo", dir);
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const auto run = run_cli("run '" GENRELAB_SOURCE_DIR "/examples/seed-study.toml' -o run", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::size_t files = 0;
  int numbers = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "demo")) {
    if (entry.path().extension() != ".json") continue;
    const auto rel = fs::relative(entry.path(), dir / "demo");
    ASSERT_TRUE(fs::exists(dir / "run" / rel)) << rel;
    expect_same(json::parse(slurp(entry.path().string())), json::parse(slurp((dir / "run" / rel).string())),
                rel.string(), &numbers);
    ++files;
  }
  EXPECT_GE(files, 2u + 2 * 11 + 2) << "summary, comparisons, one file per model and subset, profile, separability";
  EXPECT_GT(numbers, 10000);
  EXPECT_TRUE(fs::exists(dir / "demo/index.html"));
  EXPECT_TRUE(fs::exists(dir / "run/index.html"));
  fs::remove_all(dir);
}
