// The .glab container (layout in model_file.h). Reading is ordered so that
// every failure gets the most useful message: foreign files are recognised
// by their first bytes, damage by the checksum (verified before any field is
// trusted), a newer format by the version, and only then is anything parsed;
// the parsers stay defensive even so, since the fuzzer feeds them files with
// valid checksums (fuzz/README.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "genrelab/feature_encoding.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/input_file.h"
#include "genrelab/model_file.h"

namespace genrelab {

nlohmann::json training_json(const TrainingFingerprint& training) {
  return {{"source", training.source},
          {"file_rows", training.file_rows},
          {"file_columns", training.file_columns},
          {"rows_used", training.rows_used},
          {"sha256", training.sha256}};
}

namespace {

constexpr std::size_t kPrefix = 9 + 4 + 8;  // magic, version, header length
constexpr std::size_t kTrailer = 32;
constexpr std::size_t kMinimum = kPrefix + 8 + kTrailer;
constexpr const char* kRetrain = "Retrain with `genrelab train` and save the model again";
// The largest model file read (a forest of deep trees on a million rows is
// a few hundred MiB); beyond it the input is not a model.
constexpr std::size_t kMaxModelFileBytes = std::size_t(8) << 30;

std::uint32_t read_u32(std::string_view b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}

std::uint64_t read_u64(std::string_view b, std::size_t at) {
  std::uint64_t v;
  std::memcpy(&v, b.data() + at, 8);
  return v;
}

// A guess at what a file that is not a model is, for the error message.
std::string foreign_hint(std::string_view b) {
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x80 && b[1] >= 1 && b[1] <= 5)
    return "it looks like a Python pickle (a scikit-learn/joblib model); genrelab cannot read pickles";
  if (b.size() >= 4 && b.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    return "it looks like a ZIP archive";
  if (b.substr(0, 8) == "GENRELAB") return "it has genrelab's magic but an unknown container revision";
  if (!b.empty() && (b[0] == '{' || b[0] == '[')) return "it looks like JSON (an XGBoost or result file?)";
  const std::string_view first_line = b.substr(0, b.find('\n'));
  if (first_line.find(',') != std::string_view::npos)
    return "it looks like a CSV file; the model file comes first, then the CSV (genrelab predict MODEL.glab TRACKS.csv)";
  return "it does not start with genrelab's magic bytes";
}

const char* kind_name(FeatureEncoding::Kind kind) {
  switch (kind) {
    case FeatureEncoding::Kind::Numeric: return "numeric";
    case FeatureEncoding::Kind::Boolean: return "boolean";
    case FeatureEncoding::Kind::OneHot: return "one_hot";
  }
  return "numeric";
}

// Field access on the header that turns every surprise into one InputError.
class HeaderReader {
 public:
  HeaderReader(const nlohmann::json& j, std::string source) : j_(j), source_(std::move(source)) {}
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(fmt::format("{}: the model header is invalid ({}). {}", source_, what, kRetrain));
  }
  const nlohmann::json& at(const nlohmann::json& obj, const char* key) const {
    if (!obj.is_object()) fail(fmt::format("expected an object holding '{}'", key));
    const auto it = obj.find(key);
    if (it == obj.end()) fail(fmt::format("'{}' is missing", key));
    return *it;
  }
  std::string str(const nlohmann::json& obj, const char* key) const {
    const auto& v = at(obj, key);
    if (!v.is_string()) fail(fmt::format("'{}' is not a string", key));
    return v.get<std::string>();
  }
  std::uint64_t uint(const nlohmann::json& obj, const char* key) const {
    const auto& v = at(obj, key);
    if (!v.is_number_unsigned()) fail(fmt::format("'{}' is not a non-negative integer", key));
    return v.get<std::uint64_t>();
  }
  std::vector<std::string> strings(const nlohmann::json& obj, const char* key) const {
    const auto& v = at(obj, key);
    if (!v.is_array()) fail(fmt::format("'{}' is not a list", key));
    std::vector<std::string> out;
    for (const auto& s : v) {
      if (!s.is_string()) fail(fmt::format("'{}' holds something other than text", key));
      out.push_back(s.get<std::string>());
    }
    return out;
  }
  const nlohmann::json& root() const { return j_; }

