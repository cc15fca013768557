// Keys and chords on progressions the test synthesises (several tonics, major
// and minor, with and without drums) and on the staged clips whose keys are
// known: the two saxophone recordings and Essentia's 24-chord test file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <random>

#include "audio/analysis.h"
#include "audio/tonal.h"
#include "shared_data.h"
#include "genrelab/audio_decoder.h"
#include "genrelab/audio_features.h"

namespace genrelab {
namespace {

constexpr int kRate = 22050;

double midi_hz(int note) { return 440.0 * std::pow(2.0, (note - 69) / 12.0); }

// A chord of MIDI notes with five harmonics each (1/h), soft attack and decay.
void add_chord(std::vector<float>& y, double start, double length, const std::vector<int>& notes) {
  const std::size_t from = static_cast<std::size_t>(start * kRate);
  const std::size_t n = static_cast<std::size_t>(length * kRate);
  std::vector<double> step;  // phase increments of every partial
  for (int note : notes)
    for (int h = 1; h <= 5; ++h) step.push_back(2 * std::numbers::pi * midi_hz(note) * h / kRate);
  for (std::size_t i = 0; i < n && from + i < y.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double env = std::min(1.0, t / 0.02) * std::exp(-1.5 * t);
    double v = 0;
    for (std::size_t p = 0; p < step.size(); ++p) v += std::sin(step[p] * static_cast<double>(i)) / (1 + p % 5);
    y[from + i] += static_cast<float>(0.08 * env * v);
  }
}

// I-IV-V-I-vi-IV-V-I (major) or i-iv-V-i-VI-iv-V-i (minor, harmonic V),
// triads in root position around the fourth octave, one chord a second.
std::vector<float> progression(int tonic, bool major, bool drums, unsigned seed) {
  std::vector<float> y(static_cast<std::size_t>(8.5 * kRate), 0.0f);
  const int root = 48 + tonic;  // C3 + tonic
  auto triad = [&](int degree_semitones, bool chord_major) {
    const int r = root + degree_semitones;
    return std::vector<int>{r, r + (chord_major ? 4 : 3), r + 7, r + 12};
  };
  const std::vector<std::pair<int, bool>> chords =
      major ? std::vector<std::pair<int, bool>>{{0, true}, {5, true}, {7, true}, {0, true},
                                                {9, false}, {5, true}, {7, true}, {0, true}}
            : std::vector<std::pair<int, bool>>{{0, false}, {5, false}, {7, true}, {0, false},
                                                {8, true}, {5, false}, {7, true}, {0, false}};
  for (std::size_t c = 0; c < chords.size(); ++c) add_chord(y, c * 1.0, 1.0, triad(chords[c].first, chords[c].second));
  if (drums) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    for (double t = 0; t < 8.0; t += 0.25) {
      const std::size_t at = static_cast<std::size_t>(t * kRate);
      const bool kick = std::fmod(t, 1.0) < 1e-9, snare = std::fmod(t + 0.5, 1.0) < 1e-9;
      double phase = 0;
      for (std::size_t i = 0; i < 3000 && at + i < y.size(); ++i) {
        const double s = static_cast<double>(i) / kRate;
        double v = 0.08 * noise(rng) * std::exp(-s * 150);  // hi-hat
        if (kick) {
          phase += 2 * std::numbers::pi * (50.0 + 60.0 * std::exp(-s * 30)) / kRate;
          v += 0.6 * std::sin(phase) * std::exp(-s * 10);
        }
        if (snare) v += 0.3 * noise(rng) * std::exp(-s * 20);
        y[at + i] += static_cast<float>(v);
      }
    }
  }
  return y;
}

audio::KeyEstimate key_of(const std::vector<float>& y, const std::string& profile = "krumhansl") {
  FeatureOptions options;
  audio::Analysis analysis(y, kRate, options);
  return audio::estimate_key(analysis.mean_hpcp(), audio::key_profile_named(profile));
}

TEST(Tonal, SynthesisedProgressionsInEveryProfile) {
  double weakest = 1.0;
  for (int tonic : {0, 2, 3, 7, 9, 11})
    for (bool major : {true, false})
      for (bool drums : {false, true}) {
        const std::vector<float> y = progression(tonic, major, drums, 10 + tonic);
        FeatureOptions options;
        audio::Analysis analysis(y, kRate, options);
        const audio::PitchClassProfile pcp = analysis.mean_hpcp();
        for (const std::string profile : {"krumhansl", "temperley", "edma"}) {
          const auto k = audio::estimate_key(pcp, audio::key_profile_named(profile));
          const std::string what = profile + " tonic " + std::to_string(tonic) + (major ? " major" : " minor") +
                                   (drums ? " with drums" : "");
          EXPECT_EQ(k.key, tonic) << what;
          EXPECT_EQ(k.mode, major ? 1 : 0) << what;
          weakest = std::min(weakest, k.confidence);
        }
      }
  std::printf("lowest key confidence over the 72 cases: %.2f\n", weakest);
}

TEST(Tonal, NoiseHasNoKey) {
  std::mt19937 rng(4);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::vector<float> y(3 * kRate);
  for (float& v : y) v = static_cast<float>(noise(rng));
  EXPECT_EQ(key_of(y).key, -1);
}

TEST(Tonal, KeyFamilyColumnsAndProfileOption) {
  FeatureOptions options;
  options.families = {"key"};
  EXPECT_EQ(feature_columns(options), (std::vector<std::string>{"key", "mode", "key_confidence", "tuning_frequency"}));
  const auto v = compute_features(progression(7, true, false, 1), kRate, options, "g-major");
  EXPECT_EQ(v[0], 7);
  EXPECT_EQ(v[1], 1);
  EXPECT_GT(v[2], 0.5);
  options.key_profile = "shaath";
  EXPECT_THROW(feature_columns(options), UsageError);
}

TEST(TonalReference, SaxophonesAtConcertPitch) {
  GENRELAB_REQUIRE_SHARED(testing::staged_audio("labels.csv"));
  // labels.csv: E-flat major and D minor at concert pitch (one file name says
  // E major: written pitch for a tenor saxophone is not what sounds).
  const auto eb = key_of(decode_audio(testing::staged_audio("essentia/359500__mtg__sax-tenor-e-major.wav").string()).samples);
  EXPECT_EQ(eb.key, 3);
  EXPECT_EQ(eb.mode, 1);
  const auto dm = key_of(decode_audio(testing::staged_audio("essentia/359628__mtg__sax-tenor-d-minor.wav").string()).samples);
  EXPECT_EQ(dm.key, 2);
  EXPECT_EQ(dm.mode, 0);
}

TEST(TonalReference, GuitarTunedToA432) {
  GENRELAB_REQUIRE_SHARED(testing::staged_audio("labels.csv"));
  // labels.csv: A4 = 432 Hz (Essentia's test expects 432 +- 2).
  FeatureOptions options;
  options.families = {"key"};
  const DecodedAudio a = decode_audio(testing::staged_audio("essentia/Guitar-A4-432-1.ogg").string());
  const auto v = compute_features(a.samples, kRate, options, "guitar");
  std::printf("Guitar-A4-432: tuning_frequency %.2f Hz\n", v[3]);
  EXPECT_NEAR(v[3], 432.0, 2.0);
  // Pure tones at 440 and 435 Hz: measured 440.5 and 433.7. librosa's
  // piptrack interpolates the power spectrum's peak parabolically, which is
  // biased by a few cents for a Hann window; allow 6 cents.
  for (double hz : {440.0, 435.0}) {
    std::vector<float> y(3 * kRate);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * hz * i / kRate));
    const auto t = compute_features(y, kRate, options, "tone");
    EXPECT_NEAR(t[3], hz, hz * (std::pow(2.0, 6.0 / 1200) - 1)) << hz;
  }
}

