// Profiling genres: what each genre's features look like (profile), how well
// each pair of genres can be told apart (separability), which K genres are the
// most mutually distinct (select), and which features differ between two
// groups of genres (diff). The statistics follow scipy / pandas definitions so
// that results can be checked against a notebook; the JSON layouts written by
// the *_json functions are documented next to them, for the report.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/evaluation.h"
#include "genrelab/matrix.h"
#include "genrelab/parameters.h"

namespace genrelab {

// ---- statistics ------------------------------------------------------------

// Quantile of ascending `sorted` with linear interpolation between order
// statistics (numpy's default 'linear', pandas' quantile / describe).
double quantile_linear(const std::vector<double>& sorted, double q);

// pandas.Series.describe(): std is the sample standard deviation (ddof = 1),
// NaN for fewer than two values.
struct Describe {
  std::size_t count = 0;
  double mean = 0, std = 0, min = 0, q25 = 0, median = 0, q75 = 0, max = 0;
};
Describe describe(std::vector<double> values);

struct TestResult {
  double statistic = 0;
  double p_value = 1;
};

// scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic'):
// statistic is U of x; normal approximation with tie correction and
// continuity correction. When every value is tied (no variance) p is 1.
TestResult mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y);

// scipy.stats.ks_2samp(x, y, method='asymp'): statistic D = sup |F_x - F_y|;
// p = P(D_N >= D) for the one-sample Kolmogorov statistic with
// N = round(n m / (n + m)), which is what scipy's 'asymp' computes.
TestResult ks_2samp(const std::vector<double>& x, const std::vector<double>& y);
double ks_statistic(const std::vector<double>& x, const std::vector<double>& y);  // D alone
// Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic
// D_n (scipy.stats.kstwo.sf). Exact (Durbin's matrix, Marsaglia–Tsang–Wang
// 2003) where that is cheap, the exact one-sided (Birnbaum–Tingey) bound
// 2 P(D+_n >= d) in the far tail, and the Kolmogorov limit otherwise.
double kolmogorov_sf(double d, long n);

// Cliff's delta: P(x > y) - P(x < y) over all pairs, in [-1, 1].
double cliffs_delta(const std::vector<double>& x, const std::vector<double>& y);
// Romano et al. (2006): |d| < 0.147 negligible, < 0.33 small, < 0.474 medium, else large.
std::string cliffs_magnitude(double delta);

// Benjamini–Hochberg adjusted p-values (statsmodels' 'fdr_bh'), same order as `p`.
std::vector<double> benjamini_hochberg(const std::vector<double>& p);

// ---- genres ----------------------------------------------------------------

// Codes of the named genres; InputError listing the data set's genres for an
// unknown name.
std::vector<int> genre_codes(const Dataset& data, const std::vector<std::string>& names);
// The rows of the given genres (codes), relabelled 0.. in the order given.
Dataset subset_genres(const Dataset& data, const std::vector<int>& codes);
// Values of feature column `feature` for the rows whose label is in `codes`.
std::vector<double> feature_values(const Dataset& data, Eigen::Index feature, const std::vector<int>& codes);

// ---- profile ---------------------------------------------------------------

// A categorical feature: a one-hot group from Dataset::encodings, or a single
// 0/1 indicator column. column[i] is the matrix column of level i, or -1 for
// the level a two-level one-hot group encodes as "indicator is 0".
struct CategoricalFeature {
  std::string name;
  std::vector<std::string> levels;
  std::vector<Eigen::Index> columns;
  bool indicator = false;  // a lone 0/1 column: levels are "0" and "1"
};
std::vector<CategoricalFeature> categorical_features(const Dataset& data);

struct Histogram {
  std::vector<double> edges;                     // bins + 1 edges over the feature's range in all genres
  std::vector<std::vector<std::size_t>> counts;  // [genre][bin]; last bin closed, as numpy.histogram
};
// Edges shared by all genres: `bins` equal bins over [min, max] of `all`
// (numpy: a constant feature gets [v - 0.5, v + 0.5]).
std::vector<double> histogram_edges(const std::vector<double>& all, int bins);
std::vector<std::size_t> histogram_counts(const std::vector<double>& values, const std::vector<double>& edges);

