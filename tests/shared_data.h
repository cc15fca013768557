// Tests on the real data sets staged in ../shared (next to the repository).
// Without them a developer's run skips those tests; in CI (environment
// CI=true) they must be there, so a missing directory fails the test instead
// of letting it pass without having checked anything.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace genrelab::testing {

// ../shared/data next to the checkout, and a staged audio clip in it.
inline std::filesystem::path shared_data_dir() {
  return std::filesystem::path(GENRELAB_SOURCE_DIR) / ".." / "shared" / "data";
}
inline std::filesystem::path staged_audio(const std::string& name) { return shared_data_dir() / "audio" / name; }

inline bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

}  // namespace genrelab::testing

// Use at the top of a test body: returns from it (skipped or failed) when
// `path` does not exist.
#define GENRELAB_REQUIRE_SHARED(path)                                                        \
  do {                                                                                       \
    if (!std::filesystem::exists(path)) {                                                    \
      if (::genrelab::testing::in_ci()) FAIL() << "CI=true but the data is not staged: " << (path); \
      GTEST_SKIP() << "not staged: " << (path);                                              \
    }                                                                                        \
  } while (0)
