// Filter banks as librosa.filters builds them (Slaney mel, chroma) and the
// frequency helpers they rest on.
#pragma once

#include <cstddef>
#include <vector>

namespace genrelab::audio {

// librosa.fft_frequencies: k * sr / n_fft for k = 0 .. n_fft/2.
std::vector<double> fft_frequencies(int sample_rate, int n_fft);

// Slaney's mel scale (librosa htk=False): linear below 1 kHz, logarithmic above.
double hz_to_mel(double hz);
double mel_to_hz(double mel);

// A dense bank stored sparsely: for each output band, the first FFT bin it
// touches and its weights from there, so applying it costs only its support.
struct FilterBank {
  std::size_t n_bands = 0;
  std::size_t n_bins = 0;
  std::vector<std::size_t> first;
  std::vector<std::vector<float>> weights;
  // out[b] = sum_k weights[b][k - first[b]] * spectrum[k]
  void apply(const float* spectrum, float* out) const;
};

// librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False, norm='slaney'), float32 weights.
FilterBank mel_filterbank(int sample_rate, int n_fft, int n_mels, double fmin = 0.0, double fmax = -1.0);

// librosa.filters.chroma(sr, n_fft, tuning, n_chroma=12, ctroct=5, octwidth=2, norm=2, base_c=True).
FilterBank chroma_filterbank(int sample_rate, int n_fft, double tuning, int n_chroma = 12);

}  // namespace genrelab::audio
