#include "genrelab/study.h"
#include "genrelab/table.h"

namespace genrelab {

Dataset load_dataset(const std::string& path, const DatasetOptions& options) {
  if (path == "seed") return build_dataset(read_csv_text(bundled_seed_csv(), kBundledSeedName), options);
  return build_dataset(read_csv(path), options);
}

}  // namespace genrelab
