// FFmpeg does the demuxing and decoding of every format; soxr the resampling.
// The order follows librosa.load: read at the native rate, cut offset/duration
// there, average the channels, then resample.
#include "genrelab/atomic_file.h"
#include "genrelab/audio_decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/log.h>
}
#include <fmt/format.h>
#include <soxr.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>

namespace genrelab {
namespace {

std::string av_message(int code) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, buffer, sizeof buffer);
  return buffer;
}

// FFmpeg prints its own warnings on stderr; a batch reports problems itself.
void quiet_ffmpeg() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

struct FormatCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecCloser {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketCloser {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameCloser {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;

FormatPtr open_container(const std::string& path) {
  note_input_file(path);  // no output may be written over an audio file read here
  AVFormatContext* raw = nullptr;
  const int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (rc < 0) {
    if (rc == AVERROR(ENOENT)) throw AudioError(fmt::format("{}: no such file", path));
    throw AudioError(fmt::format("{}: not an audio file FFmpeg can read ({})", path, av_message(rc)));
  }
  FormatPtr format(raw);
  if (avformat_find_stream_info(raw, nullptr) < 0)
    throw AudioError(fmt::format("{}: cannot read the stream information (damaged file?)", path));
  return format;
}

// Interleaved or planar samples of any FFmpeg sample format as floats, scaled
// as libsndfile scales integer PCM (full scale = 1).
void append_frame(const AVFrame& frame, int channels, std::vector<std::vector<float>>& out) {
  const auto fmt_ = static_cast<AVSampleFormat>(frame.format);
  const bool planar = av_sample_fmt_is_planar(fmt_);
  const int n = frame.nb_samples;
  auto sample = [&](int c, int i) -> float {
    const int plane = planar ? c : 0;
    const int index = planar ? i : i * channels + c;
    const uint8_t* data = frame.extended_data[plane];
    switch (av_get_packed_sample_fmt(fmt_)) {
      case AV_SAMPLE_FMT_U8: return (static_cast<float>(data[index]) - 128.0f) / 128.0f;
      case AV_SAMPLE_FMT_S16: return static_cast<float>(reinterpret_cast<const int16_t*>(data)[index]) / 32768.0f;
      case AV_SAMPLE_FMT_S32:
        return static_cast<float>(static_cast<double>(reinterpret_cast<const int32_t*>(data)[index]) / 2147483648.0);
      case AV_SAMPLE_FMT_S64:
        return static_cast<float>(static_cast<double>(reinterpret_cast<const int64_t*>(data)[index]) /
                                  9223372036854775808.0);
      case AV_SAMPLE_FMT_FLT: return reinterpret_cast<const float*>(data)[index];
      case AV_SAMPLE_FMT_DBL: return static_cast<float>(reinterpret_cast<const double*>(data)[index]);
      default: return 0.0f;
    }
  };
  for (int c = 0; c < channels; ++c) {
    auto& dst = out[c];
    const std::size_t base = dst.size();
    dst.resize(base + n);
    for (int i = 0; i < n; ++i) dst[base + i] = sample(c, i);
  }
}

std::vector<float> resample(const std::vector<float>& input, int from, int to, const std::string& path) {
  if (from == to || input.empty()) return input;
  // librosa (res_type soxr_hq) returns ceil(n * to / from) samples.
  const std::size_t n_out =
      static_cast<std::size_t>(std::ceil(static_cast<double>(input.size()) * to / static_cast<double>(from)));
  std::vector<float> output(n_out);
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  std::size_t done = 0;
  const soxr_error_t err = soxr_oneshot(from, to, 1, input.data(), input.size(), nullptr, output.data(), n_out,
                                        &done, &io, &quality, nullptr);
  if (err) throw AudioError(fmt::format("{}: resampling from {} Hz failed: {}", path, from, err));
  output.resize(n_out, 0.0f);  // soxr may return a few samples fewer; librosa pads with zeros
  return output;
}

}  // namespace

bool looks_like_audio(const std::string& path) {
  quiet_ffmpeg();
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) return false;
  FormatPtr format(raw);
  // Text and image "formats" FFmpeg knows (tty, image2, ...) have no audio stream.
  if (avformat_find_stream_info(raw, nullptr) < 0) return false;
  return av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0) >= 0;
}