 private:
  const nlohmann::json& j_;
  std::string source_;
};

nlohmann::json header_json(const ModelFile& f, std::size_t payload_size) {
  nlohmann::json encodings = nlohmann::json::array();
  for (const auto& e : f.encodings)
    encodings.push_back({{"column", e.column}, {"kind", kind_name(e.kind)}, {"levels", e.levels}});
  const bool scales = f.pipeline->scales();
  return {
      {"format", "genrelab model"},
      {"format_version", kModelFormatVersion},
      {"genrelab_version", GENRELAB_VERSION},
      {"model", {{"name", f.model}, {"params", f.params}, {"standard_scaler", scales}}},
      {"label_column", f.label_column},
      {"classes", f.classes},
      {"features", f.feature_names},
      {"encodings", encodings},
      {"training", training_json(f.training)},
      {"metrics", f.metrics},
      {"open_set", f.open_set ? f.open_set->summary_json() : nlohmann::json(nullptr)},
      {"payload", {{"encoding", "genrelab-bytes"}, {"bytes", payload_size}}},
  };
}

// The container: magic, size, checksum, version and lengths, in that order,
// so the message names the first thing that is wrong.
struct Container {
  std::uint32_t version = 0;
  std::string_view header_text, payload;
};

Container open_container(std::string_view b, const std::string& source) {
  if (b.empty()) throw InputError(fmt::format("{}: the model file is empty. {}", source, kRetrain));
  if (b.size() < kModelMagic.size() || b.substr(0, kModelMagic.size()) != kModelMagic)
    throw InputError(fmt::format("{}: not a genrelab model file: {}. Pass a .glab file written by `genrelab train`",
                                 source, foreign_hint(b)));
  // Lengths as a version-1 file would have them, to call truncation by its name.
  auto expected_size = [&]() -> std::uint64_t {
    if (b.size() < kPrefix) return 0;
    const std::uint64_t h = read_u64(b, 13);
    if (h > b.size() || kPrefix + h + 8 > b.size()) return kPrefix + h + 8 + kTrailer;
    const std::uint64_t p = read_u64(b, kPrefix + h);
    return p > (1ull << 62) ? 0 : kPrefix + h + 8 + p + kTrailer;
  };
  if (b.size() < kMinimum)
    throw InputError(fmt::format("{}: the model file is truncated ({} bytes; even an empty model needs {}). {}",
                                 source, b.size(), kMinimum, kRetrain));
  const std::string_view body = b.substr(0, b.size() - kTrailer);
  const auto digest = sha256(body);
  if (std::memcmp(digest.data(), b.data() + body.size(), kTrailer) != 0) {
    const std::uint64_t want = expected_size();
    // A header edit that changed its length: the recorded length now cuts
    // the JSON short (or long), though the file holds all of it.
    if (b.size() > kPrefix && b[kPrefix] == '{') {
      const std::uint64_t h = read_u64(b, 13);
      if (h <= b.size() - kPrefix && !nlohmann::json::accept(b.substr(kPrefix, h)))
        throw InputError(fmt::format("{}: the model header (the JSON text after the magic bytes) was edited: its "
                                     "length no longer matches the one recorded, and the SHA-256 checksum fails. The "
                                     "header cannot be edited; undo the edit, copy the file again, or {}",
                                     source, kRetrain));
    }
    const bool payload_known = b.size() >= kPrefix && read_u64(b, 13) <= b.size() &&
                               kPrefix + read_u64(b, 13) + 8 <= b.size();
    if (want > b.size())
      throw InputError(fmt::format("{}: the model file is truncated: it has {} bytes of {}{} (the checksum does not "
                                   "match). Copy it again, or {}",
                                   source, b.size(), payload_known ? "" : "at least ", want, kRetrain));
    // The JSON header is the one part a person can edit in a text editor;
    // an edit that changes its length also breaks the lengths after it.
    const bool header_text = b.size() > kPrefix && b[kPrefix] == '{';
    throw InputError(fmt::format("{}: the model file is damaged (its SHA-256 checksum does not match its contents{}). "
                                 "Copy it again, or {}",
                                 source,
                                 header_text ? "; if you edited the JSON header, undo that: it cannot be edited" : "",
                                 kRetrain));
  }
  const std::uint32_t version = read_u32(b, 9);
  if (version > kModelFormatVersion)
    throw InputError(fmt::format("{}: the model file has format version {}, newer than this genrelab ({}) reads "
                                 "(up to {}). Upgrade genrelab, or retrain the model with this version",
                                 source, version, GENRELAB_VERSION, kModelFormatVersion));
  if (version == 0) throw InputError(fmt::format("{}: the model file has format version 0, which never existed. {}", source, kRetrain));
  const std::uint64_t h = read_u64(b, 13);
  if (h > body.size() - kPrefix - 8)
    throw InputError(fmt::format("{}: the model header length ({}) runs past the end of the file. {}", source, h, kRetrain));
  const std::string_view header_text = body.substr(kPrefix, h);
  const std::uint64_t p = read_u64(b, kPrefix + h);
  if (p != body.size() - kPrefix - h - 8)
    throw InputError(fmt::format("{}: the model payload length ({}) does not match the file ({} bytes left). {}",
                                 source, p, body.size() - kPrefix - h - 8, kRetrain));
  return {version, header_text, body.substr(kPrefix + h + 8)};

}

// The JSON header: every field the model file format defines, checked.
void read_header(std::string_view header_text, std::uint32_t version, const std::string& source, ModelFile& f) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(header_text);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("{}: the model header is not valid JSON ({}). {}", source, e.what(), kRetrain));
  }
  const HeaderReader hr(j, source);
  f.format_version = version;
  f.header = j;
  if (hr.str(j, "format") != "genrelab model") hr.fail("'format' is not \"genrelab model\"");
  if (hr.uint(j, "format_version") != version) hr.fail("'format_version' disagrees with the container");
  f.genrelab_version = hr.str(j, "genrelab_version");
  const auto& model = hr.at(j, "model");
  f.model = hr.str(model, "name");
  const auto& params = hr.at(model, "params");
  if (!params.is_object()) hr.fail("'params' is not an object");
  for (const auto& [k, v] : params.items()) {
    if (!v.is_string()) hr.fail(fmt::format("parameter '{}' is not text", k));
    f.params[k] = v.get<std::string>();
  }
  if (!hr.at(model, "standard_scaler").is_boolean()) hr.fail("'standard_scaler' is not true or false");
  f.label_column = hr.str(j, "label_column");
  f.classes = hr.strings(j, "classes");
  if (f.classes.empty() || f.classes.size() > 1000000) hr.fail("'classes' must list 1 to 1000000 names");
  if (std::set<std::string>(f.classes.begin(), f.classes.end()).size() != f.classes.size())
    hr.fail("'classes' repeats a name");
  // Class names are printed in tables, CSV headers and HTML: they must be text.
  for (const std::string& c : f.classes) {
    if (c.empty()) hr.fail("'classes' holds an empty name");
    if (std::any_of(c.begin(), c.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; }))
      hr.fail("'classes' holds a name with a control character");
  }
  f.feature_names = hr.strings(j, "features");
  const auto& encodings = hr.at(j, "encodings");
  if (!encodings.is_array()) hr.fail("'encodings' is not a list");
  std::vector<std::string> expanded;
  for (const auto& e : encodings) {
    FeatureEncoding enc;
    enc.column = hr.str(e, "column");
    const std::string kind = hr.str(e, "kind");
    if (kind == "numeric") enc.kind = FeatureEncoding::Kind::Numeric;
    else if (kind == "boolean") enc.kind = FeatureEncoding::Kind::Boolean;
    else if (kind == "one_hot") enc.kind = FeatureEncoding::Kind::OneHot;
    else hr.fail(fmt::format("encoding kind '{}' is unknown", kind));
    enc.levels = hr.strings(e, "levels");
    if (enc.kind == FeatureEncoding::Kind::OneHot && enc.levels.size() < 2) hr.fail("a one-hot column has fewer than 2 levels");
    for (auto& name : data::encoded_names(enc)) expanded.push_back(std::move(name));
    f.encodings.push_back(std::move(enc));
  }
  if (expanded != f.feature_names) hr.fail("'features' do not match what 'encodings' produce");
  if (f.feature_names.empty()) hr.fail("the model has no features");
  const auto& t = hr.at(j, "training");
  f.training.source = hr.str(t, "source");
  f.training.file_rows = hr.uint(t, "file_rows");
  f.training.file_columns = hr.uint(t, "file_columns");
  f.training.rows_used = hr.uint(t, "rows_used");
  f.training.sha256 = hr.str(t, "sha256");
  f.metrics = hr.at(j, "metrics");

}

