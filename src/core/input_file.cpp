#include "genrelab/input_file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "genrelab/error.h"

namespace genrelab {
namespace {

std::string size_text(std::size_t bytes) {
  if (bytes >= (std::size_t(1) << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1 << 30));
  if (bytes >= (std::size_t(1) << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
  return fmt::format("{} bytes", bytes);
}

class Fd {
 public:
  explicit Fd(int fd, bool owned) : fd_(fd), owned_(owned) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

// Waits until the stream has data or its writer has gone; a FIFO that no
// program has opened for writing would otherwise block without a word.
void wait_for_writer(int fd, const std::string& path, const InputLimits& limits) {
  pollfd p{fd, POLLIN, 0};
  const int notice_ms = static_cast<int>(limits.fifo_notice_seconds * 1000);
  int ready = 0;
  do ready = ::poll(&p, 1, notice_ms); while (ready < 0 && errno == EINTR);
  if (ready != 0) return;
  std::fprintf(stderr,
               "genrelab: waiting for %s: nothing has been written to it for %.0f s (is the program that writes it "
               "running?). Still waiting; Ctrl-C stops\n",
               path == "-" ? "standard input" : path.c_str(), limits.fifo_notice_seconds);
  do ready = ::poll(&p, 1, -1); while (ready < 0 && errno == EINTR);
}

}  // namespace

bool is_stream_input(const std::string& path) {
  if (path == "-") return true;
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

std::string read_input_file(const std::string& path, const InputLimits& limits) {
  const bool standard_input = path == "-";
  const std::string name = standard_input ? std::string("standard input") : path;
  struct stat st {};
  if (!standard_input && ::stat(path.c_str(), &st) != 0)
    throw InputError(fmt::format("{}: cannot open the {} ({}). Check the path", path, limits.what, std::strerror(errno)));
  // Non-blocking open: opening a FIFO for reading otherwise waits for a writer before we can say anything.
  const int raw = standard_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (raw < 0)
    throw InputError(fmt::format("{}: cannot open the {} ({}). Check the path", path, limits.what, std::strerror(errno)));
  const Fd fd(raw, !standard_input);
  if (::fstat(fd.get(), &st) != 0)
    throw InputError(fmt::format("{}: cannot read the {} ({})", name, limits.what, std::strerror(errno)));
  if (S_ISDIR(st.st_mode))
    throw InputError(fmt::format("{}: is a directory, not a {}. Pass the path of a file", name, limits.what));
  const bool stream = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
  if (!S_ISREG(st.st_mode) && !stream)
    throw InputError(fmt::format("{}: is a device ({}), not a {}: it has no end to read to. Pass a file, or a pipe "
                                 "that ends",
                                 name, S_ISCHR(st.st_mode) ? "a character device such as a terminal or /dev/urandom"
                                                           : "not a regular file",
                                 limits.what));
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > limits.max_bytes)
    throw InputError(fmt::format("{}: is {}, more than a {} can be ({}). Check that this is the right file", name,
                                 size_text(static_cast<std::size_t>(st.st_size)), limits.what,
                                 size_text(limits.max_bytes)));
  // Blocking reads from here on; a stream is first waited for (see wait_for_writer).
  if (!standard_input) ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  if (stream) wait_for_writer(fd.get(), path, limits);

  std::string out;
  // A regular file is read to its real size; a stream grows as bytes arrive.
  if (S_ISREG(st.st_mode)) out.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(fmt::format("{}: the {} could not be read completely ({})", name, limits.what, std::strerror(errno)));
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > limits.max_bytes)
      throw InputError(fmt::format("{}: more than {} arrived, more than a {} can be. Check that this is the right "
                                   "input",
                                   name, size_text(limits.max_bytes), limits.what));
    out.append(buffer, static_cast<std::size_t>(n));
  }
  if (out.empty() && limits.refuse_empty)
    throw InputError(fmt::format("{}: the {} is empty{}. Pass a {} with content", name, limits.what,
                                 stream ? " (the stream ended before any byte arrived)" : "", limits.what));
  return out;
}

}  // namespace genrelab
