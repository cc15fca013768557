// The feature families on signals whose answers are known in closed form, the
// shared building blocks against brute-force references, and (when the staged
// clips are present) librosa's own values in GTZAN's CSVs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <random>
#include <sstream>
#include <thread>

#include "audio_columns.h"
#include "audio/filters.h"
#include "audio/median_filter.h"
#include "audio/spectrum.h"
#include "shared_data.h"
#include "genrelab/audio_features.h"

namespace genrelab {
namespace {

constexpr int kRate = 22050;

std::vector<float> sine(double freq, double seconds, double amplitude = 0.5, int rate = kRate) {
  std::vector<float> y(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * freq * static_cast<double>(i) / rate));
  return y;
}

std::vector<float> white_noise(double seconds, unsigned seed, double sd = 0.1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, sd);
  std::vector<float> y(static_cast<std::size_t>(seconds * kRate));
  for (float& v : y) v = static_cast<float>(normal(rng));
  return y;
}

std::map<std::string, double> features_of(const std::vector<float>& y, FeatureOptions options = {}) {
  return testing::columns_of(y, options);
}

TEST(AudioFeatures, ColumnsFollowGtzanThenTheExtraFamilies) {
  const std::vector<std::string> names = feature_columns({});
  // features_30_sec.csv: filename,length, then these 57, then label.
  const std::vector<std::string> gtzan_head = {
      "chroma_stft_mean", "chroma_stft_var", "rms_mean", "rms_var", "spectral_centroid_mean",
      "spectral_centroid_var", "spectral_bandwidth_mean", "spectral_bandwidth_var", "rolloff_mean", "rolloff_var",
      "zero_crossing_rate_mean", "zero_crossing_rate_var", "harmony_mean", "harmony_var", "perceptr_mean",
      "perceptr_var", "tempo", "mfcc1_mean", "mfcc1_var"};
  ASSERT_GE(names.size(), 57u + 18u);
  for (std::size_t i = 0; i < gtzan_head.size(); ++i) EXPECT_EQ(names[i], gtzan_head[i]) << i;
  EXPECT_EQ(names[56], "mfcc20_var");
  EXPECT_EQ(names[57], "spectral_contrast1_mean");
  EXPECT_NE(std::find(names.begin(), names.end(), "spectral_flux_var"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "bpm"), names.end());
  FeatureOptions only;
  only.families = {"mfcc", "rms"};
  const auto some = feature_columns(only);
  ASSERT_EQ(some.size(), 42u);
  EXPECT_EQ(some[0], "rms_mean");  // registry order, not the order asked
  only.families = {"mfccs"};
  EXPECT_THROW(feature_columns(only), UsageError);
}

TEST(AudioFeatures, SineHasItsFrequencyAndLevel) {
  // 1 kHz, amplitude 0.5: rms = 0.5 / sqrt(2); 2000 zero crossings a second;
  // the spectrum's mass sits at 1 kHz, so centroid and rolloff are there.
  auto f = features_of(sine(1000.0, 3.0));
  EXPECT_NEAR(f["rms_mean"], 0.5 / std::sqrt(2.0), 2e-3);
  EXPECT_LT(f["rms_var"], 1e-5);
  EXPECT_NEAR(f["zero_crossing_rate_mean"], 2000.0 / kRate, 2e-3);
  EXPECT_NEAR(f["spectral_centroid_mean"], 1000.0, 15.0);
  EXPECT_LT(f["spectral_bandwidth_mean"], 120.0);
  // Rolloff is a bin frequency: the Hann window spreads the tone over bins
  // 91-95 (980-1023 Hz) and 85 % of the magnitude is reached at 94 or 95.
  EXPECT_GE(f["rolloff_mean"], 1001.0);
  EXPECT_LE(f["rolloff_mean"], 1023.1);
  EXPECT_LT(f["spectral_flatness_mean"], 1e-3);
  // A steady tone is harmonic: nearly all of its variance is in the harmonic part.
  EXPECT_GT(f["harmony_var"], 20.0 * f["perceptr_var"]);
  EXPECT_NEAR(f["harmony_var"] + f["perceptr_var"], 0.125, 0.01);
}

