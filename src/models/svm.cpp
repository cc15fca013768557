// LIBSVM C-SVC behind the Classifier contract, matching scikit-learn's SVC.
//
// Decisions worth knowing:
// * Rows are stably sorted by class code before training. LIBSVM numbers its
//   classes in order of first appearance; sklearn's bundled copy sorts them.
//   Sorting makes our LIBSVM order ascending too, so vote ties go to the
//   lowest class code and the solver sees the rows in the same order as in sklearn.
// * probability=false (the default, as in sklearn): sklearn's predict_proba
//   raises; ours must always answer, so it returns the one-vs-one outcome as
//   proportions: max(0, ovr decision) normalised per row, where the ovr
//   decision is sklearn's (votes + squashed confidence). The arg-max is the
//   vote winner, and the scores rank rows usefully for AUC, but they are not
//   calibrated probabilities; set probability=true for Platt scaling.
// * probability=true runs LIBSVM's internal 5-fold Platt scaling, which
//   shuffles with the C library's rand(); we srand(random_state) under a
//   process-wide lock right before svm_train so results repeat exactly.
// * max_iter: Debian's LIBSVM 3.24 has no iteration cap (sklearn patched one
//   into its copy), so only -1 (no cap) is accepted.
// * A training fold holding a single class (sklearn refuses it) gives a model
//   that predicts that class with probability 1.
#include "models/svm.h"

#include <libsvm/svm.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <numeric>

#include "genrelab/error.h"
#include "genrelab/model_file.h"
#include "models/registry.h"
#include "models/svm_model_text.h"
#include "models/svm_common.h"

namespace genrelab {
namespace {

void quiet(const char*) {}

void silence_libsvm() {
  static std::once_flag once;
  std::call_once(once, [] { svm_set_print_string_function(&quiet); });
}

// Dense row in LIBSVM's format: every feature (zeros included, so the kernel
// sees exactly what sklearn's dense SVC sees), then the -1 terminator.
void fill_row(const Matrix& X, Eigen::Index i, svm_node* out) {
  const Eigen::Index d = X.cols();
  for (Eigen::Index j = 0; j < d; ++j) {
    out[j].index = static_cast<int>(j + 1);
    out[j].value = X(i, j);
  }
  out[d].index = -1;
  out[d].value = 0.0;
}

}  // namespace

struct SvmClassifier::Fitted {
  // LIBSVM's model keeps pointers to support vectors inside these rows.
  std::vector<svm_node> nodes;
  std::vector<svm_node*> rows;
  std::vector<double> targets;
  std::vector<int> weight_label;
  std::vector<double> weight;
  svm_model* model = nullptr;
  std::vector<int> code_of;  // LIBSVM class index -> our class code
  int only_class = -1;       // set when training saw a single class
  double gamma = 0.0;
  bool probability = false;
  Eigen::Index n_features = 0;

