// SHA-256 (OpenSSL) for model-file checksums and training-data fingerprints.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "genrelab/model_file.h"

namespace genrelab {

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
  std::array<std::uint8_t, 32> out{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != out.size())
    throw std::runtime_error("SHA-256 computation failed (OpenSSL)");
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  std::string hex;
  for (std::uint8_t b : sha256(bytes)) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace genrelab
