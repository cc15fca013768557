#include <fmt/format.h>

#include <cmath>

#include "genrelab/error.h"
#include "genrelab/bytes.h"
#include "genrelab/pipeline.h"

namespace genrelab {

void Pipeline::save(ByteWriter& out) const {
  out.boolean(scales());
  if (scales()) {
    out.vector(scaler_.mean());
    out.vector(scaler_.scale());
  }
  out.string(model_->name());
  out.i32(model_->n_classes());
  model_->save(out);
}

void Pipeline::load(ByteReader& in) {
  const bool scaled = in.boolean();
  in.require(scaled == scales(), "the scaler flag disagrees with the model");
  if (scaled) {
    Vector mean = in.vector();
    Vector scale = in.vector();
    in.require(mean.size() == scale.size() && mean.size() > 0, "the scaler's mean and scale differ in size");
    for (Eigen::Index i = 0; i < scale.size(); ++i)
      // Dividing by a subnormal scale overflows to Inf on ordinary inputs.
      in.require(std::isfinite(mean(i)) && std::isnormal(scale(i)) && scale(i) > 0.0,
                 "the scaler holds an invalid value (scales must be positive, finite and not subnormal)");
    scaler_.set(std::move(mean), std::move(scale));
  }
  in.require(in.string() == model_->name(), "the payload is for a different model than the header names");
  const int n_classes = in.int_in("n_classes", 1, 1000000);
  model_->load(in);
  in.require(model_->n_classes() == n_classes, "the model's class count disagrees with the payload");
}

}  // namespace genrelab
