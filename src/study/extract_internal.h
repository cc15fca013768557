// Pieces of `genrelab extract` shared by src/study/extract*.cpp: finding the
// audio files, labelling them, CSV cells, and the state file (journal +
// manifest) that makes a batch resumable.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "genrelab/extract.h"

namespace genrelab::extract_detail {

struct AudioFile {
  std::string path;      // to open: the root as given joined with `filename`
  std::string filename;  // relative to its root, '/'-separated: the CSV's filename column
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string label;
  bool named = false;    // given on the command line (not found in a directory)
};

struct Discovery {
  std::vector<AudioFile> files;        // this shard's audio files, sorted by filename
  std::vector<std::string> not_audio;  // this shard's files skipped as not audio (relative names)
  std::size_t other_shards = 0;
};

// Walks the inputs (directories recursively, hidden entries and `own_files`
// skipped), keeps this shard's files, and decides which are audio: a file
// named on the command line or with an audio/video extension always is (and
// fails loudly later if it cannot be decoded); any other file is audio when
// looks_like_audio() says so. Throws InputError for a missing input or two
// files that would get the same filename.
Discovery discover_audio(const std::vector<std::string>& inputs, const std::vector<std::string>& own_files,
                         std::size_t shard_index, std::size_t shard_count, int jobs);

bool has_audio_extension(std::string_view filename);

// Fills AudioFile::label from --labels or --label-from; throws InputError
// listing every file that gets no label (before any work), UsageError for a
// malformed --label-from.
void assign_labels(std::vector<AudioFile>& files, const std::string& labels_file, const std::string& label_from);

// RFC 4180 cell: quoted only when it holds a comma, a quote or a line break.
std::string csv_cell(std::string_view text);
// "length,v1,...,vn": the feature cells of one row, numbers shortest-round-trip.
std::string feature_cells(const FeatureRow& row);

// ---- state file ---------------------------------------------------------
struct FileRecord {
  std::string filename;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string track;                  // feature_cells of the track row
  std::vector<std::string> segments;  // feature_cells of each segment row
};

struct State {
  bool exists = false;
  bool readable = false;  // a header genrelab wrote
  std::string settings;   // the header's settings, as JSON text
  std::map<std::string, FileRecord> records;              // last record per filename
  std::map<std::string, std::set<std::string>> outputs;   // role ("features"/"segments") -> checksums written
  std::size_t damaged_lines = 0;                          // unreadable lines before the last one
};

State read_state(const std::string& path);
std::string state_header_line(const std::string& settings);
std::string state_record_line(const FileRecord& record);
std::string state_output_line(const std::string& role, const std::string& checksum);
// FNV-1a 64 of a file's bytes as 16 hex digits ("" when it cannot be read).
std::string file_checksum(const std::string& path);
std::string text_checksum(std::string_view text);

}  // namespace genrelab::extract_detail
