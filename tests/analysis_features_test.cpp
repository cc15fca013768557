// Harmonic and structural features from audio analyses (`genrelab features`):
// columns computed by hand from analyses the tests write, Spotify's shape
// with fields genrelab does not read, malformed files named with their JSON
// path, the join by filename (with subfolders) and by track_id, missing
// analyses, and the command line end to end, including `compare` on its output.
#include "genrelab/analysis_features.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "genrelab/analysis_join.h"
#include "genrelab/analysis_json.h"  // genrelab extract's writer: its names must not clash with ours
#include "genrelab/error.h"
#include "genrelab/table.h"

namespace fs = std::filesystem;
using genrelab::AnalysisFile;
using genrelab::analysis_feature_columns;
using genrelab::analysis_features;
using genrelab::InputError;
using genrelab::parse_analysis_file;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// The value of one named column.
double col(const std::vector<double>& values, const std::string& name) {
  const auto& names = analysis_feature_columns();
  const auto it = std::find(names.begin(), names.end(), name);
  EXPECT_NE(it, names.end()) << name;
  return it == names.end() ? NAN : values[static_cast<std::size_t>(it - names.begin())];
}

AnalysisFile::Section section(double start, double duration, int key, int mode, double tempo = 120.0) {
  AnalysisFile::Section s;
  s.start = start;
  s.duration = duration;
  s.key = key;
  s.mode = mode;
  s.tempo = tempo;
  return s;
}

AnalysisFile track(double duration, int key, int mode, std::vector<AnalysisFile::Section> sections = {}) {
  AnalysisFile a;
  a.duration = duration;
  a.key = key;
  a.mode = mode;
  a.sections = std::move(sections);
  return a;
}

// C major, 128 s: C (32 s), G (16 s), C (32 s), A minor (48 s).
AnalysisFile c_g_c_am() {
  return track(128, 0, 1,
               {section(0, 32, 0, 1, 120), section(32, 16, 7, 1, 120), section(48, 32, 0, 1, 120),
                section(80, 48, 9, 0, 90)});
}

