// Spotify-like perceptual descriptors, each in [0, 1], each a documented
// signal-processing estimate (Spotify's own models are unpublished):
//
// energy: "perceptual intensity and activity" from loudness, onset activity
//   and noisiness: clamp((LUFS + 40) / 35) x (0.6 + 0.25 clamp(mean flux / 3)
//   + 0.15 clamp(mean spectral flatness / 0.05)).
// danceability: a steady, strong pulse: the tempogram's periodicity at the
//   tracked tempo times a detrended-fluctuation term (Streich & Herrera 2005):
//   DFA of the frame loudness over 0.3-8 s windows; an exponent near 0.5-1
//   (fluctuations that do not grow with the window: a stable groove) scores
//   high, near 1.5 and above (drifting, through-composed) low:
//   clamp((LUFS + 60) / 20) x sqrt(periodicity) x clamp(1.6 - alpha).
// speechiness: speech against music from how fast the spectral envelope
//   changes: a logistic in the log of the mean variance of MFCC 4..8.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "../feature_family.h"
#include "../loudness.h"

namespace genrelab::audio {
namespace {

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// Detrended fluctuation analysis of x: the log-log slope of the rms residual
// of the integrated, mean-removed series against window length, over windows
// from `lo` to `hi` samples (geometric steps).
double dfa_exponent(const std::vector<double>& x, std::size_t lo, std::size_t hi) {
  if (x.size() < 2 * hi || lo < 4) return 1.0;
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
  std::vector<double> y(x.size());
  double run = 0;
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = run += x[i] - mean;
  std::vector<double> lx, ly;
  for (double w = static_cast<double>(lo); w <= static_cast<double>(hi); w *= 1.25) {
    const std::size_t n = static_cast<std::size_t>(w);
    double total = 0;
    std::size_t windows = 0;
    for (std::size_t s = 0; s + n <= y.size(); s += n) {
      // Least-squares line through the window, then the residual's mean square.
      double sx = 0, sy = 0, sxx = 0, sxy = 0;
      for (std::size_t i = 0; i < n; ++i) {
        sx += i;
        sy += y[s + i];
        sxx += static_cast<double>(i) * i;
        sxy += i * y[s + i];
      }
      const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
      const double icpt = (sy - slope * sx) / n;
      double r = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double e = y[s + i] - (icpt + slope * i);
        r += e * e;
      }
      total += r / n;
      ++windows;
    }
    const double f = std::sqrt(total / windows);
    if (f <= 0) continue;
    lx.push_back(std::log(static_cast<double>(n)));
    ly.push_back(std::log(f));
  }
  if (lx.size() < 3) return 1.0;
  const double mx = std::accumulate(lx.begin(), lx.end(), 0.0) / lx.size();
  const double my = std::accumulate(ly.begin(), ly.end(), 0.0) / ly.size();
  double num = 0, den = 0;
  for (std::size_t i = 0; i < lx.size(); ++i) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) * (lx[i] - mx);
  }
  return den > 0 ? num / den : 1.0;
}

class Descriptors final : public FeatureFamily {
 public:
  std::vector<std::string> columns() const override {
    return {"energy", "danceability", "speechiness"};
  }
  void compute(Analysis& a, double* out) const override {
    const double fps = static_cast<double>(a.sample_rate()) / a.hop();
    const std::vector<float>& rms = a.frame_rms();
    std::vector<double> db(rms.size());
    for (std::size_t i = 0; i < rms.size(); ++i) db[i] = 20.0 * std::log10(std::max(static_cast<double>(rms[i]), 1e-5));

    // Energy.
    const double lufs = a.loudness().integrated;
    const auto& flux = a.onset_strength(Analysis::OnsetAggregate::mean);
    const double mean_flux = std::accumulate(flux.begin(), flux.end(), 0.0) / std::max<std::size_t>(flux.size(), 1);
    const std::vector<double>& flatness = a.flatness();
    const double flat = std::accumulate(flatness.begin(), flatness.end(), 0.0) / std::max<std::size_t>(flatness.size(), 1);
    // Loudness scales the rest: nothing quiet is intense, however busy.
    const double loud = clamp01((lufs + 40.0) / 35.0);
    out[0] = clamp01(loud * (0.6 + 0.25 * clamp01(mean_flux / 3.0) + 0.15 * clamp01(flat / 0.05)));

    // Danceability.
    // The periodicity, not tempo_confidence: a pulse ambiguous between 3:2
    // readings is no less steady to dance to.
    const double pulse = a.rhythm().periodicity;
    const double alpha = dfa_exponent(db, static_cast<std::size_t>(0.3 * fps), static_cast<std::size_t>(8.0 * fps));
    // A pulse must be audible: fade the score out between -40 and -60 LUFS.
    const double audible = clamp01((lufs + 60.0) / 20.0);
    out[1] = clamp01(audible * std::sqrt(clamp01(pulse)) * clamp01(1.6 - alpha));

    // Speechiness: how fast the spectral envelope moves. Phonemes change the
    // formants several times a second, so speech has a far larger variance
    // of the mid cepstral coefficients (MFCC 4..8, the envelope's detail
    // above its tilt) than music, whose timbre holds for notes and phrases.
    const std::vector<float>& c = a.mfcc();
    double envelope_var = 0;
    for (int k = 3; k < 8; ++k) envelope_var += mean_var(c.data() + k, a.n_frames(), Analysis::kMfcc).var / 5.0;
    out[2] = 1.0 / (1.0 + std::exp(-kSpeechSlope * (std::log(std::max(envelope_var, 1e-9)) - std::log(kSpeechMid))));
  }

 private:
  // A logistic in log variance: 0.5 at a mean variance of 600, the geometric
  // middle between what the 81 staged music clips reach (at most 335) and
  // what espeak-ng speech in four voices starts at (1,030); slope 4 per
  // e-fold puts those at about 0.09 and 0.88.
  static constexpr double kSpeechSlope = 4.0, kSpeechMid = 600.0;
};

}  // namespace

std::unique_ptr<FeatureFamily> make_descriptors(const FeatureOptions&) { return std::make_unique<Descriptors>(); }

}  // namespace genrelab::audio
