// The state file next to an extract output (`features.csv.extract.jsonl`),
// JSON lines:
//   {"genrelab_extract_state":1,"settings":{...}}                     first line
//   {"file":"jazz/a.wav","size":N,"mtime_ns":T,"track":"length,v1,...","segments":["length,v1,...",...]}
//   {"output":"features","fnv1a64":"0123456789abcdef"}               an output genrelab wrote
// Records are appended (and flushed) as files finish; a later record for the
// same file wins; a line cut short by a kill is ignored.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "study/extract_internal.h"

namespace genrelab::extract_detail {

using nlohmann::json;

namespace {
std::string hex(std::uint64_t h) { return fmt::format("{:016x}", h); }
}  // namespace

std::string text_checksum(std::string_view text) { return hex(fnv1a64(text)); }

std::string file_checksum(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "";
  std::uint64_t h = 0xcbf29ce484222325ULL;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;)
    for (std::size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(buffer[i]);
      h *= 0x100000001b3ULL;
    }
  const bool failed = std::ferror(f);
  std::fclose(f);
  return failed ? "" : hex(h);
}

std::string state_header_line(const std::string& settings) {
  return json{{"genrelab_extract_state", 1}, {"settings", json::parse(settings)}}.dump() + "\n";
}

std::string state_record_line(const FileRecord& r) {
  return json{{"file", r.filename}, {"size", r.size}, {"mtime_ns", r.mtime_ns}, {"track", r.track}, {"segments", r.segments}}
             .dump(-1, ' ', false, json::error_handler_t::replace) +
         "\n";
}

std::string state_output_line(const std::string& role, const std::string& checksum) {
  return json{{"output", role}, {"fnv1a64", checksum}}.dump() + "\n";
}

State read_state(const std::string& path) {
  State state;
  std::ifstream in(path, std::ios::binary);
  if (!in) return state;
  state.exists = true;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  if (lines.empty()) return state;
  try {
    const json header = json::parse(lines[0]);
    if (!header.is_object() || header.value("genrelab_extract_state", 0) != 1 || !header.contains("settings"))
      return state;
    state.settings = header.at("settings").dump();
  } catch (const json::exception&) {
    return state;
  }
  state.readable = true;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    try {
      const json j = json::parse(lines[i]);
      if (j.contains("file")) {
        FileRecord r;
        r.filename = j.at("file").get<std::string>();
        r.size = j.at("size").get<std::uint64_t>();
        r.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
        r.track = j.at("track").get<std::string>();
        r.segments = j.at("segments").get<std::vector<std::string>>();
        state.records[r.filename] = std::move(r);
      } else if (j.contains("output")) {
        state.outputs[j.at("output").get<std::string>()].insert(j.at("fnv1a64").get<std::string>());
      }
    } catch (const json::exception&) {
      if (i + 1 < lines.size()) ++state.damaged_lines;  // the last line may be cut short by a kill
    }
  }
  return state;
}

}  // namespace genrelab::extract_detail
