// libFuzzer target for the model loader (parse_model_file).
//
// A valid SHA-256 trailer is what lets a file past the checksum, and random
// mutations never produce one, so the first input byte picks a mode: odd
// means "recompute the trailer over the mutated bytes first", which sends the
// mutation on to the header and payload parsers (and the model loaders,
// XGBoost's and LIBSVM's included); even means "as is", which exercises the
// container checks. Anything but an InputError (or a crash) is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "genrelab/error.h"
#include "genrelab/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) && bytes.size() >= 32) {
    const auto digest = genrelab::sha256(std::string_view(bytes).substr(0, bytes.size() - 32));
    std::memcpy(bytes.data() + bytes.size() - 32, digest.data(), 32);
  }
  try {
    genrelab::parse_model_file(bytes, "fuzz.glab");
  } catch (const genrelab::InputError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "non-InputError exception: %s\n", e.what());
    std::abort();
  }
  return 0;
}