// An analysis as Spotify's Web API returned it, every field there, including
// the ones genrelab does not read (meta, bars, beats, tatums, confidences,
// the track's code strings), plus a field neither writer has.
json spotify_json(const AnalysisFile& a) {
  json sections = json::array(), segments = json::array(), marks = json::array();
  for (const auto& s : a.sections)
    sections.push_back({{"start", s.start}, {"duration", s.duration}, {"confidence", 0.8}, {"loudness", -9.5},
                        {"tempo", s.tempo}, {"tempo_confidence", 0.6}, {"key", s.key}, {"key_confidence", 0.4},
                        {"mode", s.mode}, {"mode_confidence", 0.5}, {"time_signature", 4},
                        {"time_signature_confidence", 1.0}});
  for (const auto& s : a.segments)
    segments.push_back({{"start", s.start}, {"duration", s.duration}, {"confidence", 0.9}, {"loudness_start", -30.0},
                        {"loudness_max", s.loudness_max}, {"loudness_max_time", 0.01}, {"loudness_end", 0.0},
                        {"pitches", s.pitches}, {"timbre", s.timbre}});
  for (int i = 0; i < 4; ++i) marks.push_back({{"start", 0.5 * i}, {"duration", 0.5}, {"confidence", 0.7}});
  return {{"meta",
           {{"analyzer_version", "4.0.0"}, {"platform", "Linux"}, {"detailed_status", "OK"}, {"status_code", 0},
            {"timestamp", 1495193577}, {"analysis_time", 6.93906}, {"input_process", "libvorbisfile L+R 44100->22050"}}},
          {"track",
           {{"num_samples", 4585515}, {"duration", a.duration}, {"sample_md5", ""}, {"offset_seconds", 0},
            {"window_seconds", 0}, {"analysis_sample_rate", 22050}, {"analysis_channels", 1},
            {"end_of_fade_in", 0.0}, {"start_of_fade_out", a.duration - 1}, {"loudness", -5.883}, {"tempo", 118.211},
            {"tempo_confidence", 0.73}, {"time_signature", 4}, {"time_signature_confidence", 0.994}, {"key", a.key},
            {"key_confidence", 0.408}, {"mode", a.mode}, {"mode_confidence", 0.485}, {"codestring", "eJxVnA..."},
            {"code_version", 3.15}, {"echoprintstring", "eJzFnQ..."}, {"echoprint_version", 4.12},
            {"synchstring", "eJx1mw..."}, {"synch_version", 1}, {"rhythmstring", "eJxNnA..."},
            {"rhythm_version", 1}}},
          {"bars", marks},
          {"beats", marks},
          {"tatums", marks},
          {"sections", sections},
          {"segments", segments},
          {"something_new", {{"nested", json::array({1, 2, 3})}}}};
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A small analysis whose columns differ with `k` (its key and its timbre).
AnalysisFile varied(int k) {
  AnalysisFile a = track(60, k % 12, k % 2, {section(0, 30, k % 12, 1, 100 + k), section(30, 30, (k + 7) % 12, 0, 96)});
  for (int s = 0; s < 3; ++s) {
    AnalysisFile::Segment g;
    g.start = s;
    g.duration = 1;
    g.loudness_max = -10 - s - k;
    g.pitches[(k + s) % 12] = 1;
    for (int i = 0; i < 12; ++i) g.timbre[i] = k * 0.5 + i + s;
    a.segments.push_back(g);
  }
  return a;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      out.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

// ---- the columns ---------------------------------------------------------

TEST(AnalysisFeatures, ColumnsAreNamedOnceInTheDocumentedOrder) {
  const auto& names = analysis_feature_columns();
  ASSERT_EQ(names.size(), 70u);
  EXPECT_EQ(names[0], "sec_degree_0");
  EXPECT_EQ(names[11], "sec_degree_11");
  EXPECT_EQ(names[12], "sec_n_keys");
  EXPECT_EQ(names[17], "sec_count");
  EXPECT_EQ(names[18], "seg_pitch_mean_0");
  EXPECT_EQ(names[30], "seg_pitch_sd_0");
  EXPECT_EQ(names[42], "seg_timbre_mean_0");
  EXPECT_EQ(names[54], "seg_timbre_sd_0");
  EXPECT_EQ(names[66], "seg_loudness_max_mean");
  EXPECT_EQ(names[69], "seg_per_sec");
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  EXPECT_EQ(analysis_features(c_g_c_am()).size(), names.size());
}

TEST(AnalysisFeatures, SectionKeysCGCAminorOfACMajorTrackByHand) {
  const auto v = analysis_features(c_g_c_am());
  // Degrees relative to C: C 64 s of 128 -> 0.5; G is 7 semitones up, 16 s
  // -> 0.125; A is 9 up, 48 s -> 0.375. The rest 0.
  EXPECT_EQ(col(v, "sec_degree_0"), 0.5);
  EXPECT_EQ(col(v, "sec_degree_7"), 0.125);
  EXPECT_EQ(col(v, "sec_degree_9"), 0.375);
  for (int d : {1, 2, 3, 4, 5, 6, 8, 10, 11}) EXPECT_EQ(col(v, fmt::format("sec_degree_{}", d)), 0.0) << d;
  EXPECT_EQ(col(v, "sec_n_keys"), 3);
  // C->G, G->C, C->A: 3 changes in 128 s = 180/128 per minute.
  EXPECT_EQ(col(v, "sec_key_changes_per_min"), 1.40625);
  // The A minor section, 48 of 128 s, is in the other mode.
  EXPECT_EQ(col(v, "sec_other_mode_share"), 0.375);
  // Tempo 120 for 80 s and 90 for 48 s: mean 13920/128, sd 30 sqrt(p(1-p)), p = 0.375.
  EXPECT_EQ(col(v, "sec_tempo_mean"), 108.75);
  EXPECT_NEAR(col(v, "sec_tempo_sd"), 30 * std::sqrt(0.375 * 0.625), 1e-12);
  EXPECT_EQ(col(v, "sec_count"), 4);
  EXPECT_EQ(col(v, "seg_count"), 0);
}

TEST(AnalysisFeatures, DegreesAreRelativeToTheTonicAndWrapAroundTheOctave) {
  // A track in A (9): a section in C is 3 semitones up, one in G is 10 up.
  const auto v = analysis_features(track(60, 9, 0, {section(0, 20, 9, 0), section(20, 20, 0, 1), section(40, 20, 7, 1)}));
  EXPECT_NEAR(col(v, "sec_degree_0"), 1.0 / 3, 1e-15);
  EXPECT_NEAR(col(v, "sec_degree_3"), 1.0 / 3, 1e-15);
  EXPECT_NEAR(col(v, "sec_degree_10"), 1.0 / 3, 1e-15);
  EXPECT_NEAR(col(v, "sec_other_mode_share"), 2.0 / 3, 1e-15);
  EXPECT_EQ(col(v, "sec_key_changes_per_min"), 2);  // 2 changes in one minute
}

TEST(AnalysisFeatures, WithoutATrackKeyTheLongestSectionKeyIsTheTonic) {
  // D sections last 35 s in all, A 30 s: D is the tonic, A its fifth.
  AnalysisFile a = track(65, -1, 1, {section(0, 10, 2, 1), section(10, 30, 9, 1), section(40, 25, 2, 1)});
  EXPECT_EQ(genrelab::analysis_tonic(a), 2);
  auto v = analysis_features(a);
  EXPECT_EQ(col(v, "sec_degree_0"), 35.0 / 65);
  EXPECT_EQ(col(v, "sec_degree_7"), 30.0 / 65);
  // A tie goes to the lower key: E and C 10 s each -> C.
  a = track(20, -1, 1, {section(0, 10, 4, 1), section(10, 10, 0, 1)});
  EXPECT_EQ(genrelab::analysis_tonic(a), 0);
  v = analysis_features(a);
  EXPECT_EQ(col(v, "sec_degree_0"), 0.5);
  EXPECT_EQ(col(v, "sec_degree_4"), 0.5);
}

TEST(AnalysisFeatures, SectionsWithoutAKeyCountInTheDenominatorOnly) {
  // C 30 s, no key 10 s, G 40 s.
  const auto v = analysis_features(track(80, 0, 1, {section(0, 30, 0, 1), section(30, 10, -1, -1), section(40, 40, 7, 1)}));
  EXPECT_EQ(col(v, "sec_degree_0"), 0.375);
  EXPECT_EQ(col(v, "sec_degree_7"), 0.5);
  double sum = 0;
  for (int d = 0; d < 12; ++d) sum += col(v, fmt::format("sec_degree_{}", d));
  EXPECT_EQ(sum, 0.875);
  EXPECT_EQ(col(v, "sec_n_keys"), 2);
  // C -> none -> G: neither pair has two keys, so no change is counted.
  EXPECT_EQ(col(v, "sec_key_changes_per_min"), 0);
  // Mode -1 is neither mode.
  EXPECT_EQ(col(v, "sec_other_mode_share"), 0);
}

TEST(AnalysisFeatures, NoSectionKeyAndNoTrackKeyGiveZeroDegrees) {
  const auto v = analysis_features(track(30, -1, -1, {section(0, 15, -1, 0), section(15, 15, -1, 1)}));
  EXPECT_EQ(genrelab::analysis_tonic(track(30, -1, -1, {section(0, 15, -1, 0)})), -1);
  for (int d = 0; d < 12; ++d) EXPECT_EQ(col(v, fmt::format("sec_degree_{}", d)), 0.0) << d;
  EXPECT_EQ(col(v, "sec_n_keys"), 0);
  // The track has no mode, so no section is in "the other" one.
  EXPECT_EQ(col(v, "sec_other_mode_share"), 0);
  EXPECT_EQ(col(v, "sec_count"), 2);
}

TEST(AnalysisFeatures, SegmentsAreDurationWeightedWithPopulationSd) {
  AnalysisFile a = track(8, 0, 1);
  AnalysisFile::Segment s1, s2;
  s1.start = 0;
  s1.duration = 1;
  s1.loudness_max = -10;
  s1.pitches[0] = 1.0;
  s1.pitches[4] = 0.25;
  s1.timbre[0] = 40;
  s1.timbre[11] = -3;
  s2.start = 1;
  s2.duration = 3;
  s2.loudness_max = -20;
  s2.pitches[0] = 0.5;
  s2.pitches[4] = 0.25;
  s2.timbre[0] = 48;
  s2.timbre[11] = -3;
  a.segments = {s2, s1};  // out of order in the file: sorted by start
  const auto v = analysis_features(a);
  // Weights 1 and 3 (p = 0.25 on the first): mean = 0.25 x1 + 0.75 x2,
  // sd = |x1 - x2| sqrt(0.25 * 0.75).
  const double spread = std::sqrt(0.25 * 0.75);
  EXPECT_EQ(col(v, "seg_pitch_mean_0"), 0.625);
  EXPECT_NEAR(col(v, "seg_pitch_sd_0"), 0.5 * spread, 1e-15);
  EXPECT_EQ(col(v, "seg_pitch_mean_4"), 0.25);
  EXPECT_EQ(col(v, "seg_pitch_sd_4"), 0);
  EXPECT_EQ(col(v, "seg_pitch_mean_1"), 0);
  EXPECT_EQ(col(v, "seg_timbre_mean_0"), 46);
  EXPECT_NEAR(col(v, "seg_timbre_sd_0"), 8 * spread, 1e-13);
  EXPECT_EQ(col(v, "seg_timbre_mean_11"), -3);
  EXPECT_EQ(col(v, "seg_timbre_sd_11"), 0);
  EXPECT_EQ(col(v, "seg_loudness_max_mean"), -17.5);
  EXPECT_NEAR(col(v, "seg_loudness_max_sd"), 10 * spread, 1e-13);
  EXPECT_EQ(col(v, "seg_count"), 2);
  EXPECT_EQ(col(v, "seg_per_sec"), 0.25);  // 2 segments in 8 s
}

TEST(AnalysisFeatures, EqualValuesGiveExactlyThatMeanAndZeroSd) {
  // 71.777 * 14.3 / 14.3 is not 71.777 in binary; the mean must still be.
  const auto v = analysis_features(track(30, 0, 1, {section(0, 14.30349, 0, 1, 71.777), section(14.30349, 7.8019, 0, 1, 71.777)}));
  EXPECT_EQ(col(v, "sec_tempo_mean"), 71.777);
  EXPECT_EQ(col(v, "sec_tempo_sd"), 0);
}

TEST(AnalysisFeatures, NoSectionsAndNoSegmentsGiveZerosAndZeroCounts) {
  const auto v = analysis_features(track(30, 5, 1));
  ASSERT_EQ(v.size(), analysis_feature_columns().size());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], 0.0) << analysis_feature_columns()[i];
}

