// Decoding any audio file a library holds into mono float samples at the
// analysis rate, the way librosa.load(path, sr=22050, mono=True) does:
// channels averaged, resampled with soxr at "high quality" (librosa's default
// res_type, soxr_hq), integer PCM scaled by 1/2^(bits-1) as libsndfile does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "genrelab/error.h"

namespace genrelab {

// An audio file that cannot be used: not audio, corrupt, empty, silent, too
// short. The message names the file and says why; a batch reports it and goes on.
class AudioError : public InputError {
 public:
  using InputError::InputError;
};

struct DecodeOptions {
  int sample_rate = 22050;              // analysis rate; 0 keeps the file's own rate
  double offset_seconds = 0.0;          // like librosa.load(offset=)
  std::optional<double> duration_seconds;  // like librosa.load(duration=)
  // Also keep the file's own channels at its own rate (for loudness, which
  // EBU R128 defines on those, not on a mono 22 kHz mix).
  bool keep_native = false;
};

struct DecodedAudio {
  std::vector<float> samples;  // mono, at sample_rate
  int sample_rate = 0;
  int native_rate = 0;
  int channels = 0;
  std::string format;  // container, as FFmpeg names it (wav, flac, mp3, ogg, mov,mp4,...)
  std::string codec;   // pcm_s16le, flac, mp3float, vorbis, opus, aac, ...
  // With keep_native: the same cut of the audio, interleaved channels at native_rate.
  std::vector<float> native;
};

// A view of native-rate interleaved audio.
struct NativeAudio {
  const float* interleaved = nullptr;
  std::size_t frames = 0;
  int channels = 0;
  int rate = 0;
};

// Throws AudioError("PATH: why. fix") for anything that is not decodable audio.
DecodedAudio decode_audio(const std::string& path, const DecodeOptions& options = {});

// True when the file's content (not its name) is audio FFmpeg can read: the
// container is recognised and holds an audio stream.
bool looks_like_audio(const std::string& path);

}  // namespace genrelab
