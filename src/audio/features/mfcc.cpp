// librosa.feature.mfcc(y, sr): DCT-II (orthonormal) of the log-mel
// spectrogram (128 Slaney bands, power_to_db with top_db 80), first 20.

#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class Mfcc final : public FeatureFamily {
 public:
  int n_mfcc = 20;
  std::vector<std::string> columns() const override {
    std::vector<std::string> names;
    for (int i = 1; i <= n_mfcc; ++i)
      for (auto& n : mean_var_columns("mfcc" + std::to_string(i))) names.push_back(n);
    return names;
  }
  void compute(Analysis& a, double* out) const override {
    const std::vector<float>& c = a.mfcc();
    for (int k = 0; k < n_mfcc; ++k) {
      const MeanVar mv = mean_var(c.data() + k, a.n_frames(), Analysis::kMfcc);
      out[2 * k] = mv.mean;
      out[2 * k + 1] = mv.var;
    }
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_mfcc(const FeatureOptions&) { return std::make_unique<Mfcc>(); }

}  // namespace genrelab::audio
