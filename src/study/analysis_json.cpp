#include "genrelab/analysis_json.h"

#include <cmath>

namespace genrelab {
namespace {

// Spotify prints 3-5 decimals; so do we (the files stay small and diffable).
double r3(double v) { return std::round(v * 1e3) / 1e3; }
double r5(double v) { return std::round(v * 1e5) / 1e5; }

nlohmann::json intervals(const std::vector<TimeInterval>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) out.push_back({{"start", r5(i.start)}, {"duration", r5(i.duration)}, {"confidence", r3(i.confidence)}});
  return out;
}

}  // namespace

nlohmann::json analysis_json(const TrackAnalysis& a) {
  nlohmann::json sections = nlohmann::json::array();
  for (const auto& s : a.sections)
    sections.push_back({{"start", r5(s.start)},
                        {"duration", r5(s.duration)},
                        {"confidence", r3(s.confidence)},
                        {"loudness", r3(s.loudness)},
                        {"tempo", r3(s.tempo)},
                        {"tempo_confidence", r3(s.tempo_confidence)},
                        {"key", s.key},
                        {"key_confidence", r3(s.key_confidence)},
                        {"mode", s.mode},
                        {"mode_confidence", r3(s.mode_confidence)},
                        {"time_signature", s.time_signature},
                        {"time_signature_confidence", r3(s.time_signature_confidence)}});
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& g : a.segments) {
    nlohmann::json pitches = nlohmann::json::array(), timbre = nlohmann::json::array();
    for (double v : g.pitches) pitches.push_back(r3(v));
    for (double v : g.timbre) timbre.push_back(r3(v));
    segments.push_back({{"start", r5(g.start)},
                        {"duration", r5(g.duration)},
                        {"confidence", r3(g.confidence)},
                        {"loudness_start", r3(g.loudness_start)},
                        {"loudness_max_time", r5(g.loudness_max_time)},
                        {"loudness_max", r3(g.loudness_max)},
                        {"loudness_end", r3(g.loudness_end)},
                        {"pitches", pitches},
                        {"timbre", timbre}});
  }
  return {
      {"meta",
       {{"analyzer_version", std::string("genrelab ") + GENRELAB_VERSION},
        {"timbre", "mean MFCC 1..12 over the segment (DCT-II of the 128-band Slaney log-mel spectrum, librosa's mfcc)"},
        {"loudness", "track: EBU R128 integrated LUFS; sections and segments: frame RMS in dBFS"}}},
      {"track",
       {{"duration", r5(a.duration)},
        {"loudness", r3(a.loudness)},
        {"tempo", r3(a.tempo)},
        {"tempo_confidence", r3(a.tempo_confidence)},
        {"time_signature", a.time_signature},
        {"time_signature_confidence", r3(a.time_signature_confidence)},
        {"key", a.key},
        {"key_confidence", r3(a.key_confidence)},
        {"mode", a.mode},
        {"mode_confidence", r3(a.mode_confidence)},
        {"end_of_fade_in", r5(a.end_of_fade_in)},
        {"start_of_fade_out", r5(a.start_of_fade_out)}}},
      {"bars", intervals(a.bars)},
      {"beats", intervals(a.beats)},
      {"tatums", intervals(a.tatums)},
      {"sections", sections},
      {"segments", segments},
  };
}

}  // namespace genrelab
