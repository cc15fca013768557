// Outputs never destroy anything (issue 14, item 1): an output that is an
// input is refused and the input left as it was; devices are written in
// place; links are followed; hard links are reported; "-" is standard
// output; write errors exit 1; a signal or a SIGKILL leaves no temporary
// behind for long.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "cli_runner.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"

namespace fs = std::filesystem;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;

namespace {

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string seed_csv() { return std::string(GENRELAB_SOURCE_DIR) + "/data/seed/all_genres.csv"; }

TEST(OutputSafety, AnOutputThatIsTheDataCsvIsRefusedAndTheDataKept) {
  const fs::path dir = scratch_dir("out-over-input");
  fs::copy_file(seed_csv(), dir / "d.csv");
  const std::string before = slurp((dir / "d.csv").string());
  fs::create_symlink("d.csv", dir / "alias.csv");
  for (const char* out : {"d.csv", "alias.csv", "./d.csv"}) {
    const auto r = run_cli(std::string("evaluate d.csv --cv 0 --json ") + out, dir);
    EXPECT_EQ(r.exit_code, 2) << out;  // a usage error, found before any work
    EXPECT_NE(r.err.find("is the same file as the input d.csv"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << "refused before reading the data";
    EXPECT_EQ(slurp((dir / "d.csv").string()), before) << out;
  }
  EXPECT_TRUE(fs::is_symlink(dir / "alias.csv"));
}

TEST(OutputSafety, EveryCommandRefusesToWriteOverItsInput) {
  const fs::path dir = scratch_dir("out-over-input-commands");
  fs::copy_file(seed_csv(), dir / "d.csv");
  const std::string before = slurp((dir / "d.csv").string());
  for (const char* cmd : {"train d.csv -o d.csv", "compare d.csv -o d.csv", "tune d.csv --model knn --json d.csv",
                          "merge d.csv -o d.csv", "features --analysis-dir . d.csv -o d.csv", "profile d.csv -o d.csv",
                          "select d.csv --k 3 --json d.csv"}) {
    const auto r = run_cli(cmd, dir);
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find("is the same file as the input d.csv"), std::string::npos) << cmd << ": " << r.err;
    EXPECT_EQ(slurp((dir / "d.csv").string()), before) << cmd;
  }
}

TEST(OutputSafety, NoteInputFileGuardsEveryWrite) {
  const fs::path dir = scratch_dir("noted-input");
  write_text(dir / "in.txt", "keep me");
  genrelab::note_input_file((dir / "in.txt").string());
  EXPECT_THROW(genrelab::write_file_atomic((dir / "in.txt").string(), "gone"), genrelab::UsageError);
  EXPECT_EQ(slurp((dir / "in.txt").string()), "keep me");
  EXPECT_THROW(genrelab::refuse_output_over_input((dir / "in.txt").string(), {}, "-o"), genrelab::UsageError);
  // A new file, or one that is not an input, is fine.
  EXPECT_NO_THROW(genrelab::refuse_output_over_input((dir / "new.txt").string(), {(dir / "in.txt").string()}, "-o"));
}

TEST(OutputSafety, DevicesAreWrittenInPlaceAndErrorsExitOne) {
  const fs::path dir = scratch_dir("devices");
  auto r = run_cli("evaluate seed --cv 0 --json /dev/null", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null must stay a device";
  r = run_cli("evaluate seed --cv 0 --json /dev/full", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/dev/full: writing failed"), std::string::npos) << r.err;
  // Standard output on a full device (run_cli would redirect it to a file).
  const std::string cmd = "cd '" + dir.string() + "' && '" GENRELAB_CLI "' evaluate seed --cv 0 --json - > /dev/full 2> err.txt";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(slurp((dir / "err.txt").string()).find("standard output: writing failed"), std::string::npos);
}

TEST(OutputSafety, DashIsStandardOutput) {
  const fs::path dir = scratch_dir("dash");
  const auto r = run_cli("evaluate seed --cv 0 --json -", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"evaluation\""), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "-"));
}

TEST(OutputSafety, ALinkIsFollowedAndKept) {
  const fs::path dir = scratch_dir("symlink");
  write_text(dir / "target.json", "old");
  fs::create_symlink("target.json", dir / "link.json");
  genrelab::write_file_atomic((dir / "link.json").string(), "new");
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(slurp((dir / "target.json").string()), "new");
}

TEST(OutputSafety, HardLinksKeepTheOldContentUnderTheirOtherNames) {
  const fs::path dir = scratch_dir("hardlink");
  write_text(dir / "a.json", "old");
  fs::create_hard_link(dir / "a.json", dir / "b.json");
  testing::internal::CaptureStderr();
  genrelab::write_file_atomic((dir / "a.json").string(), "new");
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(slurp((dir / "a.json").string()), "new");
  EXPECT_EQ(slurp((dir / "b.json").string()), "old");
  EXPECT_NE(err.find("1 other name(s) (hard links)"), std::string::npos) << err;
}

TEST(OutputSafety, ADirectoryIsNotReplaced) {
  const fs::path dir = scratch_dir("dir-output");
  fs::create_directories(dir / "out.json");
  EXPECT_THROW(genrelab::write_file_atomic((dir / "out.json").string(), "x"), genrelab::InputError);
  EXPECT_TRUE(fs::is_directory(dir / "out.json"));
}

TEST(OutputSafety, ALeftoverFromADeadProcessIsRemovedByTheNextWrite) {
  const fs::path dir = scratch_dir("leftover");
  // A child that exits at once: its pid is then free (not running).
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);
  const fs::path stale = dir / ("out.csv.tmp-" + std::to_string(child));
  const fs::path live = dir / ("out.csv.tmp-" + std::to_string(::getppid()));  // a running process
  write_text(stale, "half");
  write_text(live, "in flight");
  genrelab::write_file_atomic((dir / "out.csv").string(), "whole");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live)) << "another running process's temporary is left alone";
  EXPECT_EQ(slurp((dir / "out.csv").string()), "whole");
}

TEST(OutputSafety, SigtermDuringAWriteRemovesTheTemporary) {
  const fs::path dir = scratch_dir("sigterm");
  // The child writes a large file into a directory while the parent
  // interrupts it; whatever the timing, no temporary may remain.
  const pid_t child = ::fork();
  if (child == 0) {
    const std::string big(256u << 20, 'x');
    for (;;) genrelab::write_file_atomic((dir / "out.bin").string(), big);
  }
  ASSERT_GT(child, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

}  // namespace
