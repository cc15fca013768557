// naive_bayes: Gaussian naive Bayes (scikit-learn's GaussianNB). Each class is
// a product of independent normal distributions, one per feature.
#pragma once

#include <string>
#include <vector>

#include "genrelab/model.h"

namespace genrelab {

class NaiveBayes : public Classifier {
 public:
  NaiveBayes();
  std::string name() const override { return "naive_bayes"; }
  bool is_fitted() const override { return fitted_; }
  int n_features_in() const override { return static_cast<int>(mean_.cols()); }
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

  const Matrix& means() const { return mean_; }         // classes x features
  const Matrix& variances() const { return var_; }      // classes x features, smoothed
  const std::vector<double>& class_prior() const { return prior_; }

 protected:
  void fit_model(const Matrix& X, const Labels& y, int n_classes) override;
  Matrix predict_proba_model(const Matrix& X) const override;

 private:
  Matrix mean_, var_;
  std::vector<double> prior_;
  bool fitted_ = false;
};

}  // namespace genrelab