TEST(AudioFeatures, WhiteNoiseIsFlat) {
  // Power spectrum cells of Gaussian noise are exponential, so flatness =
  // exp(E log X) / E X = exp(-Euler's gamma) = 0.5615 (less for the windowed
  // edges and the DC/Nyquist bins, which are chi-square with one degree).
  auto f = features_of(white_noise(3.0, 7));
  EXPECT_NEAR(f["spectral_flatness_mean"], std::exp(-0.5772156649), 0.02);
  // Flat up to Nyquist: the centroid sits near the middle of the band.
  EXPECT_NEAR(f["spectral_centroid_mean"], kRate / 4.0, 150.0);
  EXPECT_NEAR(f["rolloff_mean"], 0.85 * kRate / 2, 150.0);
  EXPECT_NEAR(f["rms_mean"], 0.1, 0.003);
}

TEST(AudioFeatures, ChromaPeaksAtThePlayedPitchClass) {
  FeatureOptions chroma;
  chroma.families = {"chroma_stft"};
  // A4 = 440 Hz alone: every frame is normalised to max 1 at A, the rest
  // small, so the mean over 12 classes is a little over 1/12.
  auto a = features_of(sine(440.0, 2.0), chroma);
  EXPECT_GT(a["chroma_stft_mean"], 1.0 / 12);
  EXPECT_LT(a["chroma_stft_mean"], 0.35);
  // Noise spreads over all classes: a much higher mean.
  auto n = features_of(white_noise(2.0, 3), chroma);
  EXPECT_GT(n["chroma_stft_mean"], a["chroma_stft_mean"] + 0.2);
}

TEST(AudioFeatures, ClickTrackTempoOnLibrosasLagGrid) {
  // Clicks every 20 hops (10,240 samples): librosa.beat.tempo's grid value
  // 60 * 22050 / (512 * 20) = 129.199 BPM exactly.
  std::vector<float> y(static_cast<std::size_t>(12.0 * kRate), 0.0f);
  for (std::size_t at = 1000; at + 64 < y.size(); at += 10240)
    for (int i = 0; i < 64; ++i) y[at + i] = static_cast<float>(0.8 * std::exp(-i / 10.0) * ((i % 2) ? 1 : -1));
  FeatureOptions tempo;
  tempo.families = {"tempo", "hpss"};
  auto f = features_of(y, tempo);
  EXPECT_NEAR(f["tempo"], 60.0 * kRate / (512 * 20), 1e-9);
  // Clicks are percussive.
  EXPECT_GT(f["perceptr_var"], 3.0 * f["harmony_var"]);
}

TEST(AudioFeatures, RefusesSilenceAndClipsShorterThanAFrame) {
  EXPECT_THROW(compute_features(std::vector<float>(kRate, 0.0f), kRate, {}, "quiet.wav"), AudioError);
  try {
    compute_features(sine(440, 0.05), kRate, {}, "short.wav");
    FAIL() << "a 50 ms clip was accepted";
  } catch (const AudioError& e) {
    EXPECT_NE(std::string(e.what()).find("short.wav"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("one analysis frame"), std::string::npos);
  }
  std::vector<float> bad = sine(440, 1.0);
  bad[100] = std::nanf("");
  EXPECT_THROW(compute_features(bad, kRate, {}, "nan.wav"), AudioError);
}

TEST(AudioFeatures, SameNumbersOnEveryThread) {
  const std::vector<float> y = white_noise(4.0, 11);
  const std::vector<double> alone = compute_features(y, kRate, {}, "x");
  std::vector<double> a, b;
  std::thread ta([&] { a = compute_features(y, kRate, {}, "x"); });
  std::thread tb([&] { b = compute_features(y, kRate, {}, "x"); });
  ta.join();
  tb.join();
  EXPECT_EQ(alone, a);
  EXPECT_EQ(alone, b);
}

TEST(AudioFeatures, Librosa010PaddingChangesOnlyTheEdges) {
  FeatureOptions reflect, zeros;
  zeros.librosa = LibrosaCompat::v0_10;
  const std::vector<float> y = sine(300.0, 2.0);
  const auto r = features_of(y, reflect);
  const auto z = features_of(y, zeros);
  EXPECT_NE(r.at("rms_mean"), z.at("rms_mean"));  // the two end frames see zeros
  EXPECT_NEAR(r.at("rms_mean"), z.at("rms_mean"), 0.01);
}

TEST(AudioBlocks, RunningMedianMatchesBruteForceAndIsPortable) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (std::size_t n : {1u, 2u, 5u, 31u, 40u, 300u}) {
    const std::size_t lines = 6;
    std::vector<float> in(n * lines);
    for (float& v : in) v = std::floor(u(rng) * 20.0f) / 20.0f;  // many ties
    std::vector<float> fast(in.size()), portable(in.size());
    audio::running_medians(in.data(), n, fast.data(), n, lines, n, 31);
    audio::running_medians(in.data(), n, portable.data(), n, lines, n, 31, true);
    EXPECT_EQ(fast, portable) << n;
    for (std::size_t l = 0; l < lines; ++l)
      for (std::size_t i = 0; i < n; ++i) {
        // scipy.ndimage 'reflect' extension, then the 16th of 31.
        std::vector<float> window;
        for (long long j = static_cast<long long>(i) - 15; j <= static_cast<long long>(i) + 15; ++j) {
          long long m = j % (2 * static_cast<long long>(n));
          if (m < 0) m += 2 * n;
          if (m >= static_cast<long long>(n)) m = 2 * n - 1 - m;
          window.push_back(in[l * n + m]);
        }
        std::nth_element(window.begin(), window.begin() + 15, window.end());
        ASSERT_EQ(fast[l * n + i], window[15]) << "n=" << n << " line " << l << " i=" << i;
      }
  }
}