DecodedAudio decode_audio(const std::string& path, const DecodeOptions& options) {
  quiet_ffmpeg();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw AudioError(fmt::format("{}: is a directory", path));
  if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) == 0)
    throw AudioError(fmt::format("{}: the file is empty (0 bytes)", path));
  FormatPtr format = open_container(path);
  const AVCodec* codec = nullptr;
  const int stream_index = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (stream_index < 0 || !codec)
    throw AudioError(fmt::format("{}: holds no audio stream genrelab can decode (format: {})", path,
                                 format->iformat ? format->iformat->name : "unknown"));
  const AVStream* stream = format->streams[stream_index];
  std::unique_ptr<AVCodecContext, CodecCloser> decoder(avcodec_alloc_context3(codec));
  if (!decoder || avcodec_parameters_to_context(decoder.get(), stream->codecpar) < 0 ||
      avcodec_open2(decoder.get(), codec, nullptr) < 0)
    throw AudioError(fmt::format("{}: cannot open the {} decoder", path, codec->name));
  const int channels = decoder->ch_layout.nb_channels;
  const int rate = decoder->sample_rate;
  if (channels <= 0 || rate <= 0)
    throw AudioError(fmt::format("{}: the audio stream has no channels or no sample rate", path));

  std::vector<std::vector<float>> planes(channels);
  std::unique_ptr<AVPacket, PacketCloser> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameCloser> frame(av_frame_alloc());
  int decode_errors = 0;
  auto drain = [&] {
    while (true) {
      const int rc = avcodec_receive_frame(decoder.get(), frame.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      if (rc < 0) {
        ++decode_errors;
        return;
      }
      if (frame->ch_layout.nb_channels != channels)
        throw AudioError(fmt::format("{}: the channel count changes inside the stream", path));
      append_frame(*frame, channels, planes);
      av_frame_unref(frame.get());
    }
  };
  while (true) {
    const int rc = av_read_frame(format.get(), packet.get());
    if (rc == AVERROR_EOF) break;
    if (rc < 0) {
      ++decode_errors;
      break;
    }
    if (packet->stream_index == stream_index) {
      if (avcodec_send_packet(decoder.get(), packet.get()) < 0) ++decode_errors;
      drain();
    }
    av_packet_unref(packet.get());
  }
  avcodec_send_packet(decoder.get(), nullptr);
  drain();

  const std::size_t n_native = planes[0].size();
  if (n_native == 0) {
    if (decode_errors > 0)
      throw AudioError(fmt::format("{}: no audio could be decoded: the {} data is damaged", path, codec->name));
    throw AudioError(fmt::format("{}: the audio stream is empty (no samples)", path));
  }
  // librosa.load cuts at the native rate: start = int(offset * sr), n = int(duration * sr).
  std::size_t start = static_cast<std::size_t>(std::max(0.0, options.offset_seconds) * rate);
  if (start >= n_native)
    throw AudioError(fmt::format("{}: --offset {} s is past the end of the audio ({:.3f} s)", path,
                                 options.offset_seconds, static_cast<double>(n_native) / rate));
  std::size_t count = n_native - start;
  if (options.duration_seconds)
    count = std::min(count, static_cast<std::size_t>(*options.duration_seconds * rate));
  DecodedAudio result;
  if (options.keep_native) {
    result.native.resize(count * channels);
    for (std::size_t i = 0; i < count; ++i)
      for (int c = 0; c < channels; ++c) result.native[i * channels + c] = planes[c][start + i];
  }
  std::vector<float> mono(count);
  if (channels == 1) {
    std::copy(planes[0].begin() + start, planes[0].begin() + start + count, mono.begin());
  } else {
    // np.mean over the channel axis of float32 samples.
    for (std::size_t i = 0; i < count; ++i) {
      float sum = 0.0f;
      for (int c = 0; c < channels; ++c) sum += planes[c][start + i];
      mono[i] = sum / static_cast<float>(channels);
    }
  }
  result.native_rate = rate;
  result.channels = channels;
  result.format = format->iformat ? format->iformat->name : "";
  result.codec = codec->name;
  result.sample_rate = options.sample_rate > 0 ? options.sample_rate : rate;
  result.samples = resample(mono, rate, result.sample_rate, path);
  return result;
}

}  // namespace genrelab
