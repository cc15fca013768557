// Audio-analysis JSON -> harmonic/structural columns. See
// include/genrelab/analysis_features.h and README "Harmonic and structural
// features".
#include "genrelab/atomic_file.h"
#include "genrelab/analysis_features.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "genrelab/error.h"

namespace genrelab {

namespace {

using nlohmann::json;

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

// Reads fields of one JSON object and names the file and the JSON path of
// whatever is wrong, so a person can open the file at the right place.
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(fmt::format("{}: {}: {}", source_, path, what));
  }

  const json& member(const json& object, const std::string& path, const char* name, const char* needed_by) const {
    const auto it = object.find(name);
    if (it == object.end()) fail(join(path, name), fmt::format("missing ({})", needed_by));
    return *it;
  }

  const json& object_at(const json& parent, const std::string& path, const char* name, const char* needed_by) const {
    const json& v = member(parent, path, name, needed_by);
    if (!v.is_object()) fail(join(path, name), fmt::format("expected an object, got {}", type_name(v)));
    return v;
  }

  const json& array_at(const json& parent, const std::string& path, const char* name, const char* needed_by) const {
    const json& v = member(parent, path, name, needed_by);
    if (!v.is_array()) fail(join(path, name), fmt::format("expected an array, got {}", type_name(v)));
    return v;
  }

  double number(const json& v, const std::string& path) const {
    if (!v.is_number()) fail(path, fmt::format("expected a number, got {}", type_name(v)));
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(path, "expected a finite number");
    return x;
  }

  double number_at(const json& parent, const std::string& path, const char* name, const char* needed_by) const {
    return number(member(parent, path, name, needed_by), join(path, name));
  }

  double non_negative_at(const json& parent, const std::string& path, const char* name, const char* needed_by) const {
    const double x = number_at(parent, path, name, needed_by);
    if (x < 0) fail(join(path, name), fmt::format("expected a duration >= 0 seconds, got {}", x));
    return x;
  }

  // key -1..11, mode -1..1: Spotify writes them as integers; 5.0 is accepted
  // as 5 (a JSON writer may print every number as a float), 5.5 is not.
  int integer_at(const json& parent, const std::string& path, const char* name, int lo, int hi,
                 const char* needed_by) const {
    const double x = number_at(parent, path, name, needed_by);
    if (x != std::floor(x) || x < lo || x > hi)
      fail(join(path, name), fmt::format("expected an integer from {} to {}, got {}", lo, hi, x));
    return static_cast<int>(x);
  }

  std::array<double, 12> twelve_at(const json& parent, const std::string& path, const char* name,
                                   const char* needed_by) const {
    const json& v = array_at(parent, path, name, needed_by);
    const std::string here = join(path, name);
    if (v.size() != 12) fail(here, fmt::format("expected 12 numbers (C, C#, ..., B), got {}", v.size()));
    std::array<double, 12> out{};
    for (std::size_t i = 0; i < 12; ++i) out[i] = number(v[i], fmt::format("{}[{}]", here, i));
    return out;
  }

  static std::string join(const std::string& path, const char* name) {
    return path.empty() ? std::string(name) : path + "." + name;
  }

 private:
  const std::string& source_;
};

constexpr const char* kTrackNeeds = "the track object needs duration, key and mode";
constexpr const char* kSectionNeeds = "every section needs start, duration, tempo, key and mode";
constexpr const char* kSegmentNeeds = "every segment needs start, duration, loudness_max, pitches and timbre";

// Duration-weighted mean and population sd, two passes (the values of one
// track are few enough to keep, and two passes do not lose digits the way
// sum-of-squares does when the mean is large, e.g. tempi near 120).
struct WeightedStats {
  double mean = 0.0, sd = 0.0;
};

// The mean is taken about the first value, so values that are all equal give
// exactly that value (one section at 71.777 BPM is 71.777, not 71.77700000000002).
template <class Value>
WeightedStats weighted_stats(const std::vector<double>& weights, Value value) {
  if (weights.empty()) return {};
  const double origin = value(0);
  double total = 0.0, sum = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    total += weights[i];
    sum += weights[i] * (value(i) - origin);
  }
  if (!(total > 0)) return {};
  const double mean = origin + sum / total;
  double ss = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double d = value(i) - mean;
    ss += weights[i] * d * d;
  }
  return {mean, std::sqrt(std::max(0.0, ss / total))};
}

}  // namespace

