// librosa.feature.mfcc(y, sr): DCT-II (orthonormal) of the log-mel
// spectrogram (128 Slaney bands, power_to_db with top_db 80), first 20.
#include <cmath>
#include <numbers>

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
    constexpr int n = Analysis::kMels;
    // scipy.fftpack.dct(type=2, norm='ortho') as a matrix.
    std::vector<double> basis(static_cast<std::size_t>(n_mfcc) * n);
    for (int k = 0; k < n_mfcc; ++k) {
      const double scale = k == 0 ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n);
      for (int m = 0; m < n; ++m) basis[k * n + m] = scale * std::cos(std::numbers::pi * k * (2 * m + 1) / (2.0 * n));
    }
    const std::vector<float>& s = a.mel_db();
    const std::size_t frames = a.n_frames();
    std::vector<double> sum(n_mfcc, 0.0), sum_sq(n_mfcc, 0.0);
    std::vector<std::vector<double>> coeff(n_mfcc, std::vector<double>(frames));
    for (std::size_t f = 0; f < frames; ++f) {
      const float* x = s.data() + f * n;
      for (int k = 0; k < n_mfcc; ++k) {
        double c = 0.0;
        for (int m = 0; m < n; ++m) c += basis[k * n + m] * x[m];
        coeff[k][f] = static_cast<float>(c);  // librosa keeps float32
      }
    }
    for (int k = 0; k < n_mfcc; ++k) {
      const MeanVar mv = mean_var(coeff[k]);
      out[2 * k] = mv.mean;
      out[2 * k + 1] = mv.var;
    }
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_mfcc(const FeatureOptions&) { return std::make_unique<Mfcc>(); }

}  // namespace genrelab::audio
