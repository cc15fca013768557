// Saved models: one self-checking file (".glab") holding a fitted pipeline
// and everything needed to use it on new tracks and to know where it came from.
//
// Container, all integers little-endian:
//   offset 0   9 bytes   magic "GENRELAB\x01"
//          9   u32       format version (kModelFormatVersion)
//         13   u64       header length H
//         21   H bytes   header: UTF-8 JSON (model, parameters, features and
//                        their encodings, classes, training-data fingerprint,
//                        metrics, payload description)
//              u64       payload length P
//              P bytes   payload: the fitted pipeline in ByteWriter encoding
//                        (scaler, model state; XGBoost/LIBSVM in their own formats)
//   last 32 bytes        SHA-256 of every byte before it
// The magic, the version field and the trailing checksum keep this meaning in
// every future version, so any genrelab can tell "damaged" from "newer".
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/matrix.h"
#include "genrelab/parameters.h"
#include "genrelab/pipeline.h"

namespace genrelab {

inline constexpr std::uint32_t kModelFormatVersion = 1;
inline constexpr std::string_view kModelMagic{"GENRELAB\x01", 9};

std::array<std::uint8_t, 32> sha256(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

// Appends little-endian fixed-width values; what models use to save their state.
class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v);
  void boolean(bool v) { u8(v ? 1 : 0); }
  void string(std::string_view s);  // u64 length + bytes
  void f64s(const std::vector<double>& v);
  void i32s(const std::vector<int>& v);
  void u32s(const std::vector<std::uint32_t>& v);
  void vector(const Vector& v);
  void matrix(const Matrix& m);  // rows, cols, then column-major values
  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what ByteWriter wrote. Every read is bounds-checked and every length
// is checked against the bytes that remain before anything is allocated, so a
// damaged payload ends in an InputError, never in a crash or a huge allocation.
class ByteReader {
 public:
  ByteReader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  double f64();
  bool boolean();
  std::string string();
  std::vector<double> f64s();
  std::vector<int> i32s();
  std::vector<std::uint32_t> u32s();
  Vector vector();
  Matrix matrix();

  // An int in [lo, hi], or an InputError naming `field`.
  int int_in(const char* field, long lo, long hi);
  // Throws unless `ok`, with "payload: <message>".
  void require(bool ok, std::string_view message) const;
  [[noreturn]] void fail(std::string_view message) const;
  std::size_t remaining() const { return data_.size() - pos_; }
  void expect_end() const;

 private:
  // Number of elements of `elem_size` bytes announced by a u64 count, after
  // checking that they fit in what remains.
  std::size_t count(std::size_t elem_size);
  const char* take(std::size_t n);
  std::string_view data_;
  std::size_t pos_ = 0;
  std::string what_;
};

// Where the training rows came from, to recognise the data set later.
struct TrainingFingerprint {
  std::string source;            // path as given ("seed": the bundled seed data)
  std::size_t file_rows = 0;     // data rows in the file
  std::size_t file_columns = 0;  // columns in the file
  std::size_t rows_used = 0;     // rows the model was fitted on
  std::string sha256;            // of the file's bytes (hex)
};

struct ModelFile {
  std::uint32_t format_version = kModelFormatVersion;
  std::string genrelab_version;
  std::string model;  // factory name
  ParamMap params;    // every parameter, defaults included
  std::string label_column;
  std::vector<std::string> classes;
  std::vector<std::string> feature_names;      // matrix columns, in order
  std::vector<FeatureEncoding> encodings;      // source columns -> matrix columns
  Vector feature_means;                        // training means (occlusion explanations)
  TrainingFingerprint training;
  nlohmann::json metrics;                      // null when none were computed
  nlohmann::json header;                       // the header as read (load only)
  std::shared_ptr<const Pipeline> pipeline;
};

// The whole file as bytes, and back. parse_model_file checks, in order:
// magic, size, checksum, version, lengths, header fields, payload; any
// failure is an InputError that names `source` and says what to do.
std::string serialize_model_file(const ModelFile& file);
ModelFile parse_model_file(std::string_view bytes, const std::string& source);

void save_model_file(const std::string& path, const ModelFile& file);  // atomic
ModelFile load_model_file(const std::string& path);

// ---- train: fit a model on a data set and describe it as a ModelFile -----
struct TrainRequest {
  std::string data_path;  // "seed": the bundled seed data
  DatasetOptions options;
  std::string model = "random_forest";
  ParamMap params;
  // > 0: fit on the training part of a seeded (stratified, group-aware)
  // split, score on the rest, and keep the model fitted on the training
  // part, so the reported score belongs to the saved model. 0: fit on all rows.
  double holdout = 0.0;
  std::uint64_t seed = 42;
  bool stratify = true;
  bool sklearn_split = false;  // held-out rows as scikit-learn's train_test_split picks them (SplitOptions::sklearn_holdout)
};
ModelFile train_model_file(const TrainRequest& request, std::ostream* progress = nullptr);
// What `genrelab train` prints: data, model, rows used, scores.
std::string train_text(const ModelFile& file);

// ---- predict --------------------------------------------------------------
struct PredictOptions {
  bool proba = false;    // one probability column per genre
  int top = 0;           // > 0: top-K genres and their probabilities
  bool explain = false;  // the features that pushed each track toward its predicted genre
  int explain_top = 3;   // how many of them, by |contribution|
};
struct PredictResult {
  std::string csv;             // RFC 4180, header first
  std::size_t rows = 0;
  double predict_seconds = 0;  // encoding + predict_proba (+ explanation), in process
  std::size_t labelled = 0;    // rows whose label cell (model's label column) is filled
  std::size_t correct = 0;
  std::size_t unknown_labels = 0;  // labelled rows whose genre the model does not know
  std::vector<std::string> passthrough;  // columns copied to the output
};
// Every column the model does not read (identifiers, text, the label) is
// copied through, in input order; then predicted_genre and what `options` ask for.
PredictResult predict_table(const ModelFile& file, const Table& tracks, const PredictOptions& options);

}  // namespace genrelab
