// Rhythm on clips the test synthesises, whose tempo and metre are known:
// click tracks with accented downbeats and simple drum patterns from 60 to
// 180 BPM in 3/4 and 4/4.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>

#include "audio/analysis.h"
#include "audio/rhythm.h"
#include "shared_data.h"
#include "genrelab/audio_decoder.h"
#include "genrelab/audio_features.h"

#include <cstdlib>
#include <filesystem>

namespace genrelab {
namespace {

constexpr int kRate = 22050;

// A click: a 2 kHz tone burst with a fast exponential decay.
void add_click(std::vector<float>& y, double at_seconds, double gain) {
  const std::size_t start = static_cast<std::size_t>(at_seconds * kRate);
  for (std::size_t i = 0; i < 600 && start + i < y.size(); ++i)
    y[start + i] += static_cast<float>(gain * std::exp(-static_cast<double>(i) / 80.0) *
                                       std::sin(2 * std::numbers::pi * 2000.0 * i / kRate));
}

// Kick (a falling 100 -> 50 Hz thump), snare (noise burst), hi-hat (short high noise).
void add_drum(std::vector<float>& y, double at_seconds, char kind, std::mt19937& rng) {
  std::normal_distribution<double> noise(0.0, 1.0);
  const std::size_t start = static_cast<std::size_t>(at_seconds * kRate);
  const std::size_t length = kind == 'h' ? 800 : 4000;
  double phase = 0;
  for (std::size_t i = 0; i < length && start + i < y.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    double v = 0;
    if (kind == 'k') {
      phase += 2 * std::numbers::pi * (50.0 + 50.0 * std::exp(-t * 30)) / kRate;
      v = 0.9 * std::sin(phase) * std::exp(-t * 12);
    } else if (kind == 's') {
      v = 0.5 * noise(rng) * std::exp(-t * 25);
    } else {
      v = 0.15 * noise(rng) * std::exp(-t * 120);
    }
    y[start + i] += static_cast<float>(v);
  }
}

std::vector<float> click_track(double bpm, int beats_per_bar, double seconds) {
  std::vector<float> y(static_cast<std::size_t>(seconds * kRate), 0.0f);
  const double period = 60.0 / bpm;
  int beat = 0;
  for (double t = 0.25; t + 0.05 < seconds; t += period, ++beat)
    add_click(y, t, beat % beats_per_bar == 0 ? 0.9 : 0.3);
  return y;
}

std::vector<float> drum_pattern(double bpm, int beats_per_bar, double seconds, unsigned seed) {
  std::vector<float> y(static_cast<std::size_t>(seconds * kRate), 0.0f);
  std::mt19937 rng(seed);
  const double period = 60.0 / bpm;
  int beat = 0;
  for (double t = 0.25; t + 0.2 < seconds; t += period, ++beat) {
    const int in_bar = beat % beats_per_bar;
    add_drum(y, t, in_bar == 0 ? 'k' : 's', rng);
    if (in_bar == 0) add_drum(y, t, 'k', rng);  // a heavier downbeat
    add_drum(y, t + period / 2, 'h', rng);
  }
  return y;
}

audio::RhythmAnalysis rhythm_of(const std::vector<float>& y) {
  FeatureOptions options;
  audio::Analysis analysis(y, kRate, options);
  return analysis.rhythm();
}

TEST(Rhythm, ClickTracksFrom60To180BpmIn3And4) {
  for (int metre : {3, 4})
    for (double bpm = 60; bpm <= 180; bpm += 15) {
      const auto r = rhythm_of(click_track(bpm, metre, 24.0));
      std::printf("clicks %d/4 at %.0f BPM: bpm %.2f (tempogram %.2f, confidence %.2f), time signature %d (%.2f)\n",
                  metre, bpm, r.tempo, r.tempogram_tempo, r.tempo_confidence, r.time_signature,
                  r.time_signature_confidence);
      EXPECT_NEAR(r.tempo, bpm, 0.02 * bpm) << metre << "/4 at " << bpm;
      EXPECT_EQ(r.time_signature, metre) << metre << "/4 at " << bpm;
    }
}

// Kick on the downbeat, snare on the other beats, hi-hat on every off-beat.
// 3/4 at 180 BPM is the hard one: the hats and the bar line up every 1.5
// beats, and the tempogram with its prior around 120 BPM picks 120; the
// beat evidence of the faster 3:2 reading overrules it, and the confidence
// must show that 120 was a contender.
TEST(Rhythm, DrumPatternsFrom60To180BpmIn3And4) {
  for (int metre : {3, 4})
    for (double bpm = 60; bpm <= 180; bpm += 30) {
      const auto r = rhythm_of(drum_pattern(bpm, metre, 24.0, static_cast<unsigned>(bpm) + metre));
      std::printf("drums %d/4 at %.0f BPM: bpm %.2f (tempogram %.2f, confidence %.2f of periodicity %.2f), "
                  "time signature %d (%.2f)\n",
                  metre, bpm, r.tempo, r.tempogram_tempo, r.tempo_confidence, r.periodicity, r.time_signature,
                  r.time_signature_confidence);
      EXPECT_NEAR(r.tempo, bpm, 0.02 * bpm) << metre << "/4 at " << bpm;
      EXPECT_EQ(r.time_signature, metre) << metre << "/4 at " << bpm;
      EXPECT_GE(r.tempo_confidence, 0.0) << metre << "/4 at " << bpm;
      EXPECT_LE(r.tempo_confidence, r.periodicity) << metre << "/4 at " << bpm;
      if (metre == 3 && bpm == 180) {
        EXPECT_LT(r.tempo_confidence, 0.9 * r.periodicity) << "the 120 reading is hidden";
      }
    }
}

TEST(Rhythm, BeatsLandOnTheClicks) {
  const double bpm = 100;
  const auto r = rhythm_of(click_track(bpm, 4, 20.0));
  ASSERT_GT(r.beats.size(), 25u);
  for (double b : r.beats) {
    const double k = std::round((b - 0.25) * bpm / 60.0);
    EXPECT_NEAR(b, 0.25 + k * 60.0 / bpm, 0.035) << b;  // within 1.5 frames of a click
  }
}

}  // namespace
}  // namespace genrelab

