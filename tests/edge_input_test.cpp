// Trust at the edges (issue 14, items 2-5): input that is not what it seems,
// options that mean what they say, messages that name the real problem, and
// fix advice that works. Every test here failed before the fix it covers
// (the commands and the old behaviour are in edges_table.md of that branch).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"
#include "genrelab/dataset.h"
#include "genrelab/error.h"
#include "genrelab/experiment.h"
#include "genrelab/input_file.h"
#include "genrelab/table.h"

namespace fs = std::filesystem;
using genrelab::testing::run_cli;
using genrelab::testing::scratch_dir;
using genrelab::testing::slurp;

namespace genrelab {
namespace {

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A shell line run in `dir` (for pipes, FIFOs and standard input, which run_cli closes).
testing::CliResult run_shell(const std::string& line, const fs::path& dir) {
  const std::string cmd = "cd '" + dir.string() + "' && G='" GENRELAB_CLI "' && { " + line + " ; } > out.txt 2> err.txt";
  const int status = std::system(cmd.c_str());
  testing::CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp((dir / "out.txt").string());
  r.err = slurp((dir / "err.txt").string());
  return r;
}

std::string seed_csv() { return std::string(GENRELAB_SOURCE_DIR) + "/data/seed/all_genres.csv"; }
std::string model_dir() { return std::string(GENRELAB_TEST_DATA) + "/models"; }

// Two genres, three numeric features, eight rows: enough for every command.
const std::string kTwoGenres =
    "track_id,energy,tempo,loudness,genre\n"
    "a1,0.9,120,-5,rock\nb2,0.8,125,-6,rock\nc3,0.85,130,-4,rock\nd4,0.7,128,-7,rock\n"
    "e5,0.2,80,-15,jazz\nf6,0.3,85,-14,jazz\ng7,0.25,90,-16,jazz\nh8,0.35,95,-13,jazz\n";

// ---- Input that is not what it seems -------------------------------------------------------------

TEST(EdgeInput, InvalidUtf8IsAnErrorAtReadTimeWithLineColumnAndTheConversion) {
  const fs::path dir = scratch_dir("utf8");
  write_text(dir / "latin1.csv", "artist,energy,genre\nBeyonc\xE9,0.5,pop\nAdele,0.4,pop\n");
  try {
    read_csv((dir / "latin1.csv").string());
    FAIL() << "read a Latin-1 file as UTF-8";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_TRUE(has(m, "line 2")) << m;
    EXPECT_TRUE(has(m, "column 'artist'")) << m;
    EXPECT_TRUE(has(m, "byte 0xE9")) << m;
    EXPECT_TRUE(has(m, "iconv -f latin1 -t utf-8")) << m;
  }
  // The command stops before printing any result (the JSON writer used to throw at the end).
  const auto r = run_cli("evaluate latin1.csv --label genre --cv 0 --json out.json", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(has(r.err, "not valid UTF-8")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.json"));
}

TEST(EdgeInput, ValidUtf8AcrossEveryChunkBoundaryIsAccepted) {
  // Two-, three- and four-byte characters, cut by chunks of every small size:
  // a sequence split between two pieces of the pre-scan is still one character.
  std::string text = "name,x,genre\n";
  for (int i = 0; i < 40; ++i) text += "Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\xB5," + std::to_string(i) + ",g" + std::to_string(i % 2) + "\n";
  for (std::size_t chunk = 1; chunk <= 17; ++chunk) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    o.threads = 2;
    EXPECT_NO_THROW(read_csv_text(text, "u.csv", o)) << chunk;
  }
  // A stray continuation byte at a chunk start is still caught.
  std::string bad = text;
  bad[38] = '\x80';  // the space after "Caf\xC3\xA9": a continuation byte with no lead
  for (std::size_t chunk = 1; chunk <= 17; ++chunk) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    EXPECT_THROW(read_csv_text(bad, "u.csv", o), InputError) << chunk;
  }
  // Overlong forms and surrogates are not UTF-8 either.
  for (const char* seq : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"})
    EXPECT_THROW(read_csv_text(std::string("a,genre\n") + seq + ",x\n", "u.csv"), InputError) << seq;
}

TEST(EdgeInput, LabelsWithSurroundingSpacesJoinTheirGenreWithANote) {
  const Table t = read_csv_text("x,genre\n1,rock\n2,rock \n3, rock\n4,jazz\n5,jazz\n", "t.csv");
  const Dataset d = build_dataset(t, {});
  ASSERT_EQ(d.classes, (std::vector<std::string>{"jazz", "rock"}));
  EXPECT_EQ(d.findings.labels_trimmed, 2u);
  bool noted = false;
  for (const auto& n : d.findings.notes) noted = noted || has(n, "Trimmed spaces around 2 'genre' labels");
  EXPECT_TRUE(noted);
  // --genres names the trimmed genre.
  DatasetOptions o;
  o.genres = {"rock"};
  EXPECT_EQ(build_dataset(t, o).n_rows(), 3u);
}

TEST(EdgeInput, LabelsDifferingInCaseAreAnErrorNamingBothUnlessFolded) {
  const Table t = read_csv_text("x,genre\n1,rock\n2,Rock\n3,rock\n4,jazz\n5,jazz\n", "t.csv");
  try {
    build_dataset(t, {});
    FAIL() << "rock and Rock became two genres";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_TRUE(has(m, "'rock' (2 rows, first at line 2)")) << m;
    EXPECT_TRUE(has(m, "'Rock' (1 row, first at line 3)")) << m;
    EXPECT_TRUE(has(m, "--fold-label-case")) << m;
  }
  DatasetOptions o;
  o.fold_label_case = true;
  const Dataset d = build_dataset(t, o);
  EXPECT_EQ(d.classes, (std::vector<std::string>{"jazz", "rock"}));
  EXPECT_EQ(d.findings.labels_case_folded, 1u);
  EXPECT_EQ(d.class_counts(), (std::vector<std::size_t>{2, 3}));
}

TEST(EdgeInput, ASecondLabelColumnIsAnErrorUnlessDroppedOrTheLabelNamed) {
  const Table t = read_csv_text("x,genre,track_genre\n1,rock,rock\n2,rock,rock\n3,jazz,jazz\n4,jazz,jazz\n", "t.csv");
  try {
    build_dataset(t, {});
    FAIL() << "track_genre would have been a feature";
  } catch (const InputError& e) {
    EXPECT_TRUE(has(e.what(), "'genre' and 'track_genre' both look like labels")) << e.what();
    EXPECT_TRUE(has(e.what(), "--label genre --drop track_genre")) << e.what();
  }
  DatasetOptions dropped;
  dropped.drop = {"track_genre"};
  EXPECT_EQ(build_dataset(t, dropped).feature_names, (std::vector<std::string>{"x"}));
  DatasetOptions named;
  named.label = "genre";
  const Dataset d = build_dataset(t, named);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x"}));
  ASSERT_EQ(d.findings.excluded_columns.size(), 1u);
  EXPECT_TRUE(has(d.findings.excluded_columns[0].second, "second label column"));
  // label and Genre (case-insensitive names) too.
  const Table u = read_csv_text("x,label,Genre\n1,a,a\n2,a,a\n3,b,b\n", "u.csv");
  EXPECT_THROW(build_dataset(u, {}), InputError);
}

TEST(EdgeInput, FewerThanTwoGenresIsAnErrorInEveryCommandThatFitsOrCompares) {
  const fs::path dir = scratch_dir("one-genre");
  write_text(dir / "one.csv", "energy,tempo,genre\n0.1,100,rock\n0.2,110,rock\n0.3,120,rock\n0.4,130,rock\n"
                              "0.5,100,rock\n0.6,110,rock\n");
  for (const char* cmd : {"train one.csv -o m.glab", "evaluate one.csv", "compare one.csv --models dummy,knn",
                          "tune one.csv --model knn", "profile one.csv -o prof"}) {
    const auto r = run_cli(cmd, dir);
    EXPECT_EQ(r.exit_code, 1) << cmd << ": " << r.err;
    EXPECT_TRUE(has(r.err, "only one genre (rock)")) << cmd << ": " << r.err;
  }
}

TEST(EdgeInput, IdenticalFeaturesWithDifferentGenresAreAFindingWithTheirIds) {
  const Table t = read_csv_text(
      "filename,energy,tempo,label\nmetal.00058.wav,0.5,120,metal\nrock.00016.wav,0.5,120,rock\n"
      "rock.00001.wav,0.7,100,rock\nmetal.00001.wav,0.9,140,metal\n",
      "g.csv");
  const Dataset d = build_dataset(t, {});
  EXPECT_EQ(d.findings.conflicting_feature_rows, 1u);
  bool noted = false;
  for (const auto& n : d.findings.notes)
    noted = noted || has(n, "metal.00058.wav (metal) = rock.00016.wav (rock)");
  EXPECT_TRUE(noted);
}

TEST(EdgeInput, AModelThatIsADeviceIsRefusedBeforeAnyByteIsRead) {
  const fs::path dir = scratch_dir("model-device");
  for (const char* device : {"/dev/urandom", "/dev/zero", "/dev/null"}) {
    const auto r = run_cli(std::string("predict ") + device + " '" + model_dir() + "/tracks.csv'", dir);
    EXPECT_EQ(r.exit_code, 1) << device << ": " << r.err;
    EXPECT_TRUE(has(r.err, "is a device")) << device << ": " << r.err;
  }
  EXPECT_THROW(read_input_file("/dev/urandom", InputLimits{1 << 20, "model file"}), InputError);
}

TEST(EdgeInput, PipesFifosAndStandardInputAreReadAsStreams) {
  const fs::path dir = scratch_dir("streams");
  const std::string model = model_dir() + "/small_dummy.glab";
  const std::string tracks = model_dir() + "/tracks.csv";
  ASSERT_EQ(::mkfifo((dir / "m.fifo").c_str(), 0600), 0);
  auto r = run_shell("cat '" + model + "' > m.fifo & \"$G\" predict m.fifo '" + tracks + "'; wait", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "predicted_genre")) << r.out;
  r = run_shell("cat '" + tracks + "' | \"$G\" predict '" + model + "' -", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "predicted_genre")) << r.out;
  r = run_shell("cat '" + seed_csv() + "' | \"$G\" evaluate /dev/stdin --model dummy --cv 0", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Held-out test")) << r.out;
  // A bounded limit holds for streams too.
  r = run_shell("head -c 17000000 /dev/zero | \"$G\" run -", dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(has(r.err, "more than 16.0 MiB arrived")) << r.err;
}

TEST(EdgeInput, AFifoNobodyWritesGetsAMessageInsteadOfASilentHang) {
  const fs::path dir = scratch_dir("fifo-silent");
  ASSERT_EQ(::mkfifo((dir / "t.fifo").c_str(), 0600), 0);
  // It keeps waiting after the message (the writer may be slow); timeout ends it here.
  const auto r = run_shell("timeout 6 \"$G\" evaluate t.fifo", dir);
  EXPECT_EQ(r.exit_code, 124) << r.err;
  EXPECT_TRUE(has(r.err, "waiting for t.fifo: nothing has been written to it for 3 s")) << r.err;
}

TEST(EdgeInput, RunOnADirectoryAnEmptyFileOrDevNullIsAnError) {
  const fs::path dir = scratch_dir("run-nothing");
  write_text(dir / "empty.toml", "");
  write_text(dir / "comments.toml", "# nothing here\n\n");
  fs::create_directories(dir / "folder");
  for (const char* file : {"folder", "empty.toml", "/dev/null", "comments.toml"}) {
    const auto r = run_cli(std::string("run ") + file + " -o results", dir);
    EXPECT_NE(r.exit_code, 0) << file;
    EXPECT_TRUE(has(r.err, "is a directory") || has(r.err, "is empty") || has(r.err, "is a device") ||
                has(r.err, "sets nothing"))
        << file << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir / "results")) << file << ": the built-in study ran";
  }
}

// ---- Options that mean what they say ----------------------------------------------------------

TEST(EdgeOptions, SeedIsZeroToTwoToThe32MinusOneAsTyped) {
  const fs::path dir = scratch_dir("seed-range");
  for (const char* seed : {"-5", "4294967296", "18446744073709551611", "1e3", "0x10"}) {
    const auto r = run_cli(std::string("evaluate seed --model dummy --cv 0 --seed ") + seed, dir);
    EXPECT_EQ(r.exit_code, 2) << seed << ": " << r.err;
    EXPECT_TRUE(has(r.err, "--seed")) << seed << ": " << r.err;
    EXPECT_TRUE(has(r.err, "0 to 4294967295")) << seed << ": " << r.err;
  }
  EXPECT_EQ(run_cli("evaluate seed --model dummy --cv 0 --seed 4294967295", dir).exit_code, 0);
  EXPECT_EQ(run_cli("evaluate seed --model dummy --cv 0 --seed 0", dir).exit_code, 0);
  EXPECT_THROW(parse_experiment("[study]\nseed = 4294967296\n", "x.toml", ""), UsageError);
  EXPECT_THROW(parse_experiment("[study]\nseed = -1\n", "x.toml", ""), UsageError);
}

TEST(EdgeOptions, NanAndInfinityAreRefusedByEveryNumericOption) {
  const fs::path dir = scratch_dir("nan-options");
  for (const char* cmd : {"evaluate seed --test-size nan", "evaluate seed --test-size inf", "compare seed --test-size nan",
                          "train seed --holdout nan -o m.glab", "extract . --duration nan -o x.csv",
                          "extract . --offset nan -o x.csv", "extract . --segments inf -o x.csv"}) {
    const auto r = run_cli(cmd, dir);
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    EXPECT_TRUE(has(r.err, "not a finite number")) << cmd << ": " << r.err;
  }
}

TEST(EdgeOptions, EmptyListsDuplicateModelsAndStrayParametersAreRefused) {
  const fs::path dir = scratch_dir("lists");
  struct Case {
    const char* cmd;
    const char* says;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"evaluate seed --genres ''", "--genres"},
           {"evaluate seed --features ''", "--features"},
           {"evaluate seed --label ''", "--label"},
           {"evaluate seed --drop ' , '", "--drop"},
           {"compare seed --models ''", "--models is empty"},
           {"compare seed --models knn,dummy,knn", "names 'knn' twice"},
           {"compare seed --models knn --param svm.C=2", "'svm' is not among --models"},
           {"compare seed --models knn --grid 'knn:n_neighbors=3,5'", "only applies with --tune"},
           {"tune seed --model knn --random 0", "--random"},
       }) {
    const auto r = run_cli(c.cmd, dir);
    EXPECT_EQ(r.exit_code, 2) << c.cmd << ": " << r.err;
    EXPECT_TRUE(has(r.err, c.says)) << c.cmd << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.cmd;
  }
}

