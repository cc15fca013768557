// knn: k-nearest-neighbours vote (scikit-learn's KNeighborsClassifier) with
// exact search: a nanoflann k-d tree for few features, Eigen brute force for many.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genrelab/model.h"

namespace genrelab {

class KnnIndex;  // knn_search.h

class Knn : public Classifier {
 public:
  Knn();
  std::string name() const override { return "knn"; }
  bool is_fitted() const override { return index_ != nullptr; }
  int n_features_in() const override;
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  // Training-row indices of each query's neighbours, nearest first (ties to
  // the lower index), and their distances in the chosen metric.
  void kneighbors(const Matrix& X, std::vector<std::vector<int>>& index, std::vector<std::vector<double>>& dist) const;
  // "kd_tree" or "brute": the search the last fit chose.
  std::string search_used() const;

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;

 private:
  // Immutable once built and shared by copies; fit builds a new one.
  std::shared_ptr<const KnnIndex> index_;
  Labels y_;
};

}  // namespace genrelab
