// The Spotify-shaped analysis on clips with a known structure, and the round
// trip extract --analysis-dir -> features -> compare through the CLI.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include "cli_runner.h"
#include "extract_audio.h"
#include "genrelab/analysis_json.h"
#include "genrelab/audio_analysis.h"

namespace genrelab {
namespace {

constexpr int kRate = 22050;

// 4/4 clicks at 120 BPM (accented downbeats), 16 s of a C-major drone, then
// 16 s of an F#-major drone: two sections, 64 beats, 16 bars.
std::vector<float> two_part_clip() {
  std::vector<float> y(static_cast<std::size_t>(32.0 * kRate), 0.0f);
  for (int beat = 0; beat < 64; ++beat) {
    const std::size_t at = static_cast<std::size_t>((0.25 + beat * 0.5) * kRate);
    const double gain = beat % 4 == 0 ? 0.8 : 0.3;
    for (std::size_t i = 0; i < 500 && at + i < y.size(); ++i)
      y[at + i] += static_cast<float>(gain * std::exp(-(double)i / 80) * std::sin(2 * std::numbers::pi * 2000.0 * i / kRate));
  }
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const std::vector<double> notes = t < 16.0 ? std::vector<double>{261.63, 329.63, 392.0}
                                               : std::vector<double>{369.99, 466.16, 554.37};
    double v = 0;
    for (double f : notes)
      for (int h = 1; h <= 3; ++h) v += std::sin(2 * std::numbers::pi * f * h * t) / h;
    y[i] += static_cast<float>(0.05 * v);
  }
  return y;
}

TEST(TrackAnalysis, BeatsBarsTatumsSectionsAndSegments) {
  const TrackAnalysis a = analyse_track(two_part_clip(), kRate, FeatureOptions{});
  EXPECT_NEAR(a.duration, 32.0, 1e-3);
  EXPECT_NEAR(a.tempo, 120.0, 1.0);
  EXPECT_EQ(a.time_signature, 4);
  EXPECT_NEAR(static_cast<double>(a.beats.size()), 64.0, 3.0);
  EXPECT_EQ(a.tatums.size(), 2 * a.beats.size());
  EXPECT_NEAR(static_cast<double>(a.bars.size()), a.beats.size() / 4.0, 1.0);
  // Bars start on the accented clicks (0.25 + 2k s).
  for (const auto& bar : a.bars) {
    const double k = std::round((bar.start - 0.25) / 2.0);
    EXPECT_NEAR(bar.start, 0.25 + 2.0 * k, 0.05);
  }
  // The harmony changes at 16 s: a section boundary there, keys C then F#.
  ASSERT_GE(a.sections.size(), 2u);
  bool boundary_near_16 = false;
  for (std::size_t s = 1; s < a.sections.size(); ++s) boundary_near_16 |= std::abs(a.sections[s].start - 16.0) < 1.1;
  EXPECT_TRUE(boundary_near_16);
  EXPECT_EQ(a.sections.front().key, 0);
  EXPECT_EQ(a.sections.back().key, 6);
  double total = 0;
  for (const auto& s : a.sections) total += s.duration;
  EXPECT_NEAR(total, a.duration, 1e-6);
  // Segments start at the clicks; each one's loudest moment is near its start.
  EXPECT_NEAR(static_cast<double>(a.segments.size()), 65.0, 4.0);
  for (const auto& g : a.segments) {
    EXPECT_GE(g.loudness_max, g.loudness_end);
    EXPECT_DOUBLE_EQ(*std::max_element(g.pitches.begin(), g.pitches.end()), 1.0);
  }
  const nlohmann::json j = analysis_json(a);
  EXPECT_EQ(j["track"]["time_signature"], 4);
  EXPECT_EQ(j["segments"][3]["pitches"].size(), 12u);
  EXPECT_EQ(j["segments"][3]["timbre"].size(), 12u);
}

TEST(TrackAnalysis, ExtractWritesAnalysesThatFeaturesJoinAndCompareReads) {
  namespace fs = std::filesystem;
  const fs::path dir = testing::scratch_dir("analysis-cli");
  for (int i = 0; i < 6; ++i) {
    testing::write_wav(dir / "music" / "low" / ("low" + std::to_string(i) + ".wav"), testing::tone(6.0, 150 + 10 * i, i));
    testing::write_wav(dir / "music" / "high" / ("high" + std::to_string(i) + ".wav"),
                       testing::tone(6.0, 900 + 30 * i, 10 + i));
  }
  auto r = testing::run_cli("extract music --label-from parent --analysis-dir an -o f.csv -q", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "an" / "high" / "high0.wav.json"));
  r = testing::run_cli("features --analysis-dir an f.csv -o joined.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string joined = testing::slurp((dir / "joined.csv").string());
  EXPECT_NE(joined.find("seg_timbre_mean_0"), std::string::npos);
  r = testing::run_cli("compare joined.csv --models random_forest --cv 3", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace genrelab
