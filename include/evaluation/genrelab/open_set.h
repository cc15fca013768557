// Open-set recognition and conformal prediction for any classifier: saying
// "none of the genres I know" (novelty scores, a calibrated rejection
// threshold) and "one of these genres" (split-conformal prediction sets), and
// the evaluation that hides whole genres from training to measure both.
//
// Novelty scores, higher = more novel:
//   max_proba    1 - max_k p_k(x)  (Hendrycks & Gimpel 2017)
//   mahalanobis  min_k (z - mu_k)' S^-1 (z - mu_k) on the standardised
//                features z, class means mu_k and one shared within-class
//                covariance S shrunk toward a multiple of I by Ledoit & Wolf's
//                (2004) formula (Lee et al. 2018, without their input
//                perturbation: genrelab's models are not differentiable)
//   combined     the mean of the two scores' calibration ranks (empirical
//                CDF values in [0, 1]): two scores on different scales made
//                comparable without a weight to tune.
// Every threshold is split conformal: with n calibration scores from known
// genres, the ceil((n+1)(1-a))-th smallest is exceeded by a new track of a
// known genre with probability at most a (exact for max_proba and
// mahalanobis; for combined the calibration ranks are computed on the same
// calibration rows, which shifts a rank by at most 1/n).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/matrix.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"

namespace genrelab {

class ByteWriter;
class ByteReader;
class Pipeline;

enum class NoveltyScore { MaxProba, Mahalanobis, Combined };
inline constexpr NoveltyScore kNoveltyScores[] = {NoveltyScore::MaxProba, NoveltyScore::Mahalanobis,
                                                  NoveltyScore::Combined};
const char* novelty_score_name(NoveltyScore s);            // max_proba | mahalanobis | combined
NoveltyScore parse_novelty_score(const std::string& text);  // UsageError naming the choices

// Conformity score of the prediction sets: LAC (1 - p_true; smallest sets on
// average, Sadinle et al. 2019) or APS (the probability mass of every genre at
// least as probable as the true one; Romano et al. 2020), non-randomised, so
// sets are reproducible without a seed and coverage is at least 1 - alpha.
enum class SetScore { Lac, Aps };
const char* set_score_name(SetScore s);            // lac | aps
SetScore parse_set_score(const std::string& text);  // UsageError naming the choices

// Class-conditional Gaussians with a shared, shrunk covariance on the
// standardised features, fitted on the training rows.
class MahalanobisModel {
 public:
  void fit(const Matrix& X, const Labels& y, int n_classes);
  // Squared distance to the nearest class mean, one per row of X (raw features).
  Vector score(const Matrix& X) const;
  bool fitted() const { return means_.rows() > 0; }
  double shrinkage() const { return shrinkage_; }
  int n_classes() const { return static_cast<int>(means_.rows()); }
  void save(ByteWriter& out) const;
  void load(ByteReader& in, Eigen::Index n_features);

 private:
  Vector center_, scale_;  // standardisation
  Matrix means_;           // n_classes x d, standardised
  Matrix precision_;       // d x d, inverse of the shrunk covariance
  double shrinkage_ = 0;
};

// Ledoit-Wolf shrinkage of the covariance of the rows of Z (already centred):
// returns (1 - s) S + s (tr S / d) I with S = Z'Z / n, and s in `shrinkage`.
Matrix ledoit_wolf(const Matrix& Z, double* shrinkage = nullptr);

Vector max_proba_score(const Matrix& P);  // 1 - max_k P(i, k)

// The ceil((n+1)(1-a))-th smallest of `scores` (a in (0, 1)); +Inf when that
// rank exceeds n: too few calibration rows to promise 1 - a, so accept all.
double conformal_quantile(std::vector<double> scores, double a);
// Conformity scores of each row's true class, for calibration.
std::vector<double> set_scores(const Matrix& P, const Labels& y, SetScore kind);
// Per row, the classes in the set (ascending class code): LAC {k : 1 - p_k <= q};
// APS the most probable classes while their cumulative mass is <= q.
std::vector<std::vector<int>> prediction_sets(const Matrix& P, double q, SetScore kind);

// What `train --calibrate` measures on its held-out calibration rows and the
// model file stores: the novelty model and every calibration score, so the
// false-rejection rate and alpha can be chosen at predict time.
struct OpenSetCalibration {
  MahalanobisModel mahalanobis;    // fitted on the fit rows
  std::size_t n_calibration = 0;
  double fraction = 0;             // of the training rows
  std::vector<double> max_proba;   // calibration novelty scores, sorted
  std::vector<double> mahalanobis_scores;
  std::vector<double> combined;
  std::vector<double> lac, aps;    // conformity of the true class, sorted