TEST(EdgeOptions, PredictTopAboveTheGenresIsCappedWithANote) {
  const fs::path dir = scratch_dir("top-cap");
  const auto r = run_cli("predict '" + model_dir() + "/small_dummy.glab' '" + model_dir() + "/tracks.csv' --top 50", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "--top 50 asks for more genres than the model knows")) << r.err;
  EXPECT_FALSE(has(r.out, "top50_genre"));
}

TEST(EdgeOptions, ExperimentFilesFollowTheSameRulesBeforeAnyWork) {
  struct Case {
    const char* toml;
    const char* says;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"[models]\nuse = [\"svm\"]\n[models.svm.grid]\nC = [1, 10]\n", "grids are searched only when tuning"},
           {"[models]\nuse = [\"knn\", \"dummy\", \"knn\"]\n", "names 'knn' twice"},
           {"[models]\nuse = [\"knn\"]\n[[subsets]]\nid = \"a\"\npublished = { random_forst = 0.6 }\n",
            "'random_forst', which is not a model this study runs"},
           {"[models]\nuse = [\"knn\"]\n[[subsets]]\nid = \"a\"\npublished = { svm = 0.6 }\n", "it runs: knn"},
           {"[[subsets]]\nid = \"../up\"\n", "used in file names"},
           {"[[subsets]]\nid = \"-rf\"\n", "used in file names"},
           {"[[subsets]]\nid = \"a:b\"\n", "used in file names"},
           {"[[subsets]]\nid = \"a\"\ngenres = []\n", "empty list"},
           {"[data]\ngenres = []\n", "empty list"},
           {"[data]\nlabel = \"\"\n", "'label' in [data] is empty"},
       }) {
    try {
      parse_experiment(c.toml, "x.toml", "");
      ADD_FAILURE() << c.toml << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_TRUE(has(e.what(), c.says)) << c.toml << ": " << e.what();
      EXPECT_TRUE(has(e.what(), "x.toml:")) << e.what();
    }
  }
}

