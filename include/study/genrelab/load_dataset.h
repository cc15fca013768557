// Data sets by path, the bundled seed data among them.
#pragma once

#include <string>
#include <string_view>

#include "genrelab/dataset.h"

namespace genrelab {

// The seed study's CSV, compiled into the program so `genrelab demo` works from anywhere.
std::string_view bundled_seed_csv();
inline constexpr const char* kBundledSeedName = "data/seed/all_genres.csv";

// Reads a CSV and builds the Dataset; `path` "seed" means the bundled seed data.
Dataset load_dataset(const std::string& path, const DatasetOptions& options);

}  // namespace genrelab