TEST(AnalysisFeatures, KeyChangesFollowTimeNotFileOrder) {
  // In time: C, C, G (1 change); in the file: C, G, C (2 changes).
  const auto v = analysis_features(
      genrelab::parse_analysis_file(spotify_json(track(60, 0, 1, {section(0, 20, 0, 1), section(40, 20, 7, 1),
                                                                    section(20, 20, 0, 1)}))
                                         .dump(),
                                     "t.json"));
  EXPECT_EQ(col(v, "sec_key_changes_per_min"), 1);
}

// ---- parsing -------------------------------------------------------------

TEST(AnalysisParse, SpotifysShapeWithFieldsGenrelabDoesNotReadGivesTheSameColumns) {
  AnalysisFile a = c_g_c_am();
  AnalysisFile::Segment s;
  s.start = 0;
  s.duration = 0.25;
  s.loudness_max = -7;
  for (int i = 0; i < 12; ++i) s.pitches[i] = i / 11.0, s.timbre[i] = 10.0 * i - 50;
  a.segments = {s};
  const AnalysisFile parsed = parse_analysis_file(spotify_json(a).dump(2), "spotify.json");
  EXPECT_EQ(parsed.duration, 128);
  EXPECT_EQ(parsed.key, 0);
  EXPECT_EQ(parsed.mode, 1);
  ASSERT_EQ(parsed.sections.size(), 4u);
  EXPECT_EQ(parsed.sections[3].key, 9);
  EXPECT_EQ(parsed.sections[3].mode, 0);
  ASSERT_EQ(parsed.segments.size(), 1u);
  EXPECT_EQ(parsed.segments[0].timbre[11], 60);
  EXPECT_EQ(analysis_features(parsed), analysis_features(a));
}

