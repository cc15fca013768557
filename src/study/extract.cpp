// `genrelab extract`: decode and describe every audio file of a library, in
// parallel over files, resumable, shardable, with output bytes that depend on
// nothing but the files and the settings.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/extract.h"
#include "study/extract_internal.h"

namespace genrelab {

namespace fs = std::filesystem;
using namespace extract_detail;

std::string extract_state_path(const std::string& output) { return output + ".extract.jsonl"; }

std::string default_segments_path(const std::string& output) {
  const fs::path p(output);
  if (p.extension() == ".csv") return (p.parent_path() / p.stem()).string() + ".segments.csv";
  return output + ".segments.csv";
}

namespace {

// Everything that changes a row's numbers. A state file written with other
// settings is not reused.
std::string settings_text(const ExtractOptions& o, const std::vector<std::string>& columns) {
  nlohmann::json s = {
      {"genrelab", GENRELAB_VERSION},
      {"sample_rate", o.decode.sample_rate},
      {"offset_seconds", o.decode.offset_seconds},
      {"duration_seconds", o.decode.duration_seconds ? nlohmann::json(*o.decode.duration_seconds) : nlohmann::json()},
      {"n_fft", o.features.n_fft},
      {"hop_length", o.features.hop_length},
      {"librosa", o.features.librosa == LibrosaCompat::gtzan ? "gtzan" : "0.10"},
      {"families", o.features.families},
      {"segment_seconds", o.segment_seconds},
      {"columns", columns},
  };
  return s.dump();
}

// An existing output may be replaced only when genrelab wrote it (its
// checksum is in the state file) or with --force.
void check_replaceable(const std::string& path, const std::string& role, const State& state,
                       const std::string& state_path, bool force) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) return;
  if (!fs::is_regular_file(status))
    throw InputError(fmt::format("{}: exists and is not a regular file; choose another output", path));
  if (force) return;
  const auto it = state.outputs.find(role);
  if (it != state.outputs.end() && it->second.count(file_checksum(path))) return;
  throw InputError(fmt::format("{}: already exists and was not written by genrelab extract, or was changed since "
                               "(no matching checksum in {}); it was left as it is. Pass --force to replace it, or "
                               "choose another output",
                               path, state_path));
}

// "1 file", "3 files".
std::string files(std::size_t n) { return fmt::format("{} file{}", n, n == 1 ? "" : "s"); }

// Locks the existing state file (flock, released when the process ends) so
// two runs on one output refuse rather than interleave; -1 when there is none.
int lock_state(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    ::close(fd);
    throw InputError(fmt::format("{}: another genrelab extract is writing this output (its state file is locked); "
                                 "wait for it to finish, or choose another -o",
                                 path));
  }
  return fd;
}

std::string header_line(const std::vector<std::string>& columns, bool labelled) {
  std::string h = "filename,length";
  for (const auto& c : columns) {
    h += ',';
    h += csv_cell(c);
  }
  if (labelled) h += ",label";
  return h + "\n";
}

void check_finite(const TrackFeatures& t, const std::vector<std::string>& columns, const std::string& path) {
  auto check = [&](const FeatureRow& row, const char* what) {
    for (std::size_t i = 0; i < row.values.size(); ++i)
      if (!std::isfinite(row.values[i]))
        throw AudioError(fmt::format("{}: {} of {} is {} (not a number genrelab can write); please report this file",
                                     path, i < columns.size() ? columns[i] : fmt::format("feature {}", i + 1), what,
                                     row.values[i]));
    if (row.values.size() != columns.size())
      throw AudioError(fmt::format("{}: {} values for {} columns (internal error; please report)", path,
                                   row.values.size(), columns.size()));
  };
  check(t.track, "the track");
  for (const auto& s : t.segments) check(s, "a segment");
}

}  // namespace

