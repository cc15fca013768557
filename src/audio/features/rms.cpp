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
    const int frame_length = a.n_fft();
    const std::vector<float> y =
        pad_centred(a.samples().data(), a.samples().size(), frame_length / 2, a.padding());
    std::vector<float> rms(a.n_frames());
    for (std::size_t f = 0; f < a.n_frames(); ++f) {
      const float* x = y.data() + f * a.hop();
      double sum = 0.0;
      for (int i = 0; i < frame_length; ++i) sum += static_cast<double>(x[i]) * x[i];
      rms[f] = static_cast<float>(std::sqrt(sum / frame_length));
    }
    const MeanVar mv = mean_var(rms.data(), rms.size());
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_rms(const FeatureOptions&) { return std::make_unique<Rms>(); }

}  // namespace genrelab::audio