TEST(TonalReference, ChordDetectionTestChordByChord) {
  GENRELAB_REQUIRE_SHARED(testing::staged_audio("labels.csv"));
  // 24 chords of 0.75 s from t = 0: C, C#, ..., B major, then C, ..., B minor.
  const DecodedAudio a = decode_audio(testing::staged_audio("essentia/Chord_Detection_Test.flac").string());
  FeatureOptions options;
  audio::Analysis analysis(a.samples, kRate, options);
  const double fps = static_cast<double>(kRate) / 512;
  int named = 0;
  std::string wrong;
  for (int i = 0; i < 24; ++i) {
    const double start = i * 0.75 + 0.1, end = (i + 1) * 0.75 - 0.1;  // leave out the changes
    const auto c = audio::estimate_chord(analysis.mean_hpcp(static_cast<std::size_t>(start * fps),
                                                             static_cast<std::size_t>(end * fps)));
    if (c.key == i % 12 && c.mode == (i < 12 ? 1 : 0)) ++named;
    else wrong.append(1, ' ').append(std::to_string(i));  // (not " " + ...: GCC 12 -Wrestrict false positive)
  }
  std::printf("Chord_Detection_Test: %d of 24 chords named; wrong:%s\n", named, wrong.c_str());
  EXPECT_GE(named, 23);  // measured: 23 (the last, B minor, reads as G major)
}

}  // namespace
}  // namespace genrelab
