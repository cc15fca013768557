// Everything the feature families share for one signal, computed once on
// first use: the STFT, magnitude and power spectra, the log-mel spectrogram,
// the harmonic/percussive split. A family asks for what it needs; nothing is
// computed that no requested family uses.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "genrelab/audio_features.h"
#include "spectrum.h"

namespace genrelab::audio {

class Analysis {
 public:
  Analysis(const std::vector<float>& samples, int sample_rate, const FeatureOptions& options);

  const std::vector<float>& samples() const { return samples_; }
  int sample_rate() const { return sample_rate_; }
  int n_fft() const { return options_.n_fft; }
  int hop() const { return options_.hop_length; }
  FramePadding padding() const { return options_.padding(); }
  LibrosaCompat librosa() const { return options_.librosa; }
  std::size_t n_frames() const { return n_frames_; }
  std::size_t n_bins() const { return static_cast<std::size_t>(options_.n_fft / 2 + 1); }

  const Spectrum& stft();
  // |X| and |X|^2, frame-major like Spectrum (float32, as librosa keeps them).
  const std::vector<float>& magnitude();
  const std::vector<float>& power();
  // power_to_db(melspectrogram(y)) with 128 Slaney bands, ref 1, amin 1e-10,
  // top_db 80: frame-major, kMels values per frame.
  static constexpr int kMels = 128;
  const std::vector<float>& mel_db();
  // librosa.effects.hpss(y): the harmonic and the percussive waveforms.
  const std::vector<float>& harmonic();
  const std::vector<float>& percussive();
  // librosa.onset.onset_strength(y, sr, aggregate=np.mean | np.median):
  // spectral flux of the log-mel spectrogram, one value per frame.
  enum class OnsetAggregate { mean, median };
  const std::vector<float>& onset_strength(OnsetAggregate aggregate);

 private:
  void split_hpss();

  // The arrays of one analysis (~50 MB for 30 s). One set per thread is kept
  // and reused by the next analysis on that thread: allocating them afresh
  // for every file spent a fifth of the time in page faults.
  struct Workspace {
    bool in_use = false;
    Spectrum stft;
    std::vector<float> magnitude, power, mel_db, harmonic, percussive, onset_mean, onset_median;
    std::vector<float> scratch_a, scratch_b, scratch_c;
  };
  static Workspace& borrow_workspace(std::unique_ptr<Workspace>& own);

  const std::vector<float>& samples_;
  int sample_rate_;
  FeatureOptions options_;
  std::size_t n_frames_;
  std::unique_ptr<Workspace> own_;  // only when this thread's workspace is already in use
  Workspace& ws_;
  bool have_stft_ = false, have_magnitude_ = false, have_power_ = false, have_mel_ = false, hpss_done_ = false;
  bool have_onset_[2] = {false, false};

 public:
  ~Analysis();
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;
};

}  // namespace genrelab::audio
