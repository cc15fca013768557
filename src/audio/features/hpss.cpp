// librosa.effects.hpss(y): the harmonic and percussive waveforms (median
// filtering of the magnitude spectrogram, soft masks, inverse STFT). GTZAN
// names their sample statistics harmony_* and perceptr_*.
#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class Hpss final : public FeatureFamily {
 public:
  int kernel_size = 31;  // Analysis::split_hpss uses librosa's default
  std::vector<std::string> columns() const override {
    std::vector<std::string> names = mean_var_columns("harmony");
    for (auto& n : mean_var_columns("perceptr")) names.push_back(n);
    return names;
  }
  void compute(Analysis& a, double* out) const override {
    const MeanVar h = mean_var(a.harmonic().data(), a.harmonic().size());
    const MeanVar p = mean_var(a.percussive().data(), a.percussive().size());
    out[0] = h.mean;
    out[1] = h.var;
    out[2] = p.mean;
    out[3] = p.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_hpss(const FeatureOptions&) { return std::make_unique<Hpss>(); }

}  // namespace genrelab::audio
