// The one list of feature families, in output column order: GTZAN's
// features_30_sec.csv columns first (in that file's order), then the rest.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "feature_family.h"

namespace genrelab::audio {

const std::vector<FeatureFamilyEntry>& feature_registry() {
  static const std::vector<FeatureFamilyEntry> entries = {
      {"chroma_stft", "chroma of the power spectrum, tuning estimated (librosa.feature.chroma_stft)", make_chroma_stft},
      {"rms", "frame root-mean-square energy (librosa.feature.rms)", make_rms},
      {"spectral_centroid", "magnitude-weighted mean frequency, Hz", make_spectral_centroid},
      {"spectral_bandwidth", "spread about the centroid (p = 2), Hz", make_spectral_bandwidth},
      {"rolloff", "frequency under which 85 % of the magnitude lies, Hz", make_rolloff},
      {"zero_crossing_rate", "share of sign changes per frame", make_zero_crossing_rate},
      {"hpss", "harmonic (harmony_*) and percussive (perceptr_*) waveforms (librosa.effects.hpss)", make_hpss},
      {"tempo", "global tempo, BPM (librosa.beat.tempo, as GTZAN's tempo column)", make_tempo},
      {"mfcc", "20 mel-frequency cepstral coefficients (librosa.feature.mfcc)", make_mfcc},
      {"spectral_contrast", "peak-valley contrast in 7 octave bands, dB", make_spectral_contrast},
      {"spectral_flatness", "geometric / arithmetic mean of the power spectrum", make_spectral_flatness},
      {"spectral_flux", "positive log-mel change per frame (librosa.onset.onset_strength)", make_spectral_flux},
  };
  return entries;
}

MeanVar mean_var(const float* values, std::size_t n, std::size_t stride) {
  MeanVar mv;
  if (n == 0) return mv;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += values[i * stride];
  mv.mean = sum / n;
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = values[i * stride] - mv.mean;
    ss += d * d;
  }
  mv.var = ss / n;
  return mv;
}

MeanVar mean_var(const std::vector<double>& values) {
  MeanVar mv;
  if (values.empty()) return mv;
  double sum = 0.0;
  for (double v : values) sum += v;
  mv.mean = sum / values.size();
  double ss = 0.0;
  for (double v : values) ss += (v - mv.mean) * (v - mv.mean);
  mv.var = ss / values.size();
  return mv;
}

std::vector<std::string> mean_var_columns(const std::string& name) { return {name + "_mean", name + "_var"}; }

}  // namespace genrelab::audio