  // Fits the novelty model on (X_fit, y_fit) and scores the calibration rows.
  static OpenSetCalibration fit(const Pipeline& model, const Matrix& X_fit, const Labels& y_fit, const Matrix& X_cal,
                                const Labels& y_cal, int n_classes);
  // Novelty scores of new rows (P = the model's probabilities for X).
  Vector novelty(const Matrix& X, const Matrix& P, NoveltyScore kind) const;
  // Threshold for a false-rejection rate a on known genres; reject when score > threshold.
  double threshold(NoveltyScore kind, double false_reject) const;
  double set_quantile(SetScore kind, double alpha) const;
  const std::vector<double>& calibration_scores(NoveltyScore kind) const;
  void save(ByteWriter& out) const;
  void load(ByteReader& in, Eigen::Index n_features, int n_classes);
  nlohmann::json summary_json() const;  // for the model header
};

// Known (label 0) vs unknown (label 1) AUROC of `score` (higher = unknown),
// ties counted one half (Mann-Whitney U / n0 n1); NaN when either side is empty.
double auroc(const std::vector<double>& score, const std::vector<char>& is_unknown);

inline constexpr double kDefaultFalseReject = 0.05;
inline constexpr double kDefaultAlpha = 0.1;
inline constexpr double kDefaultCalibrate = 0.2;
// UsageError naming `option` unless 0 < value < 1 (and for --calibrate <= 0.5).
void check_rate(double value, const std::string& option);
void check_calibrate(double fraction, const std::string& option);

// `evaluate --open-set K`: per round, hide K whole genres, split the rest
// (stratified, seeded, group-aware) into train and test, split the train
// part again into fit and calibration rows, and score the novelty scores,
// the calibrated rejection and the prediction sets on the test rows plus
// every hidden-genre row whose group never reached the train part.
struct OpenSetRequest {
  std::string model;
  ParamMap params;
  protocol::Protocol protocol;  // test_size, seed, stratify (cv unused)
  int hidden = 1;               // K genres hidden per round (0: sets only)
  int repeats = 5;              // rounds; round r splits with seed + r
  bool each = false;            // K = 1 and every genre hidden once, in class order
  double calibrate = kDefaultCalibrate;
  double false_reject = kDefaultFalseReject;
  double alpha = kDefaultAlpha;
  SetScore set_score = SetScore::Lac;
  NoveltyScore reject_score = NoveltyScore::Combined;  // what open-set accuracy rejects with
  std::string group_by;         // for the result file only (the groups are the Dataset's)
};

struct OpenSetScoreResult {
  double auroc = std::numeric_limits<double>::quiet_NaN();
  double threshold = 0, frr = 0, far = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> curve_frr, curve_far;  // at kCurveRates targets
};
inline constexpr double kCurveRates[] = {0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5};

struct OpenSetRound {
  std::uint64_t seed = 0;
  std::vector<std::string> hidden;
  std::size_t n_fit = 0, n_calibration = 0, n_known_test = 0, n_unknown_test = 0;
  double closed_accuracy = 0;  // known test rows, predicted among known genres
  double open_set_accuracy = 0;  // known: accepted and right; unknown: rejected (reject_score)
  OpenSetScoreResult scores[3];  // kNoveltyScores order
  double coverage = 0, mean_set_size = 0;    // known test rows
  double unknown_empty_sets = std::numeric_limits<double>::quiet_NaN();  // share of unknown rows with an empty set
  double unknown_mean_set_size = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> unknown_predicted_as;  // per unknown test row, the known genre the model named
  std::vector<std::size_t> known_n, known_covered, known_set_total;  // per class of the data (hidden: 0)
};

struct OpenSetResult {
  OpenSetRequest request;
  ParamMap params;
  std::vector<std::string> classes;
  std::vector<OpenSetRound> rounds;
};

OpenSetResult evaluate_open_set(const Dataset& data, const OpenSetRequest& request, std::ostream* progress = nullptr);
nlohmann::json open_set_json(const OpenSetResult& result);
std::string open_set_text(const OpenSetResult& result);

}  // namespace genrelab