AnalysisFile parse_analysis_file(std::string_view json_text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    // nlohmann's message starts with "[json.exception.parse_error.101] ".
    std::string why = e.what();
    if (const auto p = why.find("] "); why.rfind("[json.exception", 0) == 0 && p != std::string::npos)
      why = why.substr(p + 2);
    throw InputError(fmt::format("{}: not valid JSON ({}); an analysis is one JSON object shaped as Spotify's "
                                 "audio-analysis (track, sections, segments, ...)",
                                 source, why));
  }
  if (!doc.is_object())
    throw InputError(fmt::format("{}: expected a JSON object with track, sections and segments (Spotify's "
                                 "audio-analysis shape), got {}",
                                 source, type_name(doc)));
  const Reader read(source);
  AnalysisFile a;

  const json& track = read.object_at(doc, "", "track", kTrackNeeds);
  a.duration = read.number_at(track, "track", "duration", kTrackNeeds);
  if (!(a.duration > 0))
    read.fail("track.duration", fmt::format("expected a duration > 0 seconds, got {}", a.duration));
  a.key = read.integer_at(track, "track", "key", -1, 11, kTrackNeeds);
  a.mode = read.integer_at(track, "track", "mode", -1, 1, kTrackNeeds);

  const json& sections = read.array_at(doc, "", "sections", "an empty array when the track has no sections");
  a.sections.reserve(sections.size());
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const std::string path = fmt::format("sections[{}]", i);
    const json& s = sections[i];
    if (!s.is_object()) read.fail(path, fmt::format("expected an object, got {}", type_name(s)));
    AnalysisFile::Section out;
    out.start = read.number_at(s, path, "start", kSectionNeeds);
    out.duration = read.non_negative_at(s, path, "duration", kSectionNeeds);
    out.tempo = read.number_at(s, path, "tempo", kSectionNeeds);
    out.key = read.integer_at(s, path, "key", -1, 11, kSectionNeeds);
    out.mode = read.integer_at(s, path, "mode", -1, 1, kSectionNeeds);
    a.sections.push_back(out);
  }

  const json& segments = read.array_at(doc, "", "segments", "an empty array when the track has no segments");
  a.segments.reserve(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string path = fmt::format("segments[{}]", i);
    const json& s = segments[i];
    if (!s.is_object()) read.fail(path, fmt::format("expected an object, got {}", type_name(s)));
    AnalysisFile::Segment out;
    out.start = read.number_at(s, path, "start", kSegmentNeeds);
    out.duration = read.non_negative_at(s, path, "duration", kSegmentNeeds);
    out.loudness_max = read.number_at(s, path, "loudness_max", kSegmentNeeds);
    out.pitches = read.twelve_at(s, path, "pitches", kSegmentNeeds);
    out.timbre = read.twelve_at(s, path, "timbre", kSegmentNeeds);
    a.segments.push_back(out);
  }

  // Both writers list sections and segments in time order; sorting (stably,
  // so equal starts keep the file's order) makes "adjacent" mean adjacent in
  // time for any other writer too.
  std::stable_sort(a.sections.begin(), a.sections.end(),
                   [](const AnalysisFile::Section& x, const AnalysisFile::Section& y) { return x.start < y.start; });
  std::stable_sort(a.segments.begin(), a.segments.end(),
                   [](const AnalysisFile::Segment& x, const AnalysisFile::Segment& y) { return x.start < y.start; });
  return a;
}

AnalysisFile read_analysis_file(const std::string& path) {
  note_input_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the analysis file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("{}: cannot read the analysis file", path));
  return parse_analysis_file(ss.str(), path);
}

