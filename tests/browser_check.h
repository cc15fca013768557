// Runs tests/browser/check_report.js (playwright-core driving Debian's
// headless chromium) on a report and keeps its screenshots in the build
// directory's browser-artifacts/, so a failed CI run leaves pictures behind.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_runner.h"

namespace genrelab::testing {

inline std::filesystem::path browser_artifacts() {
  return std::filesystem::path(GENRELAB_CLI).parent_path() / "browser-artifacts";
}

inline void check_in_browser(const std::filesystem::path& report, const std::string& name) {
  const char* chromium = std::getenv("GENRELAB_CHROMIUM");
  ASSERT_TRUE(std::filesystem::exists(chromium ? chromium : "/usr/bin/chromium"))
      << "Debian's chromium is needed for this test: scripts/install-deps.sh --browser (make test does it)";
  ASSERT_TRUE(std::filesystem::exists(GENRELAB_SOURCE_DIR "/node_modules/playwright-core"))
      << "playwright-core is missing from node_modules: the build runs `npm ci`; rebuild";
  const auto dir = browser_artifacts();
  std::filesystem::create_directories(dir);
  const auto log = dir / (name + ".log");
  const std::string cmd = "node '" GENRELAB_SOURCE_DIR "/tests/browser/check_report.js' '" + report.string() + "' '" +
                          (dir / (name + ".png")).string() + "' > '" + log.string() + "' 2>&1 < /dev/null";
  const int status = std::system(cmd.c_str());
  const std::string output = slurp(log.string());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("\"problems\": []"), std::string::npos) << output;
  EXPECT_TRUE(std::filesystem::exists(dir / (name + ".png")));
}

}  // namespace genrelab::testing
