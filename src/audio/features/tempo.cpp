// librosa.beat.tempo as librosa 0.7/0.8 computed GTZAN's `tempo` column:
// the autocorrelation tempogram of the onset strength (8-second Hann
// windows, each normalised by its largest lag), averaged over time, weighted
// by a log-normal prior around 120 BPM (one octave sd), best lag -> BPM.
// Octave errors are possible by design of the method; the estimate is
// reported as computed.
#include <algorithm>
#include <cmath>
#include <limits>

#include "../fft.h"
#include "../feature_family.h"
#include "../spectrum.h"

namespace genrelab::audio {
namespace {

int smooth_size(int n) {
  for (int m = n;; ++m) {
    int r = m;
    for (int p : {2, 3, 5})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
}

class Tempo final : public FeatureFamily {
 public:
  double start_bpm = 120.0;
  double std_bpm = 1.0;
  double ac_size = 8.0;  // seconds
  double max_tempo = 320.0;
  std::vector<std::string> columns() const override { return {"tempo"}; }
  void compute(Analysis& a, double* out) const override {
    // GTZAN's column was made as librosa's documentation shows it, from the
    // median-aggregated onset strength: this reproduces all 72 staged files.
    const bool gtzan = a.librosa() == LibrosaCompat::gtzan;
    const std::vector<float>& onset =
        a.onset_strength(gtzan ? Analysis::OnsetAggregate::median : Analysis::OnsetAggregate::mean);
    const long long n = static_cast<long long>(onset.size());
    const int win = static_cast<int>(std::floor(ac_size * a.sample_rate() / a.hop()));
    const int half = win / 2;
    // np.pad(mode='linear_ramp', end_values=0): ramps from 0 up to the edge value.
    std::vector<float> padded(n + 2 * half, 0.0f);
    std::copy(onset.begin(), onset.end(), padded.begin() + half);
    for (int i = 0; i < half; ++i) {
      padded[i] = static_cast<float>(onset.front() * (static_cast<double>(i) / half));
      padded[half + n + i] = static_cast<float>(onset.back() * (static_cast<double>(half - 1 - i) / half));
    }
    const std::vector<double> window = periodic_hann(win);
    // Autocorrelation by FFT of at least 2*win - 1 points (no circular wrap),
    // rounded up to a 2-3-5-smooth size: 687 = 3 x 229 would send FFTW down
    // its slow prime-size path.
    RealFft fft(smooth_size(2 * win - 1));
    std::vector<double> mean_ac(win, 0.0);
    std::vector<float> ac(win);
    for (long long t = 0; t < n; ++t) {
      float* in = fft.input();
      std::fill(in, in + fft.size(), 0.0f);
      for (int i = 0; i < win; ++i) in[i] = static_cast<float>(padded[t + i] * window[i]);
      fft.forward();
      for (int k = 0; k < fft.bins(); ++k) fft.output()[k] = std::norm(fft.output()[k]);
      fft.inverse();
      float peak = 0.0f;
      for (int i = 0; i < win; ++i) {
        ac[i] = fft.input()[i] / fft.size();
        peak = std::max(peak, std::abs(ac[i]));
      }
      const float scale = peak >= std::numeric_limits<float>::min() ? 1.0f / peak : 1.0f;
      for (int i = 0; i < win; ++i) mean_ac[i] += ac[i] * scale;
    }
    for (double& v : mean_ac) v /= static_cast<double>(n);
    // bpm of lag k: 60 sr / (hop k); lags faster than max_tempo get no weight.
    double best = -std::numeric_limits<double>::infinity();
    int best_lag = 0;
    for (int k = 1; k < win; ++k) {
      const double bpm = 60.0 * a.sample_rate() / (a.hop() * static_cast<double>(k));
      if (bpm >= max_tempo) continue;
      const double z = (std::log2(bpm) - std::log2(start_bpm)) / std_bpm;
      // librosa 0.7/0.8 weight the tempogram by the prior; 0.10 adds the log
      // prior to log1p(1e6 x tempogram), which lets the prior decide less often.
      const double score = gtzan ? mean_ac[k] * std::exp(-0.5 * z * z) : std::log1p(1e6 * mean_ac[k]) - 0.5 * z * z;
      if (score > best) {
        best = score;
        best_lag = k;
      }
    }
    out[0] = best_lag > 0 ? 60.0 * a.sample_rate() / (a.hop() * static_cast<double>(best_lag)) : 0.0;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_tempo(const FeatureOptions&) { return std::make_unique<Tempo>(); }

}  // namespace genrelab::audio
