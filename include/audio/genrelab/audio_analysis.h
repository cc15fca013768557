// A track's structure in the shape of Spotify's audio-analysis object
// (track, bars, beats, tatums, sections, segments), computed from the audio,
// so the seed study's "next step" (features from sections and segments) works
// on any music. Every field is defined in the README ("Analysis files").
#pragma once

#include <array>
#include <string>
#include <vector>

#include "genrelab/audio_decoder.h"
#include "genrelab/audio_features.h"

namespace genrelab {

struct TimeInterval {
  double start = 0, duration = 0, confidence = 0;  // seconds, seconds, 0..1
};

struct AnalysisSection {
  double start = 0, duration = 0, confidence = 0;
  double loudness = 0;  // dB (mean power of the section's frames, dBFS)
  double tempo = 0, tempo_confidence = 0;
  int key = -1;
  double key_confidence = 0;
  int mode = -1;
  double mode_confidence = 0;
  int time_signature = 4;
  double time_signature_confidence = 0;
};

struct AnalysisSegment {
  double start = 0, duration = 0, confidence = 0;
  double loudness_start = 0, loudness_max = 0, loudness_max_time = 0, loudness_end = 0;  // dBFS; max_time from start
  std::array<double, 12> pitches{};  // mean HPCP over the segment, max-normalised (C first)
  std::array<double, 12> timbre{};   // mean MFCC 1..12 over the segment (see README)
};

struct TrackAnalysis {
  double duration = 0;
  double loudness = 0;  // integrated LUFS (as the `loudness` column)
  double tempo = 0, tempo_confidence = 0;
  int time_signature = 4;
  double time_signature_confidence = 0;
  int key = -1;
  double key_confidence = 0;
  int mode = -1;
  double mode_confidence = 0;
  double end_of_fade_in = 0, start_of_fade_out = 0;
  std::vector<TimeInterval> bars, beats, tatums;
  std::vector<AnalysisSection> sections;
  std::vector<AnalysisSegment> segments;
};

// The analysis of a mono signal at `sample_rate` (and, for loudness, the same
// audio in its own channels when `native` is given).
TrackAnalysis analyse_track(const std::vector<float>& samples, int sample_rate, const FeatureOptions& options,
                            const NativeAudio* native = nullptr);

}  // namespace genrelab
