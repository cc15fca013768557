// librosa.feature.rms(y): root mean square of each centred frame of the
// waveform (frame 2048, hop 512), the signal padded as the STFT pads it.
#include <cmath>

#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class Rms final : public FeatureFamily {
 public:
  std::vector<std::string> columns() const override { return mean_var_columns("rms"); }
  void compute(Analysis& a, double* out) const override {
    const std::vector<float>& rms = a.frame_rms();
    const MeanVar mv = mean_var(rms.data(), rms.size());
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_rms(const FeatureOptions&) { return std::make_unique<Rms>(); }

}  // namespace genrelab::audio