TEST(EdgeOptions, AGridAboveTenThousandFitsNeedsYes) {
  const fs::path dir = scratch_dir("big-grid");
  // 101 x 21 candidates x 5 folds = 10605 fits.
  std::string values;
  for (int i = 1; i <= 101; ++i) {
    if (i > 1) values += ',';
    values += std::to_string(i);
  }
  const std::string grid = "'n_neighbors=" + values + " leaf_size=" + values.substr(0, values.find(",22")) + "'";
  auto r = run_cli("tune seed --model knn --grid " + grid, dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "2121 candidates x 5 folds is more than 10000 fits")) << r.err;
  EXPECT_TRUE(has(r.err, "add --yes")) << r.err;
  EXPECT_EQ(r.out, "");
  r = run_cli("compare seed --models knn --tune --grid knn:" + grid, dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "add --yes")) << r.err;
  // Random search over the same grid is small enough.
  r = run_cli("tune seed --model knn --cv 2 --random 2 --grid " + grid, dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  write_text(dir / "big.toml", "[evaluation]\ntune = true\n[models]\nuse = [\"knn\"]\n[models.knn]\ngrid = " +
                                   std::string("\"n_neighbors=") + values + " leaf_size=" +
                                   values.substr(0, values.find(",22")) + "\"\n[output]\ndirectory = \"res\"\n");
  r = run_cli("run big.toml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "add --yes")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "res"));
}

// ---- Messages that name the real problem --------------------------------------------------------

TEST(EdgeMessages, ATruncatedModelSaysTruncatedAndItsRealSize) {
  const fs::path dir = scratch_dir("truncated");
  const std::string bytes = slurp(model_dir() + "/small_dummy.glab");
  write_text(dir / "cut.glab", bytes.substr(0, 700));
  const auto r = run_cli("predict cut.glab '" + model_dir() + "/tracks.csv'", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "truncated: it has 700 bytes of at least")) << r.err;
}

