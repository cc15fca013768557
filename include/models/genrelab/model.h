// The one estimator contract every genrelab model follows, modelled on
// scikit-learn's: fit / predict / predict_proba / classes / params. Models see
// only numbers; scaling and encoding live in the Pipeline (pipeline.h).
//
// fit, predict_proba and predict are not virtual (ranger's grow() calling
// growInternal() is the pattern): the base checks the input once, the same
// way for every model, and then calls the model's own hook. A model therefore
// never sees NaN or Inf (unless it declares that NaN means "missing"), a
// label outside [0, n_classes), or a matrix of the wrong width.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/parameters.h"

namespace genrelab {

class ByteWriter;  // bytes.h
class ByteReader;

// Per-row feature contributions a model computes itself (TreeSHAP, XGBoost's
// pred_contribs); explain.h falls back to occlusion for models without them.
struct Contributions {
  std::string method;  // "xgboost-treeshap", "treeshap" or "occlusion"
  std::string output;  // "margin" or "probability"
  bool additive = false;
  Matrix values;        // rows x features (matrix columns of the model)
  Vector bias;          // per row
  Vector output_value;  // per row: the explained output for its class
};

class Classifier {
 public:
  virtual ~Classifier() = default;

  virtual std::string name() const = 0;

  // y holds codes in [0, n_classes). n_classes is given explicitly because a
  // training fold may lack a rare class that the full data set has.
  // InputError for empty or inconsistent input and non-finite values (naming
  // the first bad row and column), UsageError for n_classes < 1.
  void fit(const Matrix& X, const Labels& y, int n_classes);
  // Rows of class probabilities, each summing to 1, columns in class-code order.
  Matrix predict_proba(const Matrix& X) const;
  // Most probable class per row; ties go to the lowest class code (as numpy
  // argmax), unless the model predicts otherwise as its scikit-learn
  // counterpart does (SVC's one-vs-one vote).
  Labels predict(const Matrix& X) const;

  // The same on rows `rows` of X (y holds their labels, in that order), for
  // the evaluation layer: a fold need not be copied out of a large table. The
  // checks are those of fit(), with row numbers of X in the messages. Models
  // that can read X in place override fit_rows_model(); the others get a copy
  // of the rows, as with fit(take_rows(X, rows), ...).
  void fit_rows(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes);
  // predict() on rows `rows` of X, in blocks of kPredictBlock rows: the same
  // answers (every model predicts each row on its own) without a copy of all
  // of them.
  Labels predict_rows(const Matrix& X, const std::vector<int>& rows) const;
  static constexpr std::size_t kPredictBlock = 1 << 16;

  int n_classes() const { return n_classes_; }
  // Whether fit() (or load()) has run.
  virtual bool is_fitted() const = 0;
  // Feature columns the fitted model expects; 0 where it does not depend on
  // them (the dummy baseline loaded from a file).
  virtual int n_features_in() const = 0;
  // Whether NaN is accepted as "missing" (XGBoost); Inf is never accepted.
  virtual bool accepts_missing() const { return false; }

  // Impurity / gain importances normalised to sum 1; empty where the model has none.
  virtual std::vector<double> feature_importances() const { return {}; }
  // Whether the model's results change when features are rescaled; the
  // pipeline standardises features only for models that answer true.
  virtual bool scale_sensitive() const { return true; }
  // Whether several instances may be fitted and used concurrently with
  // reproducible results. Every model so far can: LIBSVM and LIBLINEAR draw
  // from rand(), which genrelab replaces with a per-thread generator for the
  // WHOLE PROCESS, embedding program included (src/models/c_rand.cpp; README,
  // "Embedding genrelab"). A model that cannot answers false and is then run
  // one at a time.
  virtual bool concurrent_safe() const { return true; }
  // Contributions toward class target[i] for row i of X (as the model sees
  // it), where the model computes them itself; nullopt otherwise.
  virtual std::optional<Contributions> contributions_toward(const Matrix& X, const Labels& target) const;

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

  // The one message for a non-finite feature value, at fit and at predict.
  static std::string non_finite_message(const std::string& model, Eigen::Index row, Eigen::Index col, double value);

 protected:
  // The hooks. They run only after the checks above have passed.
  virtual void fit_model(const Matrix& X, const Labels& y, int n_classes) = 0;
  virtual Matrix predict_proba_model(const Matrix& X) const = 0;
  virtual Labels predict_model(const Matrix& X) const;
  // Default: fit_model(take_rows(X, rows), y, n_classes).
  virtual void fit_rows_model(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes);

  // The checks themselves, for a model's other entry points (decision
  // functions, margins, weighted fits).
  void check_fit_input(const Matrix& X, const Labels& y, int n_classes) const;
  void check_fit_rows_input(const Matrix& X, const std::vector<int>& rows, const Labels& y, int n_classes) const;
  void check_predict_input(const Matrix& X) const;

  ParameterSet params_;
  int n_classes_ = 0;
};

// The most probable class of row `row`; ties to the lowest code.
int argmax_row(const Matrix& P, Eigen::Index row);

// scikit-learn's class_weight="balanced": total / (n_present_classes * count_k)
// where count_k sums `counts` over the rows of class k (every row counting 1
// when `counts` is empty); classes without rows get weight 0.
std::vector<double> balanced_class_weights(const Labels& y, int n_classes, const std::vector<double>& counts = {});

}  // namespace genrelab
