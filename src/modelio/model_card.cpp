// The model card: what a saved model is, what it learnt from, how well it
// scored and whether the file is intact, read from the file alone.
#include "genrelab/model_card.h"

#include <fmt/format.h>

#include <cstring>

#include "genrelab/model_registry.h"

namespace genrelab {
namespace {

// Every parameter's declared default (the registry's), to tell the user
// which ones the model was trained with on purpose.
ParamMap declared_defaults(const std::string& model) {
  ParamMap out;
  if (const ModelInfo* info = find_model_info(model))
    for (const auto& spec : info->parameters()) out[spec.name] = spec.default_value;
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string number_text(const nlohmann::json& v) {
  if (v.is_number_float()) return fmt::format("{:.3f}", v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Stored scores beyond the ones laid out by name, so nothing the file holds is hidden.
void other_fields(const nlohmann::json& obj, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, v] : obj.items()) {
    if (v.is_object()) other_fields(v, prefix + k + ".", out);
    else out.push_back(fmt::format("{}{}={}", prefix, k, number_text(v)));
  }
}

}  // namespace

ModelCard inspect_model_file(const std::string& path) {
  ModelCard card;
  card.path = path;
  const std::string bytes = read_model_file_bytes(path);
  card.file = parse_model_file(bytes, path);  // checks magic, size, checksum, header, payload
  card.file_bytes = bytes.size();
  card.file_sha256 = sha256_hex(bytes);
  card.checksum = hex(std::string_view(bytes).substr(bytes.size() - 32));
  std::memcpy(&card.header_bytes, bytes.data() + kModelMagic.size() + 4, 8);
  card.payload_bytes = bytes.size() - kModelMagic.size() - 4 - 8 - card.header_bytes - 8 - 32;
  return card;
}

nlohmann::json model_card_json(const ModelCard& card) {
  const ModelFile& f = card.file;
  const ParamMap defaults = declared_defaults(f.model);
  std::vector<std::string> set_by_user;
  for (const auto& [k, v] : f.params)
    if (auto d = defaults.find(k); d == defaults.end() || d->second != v) set_by_user.push_back(k);
  const ModelInfo* info = find_model_info(f.model);
  return {
      {"file",
       {{"path", card.path},
        {"bytes", card.file_bytes},
        {"sha256", card.file_sha256},
        {"header_bytes", card.header_bytes},
        {"payload_bytes", card.payload_bytes},
        {"checksum", {{"algorithm", "SHA-256"}, {"stored", card.checksum}, {"verified", true}}}}},
      {"format_version", f.format_version},
      {"genrelab_version", f.genrelab_version},
      {"read_by", {{"genrelab_version", GENRELAB_VERSION}, {"max_format_version", kModelFormatVersion}}},
      {"model",
       {{"name", f.model},
        {"description", info ? info->description : std::string()},
        {"params", f.params},
        {"params_not_default", set_by_user},
        {"standard_scaler", f.pipeline->scales()}}},
      {"label_column", f.label_column},
      {"genres", f.classes},
      {"features", f.feature_names},
      {"encodings", f.header.value("encodings", nlohmann::json::array())},
      {"training", training_json(f.training)},
      {"scores", f.metrics},
      {"open_set", f.header.value("open_set", nlohmann::json(nullptr))},
  };
}

std::string model_card_text(const ModelCard& card) {
  const ModelFile& f = card.file;
  const ModelInfo* info = find_model_info(f.model);
  std::string out = fmt::format("model card {}\n\n", card.path);
  out += fmt::format("model       {}{}\n", f.model, info ? fmt::format(" ({})", info->description) : std::string());
  const ParamMap defaults = declared_defaults(f.model);
  std::vector<std::string> chosen, left;
  for (const auto& [k, v] : f.params) {
    auto d = defaults.find(k);
    (d == defaults.end() || d->second != v ? chosen : left).push_back(fmt::format("{}={}", k, v));
  }
  out += fmt::format("parameters  {}\n", chosen.empty() ? std::string("(all at their defaults)") : fmt::format("{}", fmt::join(chosen, " ")));
  if (!left.empty()) out += fmt::format("  defaults  {}\n", fmt::join(left, " "));
  out += fmt::format("genres      {} in column '{}': {}\n", f.classes.size(), f.label_column, fmt::join(f.classes, ", "));
  out += fmt::format("features    {} model inputs from {} columns{}\n", f.feature_names.size(), f.encodings.size(),
                     f.pipeline->scales() ? " (standardised with the training rows' mean and sd)" : "");
  // Numeric columns are most of them and need no more than their names:
  // wrapped lines; the encoded ones each get a line saying how.
  std::vector<std::string> numeric, boolean;
  for (const auto& e : f.encodings) {
    if (e.kind == FeatureEncoding::Kind::Numeric) numeric.push_back(e.column);
    if (e.kind == FeatureEncoding::Kind::Boolean) boolean.push_back(e.column);
  }
  auto wrapped = [&](const std::string& heading, const std::vector<std::string>& names) {
    if (names.empty()) return;
    std::string line = fmt::format("  {} ({}):", heading, names.size());
    const std::string indent(4, ' ');
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string item = fmt::format(" {}{}", names[i], i + 1 < names.size() ? "," : "");
      if (line.size() + item.size() > 100 && line.size() > indent.size()) {
        out += line + "\n";
        line = indent;
      }
      line += item;
    }
    out += line + "\n";
  };
  wrapped("numeric", numeric);
  wrapped("boolean, True/False read as 1/0", boolean);
  for (const auto& e : f.encodings)
    if (e.kind == FeatureEncoding::Kind::OneHot)
      out += fmt::format("  one-hot {}: {} levels ({})\n", e.column, e.levels.size(), fmt::join(e.levels, ", "));
  out += fmt::format("training    {} ({} rows x {} columns; sha256 {})\n", f.training.source, f.training.file_rows,
                     f.training.file_columns, f.training.sha256);
  out += fmt::format("fitted on   {} rows{}\n", f.training.rows_used,
                     f.metrics.is_object() && f.metrics.contains("saved_model_fitted_on")
                         ? fmt::format(" ({})", f.metrics["saved_model_fitted_on"].get<std::string>())
                         : std::string());
  // Scores, the known ones by name; anything else stored is listed after them.
  nlohmann::json rest = f.metrics.is_object() ? f.metrics : nlohmann::json::object();
  rest.erase("saved_model_fitted_on");
  if (rest.contains("holdout") && rest["holdout"].is_object()) {
    const auto& h = rest["holdout"];
    auto num = [&](const char* k) { return h.contains(k) ? number_text(h[k]) : std::string("?"); };
    // Scores as percentages with one decimal, as every other command prints them.
    auto pct = [&](const char* k) {
      return h.contains(k) && h[k].is_number() ? fmt::format("{:.1f}%", 100 * h[k].get<double>()) : std::string("?");
    };
    out += fmt::format("held out    {} rows (test_size {}, seed {}{}): accuracy {}, balanced accuracy {}, macro F1 {} "
                       "(train accuracy {})\n",
                       num("n_test"), h.contains("test_size") ? fmt::format("{:g}", h["test_size"].get<double>()) : "?",
                       num("seed"),
                       h.value("stratify", true) ? ", stratified" : "",  pct("accuracy"), pct("balanced_accuracy"),
                       pct("f1_macro"), pct("train_accuracy"));
    rest.erase("holdout");
  } else if (rest.contains("train_accuracy")) {
    out += fmt::format("scores      training accuracy {} (no held-out score stored: train with --holdout 0.2 for one)\n",
                       rest["train_accuracy"].is_number()
                           ? fmt::format("{:.1f}%", 100 * rest["train_accuracy"].get<double>())
                           : number_text(rest["train_accuracy"]));
    rest.erase("train_accuracy");
  } else {
    out += "scores      none stored\n";
  }
  const nlohmann::json open_set = f.header.value("open_set", nlohmann::json(nullptr));
  if (open_set.is_object()) {
    out += fmt::format("open set    calibrated on {} rows (fraction {}): novelty scores {}, set scores {} "
                       "(predict --reject / --sets)\n",
                       number_text(open_set.value("calibration_rows", nlohmann::json("?"))),
                       open_set.contains("calibration_fraction") && open_set["calibration_fraction"].is_number()
                           ? fmt::format("{:g}", open_set["calibration_fraction"].get<double>())
                           : std::string("?"),
                       fmt::join(open_set.value("novelty_scores", std::vector<std::string>{}), ", "),
                       fmt::join(open_set.value("set_scores", std::vector<std::string>{}), ", "));
    rest.erase("calibration");
  } else {
    out += "open set    not calibrated (train --calibrate 0.2 for predict --reject / --sets)\n";
  }
  std::vector<std::string> others;
  other_fields(rest, "", others);
  if (!others.empty()) out += fmt::format("also stored {}\n", fmt::join(others, " "));
  out += fmt::format("written by  genrelab {}, model file format version {} (this genrelab {} reads up to {})\n",
                     f.genrelab_version, f.format_version, GENRELAB_VERSION, kModelFormatVersion);
  out += fmt::format("integrity   SHA-256 checksum verified ({} bytes: header {}, payload {}); file sha256 {}\n",
                     card.file_bytes, card.header_bytes, card.payload_bytes, card.file_sha256);
  return out;
}

}  // namespace genrelab
