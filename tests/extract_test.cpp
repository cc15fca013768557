// End-to-end checks of `genrelab extract` and `genrelab merge` through the
// real command line: failures named and the batch goes on, resume, --force,
// shards merged equal one run, a killed run resumed equals an uninterrupted
// one, labels, and output bytes that do not depend on --jobs.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli_runner.h"
#include "genrelab/error.h"
#include "genrelab/extract.h"
#include "genrelab/progress.h"
#include "extract_audio.h"

namespace fs = std::filesystem;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;
using genrelab::testing::tone;
using genrelab::testing::write_text;
using genrelab::testing::write_wav;

namespace {

class Extract : public ::testing::Test {
 protected:
  void SetUp() override { dir = scratch_dir(::testing::UnitTest::GetInstance()->current_test_info()->name()); }
  void TearDown() override { fs::remove_all(dir); }

  // music/<genre>/<genre>.0000k.wav, short distinct clips.
  void make_library(int per_genre = 3, double seconds = 1.0) {
    const char* genres[] = {"blues", "jazz"};
    unsigned seed = 1;
    for (const char* g : genres)
      for (int k = 0; k < per_genre; ++k) {
        const double freq = (std::string(g) == "blues" ? 220.0 : 880.0) * (1 + 0.1 * k);
        write_wav(dir / "music" / g / (std::string(g) + ".0000" + std::to_string(k) + ".wav"),
                  tone(seconds, freq, seed++));
      }
  }
  std::vector<std::string> lines(const std::string& file) {
    std::vector<std::string> out;
    std::string text = slurp((dir / file).string()), line;
    for (char c : text) {
      if (c == '\n') {
        out.push_back(line);
        line.clear();
      } else {
        line += c;
      }
    }
    return out;
  }
  fs::path dir;
};

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST_F(Extract, WritesSortedRowsWithGtzanColumns) {
  make_library();
  const auto r = run_cli("extract music --label-from parent -o f.csv --jobs 2", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << "results go to the file, messages to stderr: " << r.out;
  const auto rows = lines("f.csv");
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0].rfind("filename,length,chroma_stft_mean,chroma_stft_var,rms_mean,", 0), 0u) << rows[0];
  EXPECT_TRUE(rows[0].size() > 6 && rows[0].substr(rows[0].size() - 6) == ",label") << rows[0];
  EXPECT_EQ(rows[1].rfind("blues/blues.00000.wav,22050,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[6].rfind("jazz/jazz.00002.wav,", 0), 0u) << rows[6];
  EXPECT_TRUE(rows[6].substr(rows[6].size() - 5) == ",jazz") << rows[6];
  EXPECT_TRUE(fs::exists(dir / "f.csv.extract.jsonl"));
  EXPECT_TRUE(contains(r.err, "6 rows in f.csv")) << r.err;
}

TEST_F(Extract, FailuresAreNamedTheBatchGoesOnAndExitIsOne) {
  make_library(2);
  const fs::path bad = dir / "music" / "bad";
  write_text(bad / "text.wav", "this is not a sound, only words\n");
  write_text(bad / "empty.wav", "");
  std::string corrupt = "RIFF\x24\x10\x00\x00WAVEfmt ";
  for (int i = 0; i < 4000; ++i) corrupt += static_cast<char>((i * 7919) % 251);
  write_text(bad / "corrupt.wav", corrupt);
  write_wav(bad / "silent.wav", std::vector<std::int16_t>(22050, 0));
  write_wav(bad / "short.wav", tone(0.005, 440, 9));  // 110 samples: less than one 2048-sample frame
  const auto r = run_cli("extract music -o f.csv --jobs 2", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* name : {"text.wav", "empty.wav", "corrupt.wav", "silent.wav", "short.wav"})
    EXPECT_TRUE(contains(r.err, std::string("bad/") + name)) << name << " should be named: " << r.err;
  EXPECT_TRUE(contains(r.err, "5 of 9 audio files failed")) << r.err;
  const auto rows = lines("f.csv");
  ASSERT_EQ(rows.size(), 5u) << "the four good rows are still written";
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_FALSE(contains(rows[i], "bad/")) << rows[i];
  // Failures are tried again by a rerun, and still reported.
  const auto again = run_cli("extract music -o f.csv", dir);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(contains(again.err, "4 kept from the last run")) << again.err;
  EXPECT_TRUE(contains(again.err, "corrupt.wav")) << again.err;
  // --quiet silences progress and the summary, never the failures.
  const auto quiet = run_cli("extract music -o f.csv --quiet", dir);
  EXPECT_EQ(quiet.exit_code, 1);
  EXPECT_TRUE(contains(quiet.err, "bad/silent.wav")) << quiet.err;
  EXPECT_FALSE(contains(quiet.err, "extract: done")) << quiet.err;
  EXPECT_FALSE(contains(quiet.err, "rows in f.csv")) << quiet.err;
  EXPECT_TRUE(quiet.out.empty()) << quiet.out;
}

TEST_F(Extract, ContentDecidesForFilesWithoutAnAudioExtension) {
  make_library(1);
  write_wav(dir / "music" / "untitled", tone(1.0, 330, 5));           // audio, no extension
  write_wav(dir / "music" / "track.dat", tone(1.0, 550, 6));          // audio, unknown extension
  write_text(dir / "music" / "notes.txt", "liner notes\n");           // not audio: skipped, counted
  write_text(dir / "music" / "cover.jpg.txt", "not an image either");
  write_text(dir / "music" / ".hidden.wav", "hidden files are not looked at");
  write_text(dir / "music" / ".cache" / "x.wav", "nor hidden folders");
  const auto r = run_cli("extract music -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = slurp((dir / "f.csv").string());
  EXPECT_TRUE(contains(csv, "\nuntitled,")) << csv.substr(0, 300);
  EXPECT_TRUE(contains(csv, "\ntrack.dat,"));
  EXPECT_FALSE(contains(csv, "notes.txt"));
  EXPECT_FALSE(contains(csv, "hidden"));
  EXPECT_EQ(lines("f.csv").size(), 5u);
  EXPECT_TRUE(contains(r.err, "skipped 2 files whose content is not audio")) << r.err;
  EXPECT_TRUE(contains(r.err, "notes.txt")) << r.err;
}

TEST_F(Extract, OtherFormatsAreFoundByContentAndLosslessEqualsWav) {
  if (std::system("command -v ffmpeg > /dev/null 2>&1") != 0) GTEST_SKIP() << "ffmpeg is not installed";
  write_wav(dir / "src.wav", tone(1.5, 440, 4));
  const std::string ff = "ffmpeg -nostdin -loglevel error -y -i src.wav ";
  fs::create_directories(dir / "music");
  ASSERT_EQ(std::system(("cd '" + dir.string() + "' && cp src.wav music/a.wav && " + ff + "-f flac music/b_flac_no_extension && " +
                         ff + "-f mp3 music/c_mp3_named.wav && " + ff + "-c:a libvorbis -f ogg music/d.ogg")
                            .c_str()),
            0);
  const auto r = run_cli("extract music -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines("f.csv");
  ASSERT_EQ(rows.size(), 5u) << slurp((dir / "f.csv").string()).substr(0, 400);
  auto cells = [](const std::string& row) { return row.substr(row.find(',')); };
  EXPECT_EQ(rows[2].rfind("b_flac_no_extension,", 0), 0u) << rows[2].substr(0, 40);
  EXPECT_EQ(cells(rows[2]), cells(rows[1])) << "FLAC and its WAV original give the same row";
  EXPECT_EQ(rows[3].rfind("c_mp3_named.wav,", 0), 0u) << "a .wav that holds MP3 is read as what it is";
  EXPECT_EQ(rows[4].rfind("d.ogg,", 0), 0u);
}

TEST_F(Extract, OutputInsideTheLibraryIsNotReadBack) {
  make_library(1);
  auto r = run_cli("extract music -o music/f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli("extract music -o music/f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "not audio")) << "its own files are not candidates: " << r.err;
  EXPECT_EQ(lines("music/f.csv").size(), 3u);
}

TEST_F(Extract, ResumeSkipsUnchangedFilesAndRedoesTouchedOnes) {
  make_library(2);
  auto r = run_cli("extract music -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string first = slurp((dir / "f.csv").string());

  // Same size and time, other content: a rerun must not look at it.
  const fs::path victim = dir / "music" / "jazz" / "jazz.00001.wav";
  const auto when = fs::last_write_time(victim);
  write_wav(victim, tone(1.0, 1500, 77));
  fs::last_write_time(victim, when);
  r = run_cli("extract music -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "4 files unchanged since the last run")) << r.err;
  EXPECT_TRUE(contains(r.err, "(0 extracted, 4 kept")) << r.err;
  EXPECT_EQ(slurp((dir / "f.csv").string()), first);

  // Touched: extracted again, and only it.
  fs::last_write_time(victim, when + std::chrono::seconds(5));
  r = run_cli("extract music -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "(1 extracted, 3 kept")) << r.err;
  const std::string second = slurp((dir / "f.csv").string());
  EXPECT_NE(second, first);
  const auto a = lines("f.csv");
  EXPECT_TRUE(contains(first, a[1])) << "the untouched rows are the same";
  EXPECT_FALSE(contains(first, a[4])) << "the touched row is new";

  // Other settings: everything again.
  r = run_cli("extract music -o f.csv --librosa 0.10", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "settings differ")) << r.err;
  EXPECT_TRUE(contains(r.err, "(4 extracted")) << r.err;

  // A new file joins; a deleted one leaves.
  fs::remove(dir / "music" / "blues" / "blues.00000.wav");
  write_wav(dir / "music" / "blues" / "blues.00009.wav", tone(1.0, 300, 99));
  r = run_cli("extract music -o f.csv --librosa 0.10", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "(1 extracted, 3 kept")) << r.err;
  const std::string now = slurp((dir / "f.csv").string());
  EXPECT_FALSE(contains(now, "blues.00000.wav"));
  EXPECT_TRUE(contains(now, "blues.00009.wav"));
}

TEST_F(Extract, ForceExtractsEverythingAgain) {
  make_library(2);
  ASSERT_EQ(run_cli("extract music -o f.csv", dir).exit_code, 0);
  const std::string first = slurp((dir / "f.csv").string());
  const auto r = run_cli("extract music -o f.csv --force", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "(4 extracted)")) << r.err;
  EXPECT_EQ(slurp((dir / "f.csv").string()), first) << "the same files give the same bytes";
}

TEST_F(Extract, AnOutputGenrelabDidNotWriteIsNeverReplacedWithoutForce) {
  make_library(1);
  write_text(dir / "f.csv", "my,own\n1,2\n");
  auto r = run_cli("extract music -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "f.csv: already exists and was not written by genrelab")) << r.err;
  EXPECT_EQ(slurp((dir / "f.csv").string()), "my,own\n1,2\n");
  // Written by genrelab, then edited by hand: also refused.
  ASSERT_EQ(run_cli("extract music -o g.csv", dir).exit_code, 0);
  write_text(dir / "g.csv", slurp((dir / "g.csv").string()) + "extra,row\n");
  r = run_cli("extract music -o g.csv", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(slurp((dir / "g.csv").string()), "extra,row"));
  // Nor a state file it did not write.
  write_text(dir / "h.csv.extract.jsonl", "someone else's notes\n");
  r = run_cli("extract music -o h.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "h.csv.extract.jsonl: exists but is not the state file")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "h.csv"));
  // --force replaces it.
  r = run_cli("extract music -o f.csv --force", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines("f.csv").size(), 3u);
}

TEST_F(Extract, TwoRunsOnOneOutputRefuseRatherThanInterleave) {
  make_library(1);
  ASSERT_EQ(run_cli("extract music -o f.csv", dir).exit_code, 0);
  const int fd = ::open((dir / "f.csv.extract.jsonl").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // as a running extract holds it
  const auto r = run_cli("extract music -o f.csv --force", dir);
  ::close(fd);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "another genrelab extract is writing this output")) << r.err;
  EXPECT_EQ(run_cli("extract music -o f.csv --force", dir).exit_code, 0) << "free again";
}

TEST_F(Extract, OffsetDurationAndSampleRateReachTheDecoder) {
  write_wav(dir / "m" / "a.wav", tone(3.0, 440, 1));
  auto r = run_cli("extract m -o f.csv --offset 0.5 --duration 1.5", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines("f.csv")[1].rfind("a.wav,33075,", 0), 0u) << lines("f.csv")[1].substr(0, 40);
  r = run_cli("extract m -o g.csv --sample-rate 44100", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines("g.csv")[1].rfind("a.wav,132300,", 0), 0u) << lines("g.csv")[1].substr(0, 40);
  r = run_cli("extract m -o h.csv --offset 5", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "m/a.wav")) << r.err;
}

TEST_F(Extract, JobsDoNotChangeTheBytes) {
  make_library(3);
  ASSERT_EQ(run_cli("extract music -o one.csv --jobs 1 --segments 0.5 --label-from parent", dir).exit_code, 0);
  ASSERT_EQ(run_cli("extract music -o two.csv --jobs 2 --segments 0.5 --label-from parent", dir).exit_code, 0);
  EXPECT_EQ(slurp((dir / "one.csv").string()), slurp((dir / "two.csv").string()));
  EXPECT_EQ(slurp((dir / "one.segments.csv").string()), slurp((dir / "two.segments.csv").string()));
}

TEST_F(Extract, SegmentRowsAreNamedAsGtzanNamesThem) {
  write_wav(dir / "g" / "blues.00000.wav", tone(2.0, 220, 3));
  const auto r = run_cli("extract g --segments 0.5 --label-from prefix -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto seg = lines("f.segments.csv");
  ASSERT_EQ(seg.size(), 5u) << slurp((dir / "f.segments.csv").string());
  EXPECT_EQ(seg[0], lines("f.csv")[0]);
  EXPECT_EQ(seg[1].rfind("blues.00000.0.wav,", 0), 0u) << seg[1];
  EXPECT_EQ(seg[4].rfind("blues.00000.3.wav,", 0), 0u) << seg[4];
  EXPECT_TRUE(seg[4].substr(seg[4].size() - 6) == ",blues") << seg[4];
  ASSERT_EQ(run_cli("extract g --segments 0.5 --segments-output parts.csv -o h.csv", dir).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "parts.csv"));
}

TEST_F(Extract, TwoShardsMergedEqualOneRun) {
  make_library(4);
  write_wav(dir / "music" / "jazz" / "odd, \"quoted\" name.wav", tone(1.0, 500, 50));  // quoted in the CSV
  const std::string opts = "--segments 0.5 --label-from parent";
  ASSERT_EQ(run_cli("extract music -o all.csv " + opts, dir).exit_code, 0);
  auto a = run_cli("extract music -o s1.csv --shard 1/2 " + opts, dir);
  auto b = run_cli("extract music -o s2.csv --shard 2/2 " + opts, dir);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto n1 = lines("s1.csv").size(), n2 = lines("s2.csv").size();
  EXPECT_EQ(n1 + n2, 11u);
  EXPECT_TRUE(contains(slurp((dir / "all.csv").string()), "\n\"jazz/odd, \"\"quoted\"\" name.wav\","));
  EXPECT_GT(n1, 1u) << "each shard gets some of 9 files";
  EXPECT_GT(n2, 1u);
  EXPECT_TRUE(contains(a.err, "left to the other shards")) << a.err;
  auto m = run_cli("merge s2.csv s1.csv -o merged.csv", dir);
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(slurp((dir / "merged.csv").string()), slurp((dir / "all.csv").string()));
  m = run_cli("merge s1.segments.csv s2.segments.csv -o merged.segments.csv", dir);
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(slurp((dir / "merged.segments.csv").string()), slurp((dir / "all.segments.csv").string()));
}

TEST(ExtractShard, Fnv1a64IsTheDocumentedHashAndSharesAreStable) {
  // Reference values of FNV-1a 64 (Fowler/Noll/Vo test vectors).
  EXPECT_EQ(genrelab::fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(genrelab::fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(genrelab::fnv1a64("foobar"), 0x85944171f73967e8ULL);
  EXPECT_EQ(genrelab::shard_of("foobar", 7), 0x85944171f73967e8ULL % 7 + 1);
  EXPECT_EQ(genrelab::shard_of("anything", 1), 1u);
  EXPECT_EQ(genrelab::parse_shard("3/8"), (std::pair<std::size_t, std::size_t>{3, 8}));
  EXPECT_THROW(genrelab::parse_shard("9/8"), genrelab::UsageError);
  EXPECT_THROW(genrelab::parse_shard("1/"), genrelab::UsageError);
  EXPECT_THROW(genrelab::parse_shard("-1/2"), genrelab::UsageError);
}

TEST_F(Extract, MoreShardsThanFilesMergeToo) {
  write_wav(dir / "m" / "only.wav", tone(1.0, 440, 1));
  std::string parts;
  for (int k = 1; k <= 4; ++k) {
    const auto r = run_cli(fmt::format("extract m -o p{}.csv --shard {}/4 --quiet", k, k), dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    parts += fmt::format(" p{}.csv", k);
  }
  const auto m = run_cli("merge" + parts + " -o all.csv", dir);
  ASSERT_EQ(m.exit_code, 0) << m.err;
  ASSERT_EQ(run_cli("extract m -o one.csv --quiet", dir).exit_code, 0);
  EXPECT_EQ(slurp((dir / "all.csv").string()), slurp((dir / "one.csv").string()));
}

TEST_F(Extract, MergeRefusesMismatchedColumnsDuplicatesAndReplacingAnInput) {
  make_library(2);
  ASSERT_EQ(run_cli("extract music -o s1.csv --shard 1/2 --label-from parent", dir).exit_code, 0);
  ASSERT_EQ(run_cli("extract music -o s2.csv --shard 2/2 --label-from parent", dir).exit_code, 0);
  ASSERT_EQ(run_cli("extract music -o nolabel.csv --shard 2/2", dir).exit_code, 0);

  auto r = run_cli("merge s1.csv nolabel.csv -o m.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "nolabel.csv")) << r.err;
  EXPECT_TRUE(contains(r.err, "label")) << "names the column: " << r.err;
  EXPECT_FALSE(fs::exists(dir / "m.csv"));

  std::string renamed = slurp((dir / "s2.csv").string());
  renamed.replace(renamed.find("rms_mean"), 8, "rms_avg");
  write_text(dir / "renamed.csv", renamed);
  r = run_cli("merge s1.csv renamed.csv -o m.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "renamed.csv: column 5 is 'rms_avg' where s1.csv has 'rms_mean'")) << r.err;

  r = run_cli("merge s1.csv s2.csv s1.csv -o m.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "is in both s1.csv")) << r.err;
  EXPECT_TRUE(contains(r.err, "and s1.csv")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "m.csv"));

  const std::string before = slurp((dir / "s1.csv").string());
  r = run_cli("merge s1.csv s2.csv -o ./s1.csv", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "is the same file as the input")) << r.err;
  EXPECT_EQ(slurp((dir / "s1.csv").string()), before);
}

TEST_F(Extract, LabelsFromParentPrefixRegexAndALabelsFile) {
  make_library(1);
  write_wav(dir / "music" / "mixed" / "rock.00007.wav", tone(1.0, 660, 21));
  auto r = run_cli("extract music --label-from parent -o p.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(slurp((dir / "p.csv").string()), "\nmixed/rock.00007.wav,"));
  EXPECT_TRUE(lines("p.csv")[3].substr(lines("p.csv")[3].size() - 6) == ",mixed");

  r = run_cli("extract music --label-from prefix -o x.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(lines("x.csv")[3].substr(lines("x.csv")[3].size() - 5) == ",rock") << lines("x.csv")[3];

  r = run_cli("extract music --label-from 'regex:^[a-z]+/([a-z]+)\\.' -o re.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(lines("re.csv")[3].substr(lines("re.csv")[3].size() - 5) == ",rock") << lines("re.csv")[3];

  // By path relative to the folder, or by a unique file name; labels with commas are quoted.
  write_text(dir / "labels.csv",
             "file,genre,comment\nblues/blues.00000.wav,blues,x\n./jazz/jazz.00000.wav,\"jazz, modal\",y\n"
             "rock.00007.wav,rock,z\n");
  r = run_cli("extract music --labels labels.csv -o l.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines("l.csv");
  EXPECT_TRUE(contains(rows[1], ",blues")) << rows[1];
  EXPECT_TRUE(contains(rows[2], ",\"jazz, modal\"")) << rows[2];
  EXPECT_TRUE(contains(rows[3], ",rock")) << rows[3];
  EXPECT_FALSE(contains(r.err, "name no audio file")) << r.err;
  // ... and compare reads that file: filename is an identifier, label the label.
  write_text(dir / "labels2.csv", "filename,label\nblues.00000.wav,blues\njazz.00000.wav,jazz\nrock.00007.wav,rock\n"
                                  "gone.wav,pop\n");
  r = run_cli("extract music --labels labels2.csv -o l2.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "1 rows of labels2.csv name no audio file found here (e.g. gone.wav)")) << r.err;
}

TEST_F(Extract, AFileWithoutALabelIsRefusedBeforeAnyWork) {
  make_library(2);
  write_text(dir / "labels.csv", "file,genre\nblues/blues.00000.wav,blues\nblues/blues.00001.wav,blues\n"
                                 "jazz/jazz.00000.wav,jazz\n");
  auto r = run_cli("extract music --labels labels.csv -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "no label for 1 of 4 audio files")) << r.err;
  EXPECT_TRUE(contains(r.err, "jazz/jazz.00001.wav")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "f.csv"));
  EXPECT_FALSE(fs::exists(dir / "f.csv.extract.jsonl")) << "refused before any work";

  r = run_cli("extract music --label-from 'regex:^(blues)/' -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "no label for 2 of 4")) << r.err;
  r = run_cli("extract music --label-from 'regex:^blues/' -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "capture group")) << r.err;
  r = run_cli("extract music --label-from folder -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "parent")) << r.err;
  r = run_cli("extract music --label-from parent --labels labels.csv -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(Extract, ClashingNamesAndConflictingLabelsAreRefusedBeforeAnyWork) {
  write_wav(dir / "a" / "x.wav", tone(1.0, 440, 1));
  write_wav(dir / "b" / "x.wav", tone(1.0, 660, 2));
  auto r = run_cli("extract a b -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "a/x.wav and b/x.wav would both be 'x.wav'")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "f.csv.extract.jsonl"));
  r = run_cli("extract a a/x.wav ./a -o f.csv", dir);  // one file reached three ways is one row
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines("f.csv").size(), 2u);

  write_text(dir / "labels.csv", "file,genre\nx.wav,rock\nx.wav,jazz\n");
  r = run_cli("extract a --labels labels.csv -o g.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "'x.wav' is labelled 'rock' on line 2 and 'jazz' on line 3")) << r.err;
  write_text(dir / "labels.csv", "file,genre,label\nx.wav,rock,jazz\n");
  r = run_cli("extract a --labels labels.csv -o g.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "both 'genre' and 'label' columns")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "g.csv"));
}

TEST(ExtractProgress, LinesEveryIntervalOffATerminalABarOnOneAndNothingWhenOff) {
  auto capture = [](genrelab::ProgressStyle style, double interval, int sleep_ms) {
    std::FILE* f = std::tmpfile();
    {
      genrelab::Progress p(f, style, "extract", 4, 400.0, interval);
      for (int i = 0; i < 4; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
        p.add(100.0, 30.0);
        if (i == 1) p.message("genrelab: error: x.wav: broken");
      }
      p.finish();
    }
    std::rewind(f);
    std::string text;
    for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
    std::fclose(f);
    return text;
  };
  const std::string lines = capture(genrelab::ProgressStyle::lines, 0.05, 60);
  EXPECT_GE(std::count(lines.begin(), lines.end(), '\n'), 4) << lines;
  EXPECT_TRUE(contains(lines, "x real-time, ETA")) << lines;
  EXPECT_TRUE(contains(lines, "genrelab: error: x.wav: broken\n")) << lines;
  EXPECT_TRUE(contains(lines, "extract: done, 4/4 files")) << lines;
  EXPECT_FALSE(contains(lines, "\r")) << lines;
  const std::string bar = capture(genrelab::ProgressStyle::bar, 5.0, 200);  // redrawn every 0.2 s
  EXPECT_TRUE(contains(bar, "\rextract [")) << bar;
  EXPECT_TRUE(contains(bar, "] 100%  4/4 files")) << bar;
  EXPECT_TRUE(contains(bar, "\r\x1b[Kgenrelab: error: x.wav: broken\n")) << "the bar is cleared first: " << bar;
  const std::string off = capture(genrelab::ProgressStyle::off, 0.05, 20);
  EXPECT_EQ(off, "genrelab: error: x.wav: broken\n");
}

TEST_F(Extract, CompareWorksOnTheOutput) {
  make_library(8, 1.0);
  auto r = run_cli("extract music --label-from parent -o f.csv --quiet", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << "--quiet: " << r.err;
  r = run_cli("compare f.csv --models dummy,decision_tree --cv 2", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "decision_tree")) << r.out;
  EXPECT_TRUE(contains(r.err + r.out, "16")) << "16 tracks: " << r.err;
}

TEST_F(Extract, UsageMistakesAreExitTwo) {
  make_library(1);
  EXPECT_EQ(run_cli("extract music -o f.csv --shard 3/2", dir).exit_code, 2);
  EXPECT_EQ(run_cli("extract music -o f.csv --shard 0/2", dir).exit_code, 2);
  EXPECT_EQ(run_cli("extract music -o f.csv --shard two", dir).exit_code, 2);
  EXPECT_EQ(run_cli("extract music -o f.csv --segments-output s.csv", dir).exit_code, 2);
  EXPECT_EQ(run_cli("extract music -o f.csv --librosa 0.9", dir).exit_code, 2);
  EXPECT_EQ(run_cli("extract music", dir).exit_code, 2);
  const auto r = run_cli("extract nowhere -o f.csv", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "nowhere: no such file or directory")) << r.err;
  EXPECT_TRUE(contains(run_cli("extract --help", dir).out, "Example"));
  EXPECT_TRUE(contains(run_cli("merge --help", dir).out, "Example"));
}

TEST_F(Extract, ProgressIsALinePerFewSecondsOffATerminal) {
  make_library(1);
  const auto r = run_cli("extract music -o f.csv", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "extract: done, 2/2 files")) << r.err;
  EXPECT_FALSE(contains(r.err, "\r")) << "no bar drawing off a terminal";
}

// ---- interrupted runs ---------------------------------------------------

namespace {

pid_t start_cli(const std::string& args, const fs::path& cwd) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string cmd = "cd '" + cwd.string() + "' && exec '" GENRELAB_CLI "' " + args +
                            " > killed.out 2> killed.err < /dev/null";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

std::size_t records_in(const fs::path& state) {
  const std::string text = slurp(state.string());
  std::size_t n = 0;
  for (std::size_t p = 0; (p = text.find("{\"file\":", p)) != std::string::npos; ++p) ++n;
  return n;
}

}  // namespace

class ExtractInterrupted : public Extract, public ::testing::WithParamInterface<int> {};

TEST_P(ExtractInterrupted, ResumedRunEqualsAnUninterruptedOne) {
  const int sig = GetParam();
  const int files = 16;
  for (int k = 0; k < files; ++k)
    write_wav(dir / "music" / fmt::format("t{:02}.wav", k), tone(3.0, 200.0 + 37 * k, static_cast<unsigned>(k)));
  const std::string opts = "--jobs 1 --segments 1 --label-from prefix";
  ASSERT_EQ(run_cli("extract music -o full.csv " + opts, dir).exit_code, 0);

  const pid_t pid = start_cli("extract music -o f.csv " + opts, dir);
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::size_t seen = 0;
  while ((seen = records_in(dir / "f.csv.extract.jsonl")) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::string err = slurp((dir / "killed.err").string());
  ASSERT_LT(seen, static_cast<std::size_t>(files)) << "the run ended before it could be interrupted";
  if (sig == SIGKILL) {
    EXPECT_TRUE(WIFSIGNALED(status));
  } else {
    ASSERT_TRUE(WIFEXITED(status)) << err;
    EXPECT_EQ(WEXITSTATUS(status), 130) << err;
    EXPECT_TRUE(contains(err, "interrupted")) << err;
    EXPECT_TRUE(contains(err, "Run the same command again")) << err;
  }
  EXPECT_FALSE(fs::exists(dir / "f.csv")) << "an interrupted run writes no output";
  const std::size_t kept = records_in(dir / "f.csv.extract.jsonl");
  EXPECT_GE(kept, 3u);

  const auto r = run_cli("extract music -o f.csv " + opts, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, fmt::format("{} files unchanged since the last run", kept))) << r.err;
  EXPECT_EQ(slurp((dir / "f.csv").string()), slurp((dir / "full.csv").string()));
  EXPECT_EQ(slurp((dir / "f.segments.csv").string()), slurp((dir / "full.segments.csv").string()));
}

INSTANTIATE_TEST_SUITE_P(Signals, ExtractInterrupted, ::testing::Values(SIGKILL, SIGINT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGKILL ? "SIGKILL" : "SIGINT");
                         });