const std::vector<std::string>& analysis_feature_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c;
    for (int d = 0; d < 12; ++d) c.push_back(fmt::format("sec_degree_{}", d));
    for (const char* name : {"sec_n_keys", "sec_key_changes_per_min", "sec_other_mode_share", "sec_tempo_mean",
                             "sec_tempo_sd", "sec_count"})
      c.emplace_back(name);
    for (const char* family : {"seg_pitch_mean", "seg_pitch_sd", "seg_timbre_mean", "seg_timbre_sd"})
      for (int k = 0; k < 12; ++k) c.push_back(fmt::format("{}_{}", family, k));
    for (const char* name : {"seg_loudness_max_mean", "seg_loudness_max_sd", "seg_count", "seg_per_sec"})
      c.emplace_back(name);
    return c;
  }();
  return columns;
}

int analysis_tonic(const AnalysisFile& a) {
  if (a.key >= 0) return a.key;
  std::array<double, 12> time{};
  std::array<bool, 12> present{};
  for (const auto& s : a.sections)
    if (s.key >= 0) {
      time[s.key] += s.duration;
      present[s.key] = true;
    }
  // Strictly greater: ties go to the lowest key. A key whose sections all
  // last 0 s still beats "no key" (its shares are 0 anyway).
  int best = -1;
  for (int k = 0; k < 12; ++k)
    if (present[k] && (best < 0 || time[k] > time[best])) best = k;
  return best;
}

std::vector<double> analysis_features(const AnalysisFile& a) {
  std::vector<double> out;
  out.reserve(analysis_feature_columns().size());

  // ---- sections ----
  const auto& secs = a.sections;
  std::vector<double> w(secs.size());
  double total = 0.0;
  for (std::size_t i = 0; i < secs.size(); ++i) total += (w[i] = secs[i].duration);

  std::array<double, 12> degree{};
  const int tonic = analysis_tonic(a);
  if (tonic >= 0 && total > 0)
    for (const auto& s : secs)
      if (s.key >= 0) degree[((s.key - tonic) % 12 + 12) % 12] += s.duration;
  // Summed in seconds and divided once, so equal durations give exact shares.
  for (double& d : degree) d = total > 0 ? d / total : 0.0;
  out.insert(out.end(), degree.begin(), degree.end());

  bool seen[12] = {};
  int n_keys = 0;
  for (const auto& s : secs)
    if (s.key >= 0 && !seen[s.key]) {
      seen[s.key] = true;
      ++n_keys;
    }
  out.push_back(n_keys);

  int changes = 0;
  for (std::size_t i = 1; i < secs.size(); ++i)
    if (secs[i - 1].key >= 0 && secs[i].key >= 0 && secs[i - 1].key != secs[i].key) ++changes;
  out.push_back(changes * 60.0 / a.duration);

  double other_mode = 0.0;
  if (a.mode >= 0 && total > 0)
    for (const auto& s : secs)
      if (s.mode >= 0 && s.mode != a.mode) other_mode += s.duration;
  out.push_back(total > 0 ? other_mode / total : 0.0);

  const WeightedStats tempo = weighted_stats(w, [&](std::size_t i) { return secs[i].tempo; });
  out.push_back(tempo.mean);
  out.push_back(tempo.sd);
  out.push_back(static_cast<double>(secs.size()));

  // ---- segments ----
  const auto& segs = a.segments;
  std::vector<double> v(segs.size());
  for (std::size_t i = 0; i < segs.size(); ++i) v[i] = segs[i].duration;
  std::array<WeightedStats, 12> pitch, timbre;
  for (std::size_t k = 0; k < 12; ++k) {
    pitch[k] = weighted_stats(v, [&](std::size_t i) { return segs[i].pitches[k]; });
    timbre[k] = weighted_stats(v, [&](std::size_t i) { return segs[i].timbre[k]; });
  }
  for (const auto& s : pitch) out.push_back(s.mean);
  for (const auto& s : pitch) out.push_back(s.sd);
  for (const auto& s : timbre) out.push_back(s.mean);
  for (const auto& s : timbre) out.push_back(s.sd);
  const WeightedStats loud = weighted_stats(v, [&](std::size_t i) { return segs[i].loudness_max; });
  out.push_back(loud.mean);
  out.push_back(loud.sd);
  out.push_back(static_cast<double>(segs.size()));
  out.push_back(static_cast<double>(segs.size()) / a.duration);
  return out;
}

}  // namespace genrelab