  Fitted() = default;
  Fitted(const Fitted&) = delete;
  Fitted& operator=(const Fitted&) = delete;
  ~Fitted() {
    if (model) svm_free_and_destroy_model(&model);
  }
};

SvmClassifier::SvmClassifier() {
  params_.set_owner("svm");
  params_.declare_choice("kernel", "rbf", "kernel function", {"rbf", "linear", "poly", "sigmoid"});
  params_.declare_float("C", "1.0", "inverse regularisation strength (penalty on margin violations)", 0, 1e308, true);
  params_.declare_float("gamma", "scale", "kernel coefficient: scale = 1/(n_features*Var(X)), auto = 1/n_features",
                        0, 1e308, false, {"scale", "auto"});
  params_.declare_int("degree", "3", "degree of the poly kernel", 0);
  params_.declare_float("coef0", "0.0", "independent term of the poly and sigmoid kernels", -1e308, 1e308);
  params_.declare_bool("probability", "false",
                       "Platt-scaled probabilities (5-fold internal CV); false gives vote proportions");
  params_.declare_bool("shrinking", "true", "use LIBSVM's shrinking heuristic");
  params_.declare_float("tol", "1e-3", "stopping tolerance", 0, 1e308, true);
  params_.declare_float("cache_size", "200", "kernel cache in MB", 0, 1e308, true);
  params_.declare_choice("class_weight", "None", "balanced reweights C by inverse class frequency",
                         {"None", "balanced"});
  params_.declare_int("max_iter", "-1", "iteration cap; LIBSVM 3.24 has none, so only -1 (unlimited)", -1, -1);
  params_.declare_int("random_state", "0", "seed for the Platt-scaling cross-validation", 0, 2147483647);
}

SvmClassifier::~SvmClassifier() = default;

void SvmClassifier::fit(const Matrix& X, const Labels& y, int n_classes) {
  svm_common::check_fit_input("svm", X, y, n_classes);
  silence_libsvm();
  fitted_.reset();
  n_classes_ = n_classes;

  auto f = std::make_unique<Fitted>();
  f->n_features = X.cols();
  f->probability = params_.get_bool("probability");

  const std::string& g = params_.get("gamma");
  if (g == "scale") {
    // sklearn: variance over every value of X, and gamma 1 for constant X.
    const double mean = X.mean();
    const double var = (X.array() - mean).square().mean();
    f->gamma = var != 0.0 ? 1.0 / (static_cast<double>(X.cols()) * var) : 1.0;
  } else if (g == "auto") {
    f->gamma = 1.0 / static_cast<double>(X.cols());
  } else {
    f->gamma = params_.get_float("gamma");
  }

  const auto present = svm_common::present_classes(y, n_classes);
  if (present.size() == 1) {
    f->only_class = present.front();
    fitted_ = std::move(f);
    return;
  }

  std::vector<int> order(y.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return y[a] < y[b]; });

  const Eigen::Index n = X.rows(), d = X.cols();
  f->nodes.resize(static_cast<std::size_t>(n * (d + 1)));
  f->rows.resize(static_cast<std::size_t>(n));
  f->targets.resize(static_cast<std::size_t>(n));
  for (Eigen::Index r = 0; r < n; ++r) {
    const auto i = static_cast<std::size_t>(order[static_cast<std::size_t>(r)]);
    svm_node* row = f->nodes.data() + r * (d + 1);
    fill_row(X, static_cast<Eigen::Index>(i), row);
    f->rows[static_cast<std::size_t>(r)] = row;
    f->targets[static_cast<std::size_t>(r)] = y[i];
  }

  svm_problem prob{};
  prob.l = static_cast<int>(n);
  prob.y = f->targets.data();
  prob.x = f->rows.data();

  const std::string& kernel = params_.get("kernel");
  svm_parameter p{};
  p.svm_type = C_SVC;
  p.kernel_type = kernel == "linear" ? LINEAR : kernel == "poly" ? POLY : kernel == "sigmoid" ? SIGMOID : RBF;
  p.degree = static_cast<int>(params_.get_int("degree"));
  p.gamma = f->gamma;
  p.coef0 = params_.get_float("coef0");
  p.cache_size = params_.get_float("cache_size");
  p.eps = params_.get_float("tol");
  p.C = params_.get_float("C");
  p.nu = 0.5;
  p.p = 0.1;
  p.shrinking = params_.get_bool("shrinking") ? 1 : 0;
  p.probability = f->probability ? 1 : 0;
  if (params_.is_word("class_weight", "balanced")) {
    const auto w = svm_common::balanced_class_weights(y, n_classes);
    for (int c : present) {
      f->weight_label.push_back(c);
      f->weight.push_back(w[static_cast<std::size_t>(c)]);
    }
    p.nr_weight = static_cast<int>(f->weight.size());
    p.weight_label = f->weight_label.data();
    p.weight = f->weight.data();
  }

  if (const char* err = svm_check_parameter(&prob, &p)) throw UsageError(fmt::format("svm: {}", err));

