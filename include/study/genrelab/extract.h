// Batch feature extraction over a music library (`genrelab extract`) and the
// joining of shard outputs (`genrelab merge`).
//
// Output: one CSV row per audio file, `filename,length,<feature columns>[,label]`,
// filename = path relative to the directory it was found under (a file named
// directly: its base name), rows sorted bytewise by filename, numbers printed
// shortest-round-trip, so the bytes never depend on --jobs or the shard.
// Next to the output, `<output>.extract.jsonl` (the state file) holds
// the extraction settings, one JSON line per finished file (its size,
// modification time and feature cells; appended and flushed as each file
// finishes, so a killed run loses only the files in flight) and the checksums
// of the outputs genrelab wrote (so a file it did not write is never replaced
// without --force). A rerun reuses every file whose path, size, modification
// time and settings are unchanged.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "genrelab/audio_features.h"
#include "genrelab/progress.h"

namespace genrelab {

struct ExtractRequest {
  std::vector<std::string> inputs;  // files and directories
  std::string output;               // features CSV
  std::string segments_output;      // "" = <stem>.segments.csv when options.segment_seconds > 0
  std::string analysis_dir;         // "" = none; else DIR/<filename>.json per file (Spotify-shaped analysis)
  ExtractOptions options;
  int jobs = 0;                     // files in parallel; 0 = all cores
  std::string labels_file;          // CSV with `file` and `genre` (or `label`) columns
  std::string label_from;           // parent | prefix | regex:PATTERN
  bool force = false;               // extract every file again; replace an output genrelab did not write
  ProgressStyle progress = ProgressStyle::automatic;
  std::size_t shard_index = 1, shard_count = 1;  // --shard K/N, K in 1..N
};

struct ExtractFailure {
  std::string filename;  // relative, as in the output
  std::string message;   // AudioError's message: names the file and says why
};

struct ExtractSummary {
  std::size_t audio_files = 0;    // audio files in this shard
  std::size_t other_shards = 0;   // files left to the other shards
  std::size_t reused = 0;         // rows taken from the previous run
  std::size_t extracted = 0;      // rows computed in this run
  std::vector<ExtractFailure> failures;
  std::vector<std::string> not_audio;  // files skipped because their content is not audio (relative names)
  std::size_t rows = 0, segment_rows = 0;
  bool interrupted = false;       // stopped by the `stop` flag; nothing written but the state file
  std::size_t left = 0;           // files still to do when interrupted
  std::string output, segments_output, state_file;
  double audio_seconds = 0.0, wall_seconds = 0.0;  // of the files extracted in this run
};

// Runs one batch. Failures are reported on `messages` as they happen (one line
// each) and listed in the summary; the good rows are still written. When
// `stop` becomes true (SIGINT), files in flight finish, the rest are left for
// a rerun and no output is written. Throws UsageError / InputError for problems
// found before any work (unknown files, missing labels, an output genrelab did
// not write).
ExtractSummary run_extract(const ExtractRequest& request, std::FILE* messages,
                           const std::atomic<bool>* stop = nullptr);

// The end-of-run report for people (stderr): counts, the files skipped as not
// audio (a few named), the failures; `failures_only` (--quiet): just the failures.
std::string extract_summary_text(const ExtractSummary& summary, bool failures_only = false);

// Where the state file and the default segments file of `output` live.
std::string extract_state_path(const std::string& output);
std::string default_segments_path(const std::string& output);

// Sharding: FNV-1a 64 of the relative path's bytes (offset basis
// 0xcbf29ce484222325, prime 0x100000001b3); the file belongs to shard
// (hash mod N) + 1.
std::uint64_t fnv1a64(std::string_view bytes);
std::size_t shard_of(std::string_view filename, std::size_t shard_count);
// "K/N" -> {K, N}; UsageError unless 1 <= K <= N.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text);

struct MergeSummary {
  std::size_t files = 0, rows = 0;
};
// Joins CSVs written by `extract` (shards): same columns in the same order in
// every input (else InputError naming the file and column), no filename in two
// inputs (else InputError naming both), rows sorted by filename, written
// atomically; `output` may not be one of the inputs.
MergeSummary merge_feature_files(const std::vector<std::string>& inputs, const std::string& output);

}  // namespace genrelab