ExtractSummary run_extract(const ExtractRequest& req, std::FILE* messages, const std::atomic<bool>* stop) {
  const auto started = std::chrono::steady_clock::now();
  if (req.inputs.empty()) throw UsageError("extract: give at least one audio file or folder");
  if (req.output.empty() || req.output == "-")
    throw UsageError("extract needs an output file (-o features.csv): it resumes from it and its state file");
  if (req.shard_count < 1 || req.shard_index < 1 || req.shard_index > req.shard_count)
    throw UsageError(fmt::format("--shard {}/{}: K must be in 1..N", req.shard_index, req.shard_count));
  if (!(req.options.segment_seconds >= 0)) throw UsageError("--segments must be a positive number of seconds");
  const std::vector<std::string> columns = feature_columns(req.options.features);
  const bool segmented = req.options.segment_seconds > 0;
  ExtractSummary summary;
  summary.output = req.output;
  summary.segments_output =
      segmented ? (req.segments_output.empty() ? default_segments_path(req.output) : req.segments_output) : "";
  summary.state_file = extract_state_path(req.output);
  if (!req.segments_output.empty() && !segmented)
    throw UsageError("--segments-output needs --segments SECONDS");
  for (const auto& input : req.inputs) {
    std::error_code ec;
    for (const std::string& out : {summary.output, summary.segments_output, summary.state_file})
      if (!out.empty() && fs::equivalent(input, out, ec))
        throw UsageError(fmt::format("{} is an input and an output; choose another -o", input));
  }
  if (segmented && fs::absolute(summary.segments_output).lexically_normal() ==
                       fs::absolute(summary.output).lexically_normal())
    throw UsageError("--segments-output is the same file as -o");
  const int jobs = req.jobs > 0 ? req.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  // Everything that can be refused is refused before any file is decoded.
  Discovery found =
      discover_audio(req.inputs, {summary.output, summary.segments_output, summary.state_file}, req.shard_index,
                     req.shard_count, jobs);
  summary.not_audio = found.not_audio;
  summary.other_shards = found.other_shards;
  summary.audio_files = found.files.size();
  if (found.files.empty() && found.other_shards == 0)
    throw InputError(fmt::format("no audio files in {}{}", fmt::join(req.inputs, ", "),
                                 found.not_audio.empty()
                                     ? std::string()
                                     : fmt::format(" ({} skipped: their content is not audio)",
                                                   files(found.not_audio.size()))));
  const bool labelled = !req.labels_file.empty() || !req.label_from.empty();
  assign_labels(found.files, req.labels_file, req.label_from);

  const std::string settings = settings_text(req.options, columns);
  // One run per output: a second one would lose the first one's records.
  const int early_lock = lock_state(summary.state_file, O_RDONLY);
  const State previous = read_state(summary.state_file);
  if (previous.exists && !previous.readable && !req.force)
    throw InputError(fmt::format("{}: exists but is not the state file genrelab extract writes (its first line is "
                                 "not a genrelab header); it was left as it is. Remove it, or pass --force",
                                 summary.state_file));
  check_replaceable(summary.output, "features", previous, summary.state_file, req.force);
  if (segmented) check_replaceable(summary.segments_output, "segments", previous, summary.state_file, req.force);
  const bool resume = !req.force && previous.readable && previous.settings == settings;

  // Which files the previous runs already did.
  std::vector<std::optional<FileRecord>> records(found.files.size());
  std::vector<std::size_t> to_do;
  double to_do_bytes = 0;
  for (std::size_t i = 0; i < found.files.size(); ++i) {
    const AudioFile& f = found.files[i];
    if (resume) {
      const auto it = previous.records.find(f.filename);
      if (it != previous.records.end() && it->second.size == f.size && it->second.mtime_ns == f.mtime_ns) {
        records[i] = it->second;
        ++summary.reused;
        continue;
      }
    }
    to_do.push_back(i);
    to_do_bytes += static_cast<double>(f.size);
  }

  // The state file restarts with the settings, the checksums of the outputs
  // already on disk (they stay replaceable), and the records still valid.
  std::string carried;
  for (const auto& [role, sums] : previous.outputs)
    for (const auto& sum : sums) carried += state_output_line(role, sum);
  auto reused_records = [&] {
    std::string text;
    for (const auto& r : records)
      if (r) text += state_record_line(*r);
    return text;
  };
  write_file_atomic(summary.state_file, state_header_line(settings) + carried + reused_records());

  Progress progress(messages, to_do.empty() ? ProgressStyle::off : req.progress, "extract", to_do.size(),
                    to_do_bytes);
  if (req.progress != ProgressStyle::off) {
    if (!resume && previous.readable && !req.force && !previous.records.empty())
      progress.message(fmt::format("extract: the settings differ from the run that wrote {}: every file is extracted "
                                   "again",
                                   summary.state_file));
    if (summary.reused > 0)
      progress.message(fmt::format("extract: {} unchanged since the last run (kept), {} to extract",
                                   files(summary.reused), to_do.size()));
  }

  // Largest files first, so no core idles at the end on one long track.
  std::stable_sort(to_do.begin(), to_do.end(),
                   [&](std::size_t a, std::size_t b) { return found.files[a].size > found.files[b].size; });

  std::FILE* journal = std::fopen(summary.state_file.c_str(), "ab");
  if (!journal) throw InputError(fmt::format("{}: cannot append: {}", summary.state_file, std::strerror(errno)));
  if (::flock(::fileno(journal), LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    std::fclose(journal);
    throw InputError(fmt::format("{}: another genrelab extract started writing it just now; let it finish, or "
                                 "choose another -o",
                                 summary.state_file));
  }
  if (early_lock >= 0) ::close(early_lock);
  std::mutex mutex;  // journal, summary, records
  std::atomic<std::size_t> next{0};
  std::atomic<bool> fatal_stop{false};
  std::exception_ptr fatal;
  bool journal_failed = false;
  auto stopping = [&] { return fatal_stop.load() || (stop && stop->load()); };
  auto worker = [&] {
    while (!stopping()) {
      const std::size_t k = next.fetch_add(1);
      if (k >= to_do.size()) return;
      const std::size_t i = to_do[k];
      const AudioFile& f = found.files[i];
      try {
        const TrackFeatures t = extract_track(f.path, req.options);
        check_finite(t, columns, f.path);
        FileRecord r;
        r.filename = f.filename;
        r.size = f.size;
        r.mtime_ns = f.mtime_ns;
        r.track = feature_cells(t.track);
        for (const auto& s : t.segments) r.segments.push_back(feature_cells(s));
        const std::string line = state_record_line(r);
        {
          std::lock_guard lock(mutex);
          if (std::fwrite(line.data(), 1, line.size(), journal) != line.size() || std::fflush(journal) != 0)
            journal_failed = true;
          records[i] = std::move(r);
          ++summary.extracted;
          summary.audio_seconds += t.seconds;
        }
        progress.add(static_cast<double>(f.size), t.seconds);
      } catch (const UsageError&) {
        std::lock_guard lock(mutex);
        if (!fatal) fatal = std::current_exception();
        fatal_stop = true;
      } catch (const std::exception& e) {
        // AudioError names the file; anything else gets the name here.
        std::string why = e.what();
        if (why.rfind(f.path + ":", 0) != 0) why = fmt::format("{}: {}", f.path, why);
        {
          std::lock_guard lock(mutex);
          summary.failures.push_back({f.filename, why});
        }
        progress.message(fmt::format("genrelab: error: {}", why));
        progress.add(static_cast<double>(f.size), 0.0);
      }
    }
  };
  {
    const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(jobs), to_do.size());
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    if (threads > 0) worker();
    for (auto& t : pool) t.join();
  }
  progress.finish();
  const bool closed = std::fclose(journal) == 0;
  if (fatal) std::rethrow_exception(fatal);
  if (journal_failed || !closed)
    throw InputError(fmt::format("{}: writing the state file failed (disk full?); no output was written",
                                 summary.state_file));
  std::sort(summary.failures.begin(), summary.failures.end(),
            [](const ExtractFailure& a, const ExtractFailure& b) { return a.filename < b.filename; });
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t done = std::min(next.load(), to_do.size());
  if (done < to_do.size()) {
    summary.interrupted = true;
    summary.left = to_do.size() - done;
    return summary;
  }

  // The outputs, from the records: reused and new rows alike.
  std::string features = header_line(columns, labelled);
  std::vector<std::pair<std::string, std::string>> segment_rows;
  std::string records_text;
  for (std::size_t i = 0; i < found.files.size(); ++i) {
    if (!records[i]) continue;
    const AudioFile& f = found.files[i];
    std::string label;
    if (labelled) label.append(",").append(csv_cell(f.label));
    features += csv_cell(f.filename) + "," + records[i]->track + label + "\n";
    ++summary.rows;
    for (std::size_t s = 0; s < records[i]->segments.size(); ++s) {
      const std::string name = segment_name(f.filename, s);
      segment_rows.emplace_back(name, csv_cell(name) + "," + records[i]->segments[s] + label + "\n");
    }
    records_text += state_record_line(*records[i]);
  }
  std::string segments;
  if (segmented) {
    std::sort(segment_rows.begin(), segment_rows.end());
    segments = header_line(columns, labelled);
    for (const auto& [name, row] : segment_rows) segments += row;
    summary.segment_rows = segment_rows.size();
  }
  // The state names the new outputs before they replace the old ones (both
  // stay replaceable if a crash falls in between), then only the new ones.
  std::string written = state_output_line("features", text_checksum(features));
  if (segmented) written += state_output_line("segments", text_checksum(segments));
  write_file_atomic(summary.state_file, state_header_line(settings) + records_text + carried + written);
  write_file_atomic(summary.output, features);
  if (segmented) write_file_atomic(summary.segments_output, segments);
  write_file_atomic(summary.state_file, state_header_line(settings) + records_text + written);
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string extract_summary_text(const ExtractSummary& s, bool failures_only) {
  std::string text;
  if (s.interrupted) {
    text += fmt::format("genrelab: interrupted: {} extracted in this run are kept in {}, {} left; {} was not "
                        "written.\nRun the same command again to continue where it stopped.\n",
                        files(s.extracted), s.state_file, s.left, s.output);
    return text;
  }
  if (failures_only) {
    for (const auto& f : s.failures) text += fmt::format("  {}\n", f.message);
    return s.failures.empty() ? text : fmt::format("extract: {} failed:\n{}", files(s.failures.size()), text);
  }
  text += fmt::format("extract: {} rows in {}", s.rows, s.output);
  if (!s.segments_output.empty()) text += fmt::format(", {} segment rows in {}", s.segment_rows, s.segments_output);
  text += fmt::format(" ({} extracted", s.extracted);
  if (s.reused) text += fmt::format(", {} kept from the last run", s.reused);
  if (!s.failures.empty()) text += fmt::format(", {} failed", s.failures.size());
  text += ")";
  if (s.extracted && s.wall_seconds > 0)
    text += fmt::format(", {:.0f} s of audio in {}", s.audio_seconds, format_duration(s.wall_seconds));
  text += "\n";
  if (s.other_shards) text += fmt::format("extract: {} left to the other shards\n", files(s.other_shards));
  if (!s.not_audio.empty()) {
    const std::size_t shown = std::min<std::size_t>(s.not_audio.size(), 3);
    std::vector<std::string> names(s.not_audio.begin(), s.not_audio.begin() + static_cast<long>(shown));
    text += fmt::format("extract: skipped {} whose content is not audio ({}{})\n", files(s.not_audio.size()),
                        fmt::join(names, ", "), shown < s.not_audio.size() ? ", ..." : "");
  }
  if (!s.failures.empty()) {
    text += fmt::format("extract: {} of {} audio files failed (no row for them):\n", s.failures.size(),
                        s.audio_files);
    for (const auto& f : s.failures) text += fmt::format("  {}\n", f.message);
  }
  return text;
}

}  // namespace genrelab
