// Runs the genrelab executable the way a person would and captures what it
// printed and its exit code, for end-to-end tests of the command line.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace genrelab::testing {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::filesystem::path scratch_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("genrelab-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// `args` is appended to the executable path as shell words; `cwd` is where it runs.
inline CliResult run_cli(const std::string& args, const std::filesystem::path& cwd) {
  const auto out = cwd / "stdout.txt";
  const auto err = cwd / "stderr.txt";
  const std::string cmd = "cd '" + cwd.string() + "' && '" GENRELAB_CLI "' " + args + " > '" + out.string() +
                          "' 2> '" + err.string() + "' < /dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out.string());
  r.err = slurp(err.string());
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace genrelab::testing
