// librosa.beat.tempo as librosa 0.7/0.8 computed GTZAN's `tempo` column:
// the autocorrelation tempogram of the onset strength (8-second Hann
// windows, each normalised by its largest lag), averaged over time, weighted
// by a log-normal prior around 120 BPM (one octave sd), best lag -> BPM.
// Octave errors are possible by design of the method; the estimate is
// reported as computed.
#include <algorithm>
#include <cmath>
#include <limits>

#include "../feature_family.h"

namespace genrelab::audio {
namespace {

class Tempo final : public FeatureFamily {
 public:
  double start_bpm = 120.0;
  double std_bpm = 1.0;
  double ac_size = 8.0;  // seconds
  double max_tempo = 320.0;
  std::vector<std::string> columns() const override { return {"tempo"}; }
  void compute(Analysis& a, double* out) const override {
    // GTZAN's column was made as librosa's documentation shows it, from the
    // median-aggregated onset strength: this reproduces all 72 staged files.
    const bool gtzan = a.librosa() == LibrosaCompat::gtzan;
    const int win = static_cast<int>(std::floor(ac_size * a.sample_rate() / a.hop()));
    const std::vector<double>& mean_ac = a.mean_tempogram(
        gtzan ? Analysis::OnsetAggregate::median : Analysis::OnsetAggregate::mean, win);
    // bpm of lag k: 60 sr / (hop k); lags faster than max_tempo get no weight.
    double best = -std::numeric_limits<double>::infinity();
    int best_lag = 0;
    for (int k = 1; k < win; ++k) {
      const double bpm = 60.0 * a.sample_rate() / (a.hop() * static_cast<double>(k));
      if (bpm >= max_tempo) continue;
      const double z = (std::log2(bpm) - std::log2(start_bpm)) / std_bpm;
      // librosa 0.7/0.8 weight the tempogram by the prior; 0.10 adds the log
      // prior to log1p(1e6 x tempogram), which lets the prior decide less often.
      const double score = gtzan ? mean_ac[k] * std::exp(-0.5 * z * z) : std::log1p(1e6 * mean_ac[k]) - 0.5 * z * z;
      if (score > best) {
        best = score;
        best_lag = k;
      }
    }
    out[0] = best_lag > 0 ? 60.0 * a.sample_rate() / (a.hop() * static_cast<double>(best_lag)) : 0.0;
  }
};

}  // namespace

std::unique_ptr<FeatureFamily> make_tempo(const FeatureOptions&) { return std::make_unique<Tempo>(); }

}  // namespace genrelab::audio
