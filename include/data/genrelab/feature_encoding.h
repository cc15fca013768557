// Turns the cells of one source column into feature values following a
// FeatureEncoding. Used when building a dataset (where missing cells may be
// dropped or imputed later) and at predict time (where they are errors).
#pragma once

#include <map>
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
// throw. Unparseable cells always throw an InputError; so do levels the
// encoding does not know, unless `unknown` is given (predict --on-unknown
// ignore): then such a cell gets no indicator set (scikit-learn's
// OneHotEncoder(handle_unknown="ignore")) and is counted under its level in
// *unknown. A two-level category has one indicator, where "none set" would
// read as its first level, so there an unknown level is a missing cell.
void encode_column(const Table& table, std::size_t column, const FeatureEncoding& encoding,
                   const std::vector<std::size_t>& rows, Matrix& X, Eigen::Index first,
                   std::vector<char>* missing, std::map<std::string, std::size_t>* unknown = nullptr);

}  // namespace genrelab::data
