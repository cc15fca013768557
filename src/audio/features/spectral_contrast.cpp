// librosa.feature.spectral_contrast(y, sr): per octave band (edges 200 Hz
// doubling, n_bands = 6, so 7 rows with the sub-200 Hz band), the dB
// difference between the mean of the top and of the bottom 2 % of magnitudes.
#include <algorithm>
#include <cmath>
#include <limits>

#include "../feature_family.h"
#include "../filters.h"

namespace genrelab::audio {
namespace {

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
    std::vector<float> sorted;
    for (std::size_t f = 0; f < frames; ++f) {
      const float* s = a.magnitude().data() + f * bins;
      for (int k = 0; k < rows; ++k) {
        const Band& b = bands[k];
        sorted.assign(s + b.lo, s + b.hi);
        const std::size_t take = std::min(
            sorted.size(), std::max<std::size_t>(1, static_cast<std::size_t>(std::nearbyint(quantile * b.count))));
        // Only the `take` smallest and largest matter: two selections, no full sort.
        std::nth_element(sorted.begin(), sorted.begin() + (take - 1), sorted.end());
        std::nth_element(sorted.begin() + take, sorted.end() - take, sorted.end());
        double lo_sum = 0.0, hi_sum = 0.0;
        for (std::size_t i = 0; i < take; ++i) {
          lo_sum += sorted[i];
          hi_sum += sorted[sorted.size() - 1 - i];
        }
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
