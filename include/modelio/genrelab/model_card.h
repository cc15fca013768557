// `genrelab inspect`: the model card of a .glab file. Everything in it comes
// from the file (model_file.h), which is opened exactly as predict and
// explain open it, so a damaged or truncated file gets the same message and
// "checksum verified" means the file loaded and its one probe prediction ran.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "genrelab/model_file.h"

namespace genrelab {

struct ModelCard {
  std::string path;
  ModelFile file;
  std::uint64_t file_bytes = 0, header_bytes = 0, payload_bytes = 0;
  std::string file_sha256;  // of the whole file, trailer included (to compare copies)
  std::string checksum;     // the stored SHA-256 of everything before it (hex), verified on load
};

// InputError (exit 1) for a missing, foreign, truncated or damaged file,
// worded as load_model_file words it.
ModelCard inspect_model_file(const std::string& path);
std::string model_card_text(const ModelCard& card);
nlohmann::json model_card_json(const ModelCard& card);

}  // namespace genrelab
