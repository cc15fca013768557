// LIBLINEAR behind the Classifier contract, matching scikit-learn's LinearSVC.
//
// Decisions worth knowing:
// * predict_proba: LinearSVC has none. To keep the contract we return the
//   softmax of the one-vs-rest decision values over the classes seen in
//   training. It preserves the arg-max (predict) and the ranking, so AUC and
//   log-loss are computable, but it is not calibrated: margins of +-1 turn
//   into modest probabilities. Classes absent from training get exactly 0.
// * max_iter: LIBLINEAR 2.3 has no such field in struct parameter; its
//   solvers stop after a built-in 1000 iterations, which is sklearn's default,
//   so 1000 is the only accepted value.
// * The dual coordinate-descent solvers shuffle with the C library's rand(),
//   which genrelab makes per-thread (c_rand.cpp); we seed it just before
//   train() on the training thread, so a seed gives the same model, also with
//   folds fitted in parallel and on any thread count. sklearn's default is
//   random_state=None; ours is 0 for reproducibility.
// * One-vs-rest with more than two classes trains each class's binary problem
//   with its own train() call, in parallel (see train_one_vs_rest), with
//   LIBLINEAR's own per-class problem and weights. Crammer-Singer is one joint
//   train() call.
// * Rows are stably sorted by class before training so LIBLINEAR's class
//   order is ascending code order, as in sklearn's copy (which sorts labels).
// * The fitted weights are copied out of LIBLINEAR's model into coef_ and
//   intercept_ (bias weight times intercept_scaling, as sklearn reports it), so
//   the C model is freed at once and prediction is a matrix product.
// * One class in the training fold (sklearn refuses it): predict that class.
#include "models/linear_svm.h"

#include <linear.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numeric>
#include <stdexcept>

#include "genrelab/parallel_tasks.h"
#include "genrelab/error.h"
#include "genrelab/bytes.h"
#include "genrelab/random.h"
#include "models/svm_common.h"

