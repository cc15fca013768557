// Small constructed data sets shared by the model tests: classes whose
// geometry is known, so a test can say what a correct model must do.
#pragma once

#include <cstdint>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/random.h"

namespace genrelab::toy {

// Gaussian blobs around `centres` (one per class), `per_class` rows each, class by class.
inline Matrix gaussian_blobs(std::uint64_t seed, int per_class, const std::vector<std::vector<double>>& centres,
                             double sd, Labels& y) {
  Rng rng(seed);
  const auto d = static_cast<Eigen::Index>(centres.front().size());
  Matrix X(per_class * static_cast<Eigen::Index>(centres.size()), d);
  y.clear();
  Eigen::Index r = 0;
  for (std::size_t c = 0; c < centres.size(); ++c)
    for (int i = 0; i < per_class; ++i, ++r) {
      for (Eigen::Index j = 0; j < d; ++j) X(r, j) = centres[c][static_cast<std::size_t>(j)] + sd * rng.normal();
      y.push_back(static_cast<int>(c));
    }
  return X;
}

// Three 2-D blobs at (0,0), (5,0), (0,5), rows interleaved class 0, 1, 2, 0, ...
inline void three_blobs(Matrix& X, Labels& y, int per_class, double spread, std::uint64_t seed) {
  Rng rng(seed);
  const double centres[3][2] = {{0, 0}, {5, 0}, {0, 5}};
  X.resize(3 * per_class, 2);
  y.clear();
  for (int i = 0; i < 3 * per_class; ++i) {
    const int c = i % 3;
    X(i, 0) = centres[c][0] + spread * rng.normal();
    X(i, 1) = centres[c][1] + spread * rng.normal();
    y.push_back(c);
  }
}

}  // namespace genrelab::toy
