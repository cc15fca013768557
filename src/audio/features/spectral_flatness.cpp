// librosa.feature.spectral_flatness(y): geometric over arithmetic mean of the
// power spectrum (amin 1e-10), per frame: 1 for white noise, ~0 for a tone.
#include <algorithm>
#include <cmath>

#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class SpectralFlatness final : public FeatureFamily {
 public:
  double amin = 1e-10;
  std::vector<std::string> columns() const override { return mean_var_columns("spectral_flatness"); }
  void compute(Analysis& a, double* out) const override {
    const std::size_t bins = a.n_bins();
    std::vector<double> values(a.n_frames());
    for (std::size_t f = 0; f < a.n_frames(); ++f) {
      const float* s = a.power().data() + f * bins;
      double log_sum = 0.0, sum = 0.0;
      for (std::size_t k = 0; k < bins; ++k) {
        const double p = std::max(amin, static_cast<double>(s[k]));
        log_sum += std::log(p);
        sum += p;
      }
      values[f] = std::exp(log_sum / bins) / (sum / bins);
    }
    const MeanVar mv = mean_var(values);
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_spectral_flatness(const FeatureOptions&) {
  return std::make_unique<SpectralFlatness>();
}

}  // namespace genrelab::audio