TEST(EdgeMessages, AHeaderEditIsNamedAsAHeaderProblem) {
  const fs::path dir = scratch_dir("header-edit");
  std::string bytes = slurp(model_dir() + "/small_dummy.glab");
  const auto at = bytes.find("\"dummy\"");
  ASSERT_NE(at, std::string::npos);
  write_text(dir / "longer.glab", bytes.substr(0, at) + "\"dummy2\"" + bytes.substr(at + 7));
  auto r = run_cli("predict longer.glab '" + model_dir() + "/tracks.csv'", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "the model header (the JSON text after the magic bytes) was edited")) << r.err;
  bytes[at + 1] = 'D';  // same length
  write_text(dir / "same.glab", bytes);
  r = run_cli("predict same.glab '" + model_dir() + "/tracks.csv'", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "if you edited the JSON header")) << r.err;
}

TEST(EdgeMessages, AnUnknownCommandListsTheCommands) {
  const auto r = run_cli("bogus", scratch_dir("bogus"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "unknown command 'bogus'")) << r.err;
  EXPECT_TRUE(has(r.err, "evaluate")) << r.err;
  EXPECT_TRUE(has(r.err, "predict")) << r.err;
  EXPECT_FALSE(has(r.err, ", load,")) << "hidden commands stay hidden: " << r.err;
}

