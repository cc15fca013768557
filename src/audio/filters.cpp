#include "filters.h"

#include <algorithm>
#include <cmath>

namespace genrelab::audio {
namespace {
constexpr double kMelLinearStep = 200.0 / 3.0;  // Hz per mel below 1 kHz
constexpr double kMelBreakHz = 1000.0;
constexpr double kMelBreak = kMelBreakHz / kMelLinearStep;  // 15 mels
const double kMelLogStep = std::log(6.4) / 27.0;

// Keeps only the non-zero run of each band (librosa's banks are contiguous).
FilterBank from_dense(const std::vector<std::vector<double>>& dense) {
  FilterBank bank;
  bank.n_bands = dense.size();
  bank.n_bins = dense.empty() ? 0 : dense[0].size();
  for (const auto& row : dense) {
    std::size_t lo = 0, hi = row.size();
    while (lo < hi && static_cast<float>(row[lo]) == 0.0f) ++lo;
    while (hi > lo && static_cast<float>(row[hi - 1]) == 0.0f) --hi;
    bank.first.push_back(lo);
    std::vector<float> w;
    for (std::size_t k = lo; k < hi; ++k) w.push_back(static_cast<float>(row[k]));
    bank.weights.push_back(std::move(w));
  }
  return bank;
}
}  // namespace

std::vector<double> fft_frequencies(int sample_rate, int n_fft) {
  std::vector<double> f(n_fft / 2 + 1);
  // np.linspace(0, sr/2, 1 + n_fft//2)
  const double step = (sample_rate / 2.0) / (n_fft / 2);
  for (std::size_t k = 0; k < f.size(); ++k) f[k] = k * step;
  return f;
}

double hz_to_mel(double hz) {
  if (hz >= kMelBreakHz) return kMelBreak + std::log(hz / kMelBreakHz) / kMelLogStep;
  return hz / kMelLinearStep;
}

double mel_to_hz(double mel) {
  if (mel >= kMelBreak) return kMelBreakHz * std::exp(kMelLogStep * (mel - kMelBreak));
  return kMelLinearStep * mel;
}

void FilterBank::apply(const float* spectrum, float* out) const {
  for (std::size_t b = 0; b < n_bands; ++b) {
    const float* s = spectrum + first[b];
    const std::vector<float>& w = weights[b];
    // Eight running sums in a fixed order: the compiler can vectorise them
    // (a single float sum it may not reorder), and the result does not
    // depend on the machine.
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const std::size_t n = w.size(), blocks = n / 8 * 8;
    for (std::size_t k = 0; k < blocks; k += 8)
      for (int j = 0; j < 8; ++j) lane[j] += w[k + j] * s[k + j];
    float sum = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
    for (std::size_t k = blocks; k < n; ++k) sum += w[k] * s[k];
    out[b] = sum;
  }
}

FilterBank mel_filterbank(int sample_rate, int n_fft, int n_mels, double fmin, double fmax) {
  if (fmax < 0) fmax = sample_rate / 2.0;
  const std::vector<double> fft_f = fft_frequencies(sample_rate, n_fft);
  // n_mels + 2 band edges, equally spaced in mels.
  std::vector<double> edges(n_mels + 2);
  const double lo = hz_to_mel(fmin), hi = hz_to_mel(fmax);
  for (int i = 0; i < n_mels + 2; ++i) edges[i] = mel_to_hz(lo + (hi - lo) * i / (n_mels + 1));
  std::vector<std::vector<double>> dense(n_mels, std::vector<double>(fft_f.size(), 0.0));
  for (int m = 0; m < n_mels; ++m) {
    const double rise = edges[m + 1] - edges[m], fall = edges[m + 2] - edges[m + 1];
    // Slaney's area normalisation: every band has the same total weight.
    const double enorm = 2.0 / (edges[m + 2] - edges[m]);
    for (std::size_t k = 0; k < fft_f.size(); ++k) {
      const double lower = (fft_f[k] - edges[m]) / rise;
      const double upper = (edges[m + 2] - fft_f[k]) / fall;
      dense[m][k] = std::max(0.0, std::min(lower, upper)) * enorm;
    }
  }
  return from_dense(dense);
}

FilterBank chroma_filterbank(int sample_rate, int n_fft, double tuning, int n_chroma) {
  // Each FFT bin's position in chroma bins (with its width), then a Gaussian
  // bump around every pitch class, normalised per bin, weighted by a Gaussian
  // over octaves centred on octave 5 (C5 region), rolled so row 0 is C.
  const double a440 = 440.0 * std::pow(2.0, tuning / n_chroma);
  std::vector<double> frqbins(n_fft);
  for (int k = 1; k < n_fft; ++k) {
    const double f = static_cast<double>(sample_rate) * k / n_fft;
    frqbins[k] = n_chroma * std::log2(f / (a440 / 16.0));
  }
  frqbins[0] = frqbins[1] - 1.5 * n_chroma;
  std::vector<double> width(n_fft);
  for (int k = 0; k + 1 < n_fft; ++k) width[k] = std::max(frqbins[k + 1] - frqbins[k], 1.0);
  width[n_fft - 1] = 1.0;
  const double half = std::round(n_chroma / 2.0);
  std::vector<std::vector<double>> wts(n_chroma, std::vector<double>(n_fft));
  for (int k = 0; k < n_fft; ++k) {
    double norm = 0.0;
    for (int c = 0; c < n_chroma; ++c) {
      double d = std::fmod(frqbins[k] - c + half + 10.0 * n_chroma, static_cast<double>(n_chroma));
      if (d < 0) d += n_chroma;
      d -= half;
      const double w = std::exp(-0.5 * std::pow(2.0 * d / width[k], 2.0));
      wts[c][k] = w;
      norm += w * w;
    }
    norm = std::sqrt(norm);
    const double octave_weight = std::exp(-0.5 * std::pow((frqbins[k] / n_chroma - 5.0) / 2.0, 2.0));
    for (int c = 0; c < n_chroma; ++c) wts[c][k] = (norm > 0 ? wts[c][k] / norm : wts[c][k]) * octave_weight;
  }
  // base_c: roll by -3 so that the first row is C rather than A.
  const int shift = 3 * (n_chroma / 12);
  std::vector<std::vector<double>> rolled(n_chroma, std::vector<double>(n_fft / 2 + 1));
  for (int c = 0; c < n_chroma; ++c)
    for (int k = 0; k <= n_fft / 2; ++k) rolled[c][k] = wts[(c + shift) % n_chroma][k];
  return from_dense(rolled);
}

}  // namespace genrelab::audio