// The lane-wise 2-D filter (eight lines per AVX2 vector, padded tails) must
// give the portable one-line filter's bits along both axes, on shapes whose
// sides are not multiples of eight and on lines shorter than the window.
TEST(AudioBlocks, MedianFilter2dMatchesTheLineFilterOnBothAxes) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{1, 1}, {3, 17}, {40, 9}, {13, 1025}, {100, 33}}) {
    std::vector<float> in(rows * cols);
    for (float& v : in) v = std::floor(u(rng) * 16.0f) / 16.0f;  // many ties
    for (auto axis : {audio::MedianAxis::within_rows, audio::MedianAxis::down_columns}) {
      std::vector<float> fast(in.size()), portable(in.size()), by_line(in.size());
      audio::median_filter_2d(in.data(), rows, cols, axis, 31, fast.data());
      audio::median_filter_2d(in.data(), rows, cols, axis, 31, portable.data(), true);
      if (axis == audio::MedianAxis::within_rows) {
        audio::running_medians(in.data(), cols, by_line.data(), cols, rows, cols, 31, true);
      } else {
        for (std::size_t c = 0; c < cols; ++c) {
          std::vector<float> line(rows), med(rows);
          for (std::size_t r = 0; r < rows; ++r) line[r] = in[r * cols + c];
          audio::running_median(line.data(), med.data(), rows, 31);
          for (std::size_t r = 0; r < rows; ++r) by_line[r * cols + c] = med[r];
        }
      }
      EXPECT_EQ(fast, by_line) << rows << "x" << cols << (axis == audio::MedianAxis::within_rows ? " rows" : " cols");
      EXPECT_EQ(portable, by_line) << rows << "x" << cols;
    }
  }
}

TEST(AudioBlocks, MelBankIsSlaneyNormalised) {
  // Slaney normalisation: every triangle has area 2/(f_hi - f_lo) x width/2 = 1 in Hz.
  const audio::FilterBank bank = audio::mel_filterbank(kRate, 2048, 128);
  ASSERT_EQ(bank.n_bands, 128u);
  const double bin_hz = static_cast<double>(kRate) / 2048;
  for (std::size_t b = 20; b < 120; b += 25) {
    double area = 0.0;
    for (float w : bank.weights[b]) area += w * bin_hz;
    EXPECT_NEAR(area, 1.0, 0.05) << b;
  }
  EXPECT_NEAR(audio::mel_to_hz(audio::hz_to_mel(4321.0)), 4321.0, 1e-9);
  EXPECT_DOUBLE_EQ(audio::hz_to_mel(1000.0), 15.0);
}