TEST(AnalysisParse, GenrelabsOwnAnalysisFilesGiveTheSameColumns) {
  // The C, G, C, A minor track as genrelab extract writes it.
  genrelab::TrackAnalysis t;
  t.duration = 128;
  t.key = 0;
  t.mode = 1;
  for (const auto& s : c_g_c_am().sections) {
    genrelab::AnalysisSection out;
    out.start = s.start;
    out.duration = s.duration;
    out.tempo = s.tempo;
    out.key = s.key;
    out.mode = s.mode;
    t.sections.push_back(out);
  }
  genrelab::AnalysisSegment g;
  g.duration = 0.5;
  g.loudness_max = -12.5;
  g.pitches[7] = 1;
  g.timbre[0] = -250;
  t.segments = {g};
  const auto v = analysis_features(parse_analysis_file(genrelab::analysis_json(t).dump(), "extract.json"));
  EXPECT_EQ(col(v, "sec_degree_0"), 0.5);
  EXPECT_EQ(col(v, "sec_degree_7"), 0.125);
  EXPECT_EQ(col(v, "sec_degree_9"), 0.375);
  EXPECT_EQ(col(v, "sec_tempo_mean"), 108.75);
  EXPECT_EQ(col(v, "seg_pitch_mean_7"), 1);
  EXPECT_EQ(col(v, "seg_timbre_mean_0"), -250);
  EXPECT_EQ(col(v, "seg_loudness_max_mean"), -12.5);
  EXPECT_EQ(col(v, "seg_per_sec"), 1.0 / 128);
}

TEST(AnalysisParse, OnlyTheFieldsTheColumnsUseAreRequired) {
  // genrelab's minimum: no meta, bars, beats, tatums or confidences.
  const std::string minimal = R"({"track": {"duration": 10, "key": 2, "mode": 0},
    "sections": [{"start": 0, "duration": 10, "tempo": 90.5, "key": 2.0, "mode": 0}],
    "segments": [{"start": 0, "duration": 10, "loudness_max": -3,
                  "pitches": [1,0,0,0,0,0,0,0,0,0,0,0], "timbre": [0,0,0,0,0,0,0,0,0,0,0,1]}]})";
  const auto a = parse_analysis_file(minimal, "min.json");
  EXPECT_EQ(a.sections[0].key, 2);  // 2.0 is the integer 2
  const auto v = analysis_features(a);
  EXPECT_EQ(col(v, "sec_degree_0"), 1);
  EXPECT_EQ(col(v, "sec_tempo_mean"), 90.5);
  EXPECT_EQ(col(v, "seg_timbre_mean_11"), 1);
  // A UTF-8 byte-order mark (some editors write one) is not an error.
  EXPECT_EQ(analysis_features(parse_analysis_file("\xEF\xBB\xBF" + minimal, "bom.json")), v);
}

