// librosa.feature.spectral_flatness(y): geometric over arithmetic mean of the
// power spectrum (amin 1e-10), per frame: 1 for white noise, ~0 for a tone.
#include <algorithm>
#include <cmath>

#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class SpectralFlatness final : public FeatureFamily {
 public:
  double amin = 1e-10;  // Analysis::flatness uses librosa's default
  std::vector<std::string> columns() const override { return mean_var_columns("spectral_flatness"); }
  void compute(Analysis& a, double* out) const override {
    const MeanVar mv = mean_var(a.flatness());
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_spectral_flatness(const FeatureOptions&) {
  return std::make_unique<SpectralFlatness>();
}

}  // namespace genrelab::audio