TEST(AudioBlocks, StftThenIstftGivesTheSignalBack) {
  const std::vector<float> y = white_noise(1.0, 2);
  audio::Spectrum s;
  audio::stft(y, 2048, 512, FramePadding::reflect, s);
  EXPECT_EQ(s.n_frames, 1 + y.size() / 512);
  std::vector<float> back;
  audio::istft(s, 2048, 512, y.size(), nullptr, back);
  // Exact up to float rounding, except the last partial hop, which the
  // GTZAN-era inversion leaves as zeros (see spectrum.h).
  const std::size_t covered = (s.n_frames - 1) * 512;
  for (std::size_t i = 0; i < covered; ++i) ASSERT_NEAR(back[i], y[i], 1e-5) << i;
  for (std::size_t i = covered; i < y.size(); ++i) ASSERT_EQ(back[i], 0.0f) << i;
}

// --- librosa's values for the staged GTZAN clips -------------------------

std::map<std::string, std::map<std::string, double>> read_reference(const std::filesystem::path& csv,
                                                                    std::vector<std::string>& header) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();  // the 3-second file has CRLF endings
  header.clear();
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
  std::map<std::string, std::map<std::string, double>> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::stringstream ls(line);
    std::string cell, name;
    for (std::size_t c = 0; std::getline(ls, cell, ','); ++c) {
      if (c == 0) name = cell;
      else if (header[c] != "label") rows[name][header[c]] = std::stod(cell);
    }
  }
  return rows;
}

TEST(AudioReference, GtzanClipsMatchLibrosasFeatures30Sec) {
  GENRELAB_REQUIRE_SHARED(testing::staged_audio("gtzan"));
  std::vector<std::string> header;
  const auto ref = read_reference(testing::shared_data_dir() / "gtzan_features" / "features_30_sec.csv", header);
  // Each column's spread over the 1,000 reference rows, to judge differences by.
  std::map<std::string, double> sd;
  for (const auto& name : header) {
    if (name == "filename" || name == "label") continue;
    double s = 0, ss = 0;
    for (const auto& [_, row] : ref) s += row.at(name);
    const double mean = s / ref.size();
    for (const auto& [_, row] : ref) ss += (row.at(name) - mean) * (row.at(name) - mean);
    sd[name] = std::sqrt(ss / ref.size());
  }
  const std::vector<std::string> columns = feature_columns({});
  for (const std::string clip : {"classical.00000", "jazz.00001", "rock.00002"}) {
    ExtractOptions options;
    const TrackFeatures t = extract_track((testing::shared_data_dir() / "audio" / "gtzan" / (clip + ".wav")).string(), options);
    const auto& want = ref.at(clip + ".wav");
    EXPECT_EQ(static_cast<double>(t.track.length), want.at("length"));
    for (std::size_t i = 0; i < columns.size(); ++i) {
      auto it = want.find(columns[i]);
      if (it == want.end()) continue;  // our extra families
      // Measured: every column within 0.002 % of a standard deviation; allow 0.1 %.
      EXPECT_LE(std::abs(t.track.values[i] - it->second), 1e-3 * sd[columns[i]]) << clip << " " << columns[i];
    }
  }
}

TEST(AudioReference, GtzanSegmentsMatchFeatures3Sec) {
  GENRELAB_REQUIRE_SHARED(testing::staged_audio("gtzan"));
  std::vector<std::string> header;
  const auto ref =
      read_reference(testing::shared_data_dir() / "gtzan_features" / "features_3_sec_PARTIAL_classical_jazz_rock.csv", header);
  ExtractOptions options;
  options.segment_seconds = 3.0;
  const TrackFeatures t = extract_track((testing::shared_data_dir() / "audio" / "gtzan" / "jazz.00003.wav").string(), options);
  ASSERT_EQ(t.segments.size(), 10u);
  const std::vector<std::string> columns = feature_columns({});
  for (std::size_t s = 0; s < t.segments.size(); ++s) {
    const auto& want = ref.at(segment_name("jazz.00003.wav", s));
    EXPECT_EQ(t.segments[s].length, 66149u);
    for (const std::string col : {"rms_mean", "chroma_stft_var", "harmony_var", "perceptr_var", "mfcc3_mean", "tempo"}) {
      const std::size_t i = std::find(columns.begin(), columns.end(), col) - columns.begin();
      EXPECT_NEAR(t.segments[s].values[i], want.at(col), 1e-4 * std::abs(want.at(col)) + 1e-9) << s << " " << col;
    }
  }
}

}  // namespace
}  // namespace genrelab
