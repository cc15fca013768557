#include <exception>
#include <numeric>

#include "genrelab/importance.h"
#include "genrelab/metrics.h"
#include "genrelab/random.h"

namespace genrelab {

double score_predictions(const Labels& y_true, const Labels& y_pred, int n_classes, Scoring scoring) {
  switch (scoring) {
    case Scoring::Accuracy: return accuracy(y_true, y_pred);
    case Scoring::BalancedAccuracy: return balanced_accuracy(y_true, y_pred, n_classes);
    case Scoring::F1Macro: return f1_macro(y_true, y_pred, n_classes);
  }
  return accuracy(y_true, y_pred);
}

PermutationImportance permutation_importance(const Pipeline& model, const Matrix& X, const Labels& y,
                                             int n_classes, int repeats, std::uint64_t seed, Scoring scoring) {
  PermutationImportance out;
  const auto n_features = static_cast<std::size_t>(X.cols());
  out.baseline = score_predictions(y, model.predict(X), n_classes, scoring);
  out.repeats.assign(n_features, std::vector<double>(static_cast<std::size_t>(repeats), 0.0));
  out.mean.assign(n_features, 0.0);
  out.sd.assign(n_features, 0.0);

  const bool concurrent = model.model().concurrent_safe();
  std::exception_ptr failure;
#pragma omp parallel if (concurrent)
  {
    Matrix shuffled = X;  // one private copy per thread; only column f changes
    std::vector<int> order(static_cast<std::size_t>(X.rows()));
#pragma omp for schedule(dynamic, 1)
    for (std::size_t f = 0; f < n_features; ++f) {
      try {
        const auto col = static_cast<Eigen::Index>(f);
        for (int r = 0; r < repeats; ++r) {
          std::iota(order.begin(), order.end(), 0);
          Rng rng = Rng::derive(seed, f * 100003ULL + static_cast<std::uint64_t>(r));
          rng.shuffle(order);
          for (Eigen::Index i = 0; i < X.rows(); ++i) shuffled(i, col) = X(order[static_cast<std::size_t>(i)], col);
          const double s = score_predictions(y, model.predict(shuffled), n_classes, scoring);
          out.repeats[f][static_cast<std::size_t>(r)] = out.baseline - s;
        }
        shuffled.col(col) = X.col(col);
        double m = 0, ss = 0;
        for (double d : out.repeats[f]) m += d;
        m /= repeats;
        for (double d : out.repeats[f]) ss += (d - m) * (d - m);
        out.mean[f] = m;
        out.sd[f] = std::sqrt(ss / repeats);
      } catch (...) {
#pragma omp critical(genrelab_permutation_failure)
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  return out;
}

}  // namespace genrelab
