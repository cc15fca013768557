#include "genrelab/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace genrelab {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 9.95) return fmt::format("{:.1f}s", seconds);
  const long s = std::lround(seconds);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

bool Progress::is_terminal(std::FILE* stream) { return stream && ::isatty(::fileno(stream)) == 1; }

Progress::Progress(std::FILE* stream, ProgressStyle style, std::string label, std::size_t total_items,
                   double total_work, double line_interval_seconds)
    : stream_(stream),
      style_(style),
      label_(std::move(label)),
      total_items_(total_items),
      total_work_(total_work),
      interval_(line_interval_seconds),
      start_(std::chrono::steady_clock::now()) {
  if (style_ == ProgressStyle::automatic) style_ = is_terminal(stream_) ? ProgressStyle::bar : ProgressStyle::lines;
  if (style_ != ProgressStyle::off && stream_) ticker_ = std::thread([this] { tick(); });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void Progress::add(double work, double media_seconds) {
  std::lock_guard lock(mutex_);
  ++items_;
  work_ += work;
  media_ += media_seconds;
}

void Progress::message(std::string_view line) {
  std::lock_guard lock(mutex_);
  if (!stream_) return;
  if (bar_drawn_) std::fputs("\r\x1b[K", stream_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fputc('\n', stream_);
  bar_drawn_ = false;
  if (style_ == ProgressStyle::bar && !finished_) draw_locked(false);
  std::fflush(stream_);
}

void Progress::finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard lock(mutex_);
  if (style_ != ProgressStyle::off && stream_) draw_locked(true);
}

std::string Progress::status_locked(bool final) const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string s = fmt::format("{}/{} files", items_, total_items_);
  if (media_ > 0 && elapsed > 0) s += fmt::format(", {:.1f}x real-time", media_ / elapsed);
  if (final) return s + fmt::format(", {} elapsed", format_duration(elapsed));
  double share = 0.0;  // of the work done
  if (total_work_ > 0)
    share = work_ / total_work_;
  else if (total_items_ > 0)
    share = static_cast<double>(items_) / static_cast<double>(total_items_);
  if (share > 0 && share < 1) s += fmt::format(", ETA {}", format_duration(elapsed * (1 - share) / share));
  return s;
}

void Progress::draw_locked(bool final) {
  const std::string status = status_locked(final);
  if (style_ == ProgressStyle::bar) {
    constexpr int kWidth = 24;
    const double share = total_items_ ? static_cast<double>(items_) / static_cast<double>(total_items_) : 1.0;
    const int filled = std::clamp(static_cast<int>(share * kWidth), 0, kWidth);
    fmt::print(stream_, "\r{} [{}{}] {:3.0f}%  {}\x1b[K", label_, std::string(filled, '#'),
               std::string(kWidth - filled, '.'), 100 * share, status);
    bar_drawn_ = !final;
    if (final) std::fputc('\n', stream_);
  } else {
    fmt::print(stream_, "{}: {}{}\n", label_, final ? "done, " : "", status);
  }
  std::fflush(stream_);
}

void Progress::tick() {
  std::unique_lock lock(mutex_);
  const auto step = style_ == ProgressStyle::bar ? std::chrono::duration<double>(0.2) : interval_;
  while (!finished_) {
    wake_.wait_for(lock, step, [this] { return finished_; });
    if (finished_) break;
    draw_locked(false);
  }
}

}  // namespace genrelab
