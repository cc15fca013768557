// librosa.feature.chroma_stft(y, sr): power spectrogram through a 12-band
// chroma filter bank tuned by librosa.estimate_tuning, each frame divided by
// its largest value. GTZAN's chroma_stft_mean/var are over all 12 x T cells.
#include <algorithm>
#include <cmath>
#include <limits>

#include "../feature_family.h"
#include "../filters.h"

namespace genrelab::audio {
namespace {

// librosa.pitch_tuning(piptrack pitches): the deviation from A440 (in
// fractions of a chroma bin) that most peaks share, at a resolution of 0.01.
double pitch_tuning(const std::vector<float>& frequencies) {
  constexpr int kBins = 100;  // np.linspace(-0.5, 0.5, 101) edges
  std::vector<int> counts(kBins, 0);
  bool any = false;
  for (float f : frequencies) {
    if (!(f > 0.0f)) continue;
    any = true;
    // float32 arithmetic, as numpy does on librosa's float32 pitches.
    float residual = std::fmod(12.0f * std::log2(f / 27.5f), 1.0f);
    if (residual < 0) residual += 1.0f;
    if (residual >= 0.5f) residual -= 1.0f;
    const double edge_step = 1.0 / kBins;
    int bin = static_cast<int>(std::floor((static_cast<double>(residual) + 0.5) / edge_step));
    bin = std::clamp(bin, 0, kBins - 1);
    // np.histogram is half-open [a, b) except the last bin; correct floor's rounding at the edges.
    while (bin > 0 && residual < -0.5 + bin * edge_step) --bin;
    while (bin + 1 < kBins && residual >= -0.5 + (bin + 1) * edge_step) ++bin;
    ++counts[bin];
  }
  if (!any) return 0.0;
  const int best = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  return -0.5 + best * (1.0 / kBins);
}

}  // namespace

// librosa.estimate_tuning(S=power, sr): parabolic-interpolated spectral peaks
// between 150 and 4000 Hz above a tenth of the frame maximum (piptrack), the
// stronger half of them (magnitude >= median) voting on the tuning.
double estimate_tuning(Analysis& a) {
  const std::vector<float>& s = a.power();
  const std::size_t bins = a.n_bins(), frames = a.n_frames();
  const double bin_hz = static_cast<double>(a.sample_rate()) / a.n_fft();
  const double fmin = 150.0, fmax = std::min(4000.0, a.sample_rate() / 2.0);
  std::vector<float> pitches, mags;
  std::vector<float> gated(bins);
  for (std::size_t f = 0; f < frames; ++f) {
    const float* x = s.data() + f * bins;
    const float ref = 0.1f * *std::max_element(x, x + bins);
    for (std::size_t k = 0; k < bins; ++k) gated[k] = x[k] > ref ? x[k] : 0.0f;
    for (std::size_t k = 1; k + 1 < bins; ++k) {
      const double freq = k * bin_hz;
      if (freq < fmin || freq >= fmax) continue;
      // util.localmax: strictly above the left neighbour, not below the right.
      if (!(gated[k] > gated[k - 1] && gated[k] >= gated[k + 1])) continue;
      const float avg = 0.5f * (x[k + 1] - x[k - 1]);
      float curvature = 2.0f * x[k] - x[k + 1] - x[k - 1];
      if (std::abs(curvature) < std::numeric_limits<float>::min()) curvature += 1.0f;
      const float shift = avg / curvature;
      pitches.push_back(static_cast<float>((static_cast<double>(k) + shift) * bin_hz));
      mags.push_back(x[k] + 0.5f * avg * shift);
    }
  }
  // np.median over magnitudes of the positive pitches.
  std::vector<float> positive;
  for (std::size_t i = 0; i < pitches.size(); ++i)
    if (pitches[i] > 0) positive.push_back(mags[i]);
  if (positive.empty()) return 0.0;
  std::sort(positive.begin(), positive.end());
  const std::size_t m = positive.size();
  const double threshold =
      m % 2 ? positive[m / 2] : 0.5 * (static_cast<double>(positive[m / 2 - 1]) + positive[m / 2]);
  std::vector<float> strong;
  for (std::size_t i = 0; i < pitches.size(); ++i)
    if (pitches[i] > 0 && mags[i] >= threshold) strong.push_back(pitches[i]);
  return pitch_tuning(strong);
}

namespace {

class ChromaStft final : public FeatureFamily {
 public:
  int n_chroma = 12;
  std::vector<std::string> columns() const override { return mean_var_columns("chroma_stft"); }
  void compute(Analysis& a, double* out) const override {
    const double tuning = estimate_tuning(a);
    const FilterBank bank = chroma_filterbank(a.sample_rate(), a.n_fft(), tuning, n_chroma);
    const std::vector<float>& s = a.power();
    std::vector<float> chroma(a.n_frames() * n_chroma);
    for (std::size_t f = 0; f < a.n_frames(); ++f) {
      float* c = chroma.data() + f * n_chroma;
      bank.apply(s.data() + f * a.n_bins(), c);
      const float peak = *std::max_element(c, c + n_chroma);
      if (peak >= std::numeric_limits<float>::min())
        for (int i = 0; i < n_chroma; ++i) c[i] /= peak;
    }
    const MeanVar mv = mean_var(chroma.data(), chroma.size());
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_chroma_stft(const FeatureOptions&) { return std::make_unique<ChromaStft>(); }

}  // namespace genrelab::audio
