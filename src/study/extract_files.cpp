// Which files a batch extracts, what they are called in the output, and their
// labels.
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>
#include <unordered_map>

#include "genrelab/error.h"
#include "genrelab/table.h"
#include "study/extract_internal.h"

namespace genrelab {

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::size_t shard_of(std::string_view filename, std::size_t shard_count) {
  return shard_count <= 1 ? 1 : static_cast<std::size_t>(fnv1a64(filename) % shard_count) + 1;
}

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto number = [&](std::string_view s) -> std::size_t {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return 0;
    return static_cast<std::size_t>(std::stoul(std::string(s)));
  };
  if (slash != std::string::npos) {
    const std::size_t k = number(std::string_view(text).substr(0, slash));
    const std::size_t n = number(std::string_view(text).substr(slash + 1));
    if (k >= 1 && n >= 1 && k <= n) return {k, n};
  }
  throw UsageError(fmt::format("--shard '{}': expected K/N with 1 <= K <= N (e.g. --shard 2/8 for the second of 8 "
                               "shares; a Slurm array passes --shard $((SLURM_ARRAY_TASK_ID+1))/N)",
                               text));
}

namespace extract_detail {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string base_name(std::string_view filename) {
  const auto slash = filename.rfind('/');
  return std::string(slash == std::string_view::npos ? filename : filename.substr(slash + 1));
}

// A file's own files (output, segments output, state file) and their
// temporary siblings, which a walk over the output's folder must not pick up.
struct OwnFiles {
  struct Entry {
    std::string name;
    fs::path folder;  // weakly canonical
  };
  std::vector<Entry> entries;

