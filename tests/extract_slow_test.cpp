// `genrelab extract` over the real clips staged in ../shared/data/audio (GTZAN
// WAV and FLAC, Essentia and madmom clips): every audio file gives a row, no
// failure is named, and the non-audio files beside them are skipped and
// counted. Skipped when the folder is absent, unless CI=true.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_runner.h"

namespace fs = std::filesystem;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;

namespace {

fs::path shared_audio() { return fs::path(GENRELAB_SOURCE_DIR) / ".." / "shared" / "data" / "audio"; }

bool require_shared_audio() {
  if (fs::is_directory(shared_audio())) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") ADD_FAILURE() << shared_audio() << " is missing (CI=true)";
  return false;
}

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

TEST(ExtractShared, EveryStagedClipGivesARowAndNoFailure) {
  if (!require_shared_audio()) GTEST_SKIP() << shared_audio() << " not staged";
  const fs::path dir = scratch_dir("extract-shared");
  const auto r = run_cli("extract '" + shared_audio().string() + "' -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("failed"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
  const std::string csv = slurp((dir / "f.csv").string());
  for (const char* name : {"gtzan/classical.00000.wav", "gtzan/blues.00099.mp3", "gtzan_flac/classical.00004.flac",
                           "essentia/Guitar-A4-432-1.ogg", "essentia/techno_loop.mp3", "madmom/sample.wav"})
    EXPECT_NE(csv.find(std::string("\n").append(name).append(",")), std::string::npos) << name;
  std::size_t audio = 0;
  for (const auto& e : fs::recursive_directory_iterator(shared_audio())) {
    const std::string ext = e.path().extension().string();
    audio += e.is_regular_file() && (ext == ".wav" || ext == ".flac" || ext == ".mp3" || ext == ".ogg");
  }
  EXPECT_EQ(count_lines(csv), audio + 1) << "one row per audio file, plus the header";
  EXPECT_NE(r.err.find("whose content is not audio"), std::string::npos) << "labels.csv, sample.beats, ...: " << r.err;

  // The staged labels.csv names the GTZAN files by their path under audio/;
  // from inside gtzan/ they are found by their unique file names.
  const auto l = run_cli("extract '" + (shared_audio() / "gtzan").string() + "' --labels '" +
                             (shared_audio() / "labels.csv").string() + "' -o gtzan.csv --quiet",
                         dir);
  EXPECT_EQ(l.exit_code, 0) << l.err;
  EXPECT_NE(slurp((dir / "gtzan.csv").string()).find("\nclassical.00000.wav,"), std::string::npos);
  fs::remove_all(dir);
}
