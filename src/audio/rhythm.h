// Rhythm from the onset-strength envelope: the autocorrelation tempogram,
// a tempo with its confidence (the metrical level chosen among the
// tempogram's pick and its 3:2 and 3:1 relatives by beat evidence), beats by
// dynamic programming (Ellis 2007, as librosa.beat.beat_track), the tempo
// those beats keep, and a time signature and bar phase from the accents of
// the beats.
#pragma once

#include <cstddef>
#include <vector>

namespace genrelab::audio {

// librosa.feature.tempogram(onset_envelope, win_length=win) averaged over
// time: value k is the mean normalised autocorrelation at a lag of k frames.
std::vector<double> mean_tempogram(const std::vector<float>& onset, int win);

// BPM of a lag of k frames.
inline double lag_bpm(double k, int sample_rate, int hop) { return 60.0 * sample_rate / (hop * k); }

struct RhythmAnalysis {
  double tempo = 0.0;             // BPM the beats keep (least-squares slope of beat times)
  // How periodic the onsets are at the tempo: the mean normalised
  // autocorrelation at its lag, 0..1.
  double periodicity = 0.0;
  // periodicity x (1 - ambiguity): the ambiguity (0..1) says how close the
  // strongest rival reading (the beat's faster 3:2 and 3:1 relatives, and
  // the tempogram's pick when that was overruled) came in beat evidence,
  // beyond what an unambiguous pulse would give it.
  double tempo_confidence = 0.0;
  double tempogram_tempo = 0.0;   // the tempogram's choice, on the lag grid (before beat tracking)
  std::vector<double> beats;      // seconds
  std::vector<double> beat_strength;  // loudness (frame RMS) at each beat
  int time_signature = 4;             // beats per bar: 3 or 4
  double time_signature_confidence = 0.0;
  std::size_t first_downbeat = 0;  // index into beats
};

// `onset`: median-aggregated onset strength per frame (what beat_track uses);
// `tempogram`: mean_tempogram of it; `level`: frame RMS, which says how loud
// each beat is (the median onset strength ranks a quiet broadband hi-hat
// with a kick drum, so it cannot tell beats from off-beats).
RhythmAnalysis analyse_rhythm(const std::vector<float>& onset, const std::vector<double>& tempogram,
                              const std::vector<float>& level, int sample_rate, int hop);

// The beat tracker alone: librosa.beat.beat_track's dynamic programme for a
// given tempo (tightness 100, trimmed of weak leading/trailing beats). Frames.
std::vector<std::size_t> track_beats(const std::vector<float>& onset, double bpm, double frames_per_second,
                                     double tightness = 100.0);

}  // namespace genrelab::audio
