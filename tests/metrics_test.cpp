#include "genrelab/metrics.h"

#include <gtest/gtest.h>

#include "genrelab/error.h"

using namespace genrelab;

namespace {

// Worked by hand:
//   true  0 0 0 1 1 1 1 2 2 2
//   pred  0 1 0 1 1 0 1 1 0 1
// confusion [true][pred] = [[2,1,0],[1,3,0],[1,2,0]]; class 2 is never predicted.
// precision: 2/4, 3/6, 0 (zero_division)   recall: 2/3, 3/4, 0/3
// f1: 2*.5*(2/3)/(.5+2/3) = 4/7, 2*.5*.75/1.25 = 0.6, 0
// accuracy 5/10; balanced accuracy (2/3 + 3/4 + 0)/3 = 17/36
const Labels kTrue = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
const Labels kPred = {0, 1, 0, 1, 1, 0, 1, 1, 0, 1};

}  // namespace

TEST(Metrics, HandComputedThreeClassExample) {
  const ClassificationReport r = evaluate_predictions(kTrue, kPred, 3);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<long>>{{2, 1, 0}, {1, 3, 0}, {1, 2, 0}}));
  EXPECT_DOUBLE_EQ(r.per_class[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(r.per_class[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(r.per_class[2].precision, 0.0);
  EXPECT_DOUBLE_EQ(r.per_class[0].recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(r.per_class[1].recall, 0.75);
  EXPECT_DOUBLE_EQ(r.per_class[2].recall, 0.0);
  EXPECT_NEAR(r.per_class[0].f1, 4.0 / 7, 1e-12);
  EXPECT_NEAR(r.per_class[1].f1, 0.6, 1e-12);
  EXPECT_DOUBLE_EQ(r.per_class[2].f1, 0.0);
  EXPECT_EQ(r.per_class[0].support, 3);
  EXPECT_EQ(r.per_class[1].support, 4);
  EXPECT_EQ(r.per_class[2].support, 3);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.5);
  EXPECT_NEAR(r.balanced_accuracy, 17.0 / 36, 1e-12);
  EXPECT_NEAR(r.macro.precision, 1.0 / 3, 1e-12);
  EXPECT_NEAR(r.macro.recall, 17.0 / 36, 1e-12);
  EXPECT_NEAR(r.macro.f1, (4.0 / 7 + 0.6) / 3, 1e-12);
  EXPECT_NEAR(r.weighted.precision, (3 * 0.5 + 4 * 0.5) / 10, 1e-12);
  EXPECT_NEAR(r.weighted.recall, 0.5, 1e-12);
  EXPECT_NEAR(r.weighted.f1, (3 * 4.0 / 7 + 4 * 0.6) / 10, 1e-12);
  EXPECT_EQ(r.n, 10);
  EXPECT_DOUBLE_EQ(accuracy(kTrue, kPred), 0.5);
  EXPECT_NEAR(balanced_accuracy(kTrue, kPred, 3), 17.0 / 36, 1e-12);
  EXPECT_NEAR(f1_macro(kTrue, kPred, 3), (4.0 / 7 + 0.6) / 3, 1e-12);
}

TEST(Metrics, ClassAbsentEverywhereIsLeftOutOfAverages) {
  // Class 3 exists in the data set but not in this fold and is never predicted.
  const ClassificationReport r = evaluate_predictions(kTrue, kPred, 4);
  EXPECT_NEAR(r.macro.f1, (4.0 / 7 + 0.6) / 3, 1e-12);
  EXPECT_NEAR(r.balanced_accuracy, 17.0 / 36, 1e-12);
}

TEST(Metrics, PredictedButAbsentClassCountsInMacroNotBalanced) {
  // sklearn: macro averages over labels in y_true or y_pred; balanced accuracy over y_true.
  const Labels t = {0, 0, 1, 1};
  const Labels p = {0, 2, 1, 1};
  const ClassificationReport r = evaluate_predictions(t, p, 3);
  EXPECT_NEAR(r.balanced_accuracy, (0.5 + 1.0) / 2, 1e-12);
  EXPECT_NEAR(r.macro.recall, (0.5 + 1.0 + 0.0) / 3, 1e-12);
}

TEST(Metrics, PerfectPredictions) {
  const ClassificationReport r = evaluate_predictions(kTrue, kTrue, 3);
  EXPECT_DOUBLE_EQ(r.accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.macro.f1, 1.0);
  EXPECT_DOUBLE_EQ(r.weighted.precision, 1.0);
}

TEST(Metrics, MismatchedOrOutOfRangeInputIsUsageError) {
  EXPECT_THROW(evaluate_predictions({0, 1}, {0}, 2), UsageError);
  EXPECT_THROW(evaluate_predictions({0, 1}, {0, 2}, 2), UsageError);
  EXPECT_THROW(accuracy({0}, {}), UsageError);
}

TEST(Metrics, ReportTextMatchesScikitLearn) {
  // Produced by sklearn 1.2.1: classification_report(kTrue, kPred, target_names=..., digits=3).
  const std::string expected =
      "              precision    recall  f1-score   support\n"
      "\n"
      "        rock      0.500     0.667     0.571         3\n"
      "   classical      0.500     0.750     0.600         4\n"
      "     hip hop      0.000     0.000     0.000         3\n"
      "\n"
      "    accuracy                          0.500        10\n"
      "   macro avg      0.333     0.472     0.390        10\n"
      "weighted avg      0.350     0.500     0.411        10\n";
  const ClassificationReport r = evaluate_predictions(kTrue, kPred, 3);
  EXPECT_EQ(format_classification_report(r, {"rock", "classical", "hip hop"}), expected);
}

TEST(Metrics, ReportWidensForLongClassNames) {
  const ClassificationReport r = evaluate_predictions(kTrue, kPred, 3);
  const std::string text = format_classification_report(r, {"rock", "progressive-metal", "jazz"});
  EXPECT_EQ(text.substr(0, 18), std::string(18, ' '));
  EXPECT_NE(text.find("\nprogressive-metal      0.500"), std::string::npos) << text;
  EXPECT_NE(text.find("\n     weighted avg"), std::string::npos) << text;
}

TEST(Metrics, ConfusionMatrixTable) {
  const ClassificationReport r = evaluate_predictions(kTrue, kPred, 3);
  const std::string text = format_confusion_matrix(r, {"rock", "classical", "hip hop"});
  // Rows are true classes with full names, columns predicted classes abbreviated
  // to at most 8 letters without spaces (3 classes leave plenty of room).
  const std::string expected =
      "true \\ predicted     rock classica   hiphop\n"
      "rock                    2        1        0\n"
      "classical               1        3        0\n"
      "hip hop                 1        2        0\n";
  EXPECT_EQ(text, expected);
}

TEST(Metrics, ConfusionMatrixFitsHundredColumnsForFourteenGenres) {
  const std::vector<std::string> names = {"rock", "pop", "hip hop", "jazz", "classical", "country", "electronic",
                                          "metal", "reggae", "blues", "french chanson", "spanish pop",
                                          "k-pop", "spanish rock"};
  Labels t, p;
  for (int i = 0; i < 14 * 120; ++i) t.push_back(i % 14), p.push_back(i % 3 == 0 ? (i + 1) % 14 : i % 14);
  const ClassificationReport r = evaluate_predictions(t, p, 14);
  const std::string text = format_confusion_matrix(r, names);
  std::size_t start = 0, lines = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    EXPECT_LE(end - start, 100u) << text.substr(start, end - start);
    start = end + 1;
    ++lines;
  }
  EXPECT_EQ(lines, 15u);
  EXPECT_NE(text.find("\nfrench chanson "), std::string::npos) << text;
  // Headers are distinct even where names share a prefix.
  EXPECT_NE(text.find(" spa1 "), std::string::npos) << text;
  EXPECT_NE(text.find(" spa2\n"), std::string::npos) << text;
}
