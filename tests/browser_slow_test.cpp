// `genrelab demo`'s report, opened from a file:// URL in headless Chromium:
// every chart container holds an SVG with marks, nothing is logged as an
// error, nothing is fetched. Screenshot: BUILD/browser-artifacts/report.png
// (and report-SECTION.png per section).
#include "browser_check.h"

TEST(BrowserSlow, DemoReportRendersEveryChart) {
  const auto dir = genrelab::testing::scratch_dir("browser-demo");
  const auto r = genrelab::testing::run_cli("demo -o demo", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  genrelab::testing::check_in_browser(dir / "demo" / "index.html", "report");
  std::filesystem::remove_all(dir);
}
