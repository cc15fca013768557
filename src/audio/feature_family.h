// One feature family = one class: declared parameters (librosa's names and
// defaults) as members, the columns it writes, and compute() over the shared
// Analysis. Families are listed in feature_registry.cpp, which is the only
// place that names them; a new family is one file plus one line there.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis.h"

namespace genrelab::audio {

class FeatureFamily {
 public:
  virtual ~FeatureFamily() = default;
  virtual std::vector<std::string> columns() const = 0;
  // Writes columns().size() values to out.
  virtual void compute(Analysis& analysis, double* out) const = 0;
};

struct FeatureFamilyEntry {
  const char* name;
  const char* description;
  std::unique_ptr<FeatureFamily> (*make)(const FeatureOptions& options);
};

const std::vector<FeatureFamilyEntry>& feature_registry();

// np.mean and np.var (population) of values, in double.
struct MeanVar {
  double mean = 0.0;
  double var = 0.0;
};
MeanVar mean_var(const float* values, std::size_t n, std::size_t stride = 1);
MeanVar mean_var(const std::vector<double>& values);

// The two columns "<name>_mean", "<name>_var".
std::vector<std::string> mean_var_columns(const std::string& name);

// librosa.estimate_tuning of the power spectrogram: the deviation from A440
// in fractions of a semitone, -0.5 .. 0.5 in steps of 0.01 (chroma_stft.cpp).
double estimate_tuning(Analysis& analysis);

// The factories, one per family file.
std::unique_ptr<FeatureFamily> make_chroma_stft(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_rms(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_spectral_centroid(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_spectral_bandwidth(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_rolloff(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_zero_crossing_rate(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_hpss(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_tempo(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_mfcc(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_spectral_contrast(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_spectral_flatness(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_spectral_flux(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_rhythm(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_loudness(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_key(const FeatureOptions&);
std::unique_ptr<FeatureFamily> make_descriptors(const FeatureOptions&);

}  // namespace genrelab::audio
