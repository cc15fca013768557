// Tests on the real data sets staged in ../shared (next to the repository).
// Without them a developer's run skips those tests; in CI (environment
// CI=true) they must be there, so a missing directory fails the test instead
// of letting it pass without having checked anything.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace genrelab::testing {

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
