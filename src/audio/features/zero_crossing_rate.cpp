// librosa.feature.zero_crossing_rate(y): the share of sign changes between
// consecutive samples in each centred frame of 2048 (the signal padded by
// repeating its edge samples). Samples within 1e-10 of zero count as +0, so
// digital silence and dither below that do not cross.
#include <cmath>

#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class ZeroCrossingRate final : public FeatureFamily {
 public:
  float threshold = 1e-10f;
  std::vector<std::string> columns() const override { return mean_var_columns("zero_crossing_rate"); }
  void compute(Analysis& a, double* out) const override {
    const int frame_length = a.n_fft();
    const std::vector<float>& y = a.samples();
    const std::size_t pad = frame_length / 2;
    // Sign bit per padded sample ('edge' padding), thresholded.
    std::vector<unsigned char> negative(y.size() + 2 * pad);
    auto sign_of = [&](float v) -> unsigned char { return std::abs(v) <= threshold ? 0 : std::signbit(v); };
    for (std::size_t i = 0; i < negative.size(); ++i) {
      const std::size_t src = i < pad ? 0 : (i - pad >= y.size() ? y.size() - 1 : i - pad);
      negative[i] = sign_of(y[src]);
    }
    std::vector<float> rate(a.n_frames());
    for (std::size_t f = 0; f < a.n_frames(); ++f) {
      const unsigned char* x = negative.data() + f * a.hop();
      int crossings = 0;
      for (int i = 1; i < frame_length; ++i) crossings += x[i] != x[i - 1];
      rate[f] = static_cast<float>(crossings) / frame_length;
    }
    const MeanVar mv = mean_var(rate.data(), rate.size());
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_zero_crossing_rate(const FeatureOptions&) {
  return std::make_unique<ZeroCrossingRate>();
}

}  // namespace genrelab::audio