// The payload: the fitted pipeline and the feature means, checked against
// the header, then one probe prediction.
void load_payload(std::string_view payload, const std::string& source, ModelFile& f) {
  std::shared_ptr<Pipeline> pipeline;
  try {
    pipeline = std::make_shared<Pipeline>(f.model, f.params);
  } catch (const UsageError& e) {
    // The file names a model or parameter this build does not know: a file problem, not a usage one.
    throw InputError(fmt::format("{}: the model cannot be rebuilt: {}. {}", source, e.what(), kRetrain));
  }
  f.params = pipeline->model().params();
  if (f.header["model"]["standard_scaler"].get<bool>() != pipeline->scales())
    HeaderReader(f.header, source).fail("'standard_scaler' disagrees with the model");
  ByteReader in(payload, source);
  pipeline->load(in);
  f.pipeline = pipeline;
  f.feature_means = in.vector();
  const auto d = static_cast<Eigen::Index>(f.feature_names.size());
  if (f.format_version >= 2 && in.boolean()) {
    auto calibration = std::make_shared<OpenSetCalibration>();
    calibration->load(in, d, static_cast<int>(f.classes.size()));
    f.open_set = std::move(calibration);
  }
  in.expect_end();
  in.require(f.feature_means.size() == d, "the feature means do not match the features");
  in.require(f.pipeline->model().n_classes() == static_cast<int>(f.classes.size()),
             "the model's class count differs from the header's");
  if (f.pipeline->scales())
    in.require(f.pipeline->scaler().mean().size() == d, "the scaler does not match the features");
  // One prediction proves the pieces fit together before anyone relies on them.
  Matrix probe = f.feature_means.transpose();
  for (Eigen::Index c = 0; c < d; ++c)
    if (!std::isfinite(probe(0, c))) probe(0, c) = 0.0;
  const Matrix P = f.pipeline->predict_proba(probe);
  in.require(P.rows() == 1 && P.cols() == static_cast<Eigen::Index>(f.classes.size()),
             "the model answers with the wrong number of classes");
  in.require(P.allFinite() && (P.array() >= 0.0).all() && std::abs(P.sum() - 1.0) < 1e-6,
             "the model's probabilities for the mean track are not finite values summing to 1");
}

}  // namespace

