// Per-track audio features computed the way librosa computes them, with the
// column names and order of GTZAN's features_30_sec.csv (Kaggle, librosa 0.7/0.8
// era), followed by the extra families. Every feature family is one class in
// src/audio/features/, registered by name (see feature_families()).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "genrelab/audio_decoder.h"

namespace genrelab {

// How centred frames pad the signal's ends.
enum class FramePadding { reflect, constant };

// Whose librosa the numbers follow where librosa's versions differ.
// gtzan (the default): what reproduces GTZAN's features_30_sec.csv and
//   features_3_sec.csv (librosa 0.7/0.8): reflect padding in the STFT and rms;
//   HPSS inverted without length= (the last partial hop comes back as zeros);
//   tempo from the median-aggregated onset strength with a multiplicative
//   log-normal prior, as the CSVs' author called librosa.beat.tempo.
// v0_10: librosa >= 0.10 defaults (`--librosa 0.10`): zero padding; HPSS
//   inverted with length=len(y); librosa.feature.tempo(y=y, sr=sr): mean
//   onset strength, prior added in the log domain to log1p(1e6 * tempogram).
enum class LibrosaCompat { gtzan, v0_10 };

struct FeatureOptions {
  int n_fft = 2048;
  int hop_length = 512;
  LibrosaCompat librosa = LibrosaCompat::gtzan;
  FramePadding padding() const {
    return librosa == LibrosaCompat::gtzan ? FramePadding::reflect : FramePadding::constant;
  }
  // Feature families to compute, by registered name; empty = all of them.
  std::vector<std::string> families;
};

// Names of the registered families, in column order, and their one-line help.
struct FeatureFamilyInfo {
  std::string name;
  std::string description;
  std::vector<std::string> columns;
};
std::vector<FeatureFamilyInfo> feature_families();

// Column names for `options` (without filename, length and label).
// Throws UsageError for an unknown family name.
std::vector<std::string> feature_columns(const FeatureOptions& options);

// Feature values (in feature_columns order) of a mono signal. Throws AudioError
// (naming `source`) when the signal is shorter than one frame or silent.
std::vector<double> compute_features(const std::vector<float>& samples, int sample_rate,
                                     const FeatureOptions& options, const std::string& source);

struct ExtractOptions {
  DecodeOptions decode;
  FeatureOptions features;
  // > 0: also one row per segment of this many seconds (GTZAN's 3-second rows).
  double segment_seconds = 0.0;
};

struct FeatureRow {
  std::size_t length = 0;  // samples at the analysis rate (GTZAN's `length`)
  std::vector<double> values;
};

struct TrackFeatures {
  FeatureRow track;
  std::vector<FeatureRow> segments;  // in time order; empty unless segment_seconds > 0
  double seconds = 0.0;              // decoded audio duration, for progress (x real-time)
  int native_rate = 0;
  int channels = 0;
};

// Decodes `path` and computes its features (and its segments' features).
// Throws AudioError naming the file for anything unusable. Deterministic: the
// same file gives the same numbers on any thread and any machine with the
// same libraries.
TrackFeatures extract_track(const std::string& path, const ExtractOptions& options);

// GTZAN's segment file name: "blues.00000.wav", 3 -> "blues.00000.3.wav".
std::string segment_name(const std::string& filename, std::size_t index);

}  // namespace genrelab
