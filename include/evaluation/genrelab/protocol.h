// The evaluation protocol, declared once: how many folds, how much is held
// out, the seed, stratification, scikit-learn's split, grouping and the
// score. The CLI options (apps/genrelab/protocol_args.cpp), the experiment
// file's keys (study/experiment.cpp) and the library entry points all check
// values against these ranges, so `--cv 1` means the same thing everywhere:
// refused, because a single fold is not cross-validation. Every request
// embeds a Protocol, so the defaults are written once, here; the result files
// write it with result_json and the report reads it back with from_result, so
// each key is spelt once, here. (Not to_json / from_json: those names are
// nlohmann's conversion hooks, which these are not.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace genrelab {

// The score that ranks models and chooses parameters.
enum class Scoring { Accuracy, BalancedAccuracy, F1Macro };
Scoring parse_scoring(const std::string& text);  // accuracy | balanced_accuracy | f1_macro
std::string scoring_name(Scoring s);

namespace protocol {

// One field of the protocol: its experiment-file key, its CLI option, what it
// means, and its key in the result files where that differs: a result says
// what was done ("stratified": true), an experiment what to do.
struct Field {
  const char* key;
  const char* option;
  const char* help;
  const char* result = nullptr;  // nullptr: `key`

  constexpr const char* result_key() const { return result ? result : key; }
};

inline constexpr Field kCv{"cv", "--cv", "cross-validation folds"};
inline constexpr Field kTestSize{"test_size", "--test-size", "fraction of tracks held out for testing"};
inline constexpr Field kSeed{"seed", "--seed", "seed for splits, folds and the model"};
inline constexpr Field kStratify{"stratify", "--no-stratify", "plain shuffled splits instead of stratified ones",
                                 "stratified"};
// Result files say which rows were held out: "holdout_split": "sklearn" | "genrelab".
inline constexpr Field kSklearnSplit{
    "sklearn_split", "--sklearn-split",
    "hold out exactly the rows scikit-learn's train_test_split(X, y, test_size=T, random_state=SEED) picks (no "
    "stratify=, rows in file order), to set a result beside a notebook's",
    "holdout_split"};
inline constexpr Field kGroupBy{"group_by", "--group-by", "column whose equal values stay in the same split"};
inline constexpr Field kScoring{"scoring", "--scoring", "ranking and tuning score: accuracy | balanced_accuracy | f1_macro"};

inline constexpr int kMinFolds = 2;
inline constexpr int kMaxFolds = 1000;
// A held-out part under 1 % of the tracks scores too few of them to mean anything.
inline constexpr double kMinTestSize = 0.01;
inline constexpr double kMaxTestSize = 0.9;
inline constexpr int kDefaultFolds = 5;
inline constexpr double kDefaultTestSize = 0.2;
inline constexpr std::uint64_t kDefaultSeed = 42;
// Seeds are what numpy's and scikit-learn's random_state take (0..2^32-1),
// so a seed typed here means the same as in a notebook, and no value wraps.
inline constexpr std::uint64_t kMaxSeed = 4294967295ULL;
// A search larger than this many fits (candidates x folds) runs only when
// the user confirms it (--yes): a typo in a grid should not start a
// day-long run on a shared machine.
inline constexpr std::size_t kMaxFitsUnconfirmed = 10000;

// The protocol's values with their defaults. A request embeds one and says
// which fields it leaves unused (separability holds nothing out). group_by is
// no member: the groups are read with the data (DatasetOptions::group_by) and
// a split takes them from the Dataset.
struct Protocol {
  int cv = kDefaultFolds;               // where allowed, 0: no cross-validation
  double test_size = kDefaultTestSize;  // where allowed, 0: no held-out part
  std::uint64_t seed = kDefaultSeed;    // splits, folds, and the model's random_state unless given
  bool stratify = true;
  // The held-out rows scikit-learn's train_test_split picks (SplitOptions::sklearn_holdout).
  bool sklearn_split = false;
  Scoring scoring = Scoring::Accuracy;
};

// `fields` of `p` under their result keys, valued as every result file writes
// them: "stratified": bool, "holdout_split": holdout_split_id, "scoring": its
// name. A result file names the fields it depends on, so one that holds
// nothing out writes no test_size. kGroupBy is not a Protocol member
// (std::logic_error).
nlohmann::json result_json(const Protocol& p, std::initializer_list<Field> fields);
// What a result file (or its "settings") records of the protocol, read by the
// same keys. A field it lacks or holds as another type keeps its default,
// so files from older versions still read.
Protocol from_result(const nlohmann::json& j);

// Whether 0 ("none") is a meaningful value where a value is checked.
enum class None { Allowed, Refused };

// Empty when `cv` is allowed, else the reason, naming `where` (an option or a
// key): 0 only where None::Allowed, else kMinFolds..kMaxFolds.
std::string cv_problem(int cv, None none, const std::string& where = kCv.option);
// The same for a held-out fraction: 0 only where None::Allowed, else kMinTestSize..kMaxTestSize.
std::string test_size_problem(double test_size, None none, const std::string& where = kTestSize.option);
// UsageError with the reason when the value is not allowed.
// "" when `text` is a seed as typed (digits only, 0..kMaxSeed), else why not.
std::string seed_problem(const std::string& text, const std::string& where = kSeed.option);
// UsageError naming the fits when candidates x folds exceeds
// kMaxFitsUnconfirmed and the run was not confirmed; `what` names the search,
// `how` the way to confirm it (--yes).
void check_search_size(std::size_t candidates, std::size_t folds, bool confirmed, const std::string& what,
                       const std::string& how = "--yes");
void check_cv(int cv, None none, const std::string& where = kCv.option);
void check_test_size(double test_size, None none, const std::string& where = kTestSize.option);

}  // namespace protocol
}  // namespace genrelab
