// The magnitude-spectrum shape descriptors of librosa.feature: centroid
// (spectrum-weighted mean frequency), bandwidth (p = 2 spread about it) and
// rolloff (the lowest frequency under which roll_percent of the magnitude lies).
#include <cmath>
#include <limits>

#include "../feature_family.h"
#include "../filters.h"

namespace genrelab::audio {
namespace {

// Per frame: magnitude normalised to sum 1 (util.normalize(norm=1); frames
// that sum to ~0 are left as they are, so a silent frame's centroid is 0).
struct FrameShape {
  double centroid = 0.0;
  double bandwidth = 0.0;
};

FrameShape frame_shape(const float* s, const std::vector<double>& freq, bool want_bandwidth) {
  double total = 0.0;
  for (std::size_t k = 0; k < freq.size(); ++k) total += s[k];
  const double scale = total >= std::numeric_limits<float>::min() ? 1.0 / total : 1.0;
  FrameShape shape;
  for (std::size_t k = 0; k < freq.size(); ++k) shape.centroid += freq[k] * s[k] * scale;
  if (want_bandwidth) {
    double sum = 0.0;
    for (std::size_t k = 0; k < freq.size(); ++k) {
      const double d = freq[k] - shape.centroid;
      sum += s[k] * scale * d * d;
    }
    shape.bandwidth = std::sqrt(sum);
  }
  return shape;
}

class SpectralCentroid final : public FeatureFamily {
 public:
  std::vector<std::string> columns() const override { return mean_var_columns("spectral_centroid"); }
  void compute(Analysis& a, double* out) const override {
    const std::vector<double> freq = fft_frequencies(a.sample_rate(), a.n_fft());
    std::vector<double> values(a.n_frames());
    for (std::size_t f = 0; f < a.n_frames(); ++f)
      values[f] = frame_shape(a.magnitude().data() + f * a.n_bins(), freq, false).centroid;
    const MeanVar mv = mean_var(values);
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

class SpectralBandwidth final : public FeatureFamily {
 public:
  int p = 2;  // only p = 2 (librosa's default) is offered
  std::vector<std::string> columns() const override { return mean_var_columns("spectral_bandwidth"); }
  void compute(Analysis& a, double* out) const override {
    const std::vector<double> freq = fft_frequencies(a.sample_rate(), a.n_fft());
    std::vector<double> values(a.n_frames());
    for (std::size_t f = 0; f < a.n_frames(); ++f)
      values[f] = frame_shape(a.magnitude().data() + f * a.n_bins(), freq, true).bandwidth;
    const MeanVar mv = mean_var(values);
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

class Rolloff final : public FeatureFamily {
 public:
  float roll_percent = 0.85f;
  std::vector<std::string> columns() const override { return mean_var_columns("rolloff"); }
  void compute(Analysis& a, double* out) const override {
    const std::vector<double> freq = fft_frequencies(a.sample_rate(), a.n_fft());
    const std::size_t bins = a.n_bins();
    std::vector<double> values(a.n_frames());
    std::vector<float> cumulative(bins);
    for (std::size_t f = 0; f < a.n_frames(); ++f) {
      const float* s = a.magnitude().data() + f * bins;
      // np.cumsum on float32 accumulates in float32, in order.
      float run = 0.0f;
      for (std::size_t k = 0; k < bins; ++k) cumulative[k] = run += s[k];
      const float threshold = roll_percent * cumulative[bins - 1];
      std::size_t k = 0;
      while (k + 1 < bins && cumulative[k] < threshold) ++k;
      values[f] = freq[k];
    }
    const MeanVar mv = mean_var(values);
    out[0] = mv.mean;
    out[1] = mv.var;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_spectral_centroid(const FeatureOptions&) {
  return std::make_unique<SpectralCentroid>();
}
std::unique_ptr<FeatureFamily> make_spectral_bandwidth(const FeatureOptions&) {
  return std::make_unique<SpectralBandwidth>();
}
std::unique_ptr<FeatureFamily> make_rolloff(const FeatureOptions&) { return std::make_unique<Rolloff>(); }

}  // namespace genrelab::audio
