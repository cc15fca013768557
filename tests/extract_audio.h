// Audio for the extract tests, made by the tests: 16-bit PCM WAV files of
// tones and seeded noise, written byte by byte.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace genrelab::testing {

inline void write_wav(const std::filesystem::path& path, const std::vector<std::int16_t>& samples, int rate = 22050,
                      int channels = 1) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto u16 = [&](std::uint16_t v) {
    out.put(static_cast<char>(v & 0xff));
    out.put(static_cast<char>(v >> 8));
  };
  const std::uint32_t data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  out.write("RIFF", 4);
  u32(36 + data_bytes);
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(1);  // PCM
  u16(static_cast<std::uint16_t>(channels));
  u32(static_cast<std::uint32_t>(rate));
  u32(static_cast<std::uint32_t>(rate * channels * 2));
  u16(static_cast<std::uint16_t>(channels * 2));
  u16(16);
  out.write("data", 4);
  u32(data_bytes);
  for (std::int16_t s : samples) u16(static_cast<std::uint16_t>(s));
}

// A tone at `freq` Hz with a little seeded noise (so every file differs), mono.
inline std::vector<std::int16_t> tone(double seconds, double freq, unsigned seed, int rate = 22050,
                                      double noise = 0.05) {
  std::vector<std::int16_t> s(static_cast<std::size_t>(seconds * rate));
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    x = x * 1664525u + 1013904223u;
    const double n = (static_cast<double>(x >> 8) / 16777216.0) * 2 - 1;
    const double v = 0.5 * std::sin(2 * M_PI * freq * static_cast<double>(i) / rate) + noise * n;
    s[i] = static_cast<std::int16_t>(std::lround(v * 32767 * 0.9));
  }
  return s;
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace genrelab::testing