  if (f->probability) {
    std::lock_guard<std::mutex> lock(svm_common::c_rand_mutex());
    std::srand(static_cast<unsigned>(params_.get_int("random_state")));
    f->model = svm_train(&prob, &p);
  } else {
    f->model = svm_train(&prob, &p);
  }
  if (!f->model) throw std::runtime_error("svm: LIBSVM returned no model");

  const int k = svm_get_nr_class(f->model);
  f->code_of.resize(static_cast<std::size_t>(k));
  svm_get_labels(f->model, f->code_of.data());
  fitted_ = std::move(f);
}

Matrix SvmClassifier::decision_function(const Matrix& X) const {
  svm_common::check_predict_input("svm", X, fitted_ ? fitted_->n_features : 0, fitted_ != nullptr);
  const Fitted& f = *fitted_;
  const Eigen::Index n = X.rows(), d = X.cols();
  Matrix D = Matrix::Constant(n, n_classes_, -1.0);
  if (f.only_class >= 0) {
    D.col(f.only_class).setZero();
    return D;
  }
  const int k = static_cast<int>(f.code_of.size());
#pragma omp parallel
  {
    std::vector<svm_node> row(static_cast<std::size_t>(d + 1));
    std::vector<double> dec(static_cast<std::size_t>(k * (k - 1) / 2));
    std::vector<double> votes(static_cast<std::size_t>(k)), conf(static_cast<std::size_t>(k));
#pragma omp for schedule(static)
    for (Eigen::Index i = 0; i < n; ++i) {
      fill_row(X, i, row.data());
      svm_predict_values(f.model, row.data(), dec.data());
      std::fill(votes.begin(), votes.end(), 0.0);
      std::fill(conf.begin(), conf.end(), 0.0);
      std::size_t pair = 0;
      for (int a = 0; a < k; ++a)
        for (int b = a + 1; b < k; ++b, ++pair) {
          // LIBSVM: a positive pairwise value is a vote for the first class.
          const double v = dec[pair];
          votes[static_cast<std::size_t>(v > 0 ? a : b)] += 1.0;
          conf[static_cast<std::size_t>(a)] += v;
          conf[static_cast<std::size_t>(b)] -= v;
        }
      for (int a = 0; a < k; ++a) {
        const double c = conf[static_cast<std::size_t>(a)];
        D(i, f.code_of[static_cast<std::size_t>(a)]) = votes[static_cast<std::size_t>(a)] + c / (3.0 * (std::abs(c) + 1.0));
      }
    }
  }
  return D;
}

Matrix SvmClassifier::predict_proba(const Matrix& X) const {
  svm_common::check_predict_input("svm", X, fitted_ ? fitted_->n_features : 0, fitted_ != nullptr);
  const Fitted& f = *fitted_;
  const Eigen::Index n = X.rows(), d = X.cols();
  Matrix P = Matrix::Zero(n, n_classes_);
  if (f.only_class >= 0) {
    P.col(f.only_class).setOnes();
    return P;
  }
  if (!f.probability) {
    // Every row has a class with at least (k-1)/2 votes, so the sum is positive.
    P = decision_function(X).cwiseMax(0.0);
    for (Eigen::Index i = 0; i < n; ++i) P.row(i) /= P.row(i).sum();
    return P;
  }
  const int k = static_cast<int>(f.code_of.size());
#pragma omp parallel
  {
    std::vector<svm_node> row(static_cast<std::size_t>(d + 1));
    std::vector<double> prob(static_cast<std::size_t>(k));
#pragma omp for schedule(static)
    for (Eigen::Index i = 0; i < n; ++i) {
      fill_row(X, i, row.data());
      svm_predict_probability(f.model, row.data(), prob.data());
      for (int a = 0; a < k; ++a) P(i, f.code_of[static_cast<std::size_t>(a)]) = prob[static_cast<std::size_t>(a)];
    }
  }
  return P;
}

