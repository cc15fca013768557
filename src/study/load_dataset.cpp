#include "genrelab/study.h"
#include "genrelab/table.h"

namespace genrelab {

// Numeric columns are read straight into the matrix that becomes the
// dataset's features, and the table is handed over whole, so a large file's
// numbers are in memory once.
Dataset load_dataset(const std::string& path, const DatasetOptions& options) {
  const CsvOptions csv = dataset_csv_options(options);
  if (path == "seed") return build_dataset(read_csv_text(bundled_seed_csv(), kBundledSeedName, csv), options);
  return build_dataset(read_csv(path, csv), options);
}

}  // namespace genrelab
