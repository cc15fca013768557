// librosa.feature.spectral_contrast(y, sr): per octave band (edges 200 Hz
// doubling, n_bands = 6, so 7 rows with the sub-200 Hz band), the dB
// difference between the mean of the top and of the bottom 2 % of magnitudes.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "../feature_family.h"
#include "../filters.h"

namespace genrelab::audio {
namespace {

// The sum of the `take` values of v[0..n) that come first under `before`
// (the smallest with std::less, the largest with std::greater). Any bound
// with at least `take` values on the right side of it holds them all, so
// only those values are kept and one small selection finishes the job.
// The bound: the band's take-th value in the previous frame, loosened by
// `loosen` (spectra change slowly from frame to frame), else the take-th
// of every fourth value (a running top-k list would take an insertion at
// nearly every bin of a spectrum that falls with frequency).
template <class Before>
double extreme_sum(const float* v, std::size_t n, std::size_t take, Before before, float loosen, float& hint) {
  if (take == 1) {
    float best = v[0];
    for (std::size_t i = 1; i < n; ++i)
      if (before(v[i], best)) best = v[i];
    return best;
  }
  thread_local std::vector<float> sample, kept;
  kept.resize(n);
  std::size_t count = 0;
  auto keep_within = [&](float bound) {
    count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      kept[count] = v[i];
      count += !before(bound, v[i]);  // branch-free: most bins are turned away
    }
  };
  if (std::isfinite(hint)) keep_within(hint * loosen);
  if (count < take) {
    if (n < 4 * take) {
      std::copy(v, v + n, kept.begin());
      count = n;
    } else {
      sample.clear();
      for (std::size_t i = 0; i < n; i += 4) sample.push_back(v[i]);
      std::nth_element(sample.begin(), sample.begin() + (take - 1), sample.end(), before);
      keep_within(sample[take - 1]);
    }
  }
  std::nth_element(kept.begin(), kept.begin() + (take - 1), kept.begin() + count, before);
  hint = kept[take - 1];
  double sum = 0.0;
  for (std::size_t i = 0; i < take; ++i) sum += kept[i];
  return sum;
}

class SpectralContrast final : public FeatureFamily {
 public:
  double fmin = 200.0;
  int n_bands = 6;
  double quantile = 0.02;
  std::vector<std::string> columns() const override {
    std::vector<std::string> names;
    for (int b = 1; b <= n_bands + 1; ++b)
      for (auto& n : mean_var_columns("spectral_contrast" + std::to_string(b))) names.push_back(n);
    return names;
  }
  void compute(Analysis& a, double* out) const override {
    const std::vector<double> freq = fft_frequencies(a.sample_rate(), a.n_fft());
    const std::size_t bins = freq.size(), frames = a.n_frames();
    const int rows = n_bands + 1;
    // Band k covers [octa[k], octa[k+1]] plus, above the first, the bin just
    // below it; the last band runs to Nyquist. All but the last drop their top bin.
    std::vector<double> octa(rows + 1, 0.0);
    for (int i = 1; i <= rows; ++i) octa[i] = fmin * std::pow(2.0, i - 1);
    struct Band {
      std::size_t lo, hi;  // [lo, hi) bins used
      std::size_t count;   // bins in the band before the top one is dropped
    };
    std::vector<Band> bands;
    for (int k = 0; k < rows; ++k) {
      std::size_t first = bins, last = 0;
      for (std::size_t i = 0; i < bins; ++i)
        if (freq[i] >= octa[k] && freq[i] <= octa[k + 1]) {
          first = std::min(first, i);
          last = std::max(last, i);
        }
      if (first == bins) throw std::logic_error("spectral_contrast: empty band");
      std::size_t lo = k > 0 ? first - 1 : first;
      std::size_t hi = k == n_bands ? bins : last + 1;
      const std::size_t count = hi - lo;
      if (k < n_bands) --hi;
      bands.push_back({lo, hi, count});
    }
    std::vector<float> peak(frames * rows), valley(frames * rows);
    std::vector<float> low_hint(rows, std::numeric_limits<float>::infinity()), high_hint = low_hint;
    for (std::size_t f = 0; f < frames; ++f) {
      const float* s = a.magnitude().data() + f * bins;
      for (int k = 0; k < rows; ++k) {
        const Band& b = bands[k];
        const std::size_t size = b.hi - b.lo;
        const std::size_t take =
            std::min(size, std::max<std::size_t>(1, static_cast<std::size_t>(std::nearbyint(quantile * b.count))));
        const double lo_sum = extreme_sum(s + b.lo, size, take, std::less<float>(), 2.0f, low_hint[k]);
        const double hi_sum = extreme_sum(s + b.lo, size, take, std::greater<float>(), 0.5f, high_hint[k]);
        valley[f * rows + k] = static_cast<float>(lo_sum / take);
        peak[f * rows + k] = static_cast<float>(hi_sum / take);
      }
    }
    // power_to_db(peak) - power_to_db(valley), each floored 80 dB under its own maximum.
    auto to_db = [](std::vector<float>& v) {
      float top = -std::numeric_limits<float>::infinity();
      for (float& x : v) top = std::max(top, x = 10.0f * std::log10(std::max(1e-10f, x)));
      for (float& x : v) x = std::max(x, top - 80.0f);
    };
    to_db(peak);
    to_db(valley);
    for (int k = 0; k < rows; ++k) {
      std::vector<double> contrast(frames);
      for (std::size_t f = 0; f < frames; ++f) contrast[f] = peak[f * rows + k] - valley[f * rows + k];
      const MeanVar mv = mean_var(contrast);
      out[2 * k] = mv.mean;
      out[2 * k + 1] = mv.var;
    }
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_spectral_contrast(const FeatureOptions&) {
  return std::make_unique<SpectralContrast>();
}

}  // namespace genrelab::audio
