#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis.h"
#include "feature_family.h"
#include "genrelab/audio_features.h"

namespace genrelab {
namespace {

std::vector<const audio::FeatureFamilyEntry*> selected(const FeatureOptions& options) {
  const auto& registry = audio::feature_registry();
  std::vector<const audio::FeatureFamilyEntry*> out;
  if (options.families.empty()) {
    for (const auto& e : registry) out.push_back(&e);
    return out;
  }
  for (const auto& e : registry)
    if (std::find(options.families.begin(), options.families.end(), e.name) != options.families.end())
      out.push_back(&e);
  for (const auto& name : options.families)
    if (std::none_of(registry.begin(), registry.end(), [&](const auto& e) { return name == e.name; })) {
      std::string known;
      for (const auto& e : registry) known += (known.empty() ? "" : ", ") + std::string(e.name);
      throw UsageError(fmt::format("unknown feature family '{}'; known: {}", name, known));
    }
  return out;
}

void check_options(const FeatureOptions& options) {
  if (options.n_fft < 16 || options.n_fft % 2 != 0)
    throw UsageError(fmt::format("n_fft must be an even number of at least 16 (got {})", options.n_fft));
  if (options.hop_length < 1 || options.hop_length > options.n_fft)
    throw UsageError(fmt::format("hop_length must be between 1 and n_fft (got {})", options.hop_length));
}

}  // namespace

std::vector<FeatureFamilyInfo> feature_families() {
  std::vector<FeatureFamilyInfo> out;
  const FeatureOptions defaults;
  for (const auto& e : audio::feature_registry()) out.push_back({e.name, e.description, e.make(defaults)->columns()});
  return out;
}

std::vector<std::string> feature_columns(const FeatureOptions& options) {
  check_options(options);
  std::vector<std::string> names;
  for (const auto* e : selected(options))
    for (auto& c : e->make(options)->columns()) names.push_back(std::move(c));
  return names;
}

std::vector<double> compute_features(const std::vector<float>& samples, int sample_rate,
                                     const FeatureOptions& options, const std::string& source) {
  check_options(options);
  if (samples.size() < static_cast<std::size_t>(options.n_fft))
    throw AudioError(fmt::format("{}: too short: {} samples ({:.3f} s) is less than one analysis frame of {} "
                                 "samples ({:.3f} s at {} Hz)",
                                 source, samples.size(), static_cast<double>(samples.size()) / sample_rate,
                                 options.n_fft, static_cast<double>(options.n_fft) / sample_rate, sample_rate));
  float peak = 0.0f;
  for (float v : samples) {
    if (!std::isfinite(v)) throw AudioError(fmt::format("{}: the decoded audio holds NaN or infinite samples", source));
    peak = std::max(peak, std::abs(v));
  }
  if (peak == 0.0f)
    throw AudioError(fmt::format("{}: silent: every sample is zero, so no feature is defined", source));
  audio::Analysis analysis(samples, sample_rate, options);
  std::vector<double> values;
  for (const auto* e : selected(options)) {
    const auto family = e->make(options);
    const std::size_t at = values.size();
    values.resize(at + family->columns().size());
    family->compute(analysis, values.data() + at);
  }
  return values;
}

std::string segment_name(const std::string& filename, std::size_t index) {
  const auto slash = filename.find_last_of('/');
  const auto dot = filename.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return fmt::format("{}.{}", filename, index);
  return fmt::format("{}.{}{}", filename.substr(0, dot), index, filename.substr(dot));
}

TrackFeatures extract_track(const std::string& path, const ExtractOptions& options) {
  const DecodedAudio audio = decode_audio(path, options.decode);
  TrackFeatures out;
  out.native_rate = audio.native_rate;
  out.channels = audio.channels;
  out.seconds = static_cast<double>(audio.samples.size()) / audio.sample_rate;
  out.track.length = audio.samples.size();
  out.track.values = compute_features(audio.samples, audio.sample_rate, options.features, path);
  if (options.segment_seconds > 0) {
    // GTZAN's 3-second rows: consecutive segments of round(seconds * sr) - 1
    // samples each (66,149 at 22,050 Hz, as in features_3_sec.csv), every one a
    // whole segment; a remainder shorter than a segment is not a row.
    const std::size_t step = static_cast<std::size_t>(std::llround(options.segment_seconds * audio.sample_rate));
    const std::size_t length = step - 1;
    for (std::size_t start = 0; start + step <= audio.samples.size(); start += step) {
      std::vector<float> part(audio.samples.begin() + start, audio.samples.begin() + start + length);
      FeatureRow row;
      row.length = part.size();
      row.values = compute_features(part, audio.sample_rate, options.features,
                                    fmt::format("{} segment {}", path, out.segments.size()));
      out.segments.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace genrelab
