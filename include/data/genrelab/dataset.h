// Dataset: the numeric matrix, integer labels and feature names that models
// learn from, built from a Table by detecting (or being told) which column is
// the label, which columns are features, and how categorical ones are encoded.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "genrelab/matrix.h"
#include "genrelab/table.h"

namespace genrelab {

enum class MissingPolicy { Error, Drop, ImputeMedian };
MissingPolicy parse_missing_policy(const std::string& text);  // error|drop|impute-median

struct DatasetOptions {
  std::string label;                  // empty: detect Genre / genre / track_genre / label
  std::vector<std::string> features;  // empty: every usable column
  std::vector<std::string> drop;      // columns to leave out
  std::vector<std::string> genres;    // keep only these labels (empty: all)
  MissingPolicy on_missing = MissingPolicy::Error;
  std::string group_by;               // column whose equal values must stay together in splits
  // Labels differing only in case ("rock", "Rock") are an error unless folded
  // into one genre, spelt the way most of its rows spell it.
  bool fold_label_case = false;
};

// How one source column became one or more feature columns. Kept so that new
// tracks at predict time are encoded exactly as the training data was.
struct FeatureEncoding {
  enum class Kind { Numeric, Boolean, OneHot };
  std::string column;
  Kind kind = Kind::Numeric;
  std::vector<std::string> levels;  // OneHot: canonical level names, one feature each,
                                    // except two levels: one indicator for levels[1]
};

// What validation found and did, reported to the user rather than acted on silently.
struct DataFindings {
  std::string label_column;
  std::vector<std::pair<std::string, std::string>> excluded_columns;  // column, why
  std::size_t duplicate_rows = 0;        // rows identical to an earlier row (features and label)
  std::size_t identical_records = 0;     // rows identical to an earlier row in every column but a row index
  std::string id_column;                 // track_id or similar, if any
  std::size_t ids_with_several_labels = 0;
  std::size_t rows_with_repeated_id = 0;  // rows whose id already appeared on an earlier row
  std::size_t repeated_ids = 0;           // ids that occur on more than one row
  std::size_t rows_dropped = 0;          // --on-missing drop
  std::size_t cells_imputed = 0;         // --on-missing impute-median
  std::size_t rows_imputed = 0;
  std::size_t rows_outside_genres = 0;   // --genres subset
  std::size_t labels_trimmed = 0;        // labels with surrounding whitespace, trimmed
  std::size_t labels_case_folded = 0;    // labels respelt by fold_label_case
  std::size_t conflicting_feature_rows = 0;  // rows whose features equal a row of another genre
  std::vector<std::string> notes;        // one sentence each, for the terminal and the report
};

struct Dataset {
  std::string source;
  Matrix X;                                // n_rows x n_features
  Labels y;                                // codes into `classes`
  std::vector<std::string> classes;        // label names, sorted
  std::vector<std::string> feature_names;
  std::vector<FeatureEncoding> encodings;
  std::vector<std::string> groups;         // per row, when group_by was given
  std::vector<long> lines;                 // per row, line in the source file
  DataFindings findings;

  std::size_t n_rows() const { return static_cast<std::size_t>(X.rows()); }
  std::size_t n_features() const { return static_cast<std::size_t>(X.cols()); }
  std::vector<std::size_t> class_counts() const;
};

// InputError unless `data` holds at least two genres; `what` names the work
// ("training a classifier", "cross-validation"), for every command that fits
// or compares models.
void require_two_genres(const Dataset& data, const std::string& what);

Dataset build_dataset(const Table& table, const DatasetOptions& options);
// The same, free to take the table's numeric matrix as the feature matrix
// when it already is one (every feature a numeric column, in order, every
// row kept), so a large file's numbers are held once, not twice.
Dataset build_dataset(Table&& table, const DatasetOptions& options);

// Reader options for a file that will become a dataset with `options`: the
// label, group, identifier, row-index and category columns stay text, every
// other column is read as numbers when all its cells are numbers.
CsvOptions dataset_csv_options(const DatasetOptions& options);

// Rows `rows` of `data`, in that order, with everything per row (labels,
// groups, source lines) kept aligned; classes, features and findings unchanged.
Dataset select_rows(const Dataset& data, const std::vector<int>& rows);

// Encodes the feature columns of `table` the way `encodings` say (predict
// time). Missing columns, unparseable cells and unseen levels are InputErrors.
Matrix encode_features(const Table& table, const std::vector<FeatureEncoding>& encodings);

// The same with a policy for missing cells (predict --on-missing): Error as
// above; Drop leaves those rows out; ImputeMedian fills each cell from the
// other rows of this table (a number's median, a category's most frequent
// level). `rows` are the table rows the matrix holds, in order.
// Category levels the model never saw: Error names the first; Ignore encodes
// them with no indicator set and counts them (encode_column).
enum class UnknownLevelPolicy { Error, Ignore };
struct EncodedFeatures {
  Matrix X;
  std::vector<std::size_t> rows;
  std::size_t rows_dropped = 0, cells_imputed = 0, rows_imputed = 0;
  std::string note;  // what was dropped or imputed, one sentence; empty when nothing was
  std::size_t unknown_cells = 0;  // UnknownLevelPolicy::Ignore: cells with an unseen level
  std::string unknown_note;       // which levels, how often; empty when none
};
EncodedFeatures encode_features(const Table& table, const std::vector<FeatureEncoding>& encodings,
                                MissingPolicy policy, UnknownLevelPolicy unknown = UnknownLevelPolicy::Error);

}  // namespace genrelab
