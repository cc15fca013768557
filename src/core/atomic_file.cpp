#include "genrelab/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <utility>

#include "genrelab/error.h"

namespace genrelab {
namespace {

namespace fs = std::filesystem;

// ---- inputs this process reads --------------------------------------------

struct InputFile {
  dev_t device;
  ino_t inode;
  std::string path;
};

std::mutex g_inputs_mutex;
std::vector<InputFile> g_inputs;

bool same_file(const struct stat& a, dev_t device, ino_t inode) { return a.st_dev == device && a.st_ino == inode; }

// The input that `st` is, if any.
const InputFile* noted_input(const struct stat& st) {
  for (const auto& in : g_inputs)
    if (same_file(st, in.device, in.inode)) return &in;
  return nullptr;
}

// ---- temporary files a signal must not leave behind -----------------------

// Fixed slots, so the handler touches no allocator: async-signal-safe.
struct TempSlot {
  std::atomic<bool> claimed{false};  // taken by a writer
  std::atomic<bool> armed{false};    // path complete: the handler may remove it
  char path[4096];
};
std::array<TempSlot, 64> g_temps;

extern "C" void remove_temps_and_die(int sig) {
  for (auto& slot : g_temps)
    if (slot.armed.load()) ::unlink(slot.path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Installed once, and only where nobody else handles the signal (extract
// installs its own, which lets the writes in progress finish).
void install_cleanup_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) std::signal(sig, remove_temps_and_die);
    }
  });
}

class TempGuard {
 public:
  explicit TempGuard(const std::string& path) {
    if (path.size() >= sizeof(TempSlot::path)) return;  // too long to register; still removed on errors
    for (auto& s : g_temps) {
      bool expected = false;
      if (!s.claimed.compare_exchange_strong(expected, true)) continue;
      std::memcpy(s.path, path.c_str(), path.size() + 1);
      s.armed.store(true);
      slot_ = &s;
      return;
    }
  }
  ~TempGuard() {
    if (slot_) {
      slot_->armed.store(false);
      slot_->claimed.store(false);
    }
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;

 private:
  TempSlot* slot_ = nullptr;
};

// `<name>.tmp-<pid>` siblings of `target` left by a process that is gone
// (a SIGKILL, a power cut): removed before writing the same output again.
void remove_stale_temps(const fs::path& target) {
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = target.filename().string() + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid == ::getpid()) continue;
    if (::kill(pid, 0) == -1 && errno == ESRCH) fs::remove(it->path(), ec);
  }
}

// ---- the three ways of writing --------------------------------------------

void write_all(int fd, std::string_view content, const std::string& name) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      throw InputError(fmt::format("{}: writing failed: {}{}", name, std::strerror(err),
                                   err == EPIPE ? " (the reading end was closed)" : ""));
    }
    done += static_cast<std::size_t>(n);
  }
}

void write_stdout(std::string_view content) {
  std::fflush(stdout);  // what was printed before comes first
  write_all(STDOUT_FILENO, content, "standard output");
}

// A device, FIFO or terminal: written where it is, never replaced.
void write_in_place(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw InputError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  try {
    write_all(fd, content, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) throw InputError(fmt::format("{}: writing failed: {}", path, std::strerror(errno)));
}

void write_replacing(const fs::path& target, const std::string& shown, std::string_view content) {
  std::error_code ec;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw InputError(fmt::format("{}: cannot create directory: {}", target.parent_path().string(), ec.message()));
  }
  remove_stale_temps(target);
  install_cleanup_handlers();
  // Same directory as the target, so rename() is atomic (same file system).
  const std::string tmp = fmt::format("{}.tmp-{}", target.string(), ::getpid());
  TempGuard guard(tmp);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw InputError(fmt::format("{}: cannot write: {}", shown, std::strerror(errno)));
  try {
    write_all(fd, content, shown);
    if (::fsync(fd) != 0) throw InputError(fmt::format("{}: writing failed: {}", shown, std::strerror(errno)));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw InputError(fmt::format("{}: writing failed: {}", shown, why));
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw InputError(fmt::format("{}: cannot replace file: {}", shown, why));
  }
}

std::string input_clash_message(const std::string& output, const std::string& input, std::string_view option) {
  const std::string what = option.empty() ? "the output" : std::string(option);
  return fmt::format("{}: is the same file as the input {}; writing it would destroy that input: give {} another file",
                     output, input, what);
}

}  // namespace

void note_input_file(const std::string& path) {
  if (path.empty() || path == "-") return;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  std::lock_guard<std::mutex> lock(g_inputs_mutex);
  if (!noted_input(st)) g_inputs.push_back({st.st_dev, st.st_ino, path});
}

void refuse_output_over_input(const std::string& output, const std::vector<std::string>& inputs,
                              std::string_view option) {
  if (output.empty() || output == "-") return;
  struct stat out {};
  if (::stat(output.c_str(), &out) != 0) return;  // does not exist yet: it cannot be an input
  for (const auto& in : inputs) {
    struct stat st {};
    if (!in.empty() && in != "-" && ::stat(in.c_str(), &st) == 0 && same_file(out, st.st_dev, st.st_ino))
      throw UsageError(input_clash_message(output, in, option));
  }
  std::lock_guard<std::mutex> lock(g_inputs_mutex);
  if (const InputFile* in = noted_input(out)) throw UsageError(input_clash_message(output, in->path, option));
}

void write_file_atomic(const std::string& path, std::string_view content) {
  if (path == "-") {
    write_stdout(content);
    return;
  }
  refuse_output_over_input(path, {}, "");
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path, ec);
  // A link is followed to its final target, which is what gets replaced.
  fs::path target(path);
  if (!ec && fs::is_symlink(link)) target = fs::weakly_canonical(fs::path(path), ec);
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      if (S_ISDIR(st.st_mode))
        throw InputError(fmt::format("{}: is a directory; give a file name for the output", path));
      write_in_place(target.string(), content);
      return;
    }
    if (st.st_nlink > 1)
      std::fprintf(stderr,
                   "note: %s has %lu other name(s) (hard links); only this name gets the new content, the others "
                   "keep the old one\n",
                   path.c_str(), static_cast<unsigned long>(st.st_nlink - 1));
  }
  write_replacing(target, path, content);
}

}  // namespace genrelab
