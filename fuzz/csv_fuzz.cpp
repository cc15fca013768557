// libFuzzer target for the CSV reader (read_csv_text) and, on what it
// accepts, dataset building and predict-time encoding: every input must end
// in a Table or an InputError/UsageError, never a crash or another exception.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "genrelab/dataset.h"
#include "genrelab/error.h"
#include "genrelab/table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const genrelab::Table table = genrelab::read_csv_text(text, "fuzz.csv");
    const genrelab::Dataset ds = genrelab::build_dataset(table, {});
    (void)genrelab::encode_features(table, ds.encodings);
  } catch (const genrelab::InputError&) {
  } catch (const genrelab::UsageError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "non-genrelab exception: %s\n", e.what());
    std::abort();
  }
  return 0;
}
