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
//   shuffles with the C library's rand(). genrelab makes rand() per-thread
//   (c_rand.cpp) and seeds it right before training on the training thread,
//   so results repeat exactly, also with fits running in parallel.
// * More than two classes: the one-vs-one pair problems are trained in
//   parallel and assembled into one LIBSVM model (train_one_vs_one); without
//   probability that model is the one svm_train would build, bit for bit.
// * max_iter: Debian's LIBSVM 3.24 has no iteration cap (sklearn patched one
//   into its copy), so only -1 (no cap) is accepted.
// * A training fold holding a single class (sklearn refuses it) gives a model
//   that predicts that class with probability 1.
#include "models/svm.h"

#include <libsvm/svm.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "genrelab/parallel_tasks.h"
#include "genrelab/error.h"
#include "genrelab/bytes.h"
#include "genrelab/random.h"
#include "models/svm_common.h"
#include "models/svm_model_text.h"

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

struct ModelDeleter {
  void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};
using ModelPtr = std::unique_ptr<svm_model, ModelDeleter>;

// LIBSVM frees every part of a model with free(), so the model we assemble is
// allocated with calloc (zeroed: a half-built model frees cleanly).
template <class T>
T* c_array(std::size_t n) {
  void* p = std::calloc(std::max<std::size_t>(n, 1), sizeof(T));
  if (!p) throw std::bad_alloc();
  return static_cast<T*>(p);
}

// What one pair's two-class svm_train leaves us: the signed alphas of its
// support vectors by row of the pair problem (class a's rows, then class
// b's), its rho and, with probability=true, its Platt sigmoid.
struct PairFit {
  std::vector<std::pair<int, double>> alpha;
  double rho = 0.0, prob_a = 0.0, prob_b = 0.0;
};

// LIBSVM's multi-class C-SVC, with the k(k-1)/2 one-vs-one problems trained in
// parallel: svm_train solves them one after another. Each pair is what
// svm_train builds internally (class a's rows as +1, then class b's as -1, C
// times each class's weight) and goes through svm_train as a two-class
// problem, which runs the same solver on it; the pieces are then put together
// the way svm_train does (a row is a support vector when any pair gives it a
// nonzero alpha; sv_coef[b-1] holds its alphas against class a, sv_coef[a]
// those of class b against a). Without probability the solver draws no random
// numbers, so the model is the one a single svm_train call gives, bit for bit
// (the tests compare). With probability each pair's Platt cross-validation is
// seeded from (random_state, pair) on the thread that runs it, so the model
// does not depend on the thread count, but its calibration differs from one
// svm_train, whose pairs share one rand() sequence.
// `prob` holds the rows sorted by class code; `classes` are the codes present.
svm_model* train_one_vs_one(const svm_problem& prob, const svm_parameter& param, const std::vector<int>& classes,
                            unsigned seed) {
  const std::size_t k = classes.size(), l = static_cast<std::size_t>(prob.l);
  std::vector<std::size_t> start(k + 1, l);
  for (std::size_t c = 0, r = 0; c < k; ++c) {
    while (r < l && static_cast<int>(prob.y[r]) < classes[c]) ++r;
    start[c] = r;
  }
  auto count = [&](std::size_t c) { return start[c + 1] - start[c]; };
  auto class_weight = [&](int code) {
    for (int i = 0; i < param.nr_weight; ++i)
      if (param.weight_label[i] == code) return param.weight[i];
    return 1.0;
  };

  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = a + 1; b < k; ++b) pairs.emplace_back(a, b);
  std::vector<PairFit> fits(pairs.size());

  run_tasks(pairs.size(), svm_common::fit_threads() > 1, [&](std::size_t t) {
    const auto [a, b] = pairs[t];
    std::vector<svm_node*> x(prob.x + start[a], prob.x + start[a + 1]);
    x.insert(x.end(), prob.x + start[b], prob.x + start[b + 1]);
    std::vector<double> y(prob.y + start[a], prob.y + start[a + 1]);
    y.insert(y.end(), prob.y + start[b], prob.y + start[b + 1]);
    svm_problem sub{};
    sub.l = static_cast<int>(x.size());
    sub.x = x.data();
    sub.y = y.data();
    // Only this pair's weights: LIBSVM warns on stderr about weight labels
    // that do not occur in the problem.
    int labels[2] = {classes[a], classes[b]};
    double weights[2] = {class_weight(classes[a]), class_weight(classes[b])};
    svm_parameter q = param;
    if (param.nr_weight > 0) {
      q.nr_weight = 2;
      q.weight_label = labels;
      q.weight = weights;
    }
    if (param.probability) svm_common::seed_c_rand(static_cast<unsigned>(Rng::derive(seed, t).next_u64()));
    ModelPtr m(svm_train(&sub, &q));
    if (!m || m->nr_class != 2 || m->label[0] != classes[a])
      throw std::runtime_error("svm: LIBSVM returned no usable model for a class pair");
    PairFit& f = fits[t];
    f.rho = m->rho[0];
    if (param.probability) {
      f.prob_a = m->probA[0];
      f.prob_b = m->probB[0];
    }
    f.alpha.reserve(static_cast<std::size_t>(m->l));
    for (int i = 0; i < m->l; ++i) f.alpha.emplace_back(m->sv_indices[i] - 1, m->sv_coef[0][i]);
  });

  // Row r of the pair problem (a, b) as a row of prob.
  auto row_of = [&](std::size_t a, std::size_t b, int r) {
    const auto i = static_cast<std::size_t>(r);
    return i < count(a) ? start[a] + i : start[b] + (i - count(a));
  };
  std::vector<char> nonzero(l, 0);
  for (std::size_t t = 0; t < pairs.size(); ++t)
    for (const auto& [r, alpha] : fits[t].alpha)
      if (alpha != 0.0) nonzero[row_of(pairs[t].first, pairs[t].second, r)] = 1;
  std::vector<int> sv_at(l, -1);  // prob row -> index among the support vectors
  std::vector<int> n_sv(k, 0);
  int total = 0;
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t r = start[c]; r < start[c + 1]; ++r)
      if (nonzero[r]) {
        sv_at[r] = total++;
        ++n_sv[c];
      }

  ModelPtr model(c_array<svm_model>(1));
  svm_model& m = *model;
  m.param = param;
  m.free_sv = 0;  // the support vectors are prob's rows, owned by the caller
  m.l = total;
  m.SV = c_array<svm_node*>(static_cast<std::size_t>(total));
  m.sv_indices = c_array<int>(static_cast<std::size_t>(total));
  for (std::size_t r = 0; r < l; ++r)
    if (sv_at[r] >= 0) {
      m.SV[sv_at[r]] = prob.x[r];
      m.sv_indices[sv_at[r]] = static_cast<int>(r) + 1;
    }
  m.label = c_array<int>(k);
  m.nSV = c_array<int>(k);
  std::copy(classes.begin(), classes.end(), m.label);
  std::copy(n_sv.begin(), n_sv.end(), m.nSV);
  m.rho = c_array<double>(pairs.size());
  if (param.probability) {
    m.probA = c_array<double>(pairs.size());
    m.probB = c_array<double>(pairs.size());
  }
  m.sv_coef = c_array<double*>(k - 1);
  m.nr_class = static_cast<int>(k);  // after sv_coef exists: the deleter frees k-1 rows of it
  for (std::size_t c = 0; c + 1 < k; ++c) m.sv_coef[c] = c_array<double>(static_cast<std::size_t>(total));
  for (std::size_t t = 0; t < pairs.size(); ++t) {
    const auto [a, b] = pairs[t];
    m.rho[t] = fits[t].rho;
    if (param.probability) {
      m.probA[t] = fits[t].prob_a;
      m.probB[t] = fits[t].prob_b;
    }
    // svm_train writes y * alpha for every support vector of both classes,
    // so a class-b row this pair leaves at zero gets -0.0; copying that keeps
    // the saved model text identical too.
    for (std::size_t r = start[b]; r < start[b + 1]; ++r)
      if (sv_at[r] >= 0) m.sv_coef[a][sv_at[r]] = -0.0;
    for (const auto& [r, alpha] : fits[t].alpha) {
      const std::size_t row = row_of(a, b, r);
      if (sv_at[row] < 0) continue;
      (static_cast<std::size_t>(r) < count(a) ? m.sv_coef[b - 1] : m.sv_coef[a])[sv_at[row]] = alpha;
    }
  }
  return model.release();
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