// The message parse_analysis_file gives for `text`, or "" when it parses.
std::string parse_error(const std::string& text) {
  try {
    parse_analysis_file(text, "x.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(AnalysisParse, MalformedJsonNamesTheFile) {
  for (const std::string bad : {"", "{", "{\"track\": {\"duration\": 1,}}", "not json", "\xff\xfe{}"}) {
    const std::string m = parse_error(bad);
    EXPECT_EQ(m.rfind("x.json: not valid JSON (", 0), 0u) << bad << " -> " << m;
    EXPECT_FALSE(contains(m, "json.exception")) << m;
  }
  EXPECT_EQ(parse_error("[1, 2]").rfind("x.json: expected a JSON object", 0), 0u) << parse_error("[1, 2]");
}

TEST(AnalysisParse, WrongTypesAndMissingFieldsNameTheJsonPath) {
  json doc = spotify_json(c_g_c_am());
  auto with = [&](auto edit) {
    json d = doc;
    edit(d);
    return parse_error(d.dump());
  };
  EXPECT_EQ(with([](json& d) { d["sections"][3]["key"] = "A"; }), "x.json: sections[3].key: expected a number, got a string");
  EXPECT_EQ(with([](json& d) { d["sections"][1]["tempo"] = nullptr; }),
            "x.json: sections[1].tempo: expected a number, got null");
  EXPECT_EQ(with([](json& d) { d["track"]["mode"] = true; }), "x.json: track.mode: expected a number, got a boolean");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["key"] = 12; }),
            "x.json: sections[0].key: expected an integer from -1 to 11, got 12");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["mode"] = 0.5; }),
            "x.json: sections[0].mode: expected an integer from -1 to 1, got 0.5");
  EXPECT_EQ(with([](json& d) { d["track"]["duration"] = 0; }),
            "x.json: track.duration: expected a duration > 0 seconds, got 0");
  EXPECT_EQ(with([](json& d) { d["sections"][2]["duration"] = -1; }),
            "x.json: sections[2].duration: expected a duration >= 0 seconds, got -1");
  EXPECT_EQ(with([](json& d) { d["sections"] = json::object(); }), "x.json: sections: expected an array, got an object");
  EXPECT_EQ(with([](json& d) { d["sections"][2] = 5; }), "x.json: sections[2]: expected an object, got a number");
  EXPECT_TRUE(contains(with([](json& d) { d["sections"][2].erase("key"); }), "x.json: sections[2].key: missing ("));
  EXPECT_TRUE(contains(with([](json& d) { d.erase("track"); }), "x.json: track: missing ("));
  EXPECT_TRUE(contains(with([](json& d) { d.erase("segments"); }), "x.json: segments: missing (an empty array"));
  EXPECT_TRUE(contains(with([](json& d) { d["track"].erase("key"); }), "x.json: track.key: missing ("));

  AnalysisFile a = c_g_c_am();
  a.segments.resize(2);
  doc = spotify_json(a);
  EXPECT_EQ(parse_error(doc.dump()), "");
  EXPECT_EQ(with([](json& d) { d["segments"][1]["pitches"].erase(11); }),
            "x.json: segments[1].pitches: expected 12 numbers (C, C#, ..., B), got 11");
  EXPECT_EQ(with([](json& d) { d["segments"][0]["timbre"][4] = "x"; }),
            "x.json: segments[0].timbre[4]: expected a number, got a string");
  EXPECT_TRUE(contains(with([](json& d) { d["segments"][1].erase("loudness_max"); }),
                       "x.json: segments[1].loudness_max: missing ("));
  // Fields genrelab does not read may be anything.
  EXPECT_EQ(with([](json& d) {
              d["segments"][0]["loudness_end"] = nullptr;
              d["sections"][0]["key_confidence"] = "high";
              d["bars"] = 3;
            }),
            "");
}

// ---- the join ------------------------------------------------------------

