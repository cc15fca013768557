// Tempo, beats and metre (rhythm.h), Spotify's descriptors of them: `bpm` is
// the tempo the tracked beats keep (precise, not on the lag grid; unlike
// `tempo`, which is librosa's estimate as GTZAN reports it), with
// `tempo_confidence`; `time_signature` (3 or 4 beats per bar) with its
// confidence. Octave errors are not hidden: bpm and confidence are reported
// as found.
#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class Rhythm final : public FeatureFamily {
 public:
  std::vector<std::string> columns() const override {
    return {"bpm", "tempo_confidence", "time_signature", "time_signature_confidence", "beats_per_second"};
  }
  void compute(Analysis& a, double* out) const override {
    const RhythmAnalysis& r = a.rhythm();
    out[0] = r.tempo;
    out[1] = r.tempo_confidence;
    out[2] = r.time_signature;
    out[3] = r.time_signature_confidence;
    const double seconds = static_cast<double>(a.samples().size()) / a.sample_rate();
    out[4] = seconds > 0 ? r.beats.size() / seconds : 0.0;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_rhythm(const FeatureOptions&) { return std::make_unique<Rhythm>(); }

}  // namespace genrelab::audio
