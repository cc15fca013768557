// Harmonic and structural features from an audio analysis: the JSON object
// Spotify's Web API returned for /audio-analysis/{id} (meta, track, bars,
// beats, tatums, sections, segments), which `genrelab extract --analysis-dir`
// also writes. The seed study one-hot encoded roman-numeral "shapes" of the
// sections' keys; these columns are dense numbers that mean the same thing in
// every track, so tracks (and genres) can be compared and models trained.
//
// Only the fields the columns use are read, and those are required; every
// other field (meta, bars, beats, tatums, confidences, ...) is ignored, so
// Spotify's files, genrelab's own and later versions of either all parse.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab {

// What the columns need of one analysis file, whoever wrote it: Spotify, or
// genrelab extract (whose in-memory analysis is the audio layer's richer
// TrackAnalysis). key: pitch class of the tonic, 0..11 (C = 0), -1 = no key
// detected; mode: 1 major, 0 minor, -1 none (as Spotify).
struct AnalysisFile {
  struct Section {
    double start = 0.0, duration = 0.0;  // seconds
    double tempo = 0.0;                  // BPM
    int key = -1, mode = -1;
  };
  struct Segment {
    double start = 0.0, duration = 0.0;  // seconds
    double loudness_max = 0.0;           // dB
    std::array<double, 12> pitches{};    // chroma, C..B, max-normalised
    std::array<double, 12> timbre{};
  };
  double duration = 0.0;  // track.duration, seconds, > 0
  int key = -1, mode = -1;
  std::vector<Section> sections;  // sorted by start (stable)
  std::vector<Segment> segments;  // sorted by start (stable)
};

// Parses one analysis. Required: track.duration (> 0), track.key, track.mode;
// sections[] each with start, duration (>= 0), tempo, key, mode; segments[]
// each with start, duration (>= 0), loudness_max, pitches[12], timbre[12].
// `sections` and `segments` may be empty arrays but must be there. Throws
// InputError "SOURCE: JSON.PATH: what is wrong", e.g.
// "x.json: sections[3].key: expected a number, got a string".
AnalysisFile parse_analysis_file(std::string_view json_text, const std::string& source);
// Reads and parses a file (InputError naming it when it cannot be read).
AnalysisFile read_analysis_file(const std::string& path);

// The columns analysis_features() computes, in its order (README,
// "Harmonic and structural features", defines each):
//   sec_degree_0..11, sec_n_keys, sec_key_changes_per_min,
//   sec_other_mode_share, sec_tempo_mean, sec_tempo_sd, sec_count,
//   seg_pitch_mean_0..11, seg_pitch_sd_0..11, seg_timbre_mean_0..11,
//   seg_timbre_sd_0..11, seg_loudness_max_mean, seg_loudness_max_sd,
//   seg_count, seg_per_sec.
const std::vector<std::string>& analysis_feature_columns();

// One value per analysis_feature_columns() entry. Pure and deterministic.
// Shares, means and sds are weighted by duration (population sd); a track
// without sections (segments) gets 0 in every section (segment) column.
std::vector<double> analysis_features(const AnalysisFile& analysis);

// The tonic the degree histogram is relative to: track.key, or when that is
// -1 the section key with the largest total duration (ties: the lowest key),
// or -1 when no section has a key.
int analysis_tonic(const AnalysisFile& analysis);

}  // namespace genrelab
