// `genrelab launch`: the tracker (scripts/xgboost_tracker.py, built in, run
// by Debian's python3 with python3-xgboost) and N workers on this machine.
//
// The run never hangs:
// * a worker that fails (or the tracker exiting early) gives the others
//   `grace_seconds` to report their own error, then they are stopped;
// * the workers themselves fail at once when a peer dies (its sockets
//   close) and after --timeout when a peer stalls (rabit_timeout);
// * every worker must have joined the tracker within the timeout (the
//   tracker logs when all have), or the run is stopped.
// Only the processes started here are signalled, each by its own pid.
#include "genrelab/launch.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "genrelab/error.h"

extern char** environ;

namespace genrelab {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct Stream {
  int fd = -1;
  std::string pending;  // a line not yet ended
};

struct Child {
  std::string name;  // "worker 0", "tracker"
  pid_t pid = -1;
  Stream out, err;
  bool running = false;
  bool stopped_by_us = false;
  int status = 0;
};

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

std::string describe(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with code {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  return "ended";
}

// Starts argv[0] (searched in PATH) with `env`, its standard output and error
// on pipes read here. exec failures are reported by the child on its stderr.
void spawn(Child& c, const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    throw InputError(fmt::format("launch: cannot create pipes: {}", std::strerror(errno)));
  const std::string exec_failed = fmt::format("launch: cannot run {}: ", argv[0]);
  const pid_t pid = fork();
  if (pid < 0) throw InputError(fmt::format("launch: cannot start {}: {}", c.name, std::strerror(errno)));
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    execvpe(args[0], args.data(), envp.data());
    const char* why = std::strerror(errno);
    (void)!write(2, exec_failed.data(), exec_failed.size());
    (void)!write(2, why, std::strlen(why));
    (void)!write(2, "\n", 1);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  c.pid = pid;
  c.running = true;
  c.out.fd = out[0];
  c.err.fd = err[0];
}

// Reads what `s` has; every complete line goes to `on_line`. At end of file
// the last, unended line goes too and the stream is closed.
template <typename OnLine>
void pump(Stream& s, OnLine&& on_line) {
  if (s.fd < 0) return;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(s.fd, buf, sizeof buf);
    if (n > 0) {
      s.pending.append(buf, static_cast<std::size_t>(n));
      std::size_t start = 0;
      for (std::size_t nl; (nl = s.pending.find('\n', start)) != std::string::npos; start = nl + 1)
        on_line(std::string_view(s.pending).substr(start, nl - start));
      s.pending.erase(0, start);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (!s.pending.empty()) on_line(std::string_view(s.pending));
    s.pending.clear();
    close(s.fd);
    s.fd = -1;
    return;
  }
}

void print_line(std::FILE* to, const std::string& prefix, std::string_view line) {
  std::fprintf(to, "[%s] %.*s\n", prefix.c_str(), static_cast<int>(line.size()), line.data());
  std::fflush(to);
}

std::string choose_python(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* p = std::getenv("GENRELAB_PYTHON"); p && *p) return p;
  // Debian's python3-xgboost is installed for Debian's own interpreter; a
  // python3 earlier in PATH (pyenv, a venv) may not have it.
  if (access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
  return "python3";
}

bool has_option(const std::vector<std::string>& args, const std::string& name) {
  return std::any_of(args.begin(), args.end(),
                     [&](const std::string& a) { return a == name || a.rfind(name + "=", 0) == 0; });
}

// This environment without the DMLC_* variables, plus `extra`.
std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e)
    if (std::strncmp(*e, "DMLC_", 5) != 0) env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

void signal_child(Child& c, int sig) {
  if (c.running && c.pid > 0) kill(c.pid, sig);
}

}  // namespace

