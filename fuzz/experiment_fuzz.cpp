// libFuzzer target for the experiment-file reader (parse_experiment): TOML
// parsing, then every key, range, model, parameter and grid check that runs
// before any work. A bad file must end in a UsageError or an InputError
// (with the file and line); anything else (another exception, a crash,
// undefined behaviour) is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "genrelab/error.h"
#include "genrelab/experiment.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    genrelab::parse_experiment(text, "fuzz.toml", "dir");
  } catch (const genrelab::UsageError&) {
  } catch (const genrelab::InputError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "non-UsageError exception: %s\n", e.what());
    std::abort();
  }
  return 0;
}