struct FeatureProfile {
  std::string name;
  bool indicator = false;
  Describe overall;
  std::vector<Describe> per_genre;
  // The genre's mean as a z-score of the feature over all tracks:
  // (genre mean - overall mean) / overall sd (ddof = 1); 0 for a constant feature.
  std::vector<double> mean_z;
  Histogram histogram;
};

struct CategoricalProfile {
  CategoricalFeature feature;
  std::vector<std::vector<double>> shares;  // [genre][level], share of the genre's tracks
};

struct Profile {
  std::string source;
  std::vector<std::string> genres;
  std::vector<std::size_t> tracks;
  int bins = 20;
  std::vector<FeatureProfile> features;  // one per matrix column
  std::vector<CategoricalProfile> categorical;
};

Profile profile_genres(const Dataset& data, int bins = 20);
// profile.json layout:
// { "format": "genrelab-profile/1", "source", "bins",
//   "genres": [{"name", "tracks"}],
//   "features": [{"name", "kind": "numeric"|"indicator",
//                 "overall": DESCRIBE,
//                 "per_genre": {GENRE: DESCRIBE + "mean_z"},
//                 "histogram": {"edges": [bins+1], "counts": {GENRE: [bins]}}}],
//   "categorical": [{"name", "kind": "one_hot"|"indicator", "levels": [..],
//                    "columns": [feature name or null], "shares": {GENRE: [per level]}}],
//   "extremes": {GENRE: [{"feature", "mean_z", "mean", "mean_of_other_genres"}]} }
// DESCRIBE = {"count", "mean", "std", "min", "25%", "50%", "75%", "max"}
// (pandas describe names; std with ddof = 1, null when undefined).
nlohmann::json profile_json(const Profile& profile, std::size_t extremes_per_genre = 5);
// Long format, one value per line: genre,feature,statistic,value. genre
// "(all)" is every track; statistics are the DESCRIBE names plus mean_z;
// categorical shares appear as feature "NAME=LEVEL", statistic "share".
// Histograms are only in the JSON.
std::string profile_csv(const Profile& profile);
// Per genre, the features where its mean is most extreme among the genres.
std::string profile_text(const Profile& profile, std::size_t per_genre = 3);

// ---- separability ----------------------------------------------------------

struct SeparabilityRequest {
  std::string model = "random_forest";
  ParamMap params;  // random_forest defaults to n_estimators=100, max_depth=10 unless given
  int cv = 5;
  std::uint64_t seed = 42;  // folds, and the model's random_state unless given
  bool stratify = true;
  int bins = 20;            // histogram bins for the per-feature overlap
  bool per_feature = true;  // overlap and KS per feature
};

struct PairSeparability {
  int a = 0, b = 0;                  // genre codes, a < b
  MeanSd accuracy, balanced_accuracy;  // over the folds
  std::vector<double> overlap;       // per feature: sum over shared bins of min(p_a, p_b)
  std::vector<double> ks;            // per feature: KS statistic D
};

struct Dendrogram {
  // scipy.cluster.hierarchy.linkage layout: clusters 0..n-1 are the leaves,
  // merge i creates cluster n + i from `left` and `right`.
  struct Merge {
    int left = 0, right = 0;
    double distance = 0;
    int size = 0;
  };
  std::vector<Merge> merges;
  std::vector<int> order;  // leaves left to right
};
// UPGMA (average linkage) on a symmetric distance matrix; ties merge the
// lowest-numbered clusters first, and a merge lists its older cluster first.
Dendrogram average_linkage(const Matrix& distance);

struct Separability {
  SeparabilityRequest request;
  ParamMap params;  // the model's full parameters
  std::vector<std::string> genres, features;
  std::vector<PairSeparability> pairs;  // (0,1), (0,2), ..., (n-2,n-1)
  // separability(a, b): CV balanced accuracy of the pair (0.5 = chance, the
  // diagonal); similarity = clamp(2 (1 - separability), 0, 1): 1 for a pair no
  // better than chance, 0 for a perfectly separable pair.
  Matrix separability, similarity;
  Dendrogram clustering;  // average linkage on distance = separability
};

Separability genre_separability(const Dataset& data, const SeparabilityRequest& request,
                                std::ostream* progress = nullptr);