Labels SvmClassifier::predict(const Matrix& X) const {
  svm_common::check_predict_input("svm", X, fitted_ ? fitted_->n_features : 0, fitted_ != nullptr);
  const Fitted& f = *fitted_;
  const Eigen::Index n = X.rows(), d = X.cols();
  Labels out(static_cast<std::size_t>(n), f.only_class);
  if (f.only_class >= 0) return out;
#pragma omp parallel
  {
    std::vector<svm_node> row(static_cast<std::size_t>(d + 1));
    std::vector<double> dec(f.code_of.size() * (f.code_of.size() - 1) / 2);
#pragma omp for schedule(static)
    for (Eigen::Index i = 0; i < n; ++i) {
      fill_row(X, i, row.data());
      // Voting even on a probability model, as sklearn's SVC.predict does.
      out[static_cast<std::size_t>(i)] = static_cast<int>(svm_predict_values(f.model, row.data(), dec.data()));
    }
  }
  return out;
}

double SvmClassifier::fitted_gamma() const {
  if (!fitted_) throw UsageError("svm: fitted_gamma called before fit");
  return fitted_->gamma;
}

int SvmClassifier::n_support_vectors() const {
  if (!fitted_) throw UsageError("svm: n_support_vectors called before fit");
  return fitted_->model ? svm_get_nr_sv(fitted_->model) : 0;
}

// LIBSVM's own text format holds the model, as LIBSVM writes and reads it.
// That text keeps support-vector values to 8 significant digits (%.8g),
// which moves decision values in their last bits, so the exact doubles are
// stored next to it and written back into the loaded support vectors.
void SvmClassifier::save(ByteWriter& out) const {
  if (!fitted_) throw UsageError("svm: save called before fit");
  const Fitted& f = *fitted_;
  out.i32(n_classes_);
  out.i32(static_cast<int>(f.n_features));
  out.f64(f.gamma);
  out.boolean(f.probability);
  out.i32(f.only_class);
  if (f.only_class >= 0) return;
  out.string(libsvm_model_text(f.model));
  std::vector<double> values;
  for (int i = 0; i < f.model->l; ++i)
    for (const svm_node* p = f.model->SV[i]; p->index != -1; ++p) values.push_back(p->value);
  out.f64s(values);
}

void SvmClassifier::load(ByteReader& in) {
  const int n_classes = in.int_in("svm n_classes", 1, 1000000);
  auto f = std::make_unique<Fitted>();
  f->n_features = in.int_in("svm n_features", 1, 10000000);
  f->gamma = in.f64();
  f->probability = in.boolean();
  f->only_class = in.int_in("svm only_class", -1, n_classes - 1);
  if (f->only_class < 0) {
    const std::string text = in.string();
    check_libsvm_model_text(text, n_classes, static_cast<int>(f->n_features), in);
    const auto values = in.f64s();
    silence_libsvm();
    f->model = static_cast<svm_model*>(libsvm_model_from_text(text));
    in.require(f->model != nullptr, "LIBSVM could not read its model");
    in.require(f->model->param.svm_type == C_SVC && f->model->nr_class >= 2, "the LIBSVM model is not a C-SVC classifier");
    in.require(!f->probability || (f->model->probA != nullptr && f->model->probB != nullptr),
               "the LIBSVM model lacks its probability calibration");
    std::size_t at = 0;
    for (int i = 0; i < f->model->l; ++i)
      for (svm_node* p = f->model->SV[i]; p->index != -1; ++p) {
        in.require(at < values.size(), "the exact support-vector values are too few");
        p->value = values[at++];
      }
    in.require(at == values.size(), "the exact support-vector values are too many");
    const int k = svm_get_nr_class(f->model);
    f->code_of.resize(static_cast<std::size_t>(k));
    svm_get_labels(f->model, f->code_of.data());
  }
  fitted_ = std::move(f);
  n_classes_ = n_classes;
}

std::unique_ptr<Classifier> make_svm() { return std::make_unique<SvmClassifier>(); }

}  // namespace genrelab