class AnalysisJoin : public ::testing::Test {
 protected:
  void SetUp() override { dir = scratch_dir(::testing::UnitTest::GetInstance()->current_test_info()->name()); }
  void TearDown() override { fs::remove_all(dir); }
  void write_analysis(const std::string& relative, const AnalysisFile& a) {
    write_text(dir / "analyses" / relative, spotify_json(a).dump());
  }
  genrelab::AnalysisJoinRequest request(const std::string& csv) {
    genrelab::AnalysisJoinRequest r;
    r.tracks = (dir / csv).string();
    r.analysis_dir = (dir / "analyses").string();
    r.output = (dir / "joined.csv").string();
    return r;
  }
  std::string message_of(const genrelab::AnalysisJoinRequest& r) {
    try {
      genrelab::join_analysis_features(r);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }
  // The cells `values` would print as, after a row's own cells.
  static std::string cells(const AnalysisFile& a) {
    std::string out;
    for (double v : analysis_features(a)) out.append(",").append(v == 0 ? std::string("0") : fmt::format("{}", v));
    return out;
  }
  static std::string header() {
    std::string out;
    for (const auto& c : analysis_feature_columns()) out.append(",").append(c);
    return out;
  }
  fs::path dir;
};

TEST_F(AnalysisJoin, ByFilenameWithSubfoldersKeepsEveryCellAsItWas) {
  // As genrelab extract writes it, plus cells that need quoting.
  write_text(dir / "f.csv",
             "filename,length,tempo,label\n"
             "gtzan/classical.00000.wav,661794,123.046875,classical\n"
             "\"gtzan/rock/x \"\"live\"\", take 2.wav\",22050,0.000100,\"rock, alt\"\n"
             "top.wav,1,1e-3,\"multi\nline\"\n");
  write_analysis("gtzan/classical.00000.wav.json", c_g_c_am());
  write_analysis("gtzan/rock/x \"live\", take 2.wav.json", varied(3));
  write_analysis("top.wav.json", varied(4));
  const auto s = genrelab::join_analysis_features(request("f.csv"));
  EXPECT_EQ(s.key_column, "filename");
  EXPECT_EQ(s.rows_in, 3u);
  EXPECT_EQ(s.rows_out, 3u);
  EXPECT_EQ(s.analyses, 3u);
  EXPECT_EQ(s.columns_added, 70u);
  EXPECT_TRUE(s.dropped.empty());
  const std::string out = slurp((dir / "joined.csv").string());
  EXPECT_EQ(out, "filename,length,tempo,label" + header() + "\n" +
                     "gtzan/classical.00000.wav,661794,123.046875,classical" + cells(c_g_c_am()) + "\n" +
                     "\"gtzan/rock/x \"\"live\"\", take 2.wav\",22050,0.000100,\"rock, alt\"" + cells(varied(3)) +
                     "\n" + "top.wav,1,1e-3,\"multi\nline\"" + cells(varied(4)) + "\n");
  // And it reads back as the same table plus the columns.
  const genrelab::Table t = genrelab::read_csv((dir / "joined.csv").string());
  ASSERT_EQ(t.n_rows(), 3u);
  EXPECT_EQ(t.n_cols(), 74u);
  EXPECT_EQ(t.cell(1, 0), "gtzan/rock/x \"live\", take 2.wav");
  EXPECT_EQ(t.cell(2, 3), "multi\nline");
  EXPECT_EQ(t.cell(0, 4), "0.5");       // sec_degree_0 of C, G, C, Am
  EXPECT_EQ(t.cell(0, 4 + 17), "4");    // sec_count
}

TEST_F(AnalysisJoin, ByTrackIdWhenThereIsNoFilenameAndOneParsePerTrack) {
  // A track in two playlists is two rows with one analysis.
  write_text(dir / "spotify.csv",
             "track_id,artists,track_genre,danceability\n"
             "5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,acoustic,0.676\n"
             "4qPNDBW1i3p13qLCt0Ki3A,Ben Woodward,acoustic,0.42\n"
             "5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,j-pop,0.676\n");
  write_analysis("5SuOikwiRyPMVoIQDJUgSV.json", varied(1));
  write_analysis("4qPNDBW1i3p13qLCt0Ki3A.json", varied(2));
  const auto s = genrelab::join_analysis_features(request("spotify.csv"));
  EXPECT_EQ(s.key_column, "track_id");
  EXPECT_EQ(s.rows_out, 3u);
  EXPECT_EQ(s.analyses, 2u);
  const auto lines = lines_of(slurp((dir / "joined.csv").string()));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], "5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,acoustic,0.676" + cells(varied(1)));
  EXPECT_EQ(lines[2], "4qPNDBW1i3p13qLCt0Ki3A,Ben Woodward,acoustic,0.42" + cells(varied(2)));
  EXPECT_EQ(lines[3], "5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,j-pop,0.676" + cells(varied(1)));
}

TEST_F(AnalysisJoin, FilenameWinsOverTrackIdUnlessKeyNamesTheColumn) {
  write_text(dir / "both.csv", "track_id,filename\nid1,a.wav\n");
  write_analysis("a.wav.json", varied(1));
  write_analysis("id1.json", varied(2));
  EXPECT_EQ(genrelab::join_analysis_features(request("both.csv")).key_column, "filename");
  EXPECT_EQ(lines_of(slurp((dir / "joined.csv").string()))[1], "id1,a.wav" + cells(varied(1)));
  auto r = request("both.csv");
  r.key_column = "track_id";
  EXPECT_EQ(genrelab::join_analysis_features(r).key_column, "track_id");
  EXPECT_EQ(lines_of(slurp((dir / "joined.csv").string()))[1], "id1,a.wav" + cells(varied(2)));
  r.key_column = "nope";
  EXPECT_THROW(genrelab::join_analysis_features(r), genrelab::UsageError);
}

