// Classification metrics with scikit-learn's definitions and zero_division = 0.
// Averages run over the classes that occur in y_true or y_pred, as sklearn's
// labels = unique_labels(y_true, y_pred): a class a fold never saw and no
// model predicted does not drag the macro average down.
#include "genrelab/metrics.h"

#include <fmt/format.h>

#include "genrelab/error.h"

namespace genrelab {
namespace {

void check(const Labels& y_true, const Labels& y_pred, int n_classes) {
  if (y_true.size() != y_pred.size())
    throw UsageError(fmt::format("{} true labels but {} predictions", y_true.size(), y_pred.size()));
  if (n_classes < 1) throw UsageError("metrics need at least one class");
  for (const Labels* y : {&y_true, &y_pred})
    for (int label : *y)
      if (label < 0 || label >= n_classes)
        throw UsageError(fmt::format("class code {} is outside 0..{}", label, n_classes - 1));
}

double ratio(long num, long den) { return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den); }

}  // namespace

ClassificationReport evaluate_predictions(const Labels& y_true, const Labels& y_pred, int n_classes) {
  check(y_true, y_pred, n_classes);
  const std::size_t C = static_cast<std::size_t>(n_classes);
  ClassificationReport r;
  r.n = static_cast<long>(y_true.size());
  r.confusion.assign(C, std::vector<long>(C, 0));
  for (std::size_t i = 0; i < y_true.size(); ++i)
    ++r.confusion[static_cast<std::size_t>(y_true[i])][static_cast<std::size_t>(y_pred[i])];

  r.per_class.resize(C);
  long correct = 0, n_present = 0, n_in_truth = 0;
  double recall_sum = 0;
  for (std::size_t c = 0; c < C; ++c) {
    long predicted = 0, actual = 0;
    for (std::size_t o = 0; o < C; ++o) predicted += r.confusion[o][c], actual += r.confusion[c][o];
    const long tp = r.confusion[c][c];
    correct += tp;
    ClassScores& s = r.per_class[c];
    s.precision = ratio(tp, predicted);
    s.recall = ratio(tp, actual);
    s.f1 = s.precision + s.recall == 0 ? 0.0 : 2 * s.precision * s.recall / (s.precision + s.recall);
    s.support = actual;
    if (actual > 0) ++n_in_truth, recall_sum += s.recall;
    if (actual == 0 && predicted == 0) continue;
    ++n_present;
    r.macro.precision += s.precision, r.macro.recall += s.recall, r.macro.f1 += s.f1;
    const double w = static_cast<double>(actual);
    r.weighted.precision += w * s.precision, r.weighted.recall += w * s.recall, r.weighted.f1 += w * s.f1;
  }
  r.accuracy = ratio(correct, r.n);
  r.balanced_accuracy = n_in_truth == 0 ? 0.0 : recall_sum / static_cast<double>(n_in_truth);
  if (n_present > 0) {
    const double m = static_cast<double>(n_present);
    r.macro.precision /= m, r.macro.recall /= m, r.macro.f1 /= m;
  }
  if (r.n > 0) {
    const double n = static_cast<double>(r.n);
    r.weighted.precision /= n, r.weighted.recall /= n, r.weighted.f1 /= n;
  }
  r.macro.support = r.weighted.support = r.n;
  return r;
}

double accuracy(const Labels& y_true, const Labels& y_pred) {
  if (y_true.size() != y_pred.size())
    throw UsageError(fmt::format("{} true labels but {} predictions", y_true.size(), y_pred.size()));
  long correct = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) correct += y_true[i] == y_pred[i];
  return ratio(correct, static_cast<long>(y_true.size()));
}

double balanced_accuracy(const Labels& y_true, const Labels& y_pred, int n_classes) {
  return evaluate_predictions(y_true, y_pred, n_classes).balanced_accuracy;
}

double f1_macro(const Labels& y_true, const Labels& y_pred, int n_classes) {
  return evaluate_predictions(y_true, y_pred, n_classes).macro.f1;
}

}  // namespace genrelab