namespace genrelab {
namespace {

void quiet(const char*) {}

void silence_liblinear() {
  static std::once_flag once;
  std::call_once(once, [] { set_print_string_function(&quiet); });
}

struct ModelDeleter {
  void operator()(model* m) const { free_and_destroy_model(&m); }
};

// LIBLINEAR's multi-class one-vs-rest, one train() call per class so the
// classes run in parallel (train() would solve them one after another).
// `prob` holds the rows sorted by class code. Each binary problem is what
// LIBLINEAR builds internally: class k +1, every other row -1, C times class
// k's weight for the positives and plain C for the negatives. The positives
// come first, so they are LIBLINEAR's first label and w is class k's own
// decision function. Each class is seeded from (random_state, class code) on
// the thread that trains it (c_rand.cpp), so the model does not depend on the
// thread count; it does differ from one serial train(), whose classes share
// one rand() sequence.
void train_one_vs_rest(const problem& prob, const parameter& p, const std::vector<int>& present, unsigned seed,
                       Eigen::Index d, bool fit_intercept, Matrix& coef, Vector& intercept) {
  const auto l = static_cast<std::size_t>(prob.l);
  std::vector<std::size_t> start(present.size() + 1, l);
  for (std::size_t k = 0, r = 0; k < present.size(); ++k) {
    while (r < l && static_cast<int>(prob.y[r]) < present[k]) ++r;
    start[k] = r;
  }
  run_tasks(present.size(), svm_common::fit_threads() > 1, [&](std::size_t k) {
    const int code = present[k];
    const std::size_t b = start[k], e = start[k + 1];
    std::vector<feature_node*> x;
    x.reserve(l);
    x.insert(x.end(), prob.x + b, prob.x + e);
    x.insert(x.end(), prob.x, prob.x + b);
    x.insert(x.end(), prob.x + e, prob.x + l);
    std::vector<double> target(l, -1.0);
    std::fill(target.begin(), target.begin() + static_cast<std::ptrdiff_t>(e - b), 1.0);
    problem sub = prob;
    sub.x = x.data();
    sub.y = target.data();

    parameter q = p;
    int positive = +1;
    double class_weight = 1.0;
    for (int i = 0; i < p.nr_weight; ++i)
      if (p.weight_label[i] == code) class_weight = p.weight[i];
    q.nr_weight = 0;
    q.weight_label = nullptr;
    q.weight = nullptr;
    if (p.nr_weight > 0) {
      q.nr_weight = 1;
      q.weight_label = &positive;
      q.weight = &class_weight;
    }

    svm_common::seed_c_rand(static_cast<unsigned>(Rng::derive(seed, static_cast<std::uint64_t>(code)).next_u64()));
    std::unique_ptr<model, ModelDeleter> m(train(&sub, &q));
    if (!m) throw std::runtime_error("linear_svm: LIBLINEAR returned no model");
    // One decision function, positive for LIBLINEAR's first label (ours: +1).
    const double sign = m->label[0] == +1 ? 1.0 : -1.0;
    // Each task writes its own row of coef and entry of intercept.
    for (Eigen::Index j = 0; j < d; ++j) coef(code, j) = sign * m->w[j];
    if (fit_intercept) intercept(code) = sign * m->w[d] * prob.bias;
  });
}

}  // namespace

LinearSvmClassifier::LinearSvmClassifier() {
  params_.set_owner("linear_svm");
  params_.declare_choice("penalty", "l2", "regularisation norm (l1 needs dual=false and squared_hinge)", {"l2", "l1"});
  params_.declare_choice("loss", "squared_hinge", "hinge (standard SVM) or squared_hinge", {"squared_hinge", "hinge"});
  params_.declare_bool("dual", "true", "solve the dual problem (sklearn's default; loss=hinge requires it, penalty=l1 forbids it)");
  params_.declare_float("C", "1.0", "inverse regularisation strength", 0, 1e308, true);
  params_.declare_float("tol", "1e-4", "stopping tolerance", 0, 1e308, true);
  params_.declare_choice("multi_class", "ovr", "one-vs-rest or Crammer-Singer joint multi-class SVM",
                         {"ovr", "crammer_singer"});
  params_.declare_bool("fit_intercept", "true", "learn an intercept (as an extra, regularised feature)");
  params_.declare_float("intercept_scaling", "1.0", "value of the synthetic intercept feature", 0, 1e308, true);
  params_.declare_choice("class_weight", "None", "balanced reweights C by inverse class frequency",
                         {"None", "balanced"});
  params_.declare_int("max_iter", "1000", "iteration cap; fixed at 1000 inside LIBLINEAR 2.3", 1000, 1000);
  params_.declare_int("random_state", "0", "seed for the coordinate-descent order", 0, 2147483647);
}

void LinearSvmClassifier::fit_model(const Matrix& X, const Labels& y, int n_classes) {
  silence_liblinear();

  const std::string& penalty = params_.get("penalty");
  const std::string& loss = params_.get("loss");
  const bool dual = params_.get_bool("dual");
  int solver = 0;
  if (params_.is_word("multi_class", "crammer_singer")) {
    solver = MCSVM_CS;
  } else if (penalty == "l2" && loss == "hinge") {
    if (!dual) throw UsageError("linear_svm: penalty=l2 with loss=hinge needs dual=true (as in sklearn)");
    solver = L2R_L1LOSS_SVC_DUAL;
  } else if (penalty == "l2") {
    solver = dual ? L2R_L2LOSS_SVC_DUAL : L2R_L2LOSS_SVC;
  } else if (loss == "squared_hinge") {
    if (dual) throw UsageError("linear_svm: penalty=l1 needs dual=false (as in sklearn)");
    solver = L1R_L2LOSS_SVC;
  } else {
    throw UsageError("linear_svm: penalty=l1 with loss=hinge is not supported (as in sklearn); use squared_hinge");
  }

  // Unfitted until the end, so a failed fit leaves no half-trained model in use.
  n_classes_ = 0;
  present_ = svm_common::present_classes(y, n_classes);
  const Eigen::Index n = X.rows(), d = X.cols();
  coef_ = Matrix::Zero(n_classes, d);
  intercept_ = Vector::Zero(n_classes);
  only_class_ = -1;
  if (present_.size() == 1) {
    only_class_ = present_.front();
    n_classes_ = n_classes;
    return;
  }

  const bool fit_intercept = params_.get_bool("fit_intercept");
  const double bias = fit_intercept ? params_.get_float("intercept_scaling") : -1.0;
  const Eigen::Index width = d + (fit_intercept ? 1 : 0) + 1;

  std::vector<int> order(y.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return y[a] < y[b]; });

  std::vector<feature_node> nodes(static_cast<std::size_t>(n * width));
  std::vector<feature_node*> rows(static_cast<std::size_t>(n));
  std::vector<double> targets(static_cast<std::size_t>(n));
  for (Eigen::Index r = 0; r < n; ++r) {
    const auto i = static_cast<Eigen::Index>(order[static_cast<std::size_t>(r)]);
    feature_node* row = nodes.data() + r * width;
    for (Eigen::Index j = 0; j < d; ++j) row[j] = {static_cast<int>(j + 1), X(i, j)};
    if (fit_intercept) row[d] = {static_cast<int>(d + 1), bias};
    row[width - 1] = {-1, 0.0};
    rows[static_cast<std::size_t>(r)] = row;
    targets[static_cast<std::size_t>(r)] = y[static_cast<std::size_t>(i)];
  }

  problem prob{};
  prob.l = static_cast<int>(n);
  prob.n = static_cast<int>(d + (fit_intercept ? 1 : 0));
  prob.y = targets.data();
  prob.x = rows.data();
  prob.bias = bias;