int run_launch(const LaunchRequest& req) {
  if (req.workers < 1) throw UsageError("launch: --workers must be at least 1");
  if (req.command.empty() || req.command.front() != "train")
    throw UsageError(fmt::format(
        "launch runs a distributed `train`: give it after `--`, e.g. genrelab launch --workers 2 -- train tracks.csv "
        "--model gradient_boosting --shard-by track_id -o gb.glab{}",
        req.command.empty() ? std::string() : fmt::format(" (got `{}`)", req.command.front())));
  if (req.timeout_seconds < 1) throw UsageError("launch: --timeout must be at least 1 second");
  const std::string python = choose_python(req.python);
  std::string exe = req.executable;
  if (exe.empty()) {
    std::error_code ec;
    exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) throw InputError(fmt::format("launch: cannot find this program's path: {}", ec.message()));
  }
  std::vector<std::string> command = req.command;
  if (!has_option(command, "--distributed")) command.push_back("--distributed");
  if (!has_option(command, "--timeout")) {
    command.push_back("--timeout");
    command.push_back(std::to_string(req.timeout_seconds));
  }

  struct sigaction action {}, old_int{}, old_term{};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);
  g_stop = 0;

  const auto start = Clock::now();
  Child tracker;
  tracker.name = "tracker";
  spawn(tracker,
        {python, "-c", std::string(bundled_xgboost_tracker_py()), "--workers", std::to_string(req.workers), "--host",
         req.host, "--port", std::to_string(req.port)},
        environment_with({}));
  std::vector<Child> workers(static_cast<std::size_t>(req.workers));
  std::map<std::string, std::string> tracker_env;
  bool all_joined = false;
  auto on_tracker_out = [&](std::string_view line) {
    const auto eq = line.find('=');
    if (line.rfind("DMLC_", 0) == 0 && eq != std::string_view::npos)
      tracker_env[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    else
      print_line(stderr, "tracker", line);
  };
  auto on_tracker_err = [&](std::string_view line) {
    // XGBoost's tracker logs this once every worker has its rank.
    if (line.find("nodes getting started") != std::string_view::npos) all_joined = true;
    print_line(stderr, "tracker", line);
  };

  std::optional<std::string> failure;  // the first thing that went wrong
  Clock::time_point stop_at{};         // when the still-running workers are stopped
  auto fail = [&](const std::string& what, int grace) {
    if (failure) return;
    failure = what;
    stop_at = Clock::now() + std::chrono::seconds(grace);
    std::fprintf(stderr, "launch: %s after %.1f s; %s\n", what.c_str(), seconds(start),
                 grace > 0 ? fmt::format("the other workers have {} s to finish before they are stopped", grace).c_str()
                           : "stopping the workers");
  };
  bool started = false;
  bool interrupted = false;
  const int startup_limit = std::max(req.timeout_seconds, 60);  // Python's import of xgboost takes seconds
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<std::pair<Child*, bool>> owner;  // child, stdout?
    for (Child* c : [&] {
           std::vector<Child*> all{&tracker};
           for (auto& w : workers) all.push_back(&w);
           return all;
         }()) {
      if (c->out.fd >= 0) fds.push_back({c->out.fd, POLLIN, 0}), owner.emplace_back(c, true);
      if (c->err.fd >= 0) fds.push_back({c->err.fd, POLLIN, 0}), owner.emplace_back(c, false);
    }
    if (!fds.empty()) poll(fds.data(), fds.size(), 200);
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      Child& c = *owner[i].first;
      if (&c == &tracker) {
        if (owner[i].second) pump(c.out, on_tracker_out);
        else pump(c.err, on_tracker_err);
      } else if (owner[i].second) {
        pump(c.out, [&](std::string_view line) { print_line(stdout, c.name, line); });
      } else {
        pump(c.err, [&](std::string_view line) { print_line(stderr, c.name, line); });
      }
    }

    // The tracker is ready: start the workers with the variables it printed.
    if (!started && tracker_env.count("DMLC_TRACKER_URI") && tracker_env.count("DMLC_TRACKER_PORT")) {
      started = true;
      std::fprintf(stderr, "launch: tracker at %s:%s; starting %d workers: genrelab %s\n",
                   tracker_env["DMLC_TRACKER_URI"].c_str(), tracker_env["DMLC_TRACKER_PORT"].c_str(), req.workers,
                   fmt::format("{}", fmt::join(command, " ")).c_str());
      for (int k = 0; k < req.workers; ++k) {
        // "{task}" in an argument is this worker's number (part-{task}.csv: each its own file).
        std::vector<std::string> argv = {exe};
        for (std::string a : command) {
          for (std::size_t at; (at = a.find("{task}")) != std::string::npos;) a.replace(at, 6, std::to_string(k));
          argv.push_back(std::move(a));
        }
        Child& w = workers[static_cast<std::size_t>(k)];
        w.name = fmt::format("worker {}", k);
        spawn(w, argv,
              environment_with({"DMLC_TRACKER_URI=" + tracker_env["DMLC_TRACKER_URI"],
                                "DMLC_TRACKER_PORT=" + tracker_env["DMLC_TRACKER_PORT"],
                                fmt::format("DMLC_TASK_ID={}", k), fmt::format("DMLC_NUM_WORKER={}", req.workers)}));
      }
    }

    // Who has ended.
    auto reap = [&](Child& c) {
      if (!c.running) return false;
      int status = 0;
      if (waitpid(c.pid, &status, WNOHANG) != c.pid) return false;
      c.running = false;
      c.status = status;
      return true;
    };
    for (auto& w : workers)
      if (reap(w) && !(WIFEXITED(w.status) && WEXITSTATUS(w.status) == 0) && !w.stopped_by_us)
        fail(fmt::format("{} {}", w.name, describe(w.status)), req.grace_seconds);
    const bool any_running = std::any_of(workers.begin(), workers.end(), [](const Child& w) { return w.running; });
    if (reap(tracker) && (!started || any_running))
      fail(fmt::format("the XGBoost tracker {} before {}", describe(tracker.status),
                       started ? "the workers finished"
                               : fmt::format("it started (is python3-xgboost installed for {}? apt-get install "
                                             "python3-xgboost, or set GENRELAB_PYTHON)",
                                             python)),
           req.grace_seconds);
    if (started && !all_joined && seconds(start) > startup_limit)
      fail(fmt::format("not every worker joined the tracker within {} s", startup_limit), 0);
    if (!started && seconds(start) > startup_limit)
      fail(fmt::format("the XGBoost tracker printed no address within {} s", startup_limit), 0);
    if (g_stop && !interrupted) {
      interrupted = true;
      fail("interrupted", 0);
    }

    if (failure && Clock::now() >= stop_at) {
      for (auto& w : workers)
        if (w.running && !w.stopped_by_us) {
          w.stopped_by_us = true;
          std::fprintf(stderr, "launch: stopping %s\n", w.name.c_str());
          signal_child(w, SIGTERM);
        }
      // Still there 2 s after SIGTERM: SIGKILL.
      if (Clock::now() >= stop_at + std::chrono::seconds(2))
        for (auto& w : workers) signal_child(w, SIGKILL);
    }
    const bool workers_done =
        started && std::none_of(workers.begin(), workers.end(), [](const Child& w) { return w.running; });
    if (workers_done || (!started && failure)) break;
  }

  // The tracker ends by itself once every worker said goodbye; give it a moment.
  const auto tracker_deadline = Clock::now() + std::chrono::seconds(failure ? 0 : 5);
  while (tracker.running && Clock::now() < tracker_deadline) {
    int status = 0;
    if (waitpid(tracker.pid, &status, WNOHANG) == tracker.pid) tracker.running = false;
    else usleep(50000);
  }
  if (tracker.running) {
    kill(tracker.pid, SIGTERM);
    waitpid(tracker.pid, nullptr, 0);
    tracker.running = false;
  }
  // What the children wrote last.
  for (auto& w : workers) {
    pump(w.out, [&](std::string_view line) { print_line(stdout, w.name, line); });
    pump(w.err, [&](std::string_view line) { print_line(stderr, w.name, line); });
  }
  pump(tracker.out, on_tracker_out);
  pump(tracker.err, on_tracker_err);
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);

  if (!failure) {
    std::fprintf(stderr, "launch: all %d workers finished in %.1f s\n", req.workers, seconds(start));
    return 0;
  }
  std::fprintf(stderr, "launch: failed after %.1f s: %s\n", seconds(start), failure->c_str());
  if (interrupted) return 130;
  // The workers' own exit code when they agree (2: bad usage), else 1.
  std::optional<int> code;
  for (const auto& w : workers) {
    if (w.stopped_by_us || w.pid < 0 || !WIFEXITED(w.status) || WEXITSTATUS(w.status) == 0) continue;
    const int c = WEXITSTATUS(w.status);
    code = !code || *code == c ? c : 1;
  }
  return code && (*code == 1 || *code == 2) ? *code : 1;
}

}  // namespace genrelab
