// Spectral flux as librosa computes it for onset detection
// (librosa.onset.onset_strength): mean over 128 mel bands of the positive
// change in dB from the previous frame. librosa has no feature called
// "spectral_flux"; this is the one it uses, under the name people search for.
#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class SpectralFlux final : public FeatureFamily {
 public:
  int lag = 1;
  std::vector<std::string> columns() const override { return mean_var_columns("spectral_flux"); }
  void compute(Analysis& a, double* out) const override {
    const auto& flux = a.onset_strength(Analysis::OnsetAggregate::mean);
    const MeanVar mv = mean_var(flux.data(), flux.size());
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_spectral_flux(const FeatureOptions&) { return std::make_unique<SpectralFlux>(); }

}  // namespace genrelab::audio
