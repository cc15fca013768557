// The short-time Fourier transform shared by every feature family, computed
// as librosa.stft computes it: periodic Hann window of n_fft samples, centred
// frames (the signal padded by n_fft/2 on both sides), hop samples apart.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

#include "genrelab/audio_features.h"

namespace genrelab::audio {

// Frames are rows: value(f, k) is bin k of frame f (bins contiguous per frame).
struct Spectrum {
  std::size_t n_frames = 0;
  std::size_t n_bins = 0;
  std::vector<std::complex<float>> values;
  std::complex<float>& at(std::size_t frame, std::size_t bin) { return values[frame * n_bins + bin]; }
  const std::complex<float>& at(std::size_t frame, std::size_t bin) const { return values[frame * n_bins + bin]; }
};

// scipy.signal.get_window('hann', n, fftbins=True): 0.5 - 0.5 cos(2 pi i / n).
std::vector<double> periodic_hann(int n);

// Number of centred frames librosa makes of n samples.
std::size_t centred_frame_count(std::size_t n_samples, int n_fft, int hop);

// np.pad(y, pad, mode='reflect' | 'constant') as librosa pads centred frames.
std::vector<float> pad_centred(const float* y, std::size_t n, std::size_t pad, FramePadding padding);

// Fills `out` (its storage is reused when large enough).
void stft(const std::vector<float>& y, int n_fft, int hop, FramePadding padding, Spectrum& out);

// util.fix_length(librosa.istft(S, hop_length=hop), length), the way
// librosa.effects.hpss inverted its spectra when GTZAN's CSVs were made:
// inverse FFT per frame, Hann-windowed overlap-add, divided by the summed
// squared window where it is not ~0, the n_fft/2 centring pad dropped at both
// ends, then cut or zero-padded to `length`. (Newer librosa passes length= to
// istft and reconstructs the last partial hop; that changes harmony/perceptr
// statistics by up to ~2 % of their spread on 3-second clips.)
// `mask`, when given, multiplies every cell first (HPSS's soft masks), so the
// masked spectrum need not be stored.
// `whole`: librosa >= 0.10's istft(length=...), which keeps the samples after
// the last full hop that the frames still cover instead of zeroing them.
void istft(const Spectrum& spectrum, int n_fft, int hop, std::size_t length, const std::vector<float>* mask,
           std::vector<float>& out, bool whole = false);

}  // namespace genrelab::audio
