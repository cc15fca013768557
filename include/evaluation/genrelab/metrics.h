// Classification metrics with scikit-learn's definitions (zero_division = 0).
#pragma once

#include <string>
#include <vector>

#include "genrelab/matrix.h"

namespace genrelab {

struct ClassScores {
  double precision = 0, recall = 0, f1 = 0;
  long support = 0;
};

struct ClassificationReport {
  std::vector<std::vector<long>> confusion;  // [true][predicted]
  std::vector<ClassScores> per_class;
  double accuracy = 0;
  double balanced_accuracy = 0;  // mean recall over classes present in y_true
  ClassScores macro, weighted;
  long n = 0;
};

ClassificationReport evaluate_predictions(const Labels& y_true, const Labels& y_pred, int n_classes);

double accuracy(const Labels& y_true, const Labels& y_pred);
double balanced_accuracy(const Labels& y_true, const Labels& y_pred, int n_classes);
double f1_macro(const Labels& y_true, const Labels& y_pred, int n_classes);

// Text like sklearn.metrics.classification_report (digits = 3).
std::string format_classification_report(const ClassificationReport& report,
                                         const std::vector<std::string>& class_names);
// Confusion matrix as an aligned table with abbreviated class names.
std::string format_confusion_matrix(const ClassificationReport& report,
                                    const std::vector<std::string>& class_names);
// Beyond kConfusionMatrixMaxGenres a matrix no longer fits a terminal: the
// `top` most-confused (true, predicted) pairs instead, by count, each with its
// rate among the true genre's tracks.
inline constexpr std::size_t kConfusionMatrixMaxGenres = 20;
std::string format_confused_pairs(const ClassificationReport& report, const std::vector<std::string>& class_names,
                                  std::size_t top = 15);

}  // namespace genrelab
