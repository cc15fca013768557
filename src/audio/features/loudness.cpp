// Loudness by EBU R128 / ITU-R BS.1770 with libebur128, the reference
// implementation, on the file's own channels at its own rate: integrated
// loudness (LUFS, gated), loudness range (LU) and true peak (dBTP, 4x
// oversampled). `loudness` is Spotify's column name: Spotify documents it
// only as "the overall loudness of a track in decibels, averaged across the
// entire track, typically -60 to 0 dB"; genrelab reports the integrated
// loudness there, so -23 means an EBU-normalised broadcast mix and -8 a loud
// modern master. A signal entirely under the -70 LUFS gate reads -70.
#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "../feature_family.h"
#include "../loudness.h"

namespace genrelab::audio {
namespace {

struct StateCloser {
  void operator()(ebur128_state* s) const { ebur128_destroy(&s); }
};

}  // namespace

LoudnessMeasures measure_loudness(const NativeAudio& view) {
  std::unique_ptr<ebur128_state, StateCloser> state(
      ebur128_init(static_cast<unsigned>(view.channels), static_cast<unsigned long>(view.rate),
                   EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK));
  if (!state) throw std::bad_alloc();
  // Mono is one front channel (BS.1770: a -20 dBFS 997 Hz sine reads -23 LUFS);
  // beyond stereo, libebur128's default map treats channels 4 and 5 as surrounds.
  ebur128_add_frames_float(state.get(), view.interleaved, view.frames);
  double integrated = -HUGE_VAL, range = 0.0;
  ebur128_loudness_global(state.get(), &integrated);
  ebur128_loudness_range(state.get(), &range);
  double peak = 0.0;
  for (int c = 0; c < view.channels; ++c) {
    double p = 0.0;
    ebur128_true_peak(state.get(), static_cast<unsigned>(c), &p);
    peak = std::max(peak, p);
  }
  LoudnessMeasures m;
  m.integrated = std::isfinite(integrated) ? std::max(integrated, -70.0) : -70.0;
  m.range = std::isfinite(range) ? range : 0.0;
  m.true_peak = peak > 0 ? 20.0 * std::log10(peak) : -200.0;
  return m;
}

namespace {

class Loudness final : public FeatureFamily {
 public:
  std::vector<std::string> columns() const override { return {"loudness", "loudness_range", "true_peak"}; }
  void compute(Analysis& a, double* out) const override {
    const LoudnessMeasures& m = a.loudness();
    out[0] = m.integrated;
    out[1] = m.range;
    out[2] = m.true_peak;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_loudness(const FeatureOptions&) { return std::make_unique<Loudness>(); }

}  // namespace genrelab::audio
