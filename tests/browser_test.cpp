// A small study's report in headless Chromium: every chart draws marks, no
// console errors, no network. Quick enough for every `make test`; the demo's
// full report is checked the same way in browser_slow_test.
#include "browser_check.h"
#include "study_fixture.h"

TEST(Browser, SmallStudyReportRendersEveryChart) {
  const auto dir = genrelab::testing::scratch_dir("browser") / "results";
  genrelab::testing::make_quick_results(dir);
  genrelab::testing::check_in_browser(dir / "index.html", "quick-report");
  std::filesystem::remove_all(dir.parent_path());
}
