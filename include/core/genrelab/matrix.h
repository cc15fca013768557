// The numeric matrix type shared by datasets and models: column-major doubles
// (Eigen's default), because tree learners scan one feature at a time.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace genrelab {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
using Labels = std::vector<int>;  // class codes 0..n_classes-1

// Rows `rows` of X, in that order.
Matrix take_rows(const Matrix& X, const std::vector<int>& rows);
Labels take(const Labels& y, const std::vector<int>& rows);

}  // namespace genrelab
