// Key and mode as Spotify codes them (key 0 = C .. 11 = B, -1 for none; mode
// 1 major, 0 minor) with a confidence: the mean HPCP of the track (tonal.h)
// correlated with the 24 rotations of a key profile. The reference is a fixed
// A4 = 440 Hz rather than an estimated tuning: a tuning estimate can be
// pulled by drums by up to half a semitone, which turns C major into B major
// (Essentia's documentation shows the case); real recordings far from 440
// (A = 432) still land in the right semitone, as the window spans 2/3 of one.
// `tuning_frequency` reports librosa's tuning estimate as the frequency of A4.
#include <cmath>

#include "../feature_family.h"
#include "../tonal.h"

namespace genrelab::audio {
namespace {

class Key final : public FeatureFamily {
 public:
  explicit Key(KeyProfile profile) : profile_(profile) {}
  std::vector<std::string> columns() const override {
    return {"key", "mode", "key_confidence", "tuning_frequency"};
  }
  void compute(Analysis& a, double* out) const override {
    const KeyEstimate k = estimate_key(a.mean_hpcp(), profile_);
    out[0] = k.key;
    out[1] = k.mode;
    out[2] = k.confidence;
    // Reported, not used for the key: A4 in Hz from librosa's tuning estimate.
    out[3] = 440.0 * std::pow(2.0, estimate_tuning(a) / 12.0);
  }

 private:
  KeyProfile profile_;
};

}  // namespace

std::unique_ptr<FeatureFamily> make_key(const FeatureOptions& options) {
  return std::make_unique<Key>(key_profile_named(options.key_profile));
}

}  // namespace genrelab::audio