TEST_F(AnalysisJoin, MissingAnalysesAreListedAndNothingIsWritten) {
  std::string csv = "track_id,x\n";
  for (int i = 0; i < 14; ++i) csv += fmt::format("t{:02},{}\n", i, i);
  write_text(dir / "t.csv", csv);
  write_analysis("t00.json", varied(0));
  write_analysis("t05.json", varied(5));
  write_text(dir / "joined.csv", "an older output\n");
  const std::string m = message_of(request("t.csv"));
  EXPECT_TRUE(contains(m, "no analysis for 12 of 14 rows (joined by track_id: ")) << m;
  EXPECT_TRUE(contains(m, fmt::format("\n  {} (line 3)", (dir / "analyses" / "t01.json").string()))) << m;
  EXPECT_TRUE(contains(m, "t11.json (line 13)")) << m;  // the 10th listed
  EXPECT_FALSE(contains(m, "t12.json")) << m;
  EXPECT_TRUE(contains(m, "... and 2 more")) << m;
  EXPECT_TRUE(contains(m, "--missing drop")) << m;
  EXPECT_EQ(slurp((dir / "joined.csv").string()), "an older output\n");
}

TEST_F(AnalysisJoin, MissingDropLeavesTheRowsOutAndSaysWhich) {
  write_text(dir / "t.csv", "track_id,x\na,1\nb,2\nc,3\n");
  write_analysis("a.json", varied(0));
  write_analysis("c.json", varied(2));
  auto r = request("t.csv");
  r.missing = genrelab::MissingAnalysis::drop;
  const auto s = genrelab::join_analysis_features(r);
  EXPECT_EQ(s.rows_in, 3u);
  EXPECT_EQ(s.rows_out, 2u);
  ASSERT_EQ(s.dropped.size(), 1u);
  EXPECT_EQ(s.dropped[0], (dir / "analyses" / "b.json").string());
  const auto lines = lines_of(slurp((dir / "joined.csv").string()));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "a,1" + cells(varied(0)));
  EXPECT_EQ(lines[2], "c,3" + cells(varied(2)));
  // Dropping every row is a wrong folder, not a result.
  fs::remove_all(dir / "analyses");
  fs::create_directories(dir / "analyses");
  EXPECT_TRUE(contains(message_of(r), "no row has an analysis")) << message_of(r);
}

TEST_F(AnalysisJoin, RefusesWhatWouldGoWrong) {
  write_text(dir / "t.csv", "track_id,x\na,1\n");
  write_analysis("a.json", varied(0));
  auto r = request("t.csv");
  r.output = r.tracks;
  EXPECT_THROW(genrelab::join_analysis_features(r), genrelab::UsageError);
  EXPECT_EQ(slurp(r.tracks), "track_id,x\na,1\n");
  r.output = (dir / "analyses" / "a.json").string();
  EXPECT_TRUE(contains(message_of(r), "is an analysis and the output")) << message_of(r);

  write_text(dir / "nokey.csv", "name,x\na,1\n");
  EXPECT_TRUE(contains(message_of(request("nokey.csv")), "no 'filename' column")) << message_of(request("nokey.csv"));
  write_text(dir / "climb.csv", "filename\n../t.csv\n");
  EXPECT_TRUE(contains(message_of(request("climb.csv")), "line 2, column 'filename'"))
      << message_of(request("climb.csv"));
  EXPECT_TRUE(contains(message_of(request("climb.csv")), "leads outside the analysis directory"));
  write_text(dir / "empty.csv", "filename\n\"\"\n");
  EXPECT_TRUE(contains(message_of(request("empty.csv")), "empty 'filename'")) << message_of(request("empty.csv"));
  write_text(dir / "again.csv", "track_id,sec_count\na,4\n");
  EXPECT_TRUE(contains(message_of(request("again.csv")), "already has a column 'sec_count'"))
      << message_of(request("again.csv"));
  r = request("t.csv");
  r.analysis_dir = (dir / "nowhere").string();
  EXPECT_TRUE(contains(message_of(r), "no such directory")) << message_of(r);
  EXPECT_FALSE(fs::exists(dir / "joined.csv"));
}

TEST_F(AnalysisJoin, AMalformedAnalysisIsNamedAndNothingIsWritten) {
  write_text(dir / "t.csv", "track_id\na\nb\nc\n");
  write_analysis("a.json", varied(0));
  json bad = spotify_json(varied(1));
  bad["sections"][1]["key"] = "G";
  write_text(dir / "analyses" / "b.json", bad.dump());
  write_text(dir / "analyses" / "c.json", "{\"track\": ");
  // b comes first in the CSV, whichever thread reads it.
  EXPECT_EQ(message_of(request("t.csv")),
            (dir / "analyses" / "b.json").string() + ": sections[1].key: expected a number, got a string");
  EXPECT_FALSE(fs::exists(dir / "joined.csv"));
}

// ---- the command line ----------------------------------------------------

