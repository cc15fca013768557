// Which features are categories rather than measurements: one-hot groups the
// data layer built, and lone 0/1 columns (the seed CSV ships its key, mode and
// time-signature one-hots already expanded, so they only show up as such).
#include <set>

#include "genrelab/feature_encoding.h"
#include "genrelab/profiling.h"

namespace genrelab {
namespace {

bool is_indicator(const Matrix& X, Eigen::Index c) {
  for (Eigen::Index r = 0; r < X.rows(); ++r)
    if (X(r, c) != 0.0 && X(r, c) != 1.0) return false;
  return X.rows() > 0;
}

}  // namespace

std::vector<CategoricalFeature> categorical_features(const Dataset& data) {
  std::vector<CategoricalFeature> out;
  std::set<Eigen::Index> in_groups;
  Eigen::Index total = 0;
  for (const auto& enc : data.encodings) total += static_cast<Eigen::Index>(data::encoded_width(enc));
  const bool encodings_match = total == data.X.cols();
  Eigen::Index first = 0;
  for (const auto& enc : encodings_match ? data.encodings : std::vector<FeatureEncoding>{}) {
    const auto width = static_cast<Eigen::Index>(data::encoded_width(enc));
    if (enc.kind == FeatureEncoding::Kind::OneHot) {
      CategoricalFeature f;
      f.name = enc.column;
      f.levels = enc.levels;
      if (width == 1 && enc.levels.size() == 2) {
        f.columns = {-1, first};
      } else {
        for (Eigen::Index i = 0; i < width; ++i) f.columns.push_back(first + i);
      }
      for (Eigen::Index i = 0; i < width; ++i) in_groups.insert(first + i);
      out.push_back(std::move(f));
    }
    first += width;
  }
  // Encodings describe source columns; without them (a hand-built Dataset)
  // the matrix columns are all there is, so fall back to scanning them.
  for (Eigen::Index c = 0; c < data.X.cols(); ++c) {
    if (in_groups.count(c) || !is_indicator(data.X, c)) continue;
    CategoricalFeature f;
    f.name = data.feature_names[static_cast<std::size_t>(c)];
    f.levels = {"0", "1"};
    f.columns = {-1, c};
    f.indicator = true;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace genrelab