  explicit OwnFiles(const std::vector<std::string>& paths) {
    for (const auto& p : paths) {
      if (p.empty()) continue;
      std::error_code ec;
      const fs::path path(p);
      fs::path folder = fs::weakly_canonical(fs::absolute(path.parent_path().empty() ? "." : path.parent_path()), ec);
      entries.push_back({path.filename().string(), folder});
    }
  }
  bool contains(const fs::path& file) const {
    const std::string name = file.filename().string();
    for (const auto& e : entries) {
      if (name != e.name && name.rfind(e.name + ".tmp-", 0) != 0) continue;
      std::error_code ec;
      const fs::path folder = fs::weakly_canonical(fs::absolute(file.parent_path()), ec);
      if (!ec && folder == e.folder) return true;
    }
    return false;
  }
};

void stat_file(AudioFile& f) {
  struct stat st {};
  if (::stat(f.path.c_str(), &st) != 0) throw InputError(fmt::format("{}: cannot read the file's size and time", f.path));
  f.size = static_cast<std::uint64_t>(st.st_size);
  f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

// Runs fn(i) for i in [0, n) on `jobs` threads.
template <class Fn>
void parallel_for(std::size_t n, int jobs, Fn fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), n);
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace

bool has_audio_extension(std::string_view filename) {
  static constexpr std::array<std::string_view, 48> kExtensions = {
      "wav", "wave", "aif", "aiff", "aifc", "flac", "mp3",  "mp2",  "mpga", "ogg", "oga", "opus",
      "spx", "m4a",  "m4b", "aac",  "alac", "wma",  "ape",  "wv",   "mpc",  "tta", "mka", "caf",
      "au",  "snd",  "ac3", "eac3", "dts",  "amr",  "w64",  "rf64", "voc",  "dsf", "dff", "mp4",
      "m4v", "mov",  "mkv", "webm", "avi",  "flv",  "wmv",  "mpg",  "mpeg", "3gp", "ts",  "mts"};
  const std::string name = base_name(filename);
  const auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  const std::string ext = lower(std::string_view(name).substr(dot + 1));
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

Discovery discover_audio(const std::vector<std::string>& inputs, const std::vector<std::string>& own_files,
                         std::size_t shard_index, std::size_t shard_count, int jobs) {
  const OwnFiles own(own_files);
  std::vector<AudioFile> found;
  auto add = [&](std::string path, std::string filename, bool named) {
    AudioFile f;
    f.path = std::move(path);
    f.filename = std::move(filename);
    f.named = named;
    found.push_back(std::move(f));
  };
  for (const std::string& input : inputs) {
    std::error_code ec;
    const fs::path root(input);
    const fs::file_status status = fs::status(root, ec);
    if (!fs::exists(status)) throw InputError(fmt::format("{}: no such file or directory", input));
    if (fs::is_regular_file(status)) {
      add(input, root.filename().string(), true);
      continue;
    }
    if (!fs::is_directory(status))
      throw InputError(fmt::format("{}: neither a regular file nor a directory", input));
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
    if (ec) throw InputError(fmt::format("{}: cannot read the directory: {}", input, ec.message()));
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) throw InputError(fmt::format("{}: cannot read a directory under it: {}", input, ec.message()));
      const fs::path& path = it->path();
      const std::string name = path.filename().string();
      std::error_code type_ec;
      if (name.empty() || name[0] == '.') {  // hidden files and folders
        if (it->is_directory(type_ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(type_ec) || own.contains(path)) continue;
      add(path.string(), path.lexically_relative(root).generic_string(), false);
    }
    if (ec) throw InputError(fmt::format("{}: cannot read a directory under it: {}", input, ec.message()));
  }

  // One filename, one file.
  std::sort(found.begin(), found.end(), [](const AudioFile& a, const AudioFile& b) { return a.filename < b.filename; });
  std::vector<AudioFile> unique;
  std::vector<std::string> clashes;
  for (auto& f : found) {
    if (!unique.empty() && unique.back().filename == f.filename) {
      std::error_code ec;
      if (fs::equivalent(unique.back().path, f.path, ec)) continue;  // the same file reached twice
      if (clashes.size() < 5)
        clashes.push_back(fmt::format("  {} and {} would both be '{}'", unique.back().path, f.path, f.filename));
      continue;
    }
    unique.push_back(std::move(f));
  }
  if (!clashes.empty())
    throw InputError(fmt::format("two input files get the same filename in the output:\n{}\nThe filename is the path "
                                 "relative to the folder given on the command line (a file given directly: its name); "
                                 "give the folder that holds both, or extract them to separate outputs",
                                 fmt::join(clashes, "\n")));

  Discovery d;
  std::vector<AudioFile> mine;
  for (auto& f : unique) {
    if (shard_of(f.filename, shard_count) != shard_index) {
      ++d.other_shards;
      continue;
    }
    mine.push_back(std::move(f));
  }
  // Content decides for files without an audio extension.
  std::vector<char> audio(mine.size(), 1);
  parallel_for(mine.size(), jobs, [&](std::size_t i) {
    if (!mine[i].named && !has_audio_extension(mine[i].filename)) audio[i] = looks_like_audio(mine[i].path) ? 1 : 0;
  });
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (!audio[i]) {
      d.not_audio.push_back(mine[i].filename);
      continue;
    }
    stat_file(mine[i]);
    d.files.push_back(std::move(mine[i]));
  }
  return d;
}

// ---- labels -------------------------------------------------------------

namespace {

struct LabelEntry {
  std::string label;
  long line = 0;
};

std::string normalise_key(std::string_view text) {
  std::string key = trim(text);
  std::replace(key.begin(), key.end(), '\\', '/');
  while (key.rfind("./", 0) == 0) key.erase(0, 2);
  return key;
}

std::optional<std::size_t> find_column(const Table& t, std::initializer_list<std::string_view> names,
                                       const std::string& file, bool required) {
  std::vector<std::size_t> hits;
  for (std::size_t c = 0; c < t.n_cols(); ++c) {
    const std::string name = lower(trim(t.column_name(c)));
    if (std::find(names.begin(), names.end(), name) != names.end()) hits.push_back(c);
  }
  if (hits.size() > 1)
    throw InputError(fmt::format("{}: both '{}' and '{}' columns: keep one of them", file, t.column_name(hits[0]),
                                 t.column_name(hits[1])));
  if (hits.empty()) {
    if (!required) return std::nullopt;
    throw InputError(fmt::format("{}: no '{}' column (the header is: {}). A labels file has a 'file' column and a "
                                 "'genre' (or 'label') column",
                                 file, fmt::join(names, "' or '"), fmt::join(t.header(), ",")));
  }
  return hits[0];
}

}  // namespace

void assign_labels(std::vector<AudioFile>& files, const std::string& labels_file, const std::string& label_from) {
  if (labels_file.empty() && label_from.empty()) return;
  if (!labels_file.empty() && !label_from.empty())
    throw UsageError("--labels and --label-from are alternatives: give one of them");
  std::vector<std::string> missing;
  std::string source;

  if (!labels_file.empty()) {
    source = labels_file;
    const Table t = read_csv(labels_file);
    const std::size_t file_col = *find_column(t, {"file", "filename", "path"}, labels_file, true);
    const std::size_t label_col = *find_column(t, {"genre", "label"}, labels_file, true);
    std::map<std::string, LabelEntry> by_path;
    std::unordered_map<std::string, std::vector<const LabelEntry*>> by_name;
    for (std::size_t r = 0; r < t.n_rows(); ++r) {
      const std::string key = normalise_key(t.cell(r, file_col));
      if (key.empty()) throw InputError(fmt::format("{}: the file cell is empty", where(labels_file, t.line_of(r), t.column_name(file_col))));
      LabelEntry entry{trim(t.cell(r, label_col)), t.line_of(r)};
      auto [it, inserted] = by_path.emplace(key, entry);
      if (!inserted && it->second.label != entry.label)
        throw InputError(fmt::format("{}: '{}' is labelled '{}' on line {} and '{}' on line {}", labels_file, key,
                                     it->second.label, it->second.line, entry.label, entry.line));
    }
    for (const auto& [key, entry] : by_path) by_name[base_name(key)].push_back(&entry);
    for (auto& f : files) {
      const LabelEntry* entry = nullptr;
      std::string why;
      if (auto it = by_path.find(f.filename); it != by_path.end()) {
        entry = &it->second;
      } else if (auto nt = by_name.find(base_name(f.filename)); nt != by_name.end()) {
        const auto& candidates = nt->second;
        const bool agree = std::all_of(candidates.begin(), candidates.end(),
                                       [&](const LabelEntry* e) { return e->label == candidates[0]->label; });
        if (agree)
          entry = candidates[0];
        else
          why = fmt::format(" ({} rows named {} disagree: give the path relative to the folder)", candidates.size(),
                            base_name(f.filename));
      }
      if (entry && entry->label.empty()) why = fmt::format(" (empty on line {})", entry->line);
      if (entry && !entry->label.empty())
        f.label = entry->label;
      else
        missing.push_back(f.filename + why);
    }
  } else if (label_from == "parent" || label_from == "prefix") {
    source = "--label-from " + label_from;
    for (auto& f : files) {
      if (label_from == "parent") {
        f.label = fs::absolute(fs::path(f.path)).lexically_normal().parent_path().filename().string();
      } else {
        const std::string name = base_name(f.filename);
        f.label = name.substr(0, name.find('.'));
      }
      if (f.label.empty()) missing.push_back(f.filename);
    }
  } else if (label_from.rfind("regex:", 0) == 0) {
    source = "--label-from " + label_from;
    const std::string pattern = label_from.substr(6);
    std::regex re;
    try {
      re = std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw UsageError(fmt::format("--label-from regex:{}: not a valid regular expression ({})", pattern, e.what()));
    }
    if (re.mark_count() < 1)
      throw UsageError(fmt::format("--label-from regex:{}: needs a capture group, e.g. regex:^([^/]+)/ for the first "
                                   "folder of the relative path",
                                   pattern));
    for (auto& f : files) {
      std::smatch m;
      if (std::regex_search(f.filename, m, re) && m[1].matched && m[1].length() > 0)
        f.label = m[1].str();
      else
        missing.push_back(f.filename);
    }
  } else {
    throw UsageError(fmt::format("--label-from '{}': expected parent (the folder name), prefix (the file name up to "
                                 "its first '.', as GTZAN's blues.00000.wav) or regex:PATTERN (the first capture "
                                 "group of the relative path)",
                                 label_from));
  }

  if (!missing.empty()) {
    const std::size_t shown = std::min<std::size_t>(missing.size(), 20);
    std::string list;
    for (std::size_t i = 0; i < shown; ++i) list += "\n  " + missing[i];
    if (shown < missing.size()) list += fmt::format("\n  ... and {} more", missing.size() - shown);
    throw InputError(fmt::format("{}: no label for {} of {} audio files:{}\nEvery file needs a label; nothing was "
                                 "extracted",
                                 source, missing.size(), files.size(), list));
  }
}

// ---- CSV cells ----------------------------------------------------------

std::string csv_cell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string feature_cells(const FeatureRow& row) {
  std::string out = fmt::format("{}", row.length);
  for (double v : row.values) {
    out += ',';
    fmt::format_to(std::back_inserter(out), "{}", v);
  }
  return out;
}

}  // namespace extract_detail
}  // namespace genrelab
