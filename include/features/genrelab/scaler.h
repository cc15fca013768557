// StandardScaler with scikit-learn's behaviour: population standard deviation,
// constant features are centred and left unscaled (scale 1).
#pragma once

#include "genrelab/matrix.h"

namespace genrelab {

class StandardScaler {
 public:
  void fit(const Matrix& X);
  Matrix transform(const Matrix& X) const;
  // The same numbers written over X (no second copy of a large matrix).
  void transform_in_place(Matrix& X) const;
  const Vector& mean() const { return mean_; }
  const Vector& scale() const { return scale_; }
  bool fitted() const { return mean_.size() > 0; }
  // Restores a saved scaler (model files); sizes must agree.
  void set(Vector mean, Vector scale);

 private:
  Vector mean_, scale_;
};

}  // namespace genrelab
