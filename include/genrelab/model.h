// The one estimator contract every genrelab model follows, modelled on
// scikit-learn's: fit / predict / predict_proba / classes / params. Models see
// only numbers; scaling and encoding live in the Pipeline (pipeline.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/parameters.h"

namespace genrelab {

class ByteWriter;  // model_file.h
class ByteReader;

class Classifier {
 public:
  virtual ~Classifier() = default;

  virtual std::string name() const = 0;

  // y holds codes in [0, n_classes). n_classes is given explicitly because a
  // training fold may lack a rare class that the full data set has.
  virtual void fit(const Matrix& X, const Labels& y, int n_classes) = 0;
  // Rows of class probabilities, each summing to 1, columns in class-code order.
  virtual Matrix predict_proba(const Matrix& X) const = 0;
  // Most probable class per row; ties go to the lowest class code (as numpy argmax).
  virtual Labels predict(const Matrix& X) const;

  int n_classes() const { return n_classes_; }
  // Impurity / gain importances normalised to sum 1; empty where the model has none.
  virtual std::vector<double> feature_importances() const { return {}; }
  // Whether the model's results change when features are rescaled; the
  // pipeline standardises features only for models that answer true.
  virtual bool scale_sensitive() const { return true; }
  // Whether several instances may be fitted and used concurrently with
  // reproducible results. Every model so far can (LIBSVM and LIBLINEAR draw
  // from rand() under one lock, see svm_common.h); a model that cannot answers
  // false and is then run one at a time.
  virtual bool concurrent_safe() const { return true; }

  // The fitted state, for model files (model_file.h). Parameters are not
  // part of it: the file's header keeps them and they are set before load().
  // load() validates everything it reads (InputError on nonsense) and
  // leaves the model usable exactly as after fit().
  virtual void save(ByteWriter& out) const;
  virtual void load(ByteReader& in);

  ParamMap params() const { return params_.values(); }
  void set_param(const std::string& name, const std::string& value) { params_.set(name, value); }
  void set_params(const ParamMap& values) { params_.set_all(values); }
  const ParameterSet& parameter_set() const { return params_; }

 protected:
  ParameterSet params_;
  int n_classes_ = 0;
};

// Factory: every model by its name, so grid search, the CLI and experiment
// files need no per-model code. Unknown names and parameters are UsageErrors
// that list what exists.
std::unique_ptr<Classifier> make_classifier(const std::string& name, const ParamMap& params = {});
std::vector<std::string> classifier_names();
// One line per model for `genrelab models` and error messages.
std::string describe_classifier(const std::string& name);

int argmax_row(const Matrix& P, Eigen::Index row);

}  // namespace genrelab
