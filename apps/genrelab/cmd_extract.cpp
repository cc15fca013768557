#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/error.h"
#include "genrelab/extract.h"

namespace genrelab::cli {

namespace {

std::string family_names() {
  std::string names;
  for (const auto& f : feature_families()) names += (names.empty() ? "" : ", ") + f.name;
  return names;
}

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler sets an atomic<bool>");

// First SIGINT/SIGTERM: finish the files in flight and stop; a second one
// kills as usual (the state file is consistent at every moment).
extern "C" void on_stop_signal(int sig) {
  g_signal = sig;
  g_stop.store(true);
  std::signal(sig, SIG_DFL);
}

struct ExtractArgs {
  ExtractRequest request;
  double duration = -1;
  std::string librosa = "gtzan";
  std::string families;
  std::string shard;
  bool quiet = false;
};

}  // namespace

void add_extract_command(CLI::App& app) {
  auto args = std::make_shared<ExtractArgs>();
  auto& req = args->request;
  auto* cmd = app.add_subcommand("extract", "Compute librosa-exact audio features of audio files and folders into a CSV");
  cmd->add_option("PATH", req.inputs, "audio files and folders (searched recursively)")->required();
  cmd->add_option("-o,--output", req.output, "features CSV (one row per file)")->required();
  cmd->add_option("--jobs", req.jobs, "files decoded in parallel (default: every core this process may use)")->check(CLI::Range(1, 4096));
  auto* labels = cmd->add_option("--labels", req.labels_file,
                                 "CSV with a 'file' column (path relative to the folder, or a unique file name) and a "
                                 "'genre' or 'label' column");
  cmd->add_option("--label-from", req.label_from,
                  "parent (the file's folder name) | prefix (the file name up to its first '.', as GTZAN's "
                  "blues.00000.wav) | regex:PATTERN (first capture group of the relative path)")
      ->excludes(labels);
  cmd->add_option("--offset", req.options.decode.offset_seconds, "start reading this many seconds in (librosa.load offset=)")
      ->check(kFiniteNumber)->check(CLI::NonNegativeNumber);
  cmd->add_option("--duration", args->duration, "read at most this many seconds (librosa.load duration=)")
      ->check(kFiniteNumber)->check(CLI::PositiveNumber);
  cmd->add_option("--analysis-dir", req.analysis_dir,
                  "also write DIR/<filename>.json per file: the track's beats, bars, tatums, sections and segments "
                  "in the shape of Spotify's audio analysis (read by genrelab features)");
  cmd->add_option("--key-profile", req.options.features.key_profile,
                  "key profiles for key/mode: krumhansl (default), temperley (classical), edma (electronic)")
      ->capture_default_str()->check(CLI::IsMember({"krumhansl", "temperley", "edma"}));
  cmd->add_option("--segments", req.options.segment_seconds,
                  "also one row per segment of this many seconds (GTZAN's features_3_sec.csv: --segments 3)")
      ->check(kFiniteNumber)->check(CLI::PositiveNumber);
  cmd->add_option("--segments-output", req.segments_output, "CSV for the segment rows (default: <output stem>.segments.csv)");
  cmd->add_option("--librosa", args->librosa,
                  "gtzan (reproduces GTZAN's CSVs: librosa 0.7/0.8, reflect padding) | 0.10 (librosa >= 0.10 "
                  "defaults: zero padding, HPSS inverted with length=, feature.tempo's defaults)")
      ->capture_default_str()->check(CLI::IsMember({"gtzan", "0.10"}));
  cmd->add_option("--families", args->families,
                  "comma-separated feature families to compute (default: all): " + family_names())
      ->check([](const std::string& text) -> std::string {
        FeatureOptions probe;
        probe.families = cli::split_list(text);
        try {
          feature_columns(probe);
        } catch (const UsageError& e) {
          return e.what();
        }
        return "";
      });
  cmd->add_option("--sample-rate", req.options.decode.sample_rate, "analysis rate in Hz (librosa.load sr=)")
      ->capture_default_str()->check(CLI::Range(1000, 384000));
  cmd->add_option("--shard", args->shard,
                  "K/N: extract only the K-th of N stable shares of the files (FNV-1a 64 of the relative path mod N "
                  "is K-1); join the outputs with genrelab merge");
  cmd->add_flag("--force", req.force,
                "extract every file again, and replace an existing output genrelab did not write");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress and no summary (failures are still reported)");
  cmd->footer(
      "Audio is recognised by content: files with an audio or video extension are decoded (and reported when\n"
      "they cannot be); other files are used when FFmpeg finds an audio stream in them, else skipped and\n"
      "counted. Hidden files are skipped. The filename column is the path relative to the folder given.\n"
      "A rerun skips files whose path, size, modification time and settings are unchanged (state in\n"
      "OUTPUT.extract.jsonl); Ctrl-C stops after the files in flight, and the same command continues.\n"
      "Exit code: 0 ok, 1 some files failed (the good rows are written), 2 bad usage, 130 interrupted.\n"
      "Example:  genrelab extract music/ --label-from parent -o features.csv\n"
      "          genrelab extract genres_original --label-from prefix --segments 3 -o gtzan.csv\n"
      "          genrelab extract music/ --shard 3/8 -o part-3.csv && genrelab merge part-*.csv -o all.csv");
  cmd->callback([args] {
    auto& req = args->request;
    if (args->duration > 0) req.options.decode.duration_seconds = args->duration;
    req.options.features.librosa = args->librosa == "0.10" ? LibrosaCompat::v0_10 : LibrosaCompat::gtzan;
    if (!args->shard.empty()) std::tie(req.shard_index, req.shard_count) = parse_shard(args->shard);
    req.progress = args->quiet ? ProgressStyle::off : ProgressStyle::automatic;
    req.options.analysis = !req.analysis_dir.empty();
    if (!args->families.empty()) req.options.features.families = cli::split_list(args->families);

    g_stop = false;
    g_signal = 0;
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    const ExtractSummary summary = run_extract(req, stderr, &g_stop);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    std::cerr << extract_summary_text(summary, args->quiet && !summary.interrupted) << std::flush;
    if (summary.interrupted) throw ExitStatus{128 + (g_signal ? static_cast<int>(g_signal) : SIGINT)};
    if (!summary.failures.empty())
      throw InputError(fmt::format("{} of {} audio files failed (listed above); the other {} rows are in {}",
                                   summary.failures.size(), summary.audio_files, summary.rows, summary.output));
  });
}

}  // namespace genrelab::cli
