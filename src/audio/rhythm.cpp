#include "rhythm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "fft.h"
#include "spectrum.h"

namespace genrelab::audio {
namespace {

int smooth_size(int n) {
  for (int m = n;; ++m) {
    int r = m;
    for (int p : {2, 3, 5})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const std::size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + m, v.end());
  if (v.size() % 2) return v[m];
  return 0.5 * (v[m] + *std::max_element(v.begin(), v.begin() + m));
}

// Tempogram value at a fractional lag (linear between frames).
double tempogram_at(const std::vector<double>& tg, double lag) {
  const std::size_t k = static_cast<std::size_t>(lag);
  if (k + 1 >= tg.size()) return 0.0;
  const double f = lag - k;
  return tg[k] * (1 - f) + tg[k + 1] * f;
}

// The loudest frame within one frame of `f`: a beat lands within a frame of its attack.
double level_at(const std::vector<float>& level, std::size_t f) {
  double v = 0;
  for (std::size_t g = f > 0 ? f - 1 : 0; g <= f + 1 && g < level.size(); ++g) v = std::max(v, double(level[g]));
  return v;
}

// Evidence for a beat of `period` frames in `accent` (onset strength x
// loudness, each frame the largest within +-1 frame, so a pulse may land a
// frame off): in each tempogram-long window, the best correlation of the
// window's mean-removed accents with a unit-norm pulse train, the sum at
// the pulses over sqrt(their count), searched over phase (half-frame steps)
// and period (within 3 %, in steps that drift a quarter frame over the
// window: the tempogram's lag is no more exact, and real tempo drifts);
// the mean over the windows. Over sqrt(count) it is the correlation with a
// train of unit norm, so trains of different density compete on equal
// terms: one at half the period gains only if the midpoints carry accents
// too (empty ones leave it 1 / sqrt(2) of the beat's evidence).
double pulse_evidence(const std::vector<double>& accent, double period, std::size_t window) {
  const std::size_t n = accent.size();
  if (n < 3 || period < 1) return 0.0;
  auto at = [&](double t) {
    const std::size_t k = static_cast<std::size_t>(t);
    if (k + 1 >= n) return accent[n - 1];
    const double f = t - k;
    return accent[k] * (1 - f) + accent[k + 1] * f;
  };
  constexpr double range = 0.03;
  double total = 0;
  int windows = 0;
  for (std::size_t start = 0;; start += std::max<std::size_t>(window / 2, 1)) {
    const std::size_t end = std::min(n, start + window);
    if (static_cast<double>(end - start) < 2 * period) break;
    const double mean = std::accumulate(accent.begin() + start, accent.begin() + end, 0.0) / (end - start);
    double best = -std::numeric_limits<double>::infinity();
    const int steps = std::max(1, static_cast<int>(std::ceil(range * (end - start) / 0.25)));
    for (int s = -steps; s <= steps; ++s) {
      const double p = period * (1 + range * s / steps);
      for (double phase = 0; phase < p; phase += 0.5) {
        double sum = 0;
        int count = 0;
        for (double t = start + phase; t < end - 1; t += p, ++count) sum += at(t) - mean;
        if (count > 0) best = std::max(best, sum / std::sqrt(count));
      }
    }
    total += best;
    ++windows;
    if (end == n) break;
  }
  return windows > 0 ? total / windows : 0.0;
}

}  // namespace

std::vector<double> mean_tempogram(const std::vector<float>& onset, int win) {
  const long long n = static_cast<long long>(onset.size());
  const int half = win / 2;
  // np.pad(mode='linear_ramp', end_values=0): ramps from 0 up to the edge value.
  std::vector<float> padded(n + 2 * half, 0.0f);
  std::copy(onset.begin(), onset.end(), padded.begin() + half);
  for (int i = 0; i < half; ++i) {
    padded[i] = static_cast<float>(onset.front() * (static_cast<double>(i) / half));
    padded[half + n + i] = static_cast<float>(onset.back() * (static_cast<double>(half - 1 - i) / half));
  }
  const std::vector<double> window = periodic_hann(win);
  // Autocorrelation by FFT of at least 2*win - 1 points (no circular wrap),
  // rounded up to a 2-3-5-smooth size: 687 = 3 x 229 would send FFTW down its
  // slow prime-size path.
  RealFft fft(smooth_size(2 * win - 1));
  std::vector<double> mean_ac(win, 0.0);
  std::vector<float> ac(win);
  for (long long t = 0; t < n; ++t) {
    float* in = fft.input();
    std::fill(in, in + fft.size(), 0.0f);
    for (int i = 0; i < win; ++i) in[i] = static_cast<float>(padded[t + i] * window[i]);
    fft.forward();
    for (int k = 0; k < fft.bins(); ++k) fft.output()[k] = std::norm(fft.output()[k]);
    fft.inverse();
    float peak = 0.0f;
    for (int i = 0; i < win; ++i) {
      ac[i] = fft.input()[i] / fft.size();
      peak = std::max(peak, std::abs(ac[i]));
    }
    // util.normalize(norm=inf): each window's autocorrelation over its largest.
    const float scale = peak >= std::numeric_limits<float>::min() ? 1.0f / peak : 1.0f;
    for (int i = 0; i < win; ++i) mean_ac[i] += ac[i] * scale;
  }
  for (double& v : mean_ac) v /= static_cast<double>(std::max<long long>(n, 1));
  return mean_ac;
}

std::vector<std::size_t> track_beats(const std::vector<float>& onset, double bpm, double fps, double tightness) {
  const std::size_t n = onset.size();
  std::vector<std::size_t> beats;
  if (n == 0 || bpm <= 0) return beats;
  const long period = std::max(1L, std::lround(60.0 * fps / bpm));
  // Local score: the onset envelope (in units of its sd) smoothed by a
  // Gaussian of the beat period's width.
  double mean = 0, ss = 0;
  for (float v : onset) mean += v;
  mean /= n;
  for (float v : onset) ss += (v - mean) * (v - mean);
  const double sd = n > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  std::vector<double> norm(n);
  for (std::size_t i = 0; i < n; ++i) norm[i] = sd > 0 ? onset[i] / sd : onset[i];
  std::vector<double> local(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (long j = -period; j <= period; ++j) {
      const long src = static_cast<long>(i) - j;  // convolution, 'same'
      if (src < 0 || src >= static_cast<long>(n)) continue;
      const double w = std::exp(-0.5 * std::pow(j * 32.0 / period, 2.0));
      local[i] += norm[src] * w;
    }
  // Dynamic programme: each frame's best predecessor between 2 periods and
  // half a period back, penalised by tightness x log(interval / period)^2.
  const long lo = -2 * period, hi = -std::lround(period / 2.0);
  std::vector<double> penalty;
  for (long d = lo; d <= hi; ++d) penalty.push_back(-tightness * std::pow(std::log(-static_cast<double>(d) / period), 2.0));
  std::vector<double> cumulative(n, 0.0);
  std::vector<long> back(n, -1);
  const double local_max = *std::max_element(local.begin(), local.end());
  bool first_beat = true;
  for (std::size_t i = 0; i < n; ++i) {
    double best = -std::numeric_limits<double>::infinity();
    long best_at = -1;
    for (std::size_t w = 0; w < penalty.size(); ++w) {
      const long prev = static_cast<long>(i) + lo + static_cast<long>(w);
      const double score = penalty[w] + (prev >= 0 ? cumulative[prev] : 0.0);
      if (score > best) {
        best = score;
        best_at = prev;
      }
    }
    cumulative[i] = local[i] + best;
    if (first_beat && local[i] < 0.01 * local_max) {
      back[i] = -1;
    } else {
      back[i] = best_at;
      first_beat = false;
    }
  }
  // The last beat: the last local maximum of the cumulative score above half its median.
  std::vector<double> maxima;
  std::vector<char> is_max(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double left = i > 0 ? cumulative[i - 1] : cumulative[i];
    const double right = i + 1 < n ? cumulative[i + 1] : cumulative[i];
    if (cumulative[i] > left && cumulative[i] >= right) {
      is_max[i] = 1;
      maxima.push_back(cumulative[i]);
    }
  }
  const double med = median_of(maxima);
  long last = -1;
  for (std::size_t i = 0; i < n; ++i)
    if (is_max[i] && 2 * cumulative[i] > med) last = static_cast<long>(i);
  if (last < 0) return beats;
  for (long b = last; b >= 0; b = back[b]) beats.push_back(static_cast<std::size_t>(b));
  std::reverse(beats.begin(), beats.end());
  // Trim weak beats at both ends (librosa's trim=True): below half the RMS of
  // the Hann-smoothed local score at the beats.
  if (beats.size() > 2) {
    std::vector<double> at(beats.size()), smooth(beats.size(), 0.0);
    for (std::size_t i = 0; i < beats.size(); ++i) at[i] = local[beats[i]];
    const double hann5[5] = {0.0, 0.5, 1.0, 0.5, 0.0};
    for (std::size_t i = 0; i < at.size(); ++i)
      for (int j = -2; j <= 2; ++j) {
        const long src = static_cast<long>(i) + j;
        if (src >= 0 && src < static_cast<long>(at.size())) smooth[i] += at[src] * hann5[2 - j];
      }
    double ms = 0;
    for (double v : smooth) ms += v * v;
    const double threshold = 0.5 * std::sqrt(ms / smooth.size());
    std::size_t first = 0, end = smooth.size();
    while (first < end && smooth[first] <= threshold) ++first;
    while (end > first && smooth[end - 1] <= threshold) --end;
    beats = std::vector<std::size_t>(beats.begin() + first, beats.begin() + end);
  }
  return beats;
}

RhythmAnalysis analyse_rhythm(const std::vector<float>& onset, const std::vector<double>& tg,
                              const std::vector<float>& level, int sample_rate, int hop) {
  RhythmAnalysis r;
  const double fps = static_cast<double>(sample_rate) / hop;
  if (tg.size() < 3) return r;
  // The tempogram's tempo: its peaks (parabolic interpolation: a beat period
  // between two lags splits its peak between them) under librosa's
  // log-normal prior around 120 BPM (one octave; a wider one, 1.5, moved
  // techno_loop from 125 to 83 and hiphop from 122 to 185), 40-320 BPM.
  double best = -1;
  double l = 0;
  for (std::size_t k = 2; k + 1 < tg.size(); ++k) {
    if (!(tg[k] >= tg[k - 1] && tg[k] > tg[k + 1])) continue;
    const double a = tg[k - 1], b = tg[k], c = tg[k + 1];
    const double denom = a - 2 * b + c;
    const double shift = denom < 0 ? std::clamp(0.5 * (a - c) / denom, -0.5, 0.5) : 0.0;
    const double lag = static_cast<double>(k) + shift;
    const double height = b - 0.25 * (a - c) * shift;
    const double bpm = lag_bpm(lag, sample_rate, hop);
    if (bpm >= 320.0 || bpm < 40.0) continue;
    const double z = std::log2(bpm / 120.0);
    const double score = height * std::exp(-0.5 * z * z);
    if (score > best) {
      best = score;
      l = lag;
    }
  }
  if (l == 0) return r;
  // The prior prefers 90 to 180 when both fit; take the faster level when
  // the onsets recur at half the lag nearly as strongly (the beat between
  // beats is there), and the slower one above 200 BPM. Octave choices are
  // thereby rule-based; the periodicity says how periodic the result is.
  while (lag_bpm(l / 2, sample_rate, hop) <= 200.0 && tempogram_at(tg, l / 2) >= 0.5 * tempogram_at(tg, l)) l /= 2;
  while (lag_bpm(l, sample_rate, hop) > 200.0 && 2 * l < tg.size()) l *= 2;
  // Three against two: when the hi-hats and the bar line up every 1.5
  // beats (3/4 with eighth-note hats), or the bar's accent dominates, the
  // tempogram and its prior can pick 2/3 or 1/3 of the beat, and no octave
  // rule reaches the beat from there. So the pick and its faster 3:2 and
  // 3:1 relatives (up to 200 BPM) are weighed by the beat evidence of
  // pulse trains at their periods over the onset strength weighted by
  // loudness (the median onset strength alone ranks a quiet hi-hat with a
  // kick), and the best is kept. Slower relatives are not tried: loud
  // downbeats favour a slower train (in 3/4 the bar is two 1.5-beat
  // periods, and a click track's accents outweigh its beats), so the
  // evidence is trusted only against that bias. On the 73 staged GTZAN
  // clips, against Percival and Tzanetakis's corrected tempo annotations
  // (2014), this moved two rock clips into the annotated tempo's octaves
  // and changed no other; weighing the slower relatives too moved eight
  // out of them and two in.
  std::vector<double> accent(onset.size());
  for (std::size_t i = 0; i < accent.size(); ++i) {
    double v = 0;
    for (std::size_t g = i > 0 ? i - 1 : 0; g <= i + 1 && g < accent.size(); ++g)
      v = std::max(v, static_cast<double>(onset[g]) * level_at(level, g));
    accent[i] = v;
  }
  // A reading: a lag as a fraction of the pick's, and its evidence.
  struct Reading {
    int num, den;
    double evidence;
  };
  const double pick = l;
  const auto reading = [&](int num, int den) {
    const int g = std::gcd(num, den);
    return Reading{num / g, den / g, pulse_evidence(accent, pick * num / den, tg.size())};
  };
  const auto within_range = [&](int num, int den) { return lag_bpm(pick * num / den, sample_rate, hop) <= 200.0; };
  Reading chosen = reading(1, 1);
  for (auto [num, den] : {std::pair{2, 3}, {1, 3}})
    if (within_range(num, den)) {
      const Reading faster = reading(num, den);
      if (faster.evidence > chosen.evidence) chosen = faster;
    }
  l = pick * chosen.num / chosen.den;
  r.tempogram_tempo = lag_bpm(l, sample_rate, hop);
  r.periodicity = std::clamp(tempogram_at(tg, l), 0.0, 1.0);
  std::vector<std::size_t> frames = track_beats(onset, r.tempogram_tempo, fps);
  // Every other beat weak (each one under 2/3 of every strong one): those are
  // off-beats (eighth-note hi-hats between kicks and snares), so the beat is
  // the slower level. A click track with accented downbeats does not qualify:
  // its weak beats fall on both parities.
  if (frames.size() >= 8 && r.tempogram_tempo / 2 >= 40.0) {
    for (std::size_t strong = 0; strong < 2; ++strong) {
      double weakest_strong = std::numeric_limits<double>::infinity(), strongest_weak = 0;
      for (std::size_t i = 0; i < frames.size(); ++i) {
        const double v = level_at(level, frames[i]);
        if (i % 2 == strong) weakest_strong = std::min(weakest_strong, v);
        else strongest_weak = std::max(strongest_weak, v);
      }
      if (weakest_strong > 1.5 * strongest_weak) {
        std::vector<std::size_t> kept;
        for (std::size_t i = strong; i < frames.size(); i += 2) kept.push_back(frames[i]);
        frames = kept;
        r.tempogram_tempo /= 2;
        r.periodicity = std::clamp(tempogram_at(tg, 2 * l), 0.0, 1.0);
        chosen = reading(2 * chosen.num, chosen.den);
        break;
      }
    }
  }
  // Ambiguity of the beat kept: against each rival reading (its faster 3:2
  // and 3:1 relatives up to 200 BPM, and the tempogram's pick when that was
  // overruled), the rival's evidence over the beat's, rho, beside
  // rho0 = 1 / sqrt(p q) for a rival p:q, what an evenly accented pulse at
  // the beat gives it (the rival's train meets the beats at every p-th or
  // q-th pulse): (rho - rho0) / (1 - rho0) is 0 when the rival is only that
  // echo and 1 when it is as well evidenced. No evidence at all for the beat
  // (no accents in time with it) is total ambiguity.
  std::vector<Reading> rivals;
  for (auto [num, den] : {std::pair{2, 3}, {1, 3}})
    if (within_range(chosen.num * num, chosen.den * den)) rivals.push_back(reading(chosen.num * num, chosen.den * den));
  if (chosen.num != chosen.den) rivals.push_back(reading(1, 1));
  double ambiguity = chosen.evidence > 0 ? 0.0 : 1.0;
  if (chosen.evidence > 0)
    for (const Reading& rival : rivals) {
      const int p = rival.num * chosen.den, q = rival.den * chosen.num, g = std::gcd(p, q);
      const double rho0 = 1.0 / std::sqrt(static_cast<double>(p / g) * (q / g));
      const double rho = rival.evidence / chosen.evidence;
      ambiguity = std::max(ambiguity, std::clamp((rho - rho0) / (1 - rho0), 0.0, 1.0));
    }
  r.tempo_confidence = r.periodicity * (1 - ambiguity);
  for (std::size_t f : frames) {
    r.beats.push_back(f / fps);
    r.beat_strength.push_back(level_at(level, f));
  }
  // Tempo the beats keep: slope of beat time against beat number.
  if (r.beats.size() >= 3) {
    const double nb = static_cast<double>(r.beats.size());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < r.beats.size(); ++i) {
      sx += i;
      sy += r.beats[i];
      sxx += static_cast<double>(i) * i;
      sxy += i * r.beats[i];
    }
    const double slope = (nb * sxy - sx * sy) / (nb * sxx - sx * sx);
    r.tempo = slope > 0 ? 60.0 / slope : r.tempogram_tempo;
  } else {
    r.tempo = r.tempogram_tempo;
  }
  // Metre: for 3 and 4 beats per bar, how far the strongest beat position
  // (best phase) stands above the others, in sds of the beat strengths.
  const std::size_t nb = r.beat_strength.size();
  double mean = 0, ss = 0;
  for (double v : r.beat_strength) mean += v;
  mean /= std::max<std::size_t>(nb, 1);
  for (double v : r.beat_strength) ss += (v - mean) * (v - mean);
  const double sd = nb > 1 ? std::sqrt(ss / nb) : 0.0;
  double score[5] = {0, 0, 0, 0, 0};
  std::size_t phase[5] = {0, 0, 0, 0, 0};
  for (int m : {3, 4}) {
    if (nb < static_cast<std::size_t>(2 * m) || sd <= 0) continue;
    score[m] = -std::numeric_limits<double>::infinity();
    for (int p = 0; p < m; ++p) {
      double on = 0, off = 0;
      int n_on = 0, n_off = 0;
      for (std::size_t i = 0; i < nb; ++i) {
        if (static_cast<int>(i % m) == p) {
          on += r.beat_strength[i];
          ++n_on;
        } else {
          off += r.beat_strength[i];
          ++n_off;
        }
      }
      const double s = (on / n_on - off / n_off) / sd;
      if (s > score[m]) {
        score[m] = s;
        phase[m] = static_cast<std::size_t>(p);
      }
    }
  }
  r.time_signature = score[3] > score[4] ? 3 : 4;
  const double top = std::max(score[3], score[4]), other = std::min(score[3], score[4]);
  r.time_signature_confidence = top > 0 ? std::clamp((top - std::max(other, 0.0)) / top, 0.0, 1.0) : 0.0;
  r.first_downbeat = phase[r.time_signature];
  return r;
}

}  // namespace genrelab::audio
