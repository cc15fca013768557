// Turns the cells of one source column into feature values following a
// FeatureEncoding. Used when building a dataset (where missing cells may be
// dropped or imputed later) and at predict time (where they are errors).
#pragma once

#include <string>
#include <vector>

#include "genrelab/cell_values.h"
#include "genrelab/dataset.h"
#include "genrelab/matrix.h"
#include "genrelab/table.h"

namespace genrelab::data {

// Number of matrix columns the encoding produces: a two-level category needs
// only one indicator, like scikit-learn's OneHotEncoder(drop="if_binary").
std::size_t encoded_width(const FeatureEncoding& encoding);
std::vector<std::string> encoded_names(const FeatureEncoding& encoding);

// Writes rows `rows` of `column` into X(i, first .. first+width-1). Missing
// cells become NaN and set missing[i] when `missing` is given; without it they
// throw. Unparseable cells and unknown levels always throw an InputError.
void encode_column(const Table& table, std::size_t column, const FeatureEncoding& encoding,
                   const std::vector<std::size_t>& rows, Matrix& X, Eigen::Index first,
                   std::vector<char>* missing);

}  // namespace genrelab::data
