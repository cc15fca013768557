// Progress of long batch work on stderr: a redrawn bar when the stream is a
// terminal (items done / total, x real-time, ETA), otherwise one plain line
// every few seconds, so logs of a Slurm job or a pipe stay readable. Messages
// that must appear during the work (a file that failed) go through message(),
// which keeps them from being drawn over by the bar.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace genrelab {

enum class ProgressStyle {
  automatic,  // bar on a terminal, lines otherwise
  bar,
  lines,
  off,        // --quiet: nothing but message()
};

class Progress {
 public:
  // `total_items` things to do (files); `total_work` their weight for the ETA
  // (bytes: a long file counts for more than a short one); `label` starts
  // every line ("extract"). The reporter starts its own ticker thread.
  Progress(std::FILE* stream, ProgressStyle style, std::string label, std::size_t total_items, double total_work,
           double line_interval_seconds = 5.0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // One item finished (thread-safe). `media_seconds`: seconds of audio it
  // held, for the x real-time figure (0 when it does not apply).
  void add(double work, double media_seconds);
  // Prints one line (no newline needed) above the bar, whatever the style.
  void message(std::string_view line);
  // Stops the ticker and draws the final state once (a last line, not in `off`).
  void finish();

  // Whether `stream` is a terminal (what `automatic` decides on).
  static bool is_terminal(std::FILE* stream);

 private:
  std::string status_locked(bool final) const;
  void draw_locked(bool final);
  void tick();

  std::FILE* stream_;
  ProgressStyle style_;
  std::string label_;
  std::size_t total_items_;
  double total_work_;
  std::chrono::duration<double> interval_;
  std::chrono::steady_clock::time_point start_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::size_t items_ = 0;
  double work_ = 0.0, media_ = 0.0;
  bool bar_drawn_ = false, finished_ = false;
  std::thread ticker_;
};

// "3m07s", "1h02m", "42s": how long something takes, for people.
std::string format_duration(double seconds);

}  // namespace genrelab