TEST(EdgeMessages, ASplitTooSmallSaysWhatIsTooSmallAndWhatToDo) {
  const fs::path dir = scratch_dir("split-small");
  write_text(dir / "tiny.csv", "x,genre\n1,a\n2,a\n3,b\n4,b\n5,c\n6,c\n");
  const auto r = run_cli("evaluate tiny.csv --cv 0 --test-size 0.9", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "the data set is too small")) << r.err;
  EXPECT_TRUE(has(r.err, "add tracks")) << r.err;
}

TEST(EdgeMessages, TrainReportsWhatOnMissingDroppedOrImputed) {
  const fs::path dir = scratch_dir("train-missing");
  write_text(dir / "m.csv", kTwoGenres.substr(0, kTwoGenres.find("b2,")) + "b2,,125,-6,rock\n" +
                                kTwoGenres.substr(kTwoGenres.find("c3,")));
  auto r = run_cli("train m.csv --model dummy --on-missing drop -o m.glab", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "Left out 1 row with missing")) << r.err;
  r = run_cli("train m.csv --model dummy --on-missing impute-median -o m2.glab", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "Imputed 1 missing cell")) << r.err;
}

TEST(EdgeMessages, ANumericLabelColumnIsSaidInOneLine) {
  const fs::path dir = scratch_dir("numeric-label");
  write_text(dir / "t.csv", kTwoGenres);
  const auto r = run_cli("evaluate t.csv --label energy", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "--label 'energy' is a numeric column")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// ---- Fix advice that works -------------------------------------------------------------------------

TEST(EdgeAdvice, PredictTakesTheOnMissingItSuggests) {
  const fs::path dir = scratch_dir("predict-missing");
  std::string tracks = slurp(model_dir() + "/tracks.csv");
  const auto second = tracks.find('\n') + 1;
  tracks.replace(second, tracks.find(',', second) - second, "");  // first row's danceability empty
  write_text(dir / "t.csv", tracks);
  const std::string model = "'" + model_dir() + "/small_knn.glab' t.csv";
  auto r = run_cli("predict " + model, dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "--on-missing drop")) << r.err;
  r = run_cli("predict " + model + " --on-missing drop", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "Left out 1 row")) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 20);  // header + 19 of 20 tracks
  r = run_cli("predict " + model + " --on-missing impute-median", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "Imputed 1 missing cell")) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 21);
}

TEST(EdgeAdvice, TheConvergenceHintGivesTheFormForEveryCommand) {
  const fs::path dir = scratch_dir("lr-hint");
  const auto r = run_cli("evaluate seed --model logistic_regression --param max_iter=1 --cv 0", dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "--param logistic_regression.max_iter=1000 (compare)")) << r.err;
  EXPECT_TRUE(has(r.err, "[models.logistic_regression]")) << r.err;
  // The form it gives for compare works there.
  EXPECT_EQ(run_cli("compare seed --models logistic_regression --param logistic_regression.max_iter=1000 --cv 2",
                    dir).exit_code,
            0);
}

}  // namespace
}  // namespace genrelab