std::string serialize_model_file(const ModelFile& f) {
  if (!f.pipeline) throw std::logic_error("serialize_model_file: no fitted pipeline");
  ByteWriter payload;
  f.pipeline->save(payload);
  payload.vector(f.feature_means);
  payload.boolean(f.open_set != nullptr);
  if (f.open_set) f.open_set->save(payload);
  const std::string header = header_json(f, payload.bytes().size()).dump(1);

  ByteWriter out;
  std::string bytes(kModelMagic);
  out.u32(kModelFormatVersion);
  out.u64(header.size());
  bytes += out.take();
  bytes += header;
  ByteWriter mid;
  mid.u64(payload.bytes().size());
  bytes += mid.take();
  bytes += payload.bytes();
  const auto digest = sha256(bytes);
  bytes.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return bytes;
}

ModelFile parse_model_file(std::string_view b, const std::string& source) {
  const Container c = open_container(b, source);
  ModelFile f;
  read_header(c.header_text, c.version, source, f);
  load_payload(c.payload, source, f);
  return f;
}

void save_model_file(const std::string& path, const ModelFile& file) {
  write_file_atomic(path, serialize_model_file(file));
}

ModelFile load_model_file(const std::string& path) { return parse_model_file(read_model_file_bytes(path), path); }

std::string read_model_file_bytes(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a directory, not a model file", path));
  note_input_file(path);
  // Bounded: a device that never ends (/dev/urandom) is refused before a
  // byte is read, a pipe is read as it arrives up to the bound, and a regular
  // file is read to its real size; nothing is allocated from what the bytes
  // claim until the container's lengths are checked against the real size.
  InputLimits limits{kMaxModelFileBytes, "model file"};
  limits.refuse_empty = false;  // open_container says "empty" with the fix
  return read_input_file(path, limits);
}

}  // namespace genrelab