namespace genrelab {
namespace {

audio::RhythmAnalysis rhythm_of_file(const std::string& name) {
  const DecodedAudio a = decode_audio(testing::staged_audio(name).string());
  return rhythm_of(a.samples);
}

TEST(RhythmReference, StagedClipsKeepTheirTempo) {
  GENRELAB_REQUIRE_SHARED(testing::staged_audio("labels.csv"));
  // labels.csv: techno_loop 125 BPM (Essentia's tests); dubstep ~140 (Essentia's
  // extractor output, 16 beats in 6.85 s); the chord test's chords last 0.75 s (80 BPM).
  EXPECT_NEAR(rhythm_of_file("essentia/techno_loop.mp3").tempo, 125.0, 0.02 * 125);
  EXPECT_NEAR(rhythm_of_file("essentia/dubstep.flac").tempo, 140.0, 0.02 * 140);
  EXPECT_NEAR(rhythm_of_file("essentia/Chord_Detection_Test.flac").tempo, 80.0, 0.02 * 80);
  EXPECT_EQ(rhythm_of_file("essentia/techno_loop.mp3").time_signature, 4);
}

TEST(RhythmReference, MadmomBeatFMeasure) {
  GENRELAB_REQUIRE_SHARED(testing::staged_audio("labels.csv"));
  // madmom's hand-annotated beats (sample.beats), scored with the usual
  // +-70 ms window, each annotation matched at most once.
  const std::vector<double> truth = {0.0913, 0.7997, 1.4806, 2.1478};
  const auto r = rhythm_of_file("madmom/sample.wav");
  std::vector<bool> used(truth.size(), false);
  int hits = 0;
  for (double b : r.beats)
    for (std::size_t i = 0; i < truth.size(); ++i)
      if (!used[i] && std::abs(b - truth[i]) <= 0.07) {
        used[i] = true;
        ++hits;
        break;
      }
  const double precision = r.beats.empty() ? 0 : static_cast<double>(hits) / r.beats.size();
  const double recall = static_cast<double>(hits) / truth.size();
  const double f = hits ? 2 * precision * recall / (precision + recall) : 0.0;
  std::printf("madmom sample: %zu beats, %d within 70 ms of the 4 annotated, F = %.2f (tempo %.1f; annotated 87.5), "
              "confidence %.2f of periodicity %.2f\n",
              r.beats.size(), hits, f, r.tempo, r.tempo_confidence, r.periodicity);
  // Measured 0.67: 8 beats at 178 BPM, all 4 annotated ones among them. The
  // 2.8-second clip's onsets are most periodic at 117 BPM (4:3 against the
  // annotated 87.5, F 0.40); the beat evidence prefers its 3:2 relative,
  // 175, the annotation's alternative (2 x 87.5), by 9 %, so the confidence
  // must say the call is close.
  EXPECT_GE(f, 0.66);
  EXPECT_LT(r.tempo_confidence, 0.5 * r.periodicity);
}

}  // namespace
}  // namespace genrelab
