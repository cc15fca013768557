// The Spotify-shaped analysis (genrelab/audio_analysis.h) from the shared
// Analysis: beats, bars and tatums from the rhythm; segments between onsets;
// sections between peaks of a novelty curve over beat-synchronous timbre
// and pitch; each with the loudness, key and tempo of its own stretch.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "analysis.h"
#include "genrelab/audio_analysis.h"
#include "loudness.h"
#include "tonal.h"

namespace genrelab {
namespace {

using audio::Analysis;

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  const std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

// Frame loudness in dBFS: 20 log10 of the frame RMS, floored at -100.
std::vector<double> frame_db(Analysis& a) {
  std::vector<double> db;
  for (float r : a.frame_rms()) db.push_back(20.0 * std::log10(std::max(static_cast<double>(r), 1e-5)));
  return db;
}

// MFCC 1..12 per frame (the mfcc family's first twelve).
std::vector<std::array<double, 12>> frame_timbre(Analysis& a) {
  const std::vector<float>& c = a.mfcc();
  std::vector<std::array<double, 12>> out(a.n_frames());
  for (std::size_t f = 0; f < a.n_frames(); ++f)
    for (int k = 0; k < 12; ++k) out[f][k] = c[f * Analysis::kMfcc + k];
  return out;
}

// Onsets: local maxima of the onset strength over +-3 frames (70 ms) that
// rise above its mean by 0.07 of its range, at least 3 frames apart.
std::vector<std::size_t> onset_frames(const std::vector<float>& env) {
  std::vector<std::size_t> out;
  if (env.empty()) return out;
  const double mean = std::accumulate(env.begin(), env.end(), 0.0) / env.size();
  const double top = *std::max_element(env.begin(), env.end());
  const double threshold = mean + 0.07 * (top - mean);
  for (std::size_t i = 0; i < env.size(); ++i) {
    if (env[i] < threshold) continue;
    bool peak = true;
    for (std::size_t j = i >= 3 ? i - 3 : 0; j <= i + 3 && j < env.size(); ++j)
      if (env[j] > env[i] || (env[j] == env[i] && j < i)) peak = false;
    if (peak && (out.empty() || i - out.back() >= 3)) out.push_back(i);
  }
  return out;
}

}  // namespace

TrackAnalysis analyse_track(const std::vector<float>& samples, int sample_rate, const FeatureOptions& options,
                            const NativeAudio* native) {
  audio::Analysis a(samples, sample_rate, options, native);
  TrackAnalysis t;
  const double fps = static_cast<double>(sample_rate) / options.hop_length;
  t.duration = static_cast<double>(samples.size()) / sample_rate;
  const NativeAudio mono{samples.data(), samples.size(), 1, sample_rate};
  t.loudness = audio::measure_loudness(native && native->frames > 0 ? *native : mono).integrated;
  const audio::RhythmAnalysis& r = a.rhythm();
  t.tempo = r.tempo;
  t.tempo_confidence = r.tempo_confidence;
  t.time_signature = r.time_signature;
  t.time_signature_confidence = r.time_signature_confidence;
  const audio::KeyProfile profile = audio::key_profile_named(options.key_profile);
  const audio::KeyEstimate key = audio::estimate_key(a.mean_hpcp(), profile);
  t.key = key.key;
  t.mode = key.mode;
  t.key_confidence = t.mode_confidence = key.confidence;

  const std::vector<double> db = frame_db(a);
  const std::size_t frames = db.size();
  auto frame_of = [&](double seconds) { return std::min(frames, static_cast<std::size_t>(std::lround(seconds * fps))); };

  // Fade in / out: where the 1-second running loudness first reaches, and
  // last stays at, 6 dB under its median.
  {
    const std::size_t w = std::max<std::size_t>(1, static_cast<std::size_t>(fps));
    std::vector<double> smooth(frames, -100.0);
    double run = 0;
    for (std::size_t i = 0; i < frames; ++i) {
      run += db[i];
      if (i >= w) run -= db[i - w];
      smooth[i] = run / std::min(i + 1, w);
    }
    const double level = percentile(smooth, 0.5) - 6.0;
    std::size_t first = 0, last = frames ? frames - 1 : 0;
    while (first < frames && smooth[first] < level) ++first;
    while (last > first && smooth[last] < level) --last;
    t.end_of_fade_in = first >= w ? (first - w / 2) / fps : 0.0;
    t.start_of_fade_out = last + 1 >= frames ? t.duration : std::min(t.duration, (last + 1) / fps);
  }

  // Beats: confidence is the beat's loudness against the loud end of all beats.
  const std::vector<double>& beats = r.beats;
  const double top_level = percentile(r.beat_strength, 0.95);
  double period = 60.0 / std::max(r.tempo, 1.0);
  for (std::size_t i = 0; i < beats.size(); ++i) {
    const double next = i + 1 < beats.size() ? beats[i + 1] : std::min(t.duration, beats[i] + period);
    const double conf = top_level > 0 ? std::clamp(r.beat_strength[i] / top_level, 0.0, 1.0) : 0.0;
    t.beats.push_back({beats[i], next - beats[i], conf});
    // Tatums: the beat and its midpoint.
    const double half = (next - beats[i]) / 2;
    t.tatums.push_back({beats[i], half, conf});
    t.tatums.push_back({beats[i] + half, half, conf * 0.5});
  }
  // Bars: every time_signature-th beat from the strongest phase.
  for (std::size_t i = r.first_downbeat; i < beats.size(); i += r.time_signature) {
    const std::size_t end = i + r.time_signature;
    const double stop = end < beats.size() ? beats[end] : std::min(t.duration, beats[i] + r.time_signature * period);
    t.bars.push_back({beats[i], stop - beats[i], t.time_signature_confidence * t.beats[i].confidence});
  }

  const auto& hpcp = a.hpcp();
  const std::vector<std::array<double, 12>> timbre = frame_timbre(a);
  // Segments: from each onset to the next (the first from 0).
  {
    const std::vector<float>& env = a.onset_strength(Analysis::OnsetAggregate::mean);
    std::vector<std::size_t> starts = onset_frames(env);
    if (starts.empty() || starts.front() > 0) starts.insert(starts.begin(), 0);
    const double top = env.empty() ? 0.0 : *std::max_element(env.begin(), env.end());
    for (std::size_t s = 0; s < starts.size(); ++s) {
      const std::size_t from = starts[s], to = s + 1 < starts.size() ? starts[s + 1] : frames;
      if (to <= from) continue;
      AnalysisSegment g;
      g.start = from / fps;
      g.duration = (s + 1 < starts.size() ? to / fps : t.duration) - g.start;
      g.confidence = top > 0 ? std::clamp(env[from] / top, 0.0, 1.0) : 0.0;
      g.loudness_start = db[from];
      g.loudness_end = db[to - 1];
      std::size_t loudest = from;
      for (std::size_t f = from; f < to; ++f)
        if (db[f] > db[loudest]) loudest = f;
      g.loudness_max = db[loudest];
      g.loudness_max_time = (loudest - from) / fps;
      for (std::size_t f = from; f < to; ++f)
        for (int k = 0; k < 12; ++k) {
          g.pitches[k] += hpcp[f][k];
          g.timbre[k] += timbre[f][k] / (to - from);
        }
      const double peak = *std::max_element(g.pitches.begin(), g.pitches.end());
      for (double& v : g.pitches) v = peak > 0 ? v / peak : 0.0;
      t.segments.push_back(g);
    }
  }

  // Sections: Foote novelty over beat-synchronous features (MFCC 1..12 and
  // HPCP, each dimension standardised), checkerboard kernel 8 beats a side;
  // boundaries at its peaks at least 16 beats apart and above its mean + 1 sd.
  std::vector<std::size_t> bounds = {0};  // beat indices
  std::vector<double> bound_conf = {1.0};
  const std::size_t nb = beats.size();
  if (nb >= 32) {
    std::vector<std::array<double, 24>> feat(nb);
    for (std::size_t b = 0; b < nb; ++b) {
      const std::size_t from = frame_of(beats[b]), to = std::max(from + 1, b + 1 < nb ? frame_of(beats[b + 1]) : frames);
      std::array<double, 24> v{};
      for (std::size_t f = from; f < to && f < frames; ++f)
        for (int k = 0; k < 12; ++k) {
          v[k] += timbre[f][k];
          v[12 + k] += hpcp[f][k];
        }
      for (double& x : v) x /= (to - from);
      feat[b] = v;
    }
    for (int d = 0; d < 24; ++d) {
      double m = 0, ss = 0;
      for (const auto& v : feat) m += v[d];
      m /= nb;
      for (const auto& v : feat) ss += (v[d] - m) * (v[d] - m);
      const double sd = std::sqrt(ss / nb);
      for (auto& v : feat) v[d] = sd > 0 ? (v[d] - m) / sd : 0.0;
    }
    auto similarity = [&](std::size_t i, std::size_t j) {
      double dot = 0, ni = 0, nj = 0;
      for (int d = 0; d < 24; ++d) {
        dot += feat[i][d] * feat[j][d];
        ni += feat[i][d] * feat[i][d];
        nj += feat[j][d] * feat[j][d];
      }
      return ni > 0 && nj > 0 ? dot / std::sqrt(ni * nj) : 0.0;
    };
    const long kernel = 8;
    std::vector<double> novelty(nb, 0.0);
    for (std::size_t c = 0; c < nb; ++c)
      for (long i = -kernel; i < kernel; ++i)
        for (long j = -kernel; j < kernel; ++j) {
          const long bi = static_cast<long>(c) + i, bj = static_cast<long>(c) + j;
          if (bi < 0 || bj < 0 || bi >= static_cast<long>(nb) || bj >= static_cast<long>(nb)) continue;
          const double sign = ((i < 0) == (j < 0)) ? 1.0 : -1.0;  // same side: +, across: -
          const double g = std::exp(-0.5 * ((i + 0.5) * (i + 0.5) + (j + 0.5) * (j + 0.5)) / (0.5 * kernel * kernel));
          novelty[c] += sign * g * similarity(bi, bj);
        }
    // Foote's kernel: within-stretch similarity counts for a boundary and
    // similarity across it against, so boundaries are the maxima.
    const double mean = std::accumulate(novelty.begin(), novelty.end(), 0.0) / nb;
    double ss = 0;
    for (double v : novelty) ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / nb);
    const double top = *std::max_element(novelty.begin(), novelty.end());
    std::vector<std::size_t> order(nb);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return novelty[x] > novelty[y]; });
    std::vector<std::size_t> picked;
    for (std::size_t c : order) {
      if (novelty[c] < mean + sd || c < 16 || c + 16 > nb) continue;
      bool far = true;
      for (std::size_t p : picked) far = far && (c > p ? c - p : p - c) >= 16;
      if (far) picked.push_back(c);
    }
    std::sort(picked.begin(), picked.end());
    for (std::size_t c : picked) {
      bounds.push_back(c);
      bound_conf.push_back(top > mean ? std::clamp((novelty[c] - mean) / (top - mean), 0.0, 1.0) : 0.0);
    }
  }
  for (std::size_t s = 0; s < bounds.size(); ++s) {
    AnalysisSection sec;
    sec.start = s == 0 ? 0.0 : beats[bounds[s]];
    const double stop = s + 1 < bounds.size() ? beats[bounds[s + 1]] : t.duration;
    sec.duration = stop - sec.start;
    sec.confidence = bound_conf[s];
    const std::size_t from = frame_of(sec.start), to = std::max(from + 1, frame_of(stop));
    double power = 0;
    for (std::size_t f = from; f < to && f < frames; ++f) power += std::pow(10.0, db[f] / 10.0);
    sec.loudness = 10.0 * std::log10(std::max(power / (to - from), 1e-10));
    // Tempo of the section's own beats (their median interval).
    std::vector<double> gaps;
    for (std::size_t b = 0; b + 1 < nb; ++b)
      if (beats[b] >= sec.start && beats[b + 1] <= stop) gaps.push_back(beats[b + 1] - beats[b]);
    const double gap = percentile(gaps, 0.5);
    sec.tempo = gap > 0 ? 60.0 / gap : t.tempo;
    sec.tempo_confidence = t.tempo_confidence;
    const audio::KeyEstimate k = audio::estimate_key(a.mean_hpcp(from, to), profile);
    sec.key = k.key;
    sec.mode = k.mode;
    sec.key_confidence = sec.mode_confidence = k.confidence;
    sec.time_signature = t.time_signature;
    sec.time_signature_confidence = t.time_signature_confidence;
    t.sections.push_back(sec);
  }
  return t;
}

}  // namespace genrelab