// separability.json layout:
// { "format": "genrelab-separability/1", "model", "params", "cv", "seed",
//   "metric": "balanced_accuracy", "genres": [..], "order": [genre names],
//   "order_index": [codes], "linkage": [[left, right, distance, size]],
//   "separability": [[n x n]], "similarity": [[n x n]] (both in "genres" order),
//   "pairs": [{"a", "b", "accuracy", "accuracy_sd", "balanced_accuracy",
//              "balanced_accuracy_sd",
//              "features": [{"feature", "overlap", "ks"}]  (when per-feature)}] }
nlohmann::json separability_json(const Separability& s);
std::string separability_text(const Separability& s);

// ---- select ----------------------------------------------------------------

struct SubsetSearch {
  std::vector<int> members;  // ascending codes
  double min_separability = 0, mean_separability = 0;
  std::string method;             // "exact" or "greedy+swap"
  std::size_t subsets_examined = 0;
};
// The k-subset maximising the minimum pairwise entry of `separability`, ties
// broken by the larger mean, then the lexicographically first set. Exact
// branch and bound when C(n, k) <= exact_limit, greedy + swaps otherwise.
SubsetSearch most_distinct_subset(const Matrix& separability, int k, double exact_limit = 5e6);

struct GenreSetSummary {
  std::vector<int> members;
  double min_separability = 0, mean_separability = 0;
  int weakest_a = -1, weakest_b = -1;
  bool has_cv = false;
  CrossValidation cv;  // multi-class CV on the set's tracks
};

struct SelectRequest {
  int k = 6;
  SeparabilityRequest separability;
  std::vector<std::string> compare;  // a user-given set to compare with
  bool multiclass = true;            // multi-class CV on the chosen / compared sets
};

struct Selection {
  SelectRequest request;
  Separability separability;
  SubsetSearch search;
  GenreSetSummary chosen;
  bool has_compare = false;
  GenreSetSummary compared;
};

Selection select_genres(const Dataset& data, const SelectRequest& request, std::ostream* progress = nullptr);
// select JSON: { "format": "genrelab-select/1", "k", "method", "subsets_examined",
//   "chosen": SET, "compared": SET (when --compare), "separability": separability.json }
// SET = {"genres", "min_separability", "mean_separability", "weakest_pair": [a, b],
//        "pairwise": [[..]] (within the set, in "genres" order),
//        "multiclass_cv": {"model", "accuracy", "accuracy_sd", "balanced_accuracy", "f1_macro"}}
nlohmann::json selection_json(const Selection& s);
std::string selection_text(const Selection& s);

// ---- diff ------------------------------------------------------------------

struct FeatureDiff {
  std::string feature;
  double median_a = 0, median_b = 0, mean_a = 0, mean_b = 0;
  TestResult mann_whitney, ks;
  double mann_whitney_p_adjusted = 1, ks_p_adjusted = 1;  // Benjamini–Hochberg over features
  double cliffs_delta = 0;                                 // > 0: A tends to be larger
  std::string magnitude;
};

struct GroupDiff {
  std::vector<std::string> a, b;
  std::size_t n_a = 0, n_b = 0;
  std::vector<FeatureDiff> features;  // ranked by |delta|, then adjusted Mann–Whitney p
};

// UsageError when a genre is in both groups or a group is empty; InputError
// for unknown genres (listing them) and groups with fewer than two tracks.
GroupDiff diff_groups(const Dataset& data, const std::vector<std::string>& a, const std::vector<std::string>& b);
// diff JSON: { "format": "genrelab-diff/1", "a": {"genres", "tracks"}, "b": {...},
//   "ranking": "abs(cliffs_delta) desc, mann_whitney_p_adjusted asc",
//   "features": [{"rank", "feature", "median_a", "median_b", "mean_a", "mean_b",
//                 "cliffs_delta", "magnitude", "mann_whitney_u", "mann_whitney_p",
//                 "mann_whitney_p_adjusted", "ks_statistic", "ks_p", "ks_p_adjusted"}] }
nlohmann::json diff_json(const GroupDiff& d);
std::string diff_text(const GroupDiff& d, std::size_t top = 0);

}  // namespace genrelab
