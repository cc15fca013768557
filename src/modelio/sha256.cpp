// SHA-256 (OpenSSL) for model-file checksums and training-data fingerprints.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

#include "genrelab/error.h"

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

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the file. Check the path", path));
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 computation failed (OpenSSL)");
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const std::streamsize got = in.gcount();
    if (got > 0 && EVP_DigestUpdate(ctx.get(), block.data(), static_cast<std::size_t>(got)) != 1)
      throw std::runtime_error("SHA-256 computation failed (OpenSSL)");
  }
  if (in.bad()) throw InputError(fmt::format("{}: read error while computing its checksum", path));
  std::array<std::uint8_t, 32> out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size())
    throw std::runtime_error("SHA-256 computation failed (OpenSSL)");
  std::string hex;
  for (std::uint8_t b : out) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace genrelab
