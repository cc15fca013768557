#include "spectrum.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "fft.h"

namespace genrelab::audio {

std::vector<double> periodic_hann(int n) {
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i) w[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n);
  return w;
}

std::size_t centred_frame_count(std::size_t n_samples, int n_fft, int hop) {
  const std::size_t padded = n_samples + 2 * static_cast<std::size_t>(n_fft / 2);
  if (padded < static_cast<std::size_t>(n_fft)) return 0;
  return 1 + (padded - n_fft) / hop;
}

std::vector<float> pad_centred(const float* y, std::size_t n, std::size_t pad, FramePadding padding) {
  std::vector<float> out(n + 2 * pad, 0.0f);
  std::copy(y, y + n, out.begin() + pad);
  if (padding == FramePadding::reflect && n > 1) {
    // numpy 'reflect' mirrors about the edge sample without repeating it,
    // bouncing back and forth when the pad is longer than the signal.
    const std::size_t period = 2 * (n - 1);
    auto mirrored = [&](long long i) {
      long long m = i % static_cast<long long>(period);
      if (m < 0) m += period;
      return y[m < static_cast<long long>(n) ? m : period - m];
    };
    for (std::size_t i = 0; i < pad; ++i) {
      out[pad - 1 - i] = mirrored(static_cast<long long>(i) + 1);
      out[pad + n + i] = mirrored(static_cast<long long>(n) - 2 - static_cast<long long>(i));
    }
  }
  return out;
}

void stft(const std::vector<float>& y, int n_fft, int hop, FramePadding padding, Spectrum& s) {
  thread_local std::vector<float> padded;
  padded = pad_centred(y.data(), y.size(), n_fft / 2, padding);
  const std::vector<double> window = periodic_hann(n_fft);
  s.n_frames = centred_frame_count(y.size(), n_fft, hop);
  s.n_bins = n_fft / 2 + 1;
  s.values.resize(s.n_frames * s.n_bins);
  RealFft fft(n_fft);
  for (std::size_t f = 0; f < s.n_frames; ++f) {
    const float* frame = padded.data() + f * hop;
    float* in = fft.input();
    for (int i = 0; i < n_fft; ++i) in[i] = static_cast<float>(window[i] * frame[i]);
    fft.forward();
    std::copy(fft.output(), fft.output() + s.n_bins, s.values.begin() + f * s.n_bins);
  }
}

void istft(const Spectrum& spectrum, int n_fft, int hop, std::size_t length, const std::vector<float>* mask,
           std::vector<float>& out, bool whole) {
  const std::vector<double> window = periodic_hann(n_fft);
  const std::size_t n_frames = spectrum.n_frames;
  const std::size_t expected = n_fft + hop * (n_frames - 1);
  // Reused per thread: a fresh 8 MB per call costs more in page faults than the sums.
  thread_local std::vector<float> y;
  y.assign(expected, 0.0f);
  // The squared-window envelope depends only on the frame layout, so the
  // harmonic and percussive inverses (and every clip of the same length)
  // share one.
  thread_local struct {
    int n_fft = 0, hop = 0;
    std::size_t n_frames = 0;
    std::vector<double> sum;
  } envelope;
  const bool envelope_known = envelope.n_fft == n_fft && envelope.hop == hop && envelope.n_frames == n_frames;
  if (!envelope_known) {
    envelope.sum.assign(expected, 0.0);
    for (std::size_t f = 0; f < n_frames; ++f) {
      double* wsum = envelope.sum.data() + f * hop;
      for (int i = 0; i < n_fft; ++i) wsum[i] += window[i] * window[i];
    }
    envelope.n_fft = n_fft;
    envelope.hop = hop;
    envelope.n_frames = n_frames;
  }
  const std::vector<double>& window_sum = envelope.sum;
  RealFft fft(n_fft);
  const double scale = 1.0 / n_fft;
  for (std::size_t f = 0; f < n_frames; ++f) {
    const std::complex<float>* cells = spectrum.values.data() + f * spectrum.n_bins;
    if (mask) {
      const float* m = mask->data() + f * spectrum.n_bins;
      for (std::size_t k = 0; k < spectrum.n_bins; ++k) fft.output()[k] = cells[k] * m[k];
    } else {
      std::copy(cells, cells + spectrum.n_bins, fft.output());
    }
    // A real signal's DC and Nyquist bins are real; irfft ignores their imaginary parts.
    fft.output()[0].imag(0.0f);
    fft.output()[spectrum.n_bins - 1].imag(0.0f);
    fft.inverse();
    const float* frame = fft.input();
    float* out = y.data() + f * hop;
    for (int i = 0; i < n_fft; ++i) out[i] += static_cast<float>(window[i] * (frame[i] * scale));
  }
  const double tiny = std::numeric_limits<float>::min();
  for (std::size_t i = 0; i < expected; ++i)
    if (window_sum[i] > tiny) y[i] = static_cast<float>(y[i] / window_sum[i]);
  // Drop the centring pad at both ends, then fix_length: the last partial
  // hop of the input is not reconstructed and becomes zeros.
  const std::size_t start = n_fft / 2;
  const std::size_t end = whole ? expected : expected - n_fft / 2;
  out.assign(length, 0.0f);
  for (std::size_t i = 0; i < length && start + i < end; ++i) out[i] = y[start + i];
}

}  // namespace genrelab::audio
