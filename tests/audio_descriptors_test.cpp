// Spotify-like descriptors on cases whose order is known: near-silence, a
// soft tone and a drum pattern; synthesised speech (espeak-ng) against the
// staged GTZAN music.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numbers>
#include <random>

#include "audio_columns.h"
#include "cli_runner.h"
#include "shared_data.h"
#include "genrelab/audio_features.h"

namespace genrelab {
namespace {

namespace fs = std::filesystem;
constexpr int kRate = 22050;

std::map<std::string, double> descriptors(const std::vector<float>& y) {
  FeatureOptions options;
  options.families = {"descriptors"};
  return testing::columns_of(y, options);
}

std::map<std::string, double> descriptors_of_file(const std::string& path) {
  return testing::columns_of_file(path, {"descriptors"});
}

std::vector<float> near_silence() {  // dither at -90 dBFS
  std::mt19937 rng(1);
  std::normal_distribution<double> n(0.0, 3e-5);
  std::vector<float> y(10 * kRate);
  for (float& v : y) v = static_cast<float>(n(rng));
  return y;
}

std::vector<float> soft_tone() {  // a 330 Hz tone at -30 dBFS
  std::vector<float> y(10 * kRate);
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = static_cast<float>(0.0316 * std::sin(2 * std::numbers::pi * 330.0 * i / kRate));
  return y;
}

std::vector<float> drums() {  // kick, snare and hats at 120 BPM, loud
  std::vector<float> y(10 * kRate, 0.0f);
  std::mt19937 rng(2);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int step = 0; step < 40; ++step) {
    const std::size_t at = static_cast<std::size_t>(step * 0.25 * kRate);
    double phase = 0;
    for (std::size_t i = 0; i < 5000 && at + i < y.size(); ++i) {
      const double t = static_cast<double>(i) / kRate;
      double v = 0.15 * noise(rng) * std::exp(-t * 120);
      if (step % 4 == 0) {
        phase += 2 * std::numbers::pi * (50.0 + 60.0 * std::exp(-t * 30)) / kRate;
        v += 0.9 * std::sin(phase) * std::exp(-t * 9);
      }
      if (step % 4 == 2) v += 0.5 * noise(rng) * std::exp(-t * 18);
      y[at + i] += static_cast<float>(v);
    }
  }
  return y;
}

TEST(Descriptors, EnergyAndDanceabilityRiseFromSilenceToToneToDrums) {
  auto s = descriptors(near_silence()), t = descriptors(soft_tone()), d = descriptors(drums());
  std::printf("energy: silence %.3f < soft tone %.3f < drums %.3f\n", s["energy"], t["energy"], d["energy"]);
  std::printf("danceability: silence %.3f < soft tone %.3f < drums %.3f\n", s["danceability"], t["danceability"],
              d["danceability"]);
  EXPECT_LT(s["energy"], t["energy"]);
  EXPECT_LT(t["energy"], d["energy"]);
  EXPECT_LE(s["danceability"], t["danceability"]);
  EXPECT_LT(t["danceability"], d["danceability"]);
  for (const auto* m : {&s, &t, &d})
    for (const auto& [name, v] : *m) {
      EXPECT_GE(v, 0.0) << name;
      EXPECT_LE(v, 1.0) << name;
    }
}

TEST(Descriptors, SynthesisedSpeechIsSpeechy) {
  const fs::path dir = genrelab::testing::scratch_dir("speech");
  const char* lines[] = {
      "en|The quick brown fox jumps over the lazy dog, and music information retrieval studies what we hear.",
      "en-us|Spotify closed its audio features to new applications, so researchers compute them from audio.",
      "de|Die Musik ist eine Kunstgattung, deren Werke aus organisierten Schallereignissen bestehen.",
      "fr|La musique est un art consistant a combiner sons et silences au cours du temps."};
  int n = 0;
  for (const char* line : lines) {
    const std::string s(line);
    const std::string voice = s.substr(0, s.find('|')), text = s.substr(s.find('|') + 1);
    const fs::path wav = dir / ("speech" + std::to_string(n++) + ".wav");
    const std::string cmd = "espeak-ng -v " + voice + " -w '" + wav.string() + "' \"" + text + "\"";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd << " (is espeak-ng installed? scripts/install-deps.sh)";
    const double speechiness = descriptors_of_file(wav.string())["speechiness"];
    std::printf("espeak-ng %s: speechiness %.3f\n", voice.c_str(), speechiness);
    EXPECT_GT(speechiness, 0.66) << voice;
  }
  fs::remove_all(dir);
}

TEST(Descriptors, GtzanMusicIsNotSpeechy) {
  const fs::path gtzan = testing::staged_audio("gtzan");
  GENRELAB_REQUIRE_SHARED(gtzan);
  double worst = 0;
  for (const auto& entry : fs::directory_iterator(gtzan)) {
    const double s = descriptors_of_file(entry.path().string())["speechiness"];
    worst = std::max(worst, s);
    EXPECT_LT(s, 0.33) << entry.path();
  }
  std::printf("GTZAN clips: highest speechiness %.3f\n", worst);
}

}  // namespace
}  // namespace genrelab
