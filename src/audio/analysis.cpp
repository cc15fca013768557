#include "analysis.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>
#include <numbers>

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

Analysis::Analysis(const std::vector<float>& samples, int sample_rate, const FeatureOptions& options,
                   const NativeAudio* native)
    : samples_(samples),
      native_(native),
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
    // |z| as glibc's hypotf computes it (products and sum in double, one
    // square root, rounded to float), so the bits equal numpy's np.abs; the
    // open-coded form vectorises, where a call per bin does not. Finite
    // input only: an STFT of finite samples cannot overflow a double.
    const float* z = reinterpret_cast<const float*>(s.values.data());
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      const double re = z[2 * i], im = z[2 * i + 1];
      magnitude[i] = static_cast<float>(std::sqrt(re * re + im * im));
    }
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
  // Rows are frames: the harmonic estimate filters down the columns (time),
  // the percussive one within the rows (frequency).
  median_filter_2d(mag.data(), frames, bins, MedianAxis::down_columns, kKernel, harm.data());
  median_filter_2d(mag.data(), frames, bins, MedianAxis::within_rows, kKernel, perc.data());
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

const std::vector<double>& Analysis::mean_tempogram(OnsetAggregate aggregate, int win) {
  const int which = aggregate == OnsetAggregate::mean ? 0 : 1;
  if (tempogram_win_[which] != win) {
    tempogram_[which] = audio::mean_tempogram(onset_strength(aggregate), win);
    tempogram_win_[which] = win;
  }
  return tempogram_[which];
}

const std::vector<float>& Analysis::frame_rms() {
  if (frame_rms_.empty()) {
    const int length = options_.n_fft;
    const std::vector<float> y = pad_centred(samples_.data(), samples_.size(), length / 2, padding());
    frame_rms_.resize(n_frames_);
    for (std::size_t f = 0; f < n_frames_; ++f) {
      const float* x = y.data() + f * options_.hop_length;
      double sum = 0.0;
      for (int i = 0; i < length; ++i) sum += static_cast<double>(x[i]) * x[i];
      frame_rms_[f] = static_cast<float>(std::sqrt(sum / length));
    }
  }
  return frame_rms_;
}

const std::vector<double>& Analysis::flatness() {
  if (flatness_.empty()) {
    const std::vector<float>& p = power();
    const std::size_t bins = n_bins();
    flatness_.resize(n_frames_);
    for (std::size_t f = 0; f < n_frames_; ++f) {
      // The sum of the bins' logs as the log of their product: a running
      // product kept in [0.5, 1) with its binary exponent counted apart
      // (exact: the mantissa is rescaled by a power of two), so a frame costs
      // four logs instead of 1,025. It agrees with the sum of logs to about
      // 1e-13, far inside float32 spectra's own rounding.
      double mantissa[4] = {1.0, 1.0, 1.0, 1.0};
      std::int64_t exponent[4] = {0, 0, 0, 0};
      double sum = 0.0;
      for (std::size_t k = 0; k < bins; ++k) {
        const double v = std::max(1e-10, static_cast<double>(p[f * bins + k]));
        double& m = mantissa[k % 4];
        m *= v;
        std::uint64_t bits = std::bit_cast<std::uint64_t>(m);
        exponent[k % 4] += static_cast<std::int64_t>((bits >> 52) & 0x7ff) - 1022;
        bits = (bits & ~(std::uint64_t{0x7ff} << 52)) | (std::uint64_t{1022} << 52);
        m = std::bit_cast<double>(bits);
        sum += v;
      }
      double log_sum = 0.0;
      for (int j = 0; j < 4; ++j) log_sum += std::log(mantissa[j]) + static_cast<double>(exponent[j]) * std::numbers::ln2;
      flatness_[f] = std::exp(log_sum / bins) / (sum / bins);
    }
  }
  return flatness_;
}

const LoudnessMeasures& Analysis::loudness() {
  if (!loudness_) {
    const NativeAudio mono{samples_.data(), samples_.size(), 1, sample_rate_};
    loudness_ = measure_loudness(native_ && native_->frames > 0 ? *native_ : mono);
  }
  return *loudness_;
}

const std::vector<float>& Analysis::mfcc() {
  if (mfcc_.empty()) {
    constexpr int n = kMels;
    // scipy.fftpack.dct(type=2, norm='ortho') as a matrix.
    std::vector<double> basis(static_cast<std::size_t>(kMfcc) * n);
    for (int k = 0; k < kMfcc; ++k) {
      const double scale = k == 0 ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n);
      for (int m = 0; m < n; ++m)
        basis[k * n + m] = scale * std::cos(std::numbers::pi * k * (2 * m + 1) / (2.0 * n));
    }
    const std::vector<float>& s = mel_db();
    mfcc_.resize(n_frames_ * kMfcc);
    for (std::size_t f = 0; f < n_frames_; ++f) {
      const float* x = s.data() + f * n;
      for (int k = 0; k < kMfcc; ++k) {
        double c = 0.0;
        for (int m = 0; m < n; ++m) c += basis[k * n + m] * x[m];
        mfcc_[f * kMfcc + k] = static_cast<float>(c);
      }
    }
  }
  return mfcc_;
}

const std::vector<PitchClassProfile>& Analysis::hpcp() {
  if (hpcp_.empty()) {
    const std::vector<float>& mag = magnitude();
    hpcp_.resize(n_frames_);
    for (std::size_t f = 0; f < n_frames_; ++f)
      hpcp_[f] = frame_hpcp(mag.data() + f * n_bins(), n_bins(), sample_rate_, options_.n_fft);
  }
  return hpcp_;
}

PitchClassProfile Analysis::mean_hpcp(std::size_t first, std::size_t end) {
  const auto& frames = hpcp();
  end = std::min(end, frames.size());
  PitchClassProfile sum{};
  for (std::size_t f = first; f < end; ++f)
    for (int i = 0; i < 12; ++i) sum[i] += frames[f][i];
  const double peak = *std::max_element(sum.begin(), sum.end());
  if (peak > 0)
    for (double& v : sum) v /= peak;
  return sum;
}

const RhythmAnalysis& Analysis::rhythm() {
  if (!rhythm_) {
    const int win = static_cast<int>(std::floor(8.0 * sample_rate_ / options_.hop_length));
    rhythm_ = analyse_rhythm(onset_strength(OnsetAggregate::median), mean_tempogram(OnsetAggregate::median, win),
                             frame_rms(), sample_rate_, options_.hop_length);
  }
  return *rhythm_;
}

}  // namespace genrelab::audio