  parameter p{};
  p.solver_type = solver;
  p.eps = params_.get_float("tol");
  p.C = params_.get_float("C");
  p.p = 0.1;
  std::vector<int> weight_label;
  std::vector<double> weight;
  if (params_.is_word("class_weight", "balanced")) {
    const auto w = balanced_class_weights(y, n_classes);
    for (int c : present_) {
      weight_label.push_back(c);
      weight.push_back(w[static_cast<std::size_t>(c)]);
    }
    p.nr_weight = static_cast<int>(weight.size());
    p.weight_label = weight_label.data();
    p.weight = weight.data();
  }
  if (const char* err = check_parameter(&prob, &p)) throw UsageError(fmt::format("linear_svm: {}", err));

  const auto seed = static_cast<unsigned>(params_.get_int("random_state"));
  if (solver == MCSVM_CS || present_.size() == 2) {
    // One joint problem (Crammer-Singer) or one decision function (two
    // classes): a single train() call, seeded on this thread.
    svm_common::seed_c_rand(seed);
    std::unique_ptr<model, ModelDeleter> m(train(&prob, &p));
    if (!m) throw std::runtime_error("linear_svm: LIBLINEAR returned no model");
    const int k = get_nr_class(m.get());
    std::vector<int> labels(static_cast<std::size_t>(k));
    get_labels(m.get(), labels.data());
    // LIBLINEAR stores w feature-major: w[j * nr_w + c]; two classes share one
    // decision function (positive = first label) unless Crammer-Singer.
    const int nr_w = (k == 2 && solver != MCSVM_CS) ? 1 : k;
    for (int c = 0; c < k; ++c) {
      const int code = labels[static_cast<std::size_t>(c)];
      const int src = nr_w == 1 ? 0 : c;
      const double sign = (nr_w == 1 && c == 1) ? -1.0 : 1.0;
      for (Eigen::Index j = 0; j < d; ++j) coef_(code, j) = sign * m->w[j * nr_w + src];
      if (fit_intercept) intercept_(code) = sign * m->w[d * nr_w + src] * bias;
    }
  } else {
    train_one_vs_rest(prob, p, present_, seed, d, fit_intercept, coef_, intercept_);
  }
  n_classes_ = n_classes;
}

Matrix LinearSvmClassifier::decision_function(const Matrix& X) const {
  check_predict_input(X);
  Matrix D = Matrix::Constant(X.rows(), n_classes_, -std::numeric_limits<double>::infinity());
  if (only_class_ >= 0) {
    D.col(only_class_).setZero();
    return D;
  }
  for (int c : present_) D.col(c) = X * coef_.row(c).transpose() + Vector::Constant(X.rows(), intercept_(c));
  return D;
}

Matrix LinearSvmClassifier::predict_proba_model(const Matrix& X) const {
  const Matrix D = decision_function(X);
  Matrix P = Matrix::Zero(D.rows(), D.cols());
  for (Eigen::Index i = 0; i < D.rows(); ++i) {
    const double top = D.row(i).maxCoeff();
    double sum = 0.0;
    for (int c : present_) {
      P(i, c) = std::exp(D(i, c) - top);
      sum += P(i, c);
    }
    P.row(i) /= sum;
  }
  return P;
}

Labels LinearSvmClassifier::predict_model(const Matrix& X) const {
  const Matrix D = decision_function(X);
  Labels out(static_cast<std::size_t>(D.rows()));
  for (Eigen::Index i = 0; i < D.rows(); ++i) out[static_cast<std::size_t>(i)] = argmax_row(D, i);
  return out;
}

// LIBLINEAR's weights already live in coef_/intercept_ (see fit), so the
// model is those numbers; no LIBLINEAR model file is involved.
void LinearSvmClassifier::save(ByteWriter& out) const {
  out.i32(n_classes_);
  out.matrix(coef_);
  out.vector(intercept_);
  out.i32s(present_);
  out.i32(only_class_);
}

void LinearSvmClassifier::load(ByteReader& in) {
  const int n_classes = in.int_in("linear_svm n_classes", 1, 1000000);
  Matrix coef = in.matrix();
  Vector intercept = in.vector();
  auto present = in.i32s();
  const int only_class = in.int_in("linear_svm only_class", -1, n_classes - 1);
  in.require(coef.rows() == n_classes && coef.cols() >= 1 && intercept.size() == n_classes,
             "linear_svm's coefficients have the wrong shape");
  in.require(coef.allFinite() && intercept.allFinite(), "linear_svm holds a non-finite coefficient");
  in.require(!present.empty(), "linear_svm has no trained classes");
  for (std::size_t k = 0; k < present.size(); ++k)
    in.require(present[k] >= 0 && present[k] < n_classes && (k == 0 || present[k] > present[k - 1]),
               "linear_svm's trained classes are invalid");
  in.require(only_class < 0 || (present.size() == 1 && present[0] == only_class), "linear_svm's single class is inconsistent");
  coef_ = std::move(coef);
  intercept_ = std::move(intercept);
  present_ = std::move(present);
  only_class_ = only_class;
  n_classes_ = n_classes;
}

std::unique_ptr<Classifier> make_linear_svm() { return std::make_unique<LinearSvmClassifier>(); }

}  // namespace genrelab
