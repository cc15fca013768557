#include "analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "filters.h"
#include "median_filter.h"

namespace genrelab::audio {

Analysis::Workspace& Analysis::borrow_workspace(std::unique_ptr<Workspace>& own) {
  thread_local Workspace shared;
  if (shared.in_use) {
    own = std::make_unique<Workspace>();
    own->in_use = true;
    return *own;
  }
  shared.in_use = true;
  return shared;
}

Analysis::Analysis(const std::vector<float>& samples, int sample_rate, const FeatureOptions& options)
    : samples_(samples),
      sample_rate_(sample_rate),
      options_(options),
      n_frames_(centred_frame_count(samples.size(), options.n_fft, options.hop_length)),
      ws_(borrow_workspace(own_)) {}

Analysis::~Analysis() { ws_.in_use = false; }

const Spectrum& Analysis::stft() {
  if (!have_stft_) {
    audio::stft(samples_, options_.n_fft, options_.hop_length, options_.padding(), ws_.stft);
    have_stft_ = true;
  }
  return ws_.stft;
}

const std::vector<float>& Analysis::magnitude() {
  std::vector<float>& magnitude = ws_.magnitude;
  if (!have_magnitude_) {
    const Spectrum& s = stft();
    magnitude.resize(s.values.size());
    for (std::size_t i = 0; i < s.values.size(); ++i) magnitude[i] = std::abs(s.values[i]);
    have_magnitude_ = true;
  }
  return magnitude;
}

const std::vector<float>& Analysis::power() {
  std::vector<float>& power = ws_.power;
  if (!have_power_) {
    const std::vector<float>& mag = magnitude();
    power.resize(mag.size());
    for (std::size_t i = 0; i < mag.size(); ++i) power[i] = mag[i] * mag[i];
    have_power_ = true;
  }
  return power;
}

const std::vector<float>& Analysis::mel_db() {
  std::vector<float>& mel_db_ = ws_.mel_db;
  if (!have_mel_) {
    have_mel_ = true;
    const FilterBank bank = mel_filterbank(sample_rate_, options_.n_fft, kMels);
    const std::vector<float>& p = power();
    mel_db_.resize(n_frames_ * kMels);
    for (std::size_t f = 0; f < n_frames_; ++f) bank.apply(p.data() + f * n_bins(), mel_db_.data() + f * kMels);
    // power_to_db(S, ref=1.0, amin=1e-10, top_db=80): the floor is 80 dB
    // under the loudest cell of the whole spectrogram.
    float peak = -std::numeric_limits<float>::infinity();
    for (float& v : mel_db_) {
      v = 10.0f * std::log10(std::max(1e-10f, v));
      peak = std::max(peak, v);
    }
    const float floor = peak - 80.0f;
    for (float& v : mel_db_) v = std::max(v, floor);
  }
  return mel_db_;
}

void Analysis::split_hpss() {
  if (hpss_done_) return;
  // librosa.decompose.hpss(stft(y), kernel_size=31, power=2, margin=1):
  // median over time of |X| is the harmonic estimate, median over frequency
  // the percussive one; soft Wiener-like masks split X between them.
  constexpr int kKernel = 31;
  const Spectrum& x = stft();
  const std::vector<float>& mag = magnitude();
  const std::size_t frames = x.n_frames, bins = x.n_bins;
  std::vector<float>& harm = ws_.scratch_a;
  std::vector<float>& perc = ws_.scratch_b;
  harm.resize(mag.size());
  perc.resize(mag.size());
  // Time runs along a bin's row of the transposed spectrogram, so both
  // filters read contiguous lines.
  std::vector<float>& by_bin = ws_.scratch_c;
  by_bin.resize(mag.size());
  for (std::size_t f = 0; f < frames; ++f)
    for (std::size_t k = 0; k < bins; ++k) by_bin[k * frames + f] = mag[f * bins + k];
  // The time medians go to `perc` (bin-major) first, then back to frame-major `harm`.
  running_medians(by_bin.data(), frames, perc.data(), frames, bins, frames, kKernel);
  for (std::size_t k = 0; k < bins; ++k)
    for (std::size_t f = 0; f < frames; ++f) harm[f * bins + k] = perc[k * frames + f];
  running_medians(mag.data(), bins, perc.data(), bins, frames, bins, kKernel);
  // The masks overwrite the filtered magnitudes in place.
  std::vector<float>& mask_h = harm;
  std::vector<float>& mask_p = perc;
  const float tiny = std::numeric_limits<float>::min();
  for (std::size_t i = 0; i < mag.size(); ++i) {
    const float z = std::max(harm[i], perc[i]);
    float mh = 0.5f, mp = 0.5f;  // split_zeros: both estimates ~0
    if (z >= tiny) {
      const float a = (harm[i] / z) * (harm[i] / z);
      const float b = (perc[i] / z) * (perc[i] / z);
      mh = a / (a + b);
      mp = b / (a + b);
    }
    mask_h[i] = mh;
    mask_p[i] = mp;
  }
  const bool whole = options_.librosa != LibrosaCompat::gtzan;
  istft(x, options_.n_fft, options_.hop_length, samples_.size(), &mask_h, ws_.harmonic, whole);
  istft(x, options_.n_fft, options_.hop_length, samples_.size(), &mask_p, ws_.percussive, whole);
  hpss_done_ = true;
}

const std::vector<float>& Analysis::harmonic() {
  split_hpss();
  return ws_.harmonic;
}

const std::vector<float>& Analysis::percussive() {
  split_hpss();
  return ws_.percussive;
}

const std::vector<float>& Analysis::onset_strength(OnsetAggregate aggregate) {
  const int which = aggregate == OnsetAggregate::mean ? 0 : 1;
  std::vector<float>& onset = which == 0 ? ws_.onset_mean : ws_.onset_median;
  if (!have_onset_[which]) {
    have_onset_[which] = true;
    // Positive log-mel difference to the previous frame (lag 1), aggregated
    // over the mel bands, shifted by lag + n_fft / (2 hop) frames so a value
    // lines up with the centre of its frame; the first ones are zero.
    const std::vector<float>& s = mel_db();
    const std::size_t shift = 1 + options_.n_fft / (2 * options_.hop_length);
    onset.assign(n_frames_, 0.0f);
    std::vector<float> rise(kMels);
    for (std::size_t t = 1; t < n_frames_ && t - 1 + shift < n_frames_; ++t) {
      for (int m = 0; m < kMels; ++m) rise[m] = std::max(0.0f, s[t * kMels + m] - s[(t - 1) * kMels + m]);
      float value;
      if (aggregate == OnsetAggregate::mean) {
        double sum = 0.0;
        for (float r : rise) sum += r;
        value = static_cast<float>(sum / kMels);
      } else {
        // np.median over an even count: the mean of the two middle values.
        std::nth_element(rise.begin(), rise.begin() + kMels / 2, rise.end());
        const float upper = rise[kMels / 2];
        const float lower = *std::max_element(rise.begin(), rise.begin() + kMels / 2);
        value = 0.5f * (lower + upper);
      }
      onset[t - 1 + shift] = value;
    }
  }
  return onset;
}

}  // namespace genrelab::audio
