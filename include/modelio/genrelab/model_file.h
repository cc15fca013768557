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
//                        (scaler, model state; XGBoost/LIBSVM in their own formats),
//                        the feature means, and from version 2 a flag and, when
//                        set, the open-set calibration (open_set.h)
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
#include "genrelab/bytes.h"
#include "genrelab/matrix.h"
#include "genrelab/parameters.h"
#include "genrelab/open_set.h"
#include "genrelab/pipeline.h"

namespace genrelab {

// Version 2 added the open-set calibration (train --calibrate); version 1
// files still load, without one.
inline constexpr std::uint32_t kModelFormatVersion = 2;
inline constexpr std::string_view kModelMagic{"GENRELAB\x01", 9};

std::array<std::uint8_t, 32> sha256(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);
// Of a file's bytes, read in blocks (a large training file is not held in memory).
// InputError naming the file when it cannot be read.
std::string sha256_file_hex(const std::string& path);

// Where the training rows came from, to recognise the data set later.
struct TrainingFingerprint {
  std::string source;            // path as given ("seed": the bundled seed data)
  std::size_t file_rows = 0;     // data rows in the file
  std::size_t file_columns = 0;  // columns in the file
  std::size_t rows_used = 0;     // rows the model was fitted on
  std::string sha256;            // of the file's bytes (hex)
};
// Its JSON form: the model file's header "training" and inspect's card.
nlohmann::json training_json(const TrainingFingerprint& training);

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
  // train --calibrate: novelty model and calibration scores; null without.
  std::shared_ptr<const OpenSetCalibration> open_set;
};

// The whole file as bytes, and back. parse_model_file checks, in order:
// magic, size, checksum, version, lengths, header fields, payload; any
// failure is an InputError that names `source` and says what to do.
std::string serialize_model_file(const ModelFile& file);
ModelFile parse_model_file(std::string_view bytes, const std::string& source);

void save_model_file(const std::string& path, const ModelFile& file);  // atomic
ModelFile load_model_file(const std::string& path);
// The bytes of a model file, read with the same bounds and checks as
// load_model_file (a directory or an endless device is refused).
std::string read_model_file_bytes(const std::string& path);

}  // namespace genrelab
