// Genres of a data set: codes by name, subsets, one feature's values.
#pragma once

#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/matrix.h"

namespace genrelab {

// Codes of the named genres; InputError listing the data set's genres for an
// unknown name.
std::vector<int> genre_codes(const Dataset& data, const std::vector<std::string>& names);
// The rows of the given genres (codes), relabelled 0.. in the order given.
Dataset subset_genres(const Dataset& data, const std::vector<int>& codes);
// Values of feature column `feature` for the rows whose label is in `codes`.
std::vector<double> feature_values(const Dataset& data, Eigen::Index feature, const std::vector<int>& codes);

}  // namespace genrelab