TEST_F(AnalysisJoin, CliHelpHasAnExample) {
  const auto r = run_cli("features --help", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "--analysis-dir")) << r.out;
  EXPECT_TRUE(contains(r.out, "Example:  genrelab extract")) << r.out;
  EXPECT_TRUE(contains(r.out, "--missing")) << r.out;
}

TEST_F(AnalysisJoin, CliJoinsReportsAndExitCodes) {
  write_text(dir / "f.csv", "filename,label\ngtzan/a.wav,x\ngtzan/b.wav,y\n");
  write_analysis("gtzan/a.wav.json", varied(0));
  write_analysis("gtzan/b.wav.json", varied(1));
  auto r = run_cli("features --analysis-dir analyses f.csv -o out/joined.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(contains(r.err, "2 rows joined by filename (analyses/<filename>.json, 2 analyses), 70 columns added"))
      << r.err;
  EXPECT_EQ(lines_of(slurp((dir / "out" / "joined.csv").string()))[2], "gtzan/b.wav,y" + cells(varied(1)));
  r = run_cli("features --analysis-dir analyses/ f.csv -o j3.csv", dir);
  EXPECT_TRUE(contains(r.err, "joined by filename (analyses/<filename>.json,")) << r.err;
  r = run_cli("features --analysis-dir analyses f.csv -o j2.csv --quiet", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  // --key: the analyses are named by another column.
  write_text(dir / "k.csv", "song,label\ngtzan/b.wav,y\n");
  r = run_cli("features --analysis-dir analyses k.csv -o k-joined.csv --key song", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "joined by song (analyses/<song>.json")) << r.err;
  EXPECT_EQ(lines_of(slurp((dir / "k-joined.csv").string()))[1], "gtzan/b.wav,y" + cells(varied(1)));
  EXPECT_EQ(run_cli("features --analysis-dir analyses k.csv -o k2.csv", dir).exit_code, 1);  // no filename/track_id
  EXPECT_EQ(run_cli("features --analysis-dir analyses k.csv -o k2.csv --key nope", dir).exit_code, 2);

  // Bad usage: 2; the input is never the output.
  EXPECT_EQ(run_cli("features f.csv -o x.csv", dir).exit_code, 2);
  EXPECT_EQ(run_cli("features --analysis-dir analyses f.csv -o x.csv --missing skip", dir).exit_code, 2);
  r = run_cli("features --analysis-dir analyses f.csv -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "is the same file as the input")) << r.err;
  EXPECT_EQ(slurp((dir / "f.csv").string()), "filename,label\ngtzan/a.wav,x\ngtzan/b.wav,y\n");

  // A missing analysis: 1, listed, nothing written; --missing drop: the count on stderr.
  write_text(dir / "g.csv", "filename,label\ngtzan/a.wav,x\ngtzan/c.wav,y\n");
  r = run_cli("features --analysis-dir analyses g.csv -o g-joined.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "no analysis for 1 of 2 rows")) << r.err;
  EXPECT_TRUE(contains(r.err, "analyses/gtzan/c.wav.json (line 3)")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "g-joined.csv"));
  r = run_cli("features --analysis-dir analyses g.csv -o g-joined.csv --missing drop --quiet", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "dropped 1 of 2 rows whose analysis is missing (--missing drop): analyses/gtzan/c.wav.json"))
      << r.err;
  EXPECT_EQ(lines_of(slurp((dir / "g-joined.csv").string())).size(), 2u);

  // A malformed analysis: 1, the file and the JSON path.
  write_text(dir / "analyses" / "gtzan" / "a.wav.json", R"({"track": {"duration": "long"}})");
  r = run_cli("features --analysis-dir analyses f.csv -o bad.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "analyses/gtzan/a.wav.json: track.duration: expected a number, got a string")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bad.csv"));
}

TEST_F(AnalysisJoin, CompareRunsOnTheJoinedCsv) {
  // Two genres whose analyses differ (keys, timbre), as extract writes its CSV.
  std::string csv = "filename,length,label\n";
  for (int k = 0; k < 24; ++k) {
    const std::string genre = k % 2 ? "jazz" : "blues";
    const std::string name = fmt::format("{}/{}.{:05}.wav", genre, genre, k);
    csv += fmt::format("{},{},{}\n", name, 22050 + k, genre);
    AnalysisFile a = varied(k % 2 ? 1 + (k % 5) : 6 + (k % 5));
    write_analysis(name + ".json", a);
  }
  write_text(dir / "features.csv", csv);
  auto r = run_cli("features --analysis-dir analyses features.csv -o joined.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli("compare joined.csv --models decision_tree,dummy --cv 3 -o results", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(contains(r.out, "decision_tree")) << r.out;
  const std::string results = slurp((dir / "results" / "comparison.json").string());
  EXPECT_TRUE(contains(results, "sec_degree_0")) << "the new columns are features";
  EXPECT_TRUE(contains(results, "seg_timbre_mean_0"));
}
