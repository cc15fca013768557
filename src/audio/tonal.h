// Tonal description: a harmonic pitch-class profile per frame (HPCP-like,
// after Gomez 2006: spectral peaks, each also voting for the fundamentals it
// may be a harmonic of, spread over the nearest pitch classes with a cos^2
// window, against a fixed A4 = 440 Hz) and keys by correlation with key
// profiles (Krumhansl-Schmuckler).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace genrelab::audio {

using PitchClassProfile = std::array<double, 12>;  // index 0 = C

enum class KeyProfile { krumhansl, temperley, edma };
KeyProfile key_profile_named(const std::string& name);  // UsageError for others
const char* key_profile_name(KeyProfile profile);

struct KeyEstimate {
  int key = -1;    // 0 = C ... 11 = B; -1 when no key stands out
  int mode = -1;   // 1 major, 0 minor (Spotify's coding); -1 with key -1
  double confidence = 0.0;  // Pearson correlation with the winning profile, 0..1
};

// HPCP of one magnitude spectrum (bins 0..n_fft/2), normalised to max 1 (all
// zero for a frame without peaks).
PitchClassProfile frame_hpcp(const float* magnitude, std::size_t bins, int sample_rate, int n_fft);

// The best of the 24 keys for a profile (a mean HPCP over frames).
KeyEstimate estimate_key(const PitchClassProfile& pcp, KeyProfile profile);

// The best of the 24 major and minor triads: root 0..11 and 1 major / 0 minor.
KeyEstimate estimate_chord(const PitchClassProfile& pcp);

}  // namespace genrelab::audio
