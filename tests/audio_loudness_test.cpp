// Loudness against its definition and against ffmpeg's own EBU R128 meter
// (the ebur128 filter, an independent implementation) on the same files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numbers>

#include "audio_columns.h"
#include "cli_runner.h"
#include "extract_audio.h"
#include "shared_data.h"
#include "genrelab/audio_features.h"

namespace genrelab {
namespace {

namespace fs = std::filesystem;

std::map<std::string, double> loudness_of(const std::string& path) {
  return testing::columns_of_file(path, {"loudness"});
}

// ffmpeg's integrated loudness ("I: -23.0 LUFS" in its summary), to 0.1 LU.
double ffmpeg_integrated(const std::string& path, const fs::path& scratch) {
  const fs::path log = scratch / "ebur128.txt";
  const std::string cmd = "ffmpeg -nostdin -hide_banner -nostats -i '" + path +
                          "' -af ebur128 -f null - 2> '" + log.string() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const std::string text = testing::slurp(log.string());
  const auto summary = text.rfind("Integrated loudness:");
  EXPECT_NE(summary, std::string::npos) << text;
  const auto at = text.find("I:", summary);
  return std::stod(text.substr(at + 2));
}

TEST(Loudness, MinusTwentyDbfsSineReadsMinus23Lufs) {
  // EBU Tech 3341's reference: a 997 Hz sine at -20 dBFS on one channel is -23.0 LUFS.
  const fs::path dir = testing::scratch_dir("loudness");
  const int rate = 48000;
  std::vector<std::int16_t> s(10 * rate);
  const double amplitude = std::pow(10.0, -20.0 / 20.0);
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<std::int16_t>(std::lround(32767 * amplitude * std::sin(2 * std::numbers::pi * 997.0 * i / rate)));
  testing::write_wav(dir / "sine.wav", s, rate, 1);
  const auto l = loudness_of((dir / "sine.wav").string());
  EXPECT_NEAR(l.at("loudness"), -23.0, 0.05);
  EXPECT_NEAR(l.at("true_peak"), -20.0, 0.1);
  EXPECT_NEAR(l.at("loudness_range"), 0.0, 0.1);  // a steady tone has no range
  EXPECT_NEAR(l.at("loudness"), ffmpeg_integrated((dir / "sine.wav").string(), dir), 0.1);
  // 6 dB quieter is 6 LU lower.
  for (auto& v : s) v = static_cast<std::int16_t>(v / 2);
  testing::write_wav(dir / "half.wav", s, rate, 1);
  EXPECT_NEAR(loudness_of((dir / "half.wav").string()).at("loudness"), -23.0 - 6.02, 0.05);
  fs::remove_all(dir);
}

TEST(Loudness, StagedFilesAgreeWithFfmpegsMeter) {
  const fs::path shared = testing::shared_data_dir() / "audio";
  GENRELAB_REQUIRE_SHARED(shared / "labels.csv");
  const fs::path dir = testing::scratch_dir("loudness-staged");
  for (const std::string name : {"essentia/techno_loop.mp3", "essentia/dubstep.flac", "gtzan/jazz.00000.wav",
                                 "essentia/359500__mtg__sax-tenor-e-major.wav", "madmom/sample.wav",
                                 "essentia/Guitar-A4-432-1.ogg"}) {
    const std::string path = (shared / name).string();
    const double ours = loudness_of(path).at("loudness");
    const double theirs = ffmpeg_integrated(path, dir);
    std::printf("%-45s genrelab %.2f LUFS, ffmpeg %.1f LUFS\n", name.c_str(), ours, theirs);
    EXPECT_NEAR(ours, theirs, 0.1) << name;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace genrelab
