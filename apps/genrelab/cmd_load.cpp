// `genrelab load-data DATA`: reads and validates a data file into the feature
// matrix exactly as every other command does, fits nothing, and prints how
// long that took. Hidden: it exists so bench/csv_read.py can time the reader
// and measure its memory on its own.
#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "genrelab/study.h"

namespace genrelab::cli {

void add_load_command(CLI::App& app) {
  auto args = std::make_shared<DataArgs>();
  auto* cmd = app.add_subcommand("load-data", "Read and validate a data file, print the time it took");
  cmd->group("");  // not listed in --help
  add_data_options(*cmd, *args);
  cmd->callback([args] {
    const auto start = std::chrono::steady_clock::now();
    const Dataset data = load_dataset(args->path, args->options());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << dataset_text(data);
    std::cout << fmt::format("read {} rows x {} features in {:.3f} s\n", data.n_rows(), data.n_features(), seconds);
  });
}

}  // namespace genrelab::cli
