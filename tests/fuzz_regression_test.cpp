// Every input the fuzzers (fuzz/) found a crash, undefined behaviour or a
// non-InputError exception with, replayed: each must now end in an
// InputError/UsageError or succeed.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "cli_runner.h"
#include "genrelab/dataset.h"
#include "genrelab/error.h"
#include "genrelab/experiment.h"
#include "genrelab/model_file.h"
#include "genrelab/table.h"

namespace genrelab {
namespace {

std::vector<std::filesystem::path> inputs(const char* kind) {
  std::vector<std::filesystem::path> out;
  const auto dir = std::filesystem::path(GENRELAB_TEST_DATA) / "fuzz" / kind;
  if (std::filesystem::exists(dir))
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

TEST(FuzzRegression, ModelFiles) {
  const auto files = inputs("model");
  ASSERT_FALSE(files.empty());
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    std::string bytes = testing::slurp(path.string());
    ASSERT_FALSE(bytes.empty());
    // As in fuzz/model_file_fuzz.cpp: an odd first byte means "fix the checksum up".
    const bool fix = (static_cast<unsigned char>(bytes[0]) & 1) != 0;
    bytes.erase(0, 1);
    if (fix && bytes.size() >= 32) {
      const auto digest = sha256(std::string_view(bytes).substr(0, bytes.size() - 32));
      std::memcpy(bytes.data() + bytes.size() - 32, digest.data(), 32);
    }
    EXPECT_THROW(parse_model_file(bytes, "fuzz.glab"), InputError);
  }
}

TEST(FuzzRegression, CsvFiles) {
  const auto files = inputs("csv");
  ASSERT_FALSE(files.empty());
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    const std::string text = testing::slurp(path.string());
    try {
      const Table t = read_csv_text(text, "fuzz.csv");
      const Dataset d = build_dataset(t, {});
      (void)encode_features(t, d.encodings);
    } catch (const InputError&) {
    } catch (const UsageError&) {
    }
  }
}

// fuzz/experiment_fuzz.cpp's findings: each file must be refused with a
// UsageError or InputError naming the file (or be read), never anything else.
TEST(FuzzRegression, ExperimentFiles) {
  const auto files = inputs("experiment");
  ASSERT_FALSE(files.empty());
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    const std::string text = testing::slurp(path.string());
    try {
      (void)parse_experiment(text, "fuzz.toml", "dir");
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("fuzz.toml"), std::string::npos) << e.what();
    } catch (const InputError&) {
    }
  }
}

// The fuzzer's first find in the experiment reader: NUL bytes in a table
// header tripped toml++'s internal assertion; the reader refuses them first.
TEST(FuzzRegression, ExperimentNulByteIsNamedWithLineAndColumn) {
  try {
    (void)parse_experiment(std::string_view("[study]\ntitle = \"a\"\n[\0\0x]\n", 26), "nul.toml", "");
    FAIL() << "a NUL byte was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("nul.toml:3:2: the file holds a NUL byte"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace genrelab