bool SvmClassifier::is_fitted() const { return fitted_ != nullptr; }
int SvmClassifier::n_features_in() const { return fitted_ ? static_cast<int>(fitted_->n_features) : 0; }

void SvmClassifier::fit_model(const Matrix& X, const Labels& y, int n_classes) {
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
    const auto w = balanced_class_weights(y, n_classes);
    for (int c : present) {
      f->weight_label.push_back(c);
      f->weight.push_back(w[static_cast<std::size_t>(c)]);
    }
    p.nr_weight = static_cast<int>(f->weight.size());
    p.weight_label = f->weight_label.data();
    p.weight = f->weight.data();
  }

  if (const char* err = svm_check_parameter(&prob, &p)) throw UsageError(fmt::format("svm: {}", err));

  const auto seed = static_cast<unsigned>(params_.get_int("random_state"));
  if (present.size() == 2) {
    svm_common::seed_c_rand(seed);
    f->model = svm_train(&prob, &p);
  } else {
    f->model = train_one_vs_one(prob, p, present, seed);
  }
  if (!f->model) throw std::runtime_error("svm: LIBSVM returned no model");

  const int k = svm_get_nr_class(f->model);
  f->code_of.resize(static_cast<std::size_t>(k));
  svm_get_labels(f->model, f->code_of.data());
  fitted_ = std::move(f);
}

Matrix SvmClassifier::decision_function(const Matrix& X) const {
  check_predict_input(X);
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

Matrix SvmClassifier::predict_proba_model(const Matrix& X) const {
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

Labels SvmClassifier::predict_model(const Matrix& X) const {
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

std::string SvmClassifier::libsvm_text() const {
  if (!fitted_) throw UsageError("svm: libsvm_text called before fit");
  return fitted_->model ? libsvm_model_text(fitted_->model) : std::string();
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
