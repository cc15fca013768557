// Building datasets: label and column detection, encodings, missing values,
// findings, and the three real data sets genrelab must read.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>

#include "genrelab/dataset.h"
#include "genrelab/error.h"
#include "shared_data.h"
#include "genrelab/table.h"

namespace genrelab {
namespace {

const std::string kData = GENRELAB_TEST_DATA;
const std::string kShared = std::string(GENRELAB_SOURCE_DIR) + "/../shared/data";

template <typename E>
void expect_error(const std::function<void()>& body, std::initializer_list<std::string> fragments) {
  try {
    body();
    FAIL() << "expected an exception";
  } catch (const E& e) {
    const std::string message = e.what();
    for (const std::string& f : fragments)
      EXPECT_NE(message.find(f), std::string::npos) << "missing '" << f << "' in: " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "messages are one line: " << message;
  }
}

Dataset build(const std::string& csv, DatasetOptions options = {}) {
  return build_dataset(read_csv_text(csv, "t.csv"), options);
}

std::size_t feature_index(const Dataset& ds, const std::string& name) {
  const auto it = std::find(ds.feature_names.begin(), ds.feature_names.end(), name);
  EXPECT_NE(it, ds.feature_names.end()) << "no feature " << name;
  return static_cast<std::size_t>(it - ds.feature_names.begin());
}

bool excluded(const Dataset& ds, const std::string& column) {
  for (const auto& [name, why] : ds.findings.excluded_columns)
    if (name == column) return !why.empty();
  return false;
}

bool has_note(const Dataset& ds, const std::string& fragment) {
  for (const std::string& note : ds.findings.notes)
    if (note.find(fragment) != std::string::npos) return true;
  return false;
}

TEST(Dataset, SpotifyStyleColumnsAreTypedAndEncoded) {
  const Dataset ds = build_dataset(read_csv(kData + "/spotify_small.csv"), {});
  EXPECT_EQ(ds.findings.label_column, "track_genre");
  EXPECT_TRUE(excluded(ds, "Unnamed: 0"));
  EXPECT_TRUE(excluded(ds, "track_id"));
  ASSERT_EQ(ds.n_rows(), 6u);
  // energy, key (12 levels), mode (one indicator), explicit
  ASSERT_EQ(ds.n_features(), 15u);
  EXPECT_EQ(ds.feature_names[0], "energy");
  EXPECT_EQ(ds.feature_names[1], "key=C");
  EXPECT_EQ(ds.feature_names[2], "key=C#");
  EXPECT_EQ(ds.feature_names[12], "key=B");
  EXPECT_EQ(ds.feature_names[13], "mode=Major");
  EXPECT_EQ(ds.feature_names[14], "explicit");
  EXPECT_EQ(ds.X(1, 2), 1.0);   // key 1 -> C#
  EXPECT_EQ(ds.X(1, 1), 0.0);
  EXPECT_EQ(ds.X(4, 12), 1.0);  // key 11 -> B
  EXPECT_EQ(ds.X(0, 13), 0.0);  // mode 0 -> Minor
  EXPECT_EQ(ds.X(1, 13), 1.0);
  EXPECT_EQ(ds.X(1, 14), 1.0);  // explicit True
  EXPECT_EQ(ds.X(2, 14), 0.0);
  EXPECT_DOUBLE_EQ(ds.X(2, 0), 0.3);
  ASSERT_EQ(ds.encodings.size(), 4u);
  EXPECT_EQ(ds.encodings[1].kind, FeatureEncoding::Kind::OneHot);
  EXPECT_EQ(ds.encodings[2].levels, (std::vector<std::string>{"Minor", "Major"}));
  EXPECT_EQ(ds.encodings[3].kind, FeatureEncoding::Kind::Boolean);
  EXPECT_EQ(ds.classes, (std::vector<std::string>{"jazz", "pop", "rock"}));
  EXPECT_EQ(ds.y, (Labels{2, 2, 0, 0, 1, 1}));
  EXPECT_EQ(ds.class_counts(), (std::vector<std::size_t>{2, 2, 2}));
  EXPECT_EQ(ds.lines, (std::vector<long>{2, 3, 4, 5, 6, 7}));
  // Findings: row 7 copies row 6; t1 is rock and jazz; t1 and t4 repeat.
  EXPECT_EQ(ds.findings.duplicate_rows, 1u);
  EXPECT_EQ(ds.findings.identical_records, 1u);
  EXPECT_EQ(ds.findings.id_column, "track_id");
  EXPECT_EQ(ds.findings.ids_with_several_labels, 1u);
  EXPECT_EQ(ds.findings.repeated_ids, 2u);
  EXPECT_EQ(ds.findings.rows_with_repeated_id, 2u);
  EXPECT_TRUE(has_note(ds, "--group-by track_id"));
}

TEST(Dataset, NoteNamesTimeSignaturesAndTextCategories) {
  const Dataset ds = build(
      "genre,key,mode,time_signature,explicit,instrument,energy\n"
      "rock,C#/Db,Major,4/4,TRUE,guitar,0.1\n"
      "rock,Db,Minor,3/4,FALSE,guitar,0.2\n"
      "jazz,C#,major,4,true,sax,0.3\n"
      "jazz,A,minor,4/4,false,sax,0.4\n"
      "pop,Bb,Major,3,True,synth,0.5\n"
      "pop,G#/Ab,Minor,5/4,False,synth,1.01e-06\n");
  const std::size_t cs = feature_index(ds, "key=C#");
  EXPECT_EQ(ds.X(0, cs), 1.0);
  EXPECT_EQ(ds.X(1, cs), 1.0);
  EXPECT_EQ(ds.X(2, cs), 1.0);
  EXPECT_EQ(ds.X(3, cs), 0.0);
  EXPECT_EQ(ds.X(4, feature_index(ds, "key=A#")), 1.0);
  EXPECT_EQ(ds.X(5, feature_index(ds, "key=G#")), 1.0);
  const std::size_t major = feature_index(ds, "mode=Major");
  EXPECT_EQ(ds.X(2, major), 1.0);
  EXPECT_EQ(ds.X(3, major), 0.0);
  const std::size_t four = feature_index(ds, "time_signature=4");
  const std::size_t three = feature_index(ds, "time_signature=3");
  const std::size_t five = feature_index(ds, "time_signature=5");
  EXPECT_EQ(three + 1, four);  // meter order
  EXPECT_EQ(four + 1, five);
  EXPECT_EQ(ds.X(5, five), 1.0);
  EXPECT_EQ(ds.X(0, four), 1.0);
  EXPECT_EQ(ds.X(0, three), 0.0);
  EXPECT_EQ(ds.X(1, three), 1.0);
  EXPECT_EQ(ds.X(4, three), 1.0);
  const std::size_t explicit_col = feature_index(ds, "explicit");
  EXPECT_EQ(ds.X(0, explicit_col), 1.0);
  EXPECT_EQ(ds.X(3, explicit_col), 0.0);
  EXPECT_EQ(ds.X(4, feature_index(ds, "instrument=synth")), 1.0);
  EXPECT_EQ(ds.X(0, feature_index(ds, "instrument=guitar")), 1.0);
  EXPECT_DOUBLE_EQ(ds.X(5, feature_index(ds, "energy")), 1.01e-06);
}

TEST(Dataset, IdentifierAndIndexColumnsAreExcluded) {
  const Dataset ds = build(
      "index,track_name,artists,comment,genre,energy\n"
      "1,Song A,X,great tune,rock,0.1\n"
      "2,Song B,Y,so so,rock,0.2\n"
      "3,Song C,Z,loved it,jazz,0.3\n"
      "4,Song D,W,meh,jazz,-0.5\n");
  EXPECT_EQ(ds.feature_names, (std::vector<std::string>{"energy"}));
  EXPECT_TRUE(excluded(ds, "index"));
  EXPECT_TRUE(excluded(ds, "track_name"));
  EXPECT_TRUE(excluded(ds, "artists"));
  EXPECT_TRUE(excluded(ds, "comment"));  // free text: every value differs
  EXPECT_DOUBLE_EQ(ds.X(3, 0), -0.5);
}

TEST(Dataset, LabelDetectionOrderAndExplicitLabel) {
  // A second label-like column is an error (issue 14); dropped, the detection order still holds.
  expect_error<InputError>([] { build("label,genre,x\na,rock,1\nb,jazz,2\n"); }, {"both look like labels"});
  DatasetOptions drop_label;
  drop_label.drop = {"label"};
  EXPECT_EQ(build("label,genre,x\na,rock,1\nb,jazz,2\n", drop_label).findings.label_column, "genre");
  EXPECT_EQ(build("x,GENRE\n1,rock\n2,jazz\n").findings.label_column, "GENRE");
  DatasetOptions options;
  options.label = "style";
  const Dataset ds = build("style,x\nrock,1\njazz,2\n", options);
  EXPECT_EQ(ds.classes, (std::vector<std::string>{"jazz", "rock"}));
  expect_error<InputError>([] { build("x,y\n1,2\n"); }, {"t.csv", "no label column", "x, y", "--label"});
  expect_error<InputError>([&] { build("x,genre\n1,a\n", options); }, {"t.csv", "'style'", "x, genre", "--label"});
}

TEST(Dataset, MissingLabelsAreAnErrorNeverAGhostClass) {
  const std::string csv = "genre,energy\nrock,1\n,2\njazz,3\nNaN,4\n  ,5\n";
  expect_error<InputError>([&] { build(csv); },
                           {"t.csv", "line 3", "column 'genre'", "3 rows have no label", "lines 3, 5, 6",
                            "Fill them in or remove those rows"});
  DatasetOptions impute;
  impute.on_missing = MissingPolicy::ImputeMedian;
  EXPECT_THROW(build(csv, impute), InputError);
  DatasetOptions drop;
  drop.on_missing = MissingPolicy::Drop;
  const Dataset ds = build(csv, drop);
  EXPECT_EQ(ds.classes, (std::vector<std::string>{"jazz", "rock"}));
  EXPECT_EQ(ds.n_rows(), 2u);
  EXPECT_EQ(ds.findings.rows_dropped, 3u);
  EXPECT_EQ(ds.lines, (std::vector<long>{2, 4}));
}

TEST(Dataset, GenreSubset) {
  const std::string csv = "genre,x\nrock,1\njazz,2\npop,3\nrock,4\n";
  DatasetOptions options;
  options.genres = {"rock", "pop"};
  const Dataset ds = build(csv, options);
  EXPECT_EQ(ds.classes, (std::vector<std::string>{"pop", "rock"}));
  EXPECT_EQ(ds.n_rows(), 3u);
  EXPECT_EQ(ds.findings.rows_outside_genres, 1u);
  EXPECT_EQ(ds.lines, (std::vector<long>{2, 4, 5}));
  options.genres = {"rock", "polka"};
  expect_error<InputError>([&] { build(csv, options); }, {"t.csv", "polka", "jazz, pop, rock"});
}

TEST(Dataset, FeatureSelectionDropAndGroups) {
  const std::string csv = "genre,a,b,c,album\nrock,1,2,3,x\njazz,4,5,6,y\nrock,7,8,9,x\n";
  DatasetOptions options;
  options.features = {"c", "a"};
  Dataset ds = build(csv, options);
  EXPECT_EQ(ds.feature_names, (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(ds.X(1, 0), 6.0);
  options = {};
  options.drop = {"b"};
  options.group_by = "album";
  ds = build(csv, options);
  EXPECT_EQ(ds.feature_names, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(ds.groups, (std::vector<std::string>{"x", "y", "x"}));
  EXPECT_TRUE(excluded(ds, "album"));
  options = {};
  options.features = {"a", "nope"};
  expect_error<InputError>([&] { build(csv, options); }, {"t.csv", "--features", "'nope'", "genre, a, b, c, album"});
  options = {};
  options.drop = {"zzz"};
  expect_error<InputError>([&] { build(csv, options); }, {"--drop", "'zzz'", "genre, a, b, c, album"});
}

TEST(Dataset, MissingValuesErrorByDefault) {
  expect_error<InputError>([] { build_dataset(read_csv(kData + "/missing_values.csv"), {}); },
                           {"missing_values.csv", "line 3", "column 'energy'", "2 cells in 2 rows",
                            "--on-missing drop", "--on-missing impute-median"});
  expect_error<InputError>([] { build("genre,x,y\nrock,1,2\njazz,3,inf\n"); },
                           {"line 3", "column 'y'", "'inf'", "1 cell in 1 row"});
  expect_error<InputError>([] { build("genre,x\nrock,1\njazz,-Infinity\n"); }, {"line 3", "column 'x'"});
}

TEST(Dataset, MissingValuesDropped) {
  DatasetOptions options;
  options.on_missing = MissingPolicy::Drop;
  const Dataset ds = build_dataset(read_csv(kData + "/missing_values.csv"), options);
  EXPECT_EQ(ds.n_rows(), 3u);
  EXPECT_EQ(ds.findings.rows_dropped, 2u);
  EXPECT_EQ(ds.lines, (std::vector<long>{2, 5, 6}));
  EXPECT_DOUBLE_EQ(ds.X(1, 1), 0.6);
  EXPECT_TRUE(has_note(ds, "2 rows"));
}

TEST(Dataset, MissingValuesImputedWithMedian) {
  DatasetOptions options;
  options.on_missing = MissingPolicy::ImputeMedian;
  const Dataset ds = build_dataset(read_csv(kData + "/missing_values.csv"), options);
  ASSERT_EQ(ds.n_rows(), 5u);
  EXPECT_DOUBLE_EQ(ds.X(1, 0), 0.45);  // median of 0.1 0.4 0.5 0.7
  EXPECT_DOUBLE_EQ(ds.X(2, 1), 0.45);  // median of 0.2 0.3 0.6 0.8
  EXPECT_DOUBLE_EQ(ds.X(0, 0), 0.1);
  EXPECT_EQ(ds.findings.cells_imputed, 2u);
  EXPECT_EQ(ds.findings.rows_imputed, 2u);
  EXPECT_TRUE(has_note(ds, "energy 1"));
}

TEST(Dataset, JunkInNumericColumn) {
  expect_error<InputError>([] { build("genre,energy\nrock,0.1\njazz,abc\npop,0.3\n"); },
                           {"t.csv", "line 3", "column 'energy'", "'abc'", "not a number"});
  expect_error<InputError>([] { build("genre,energy\nrock,0.1\njazz,0.2\npop,\"0,3\"\n"); },
                           {"line 4", "column 'energy'", "decimal comma"});
  expect_error<InputError>([] { build("genre,key\nrock,C\njazz,H\n"); }, {"line 3", "column 'key'", "'H'"});
  expect_error<InputError>([] { build("genre,flag\nrock,true\njazz,false\npop,maybe\nska,true\n"); },
                           {"line 4", "column 'flag'", "'maybe'"});
}

TEST(Dataset, MissingPolicyNames) {
  EXPECT_EQ(parse_missing_policy("error"), MissingPolicy::Error);
  EXPECT_EQ(parse_missing_policy("drop"), MissingPolicy::Drop);
  EXPECT_EQ(parse_missing_policy("impute-median"), MissingPolicy::ImputeMedian);
  expect_error<UsageError>([] { parse_missing_policy("median"); }, {"'median'", "impute-median"});
}

TEST(EncodeFeatures, EncodesNewTracksLikeTheTrainingData) {
  const Dataset ds = build_dataset(read_csv(kData + "/spotify_small.csv"), {});
  const Table fresh = read_csv_text("explicit,mode,key,energy,extra\nTRUE,Major,Db,0.9,x\nfalse,0,B,0.1,y\n", "new.csv");
  const Matrix X = encode_features(fresh, ds.encodings);
  ASSERT_EQ(X.rows(), 2);
  ASSERT_EQ(X.cols(), static_cast<Eigen::Index>(ds.n_features()));
  EXPECT_DOUBLE_EQ(X(0, 0), 0.9);
  EXPECT_EQ(X(0, 2), 1.0);   // key=C#
  EXPECT_EQ(X(1, 12), 1.0);  // key=B
  EXPECT_EQ(X(0, 13), 1.0);  // mode=Major
  EXPECT_EQ(X(1, 13), 0.0);
  EXPECT_EQ(X(0, 14), 1.0);  // explicit
  // Encoding the training table again reproduces the training matrix.
  EXPECT_TRUE(encode_features(read_csv(kData + "/spotify_small.csv"), ds.encodings).isApprox(ds.X));
}

TEST(EncodeFeatures, Errors) {
  const Dataset ds = build("genre,energy,color\nrock,0.1,red\njazz,0.2,blue\npop,0.3,red\nska,0.4,green\nx,0.5,blue\n"
                           "y,0.6,green\n");
  expect_error<InputError>([&] { encode_features(read_csv_text("color\nred\n", "p.csv"), ds.encodings); },
                           {"p.csv", "'energy'", "missing"});
  expect_error<InputError>(
      [&] { encode_features(read_csv_text("energy,color\n0.1,red\n0.2,purple\n", "p.csv"), ds.encodings); },
      {"p.csv", "line 3", "column 'color'", "'purple'", "blue, green, red"});
  expect_error<InputError>(
      [&] { encode_features(read_csv_text("energy,color\nloud,red\n", "p.csv"), ds.encodings); },
      {"p.csv", "line 2", "column 'energy'", "'loud'"});
  expect_error<InputError>([&] { encode_features(read_csv_text("energy,color\n,red\n", "p.csv"), ds.encodings); },
                           {"p.csv", "line 2", "column 'energy'", "missing"});
}

TEST(RealData, SeedStudy) {
  const Dataset ds = build_dataset(read_csv(std::string(GENRELAB_SOURCE_DIR) + "/data/seed/all_genres.csv"), {});
  EXPECT_EQ(ds.findings.label_column, "Genre");
  ASSERT_EQ(ds.n_rows(), 1186u);
  ASSERT_EQ(ds.n_features(), 65u);
  EXPECT_TRUE(ds.findings.excluded_columns.empty());
  const std::vector<std::string> classes = {"50s Hits",   "classical",      "detroit_techo", "disco",
                                            "electro indie pop", "electronic", "french",   "hip hop",
                                            "industrial pop", "post rock",  "rockabilly", "ska", "sleep", "spanish"};
  EXPECT_EQ(ds.classes, classes);
  EXPECT_EQ(ds.class_counts(), (std::vector<std::size_t>{71, 100, 60, 82, 100, 100, 53, 100, 100, 100, 60, 100, 100, 60}));
  // The 65 source columns in file order, key kept numeric beside its indicators.
  EXPECT_EQ(ds.feature_names.front(), "1");
  EXPECT_EQ(ds.feature_names.back(), "Major");
  const std::size_t key = feature_index(ds, "key");
  EXPECT_EQ(ds.X(0, key), 9.0);
  EXPECT_EQ(ds.X(1, key), 10.0);
  EXPECT_TRUE(has_note(ds, "'key' is kept as a plain number"));
  EXPECT_DOUBLE_EQ(ds.X(0, feature_index(ds, "loudness")), -8.357999999999999);
}

TEST(RealData, SpotifyTracks114k) {
  const std::string path = kShared + "/spotify_tracks_114k/tracks.csv";
  GENRELAB_REQUIRE_SHARED(path);
  const auto start = std::chrono::steady_clock::now();
  const Dataset ds = build_dataset(read_csv(path), {});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("read_and_build_seconds", std::to_string(seconds));
  EXPECT_EQ(ds.findings.label_column, "track_genre");
  ASSERT_EQ(ds.n_rows(), 114000u);
  ASSERT_EQ(ds.classes.size(), 114u);
  for (std::size_t count : ds.class_counts()) EXPECT_EQ(count, 1000u);
  for (const char* column : {"Unnamed: 0", "track_id", "artists", "album_name", "track_name"})
    EXPECT_TRUE(excluded(ds, column)) << column;
  EXPECT_EQ(ds.findings.excluded_columns.size(), 5u);
  // 11 measurements + explicit + 12 keys + 1 mode + 5 meters (0, 1, 3, 4, 5).
  EXPECT_EQ(ds.n_features(), 30u);
  const auto explicit_enc = std::find_if(ds.encodings.begin(), ds.encodings.end(),
                                         [](const FeatureEncoding& e) { return e.column == "explicit"; });
  ASSERT_NE(explicit_enc, ds.encodings.end());
  EXPECT_EQ(explicit_enc->kind, FeatureEncoding::Kind::Boolean);
  double explicit_true = ds.X.col(static_cast<Eigen::Index>(feature_index(ds, "explicit"))).sum();
  EXPECT_EQ(explicit_true, 9747.0);
  feature_index(ds, "key=C#");
  feature_index(ds, "mode=Major");
  feature_index(ds, "time_signature=4");
  EXPECT_EQ(ds.findings.id_column, "track_id");
  EXPECT_EQ(ds.findings.ids_with_several_labels, 16299u);
  EXPECT_EQ(ds.findings.repeated_ids, 16641u);
  EXPECT_EQ(ds.findings.rows_with_repeated_id, 114000u - 89741u);
  EXPECT_EQ(ds.findings.identical_records, 450u);
  EXPECT_GE(ds.findings.duplicate_rows, 450u);
  EXPECT_EQ(ds.lines.back(), 114001);
}

TEST(RealData, GtzanFeatures30s) {
  const std::string path = kShared + "/gtzan_features/features_30_sec.csv";
  GENRELAB_REQUIRE_SHARED(path);
  const Dataset ds = build_dataset(read_csv(path), {});
  EXPECT_EQ(ds.findings.label_column, "label");
  ASSERT_EQ(ds.n_rows(), 1000u);
  EXPECT_EQ(ds.n_features(), 58u);
  EXPECT_EQ(ds.classes.size(), 10u);
  EXPECT_TRUE(excluded(ds, "filename"));
  EXPECT_EQ(ds.feature_names.front(), "length");
  EXPECT_EQ(ds.encodings.front().kind, FeatureEncoding::Kind::Numeric);
  EXPECT_EQ(ds.findings.duplicate_rows, 13u);  // 14 repeated pairs, one of them across genres
}

}  // namespace
}  // namespace genrelab
