// build_dataset: the one place where a raw Table becomes model input. Every
// decision that changes what the model sees (excluded columns, dropped or
// imputed rows, a genre subset) is recorded in DataFindings for the user.
#include <algorithm>
#include <cmath>
#include <array>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "genrelab/cell_values.h"
#include "data/column_types.h"
#include "data/data_findings.h"
#include "genrelab/feature_encoding.h"
#include "genrelab/dataset.h"
#include "genrelab/error.h"
#include "genrelab/suggest.h"

namespace genrelab {
namespace {

using data::ColumnPlan;

std::string count_of(std::size_t n, const char* noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); }

std::string list_columns(const Table& table) { return fmt::format("{}", fmt::join(table.header(), ", ")); }

std::size_t resolve_label(const Table& table, const std::string& requested) {
  if (!requested.empty()) {
    if (auto c = table.find_column(requested)) {
      // A measurement (energy, tempo) named by mistake would make every value
      // a "genre"; whole-number codes (GTZAN's 0..9) are a label, so they pass.
      bool numeric = table.n_rows() > 0, fractional = false;
      for (std::size_t r = 0; r < table.n_rows() && numeric; ++r) {
        if (table.is_numeric(*c)) {
          const double v = table.number(r, *c);
          fractional = fractional || (!std::isnan(v) && v != std::floor(v));
          continue;
        }
        const std::string_view cell = table.cell(r, *c);
        if (data::is_missing(cell)) continue;
        const auto v = data::parse_number(cell);
        numeric = v.has_value();
        fractional = fractional || (v && *v != std::floor(*v));
      }
      if (numeric && fractional)
        throw InputError(fmt::format("{}: --label '{}' is a numeric column (its cells are measurements such as {}, not "
                                     "genre names). Name the column that holds the genres",
                                     table.source(), requested,
                                     table.is_numeric(*c) ? fmt::format("{}", table.number(0, *c))
                                                          : std::string(table.cell(0, *c))));
      return *c;
    }
    throw InputError(fmt::format("{}: there is no label column '{}'. The columns are: {}. Pass one of them with "
                                 "--label.{}",
                                 table.source(), requested, list_columns(table), did_you_mean(requested, table.header())));
  }
  static constexpr std::array<std::string_view, 4> kLabels = {"Genre", "genre", "track_genre", "label"};
  for (std::string_view name : kLabels)
    if (auto c = table.find_column(name)) return *c;
  for (std::string_view name : kLabels)
    for (std::size_t c = 0; c < table.n_cols(); ++c)
      if (data::iequals(table.column_name(c), name)) return c;
  throw InputError(fmt::format("{}: found no label column (looked for Genre, genre, track_genre, label). The columns "
                               "are: {}. Name the label column with --label",
                               table.source(), list_columns(table)));
}

// A column that, beside the label, probably holds the answer in another form
// (genre and track_genre, label and Genre, playlist_genre): as a feature it
// would leak the label into the model.
bool label_like(std::string_view name) {
  const std::string l = data::lower(name);
  return l == "label" || l == "labels" || l == "class" || l.find("genre") != std::string::npos;
}

// Label-like columns other than the label that would become features.
// With the label found by itself that is an error (which one is the label
// was a guess); with --label named, the others are left out with a reason,
// unless --features asks for them.
std::vector<std::size_t> second_label_columns(const Table& table, std::size_t label, const DatasetOptions& options) {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < table.n_cols(); ++c) {
    if (c == label || !label_like(table.column_name(c))) continue;
    const std::string& name = table.column_name(c);
    auto named = [&](const std::vector<std::string>& list) { return std::find(list.begin(), list.end(), name) != list.end(); };
    if (named(options.drop) || named(options.features) || name == options.group_by) continue;
    if (!options.features.empty()) continue;  // not listed: not a feature anyway
    if (options.label.empty())
      throw InputError(fmt::format(
          "{}: columns '{}' and '{}' both look like labels. '{}' would be the label and '{}' a feature that gives "
          "the answer away. Name the label and leave the other out, e.g. --label {} --drop {}",
          table.source(), table.column_name(label), name, table.column_name(label), name, table.column_name(label),
          name));
    out.push_back(c);
  }
  return out;
}

std::vector<std::size_t> resolve_names(const Table& table, const std::vector<std::string>& names,
                                       const char* option) {
  std::vector<std::size_t> out;
  for (const std::string& name : names) {
    auto c = table.find_column(name);
    if (!c)
      throw InputError(fmt::format("{}: {} names the column '{}', which is not in the file. The columns are: {}.{}",
                                   table.source(), option, name, list_columns(table), did_you_mean(name, table.header())));
    if (std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(*c);
  }
  return out;
}

std::string first_lines(const Table& table, const std::vector<std::size_t>& rows) {
  std::vector<long> lines;
  for (std::size_t i = 0; i < rows.size() && i < 5; ++i) lines.push_back(table.line_of(rows[i]));
  return fmt::format("{}{}", fmt::join(lines, ", "), rows.size() > 5 ? " …" : "");
}

// Rows whose label is missing would otherwise become a class of their own
// (the seed study's "ghost" 15th genre), so they are an error unless dropped.
std::vector<std::size_t> labelled_rows(const Table& table, std::size_t label, MissingPolicy policy,
                                       DataFindings& findings) {
  std::vector<std::size_t> rows, unlabelled;
  for (std::size_t r = 0; r < table.n_rows(); ++r)
    (data::is_missing(table.cell(r, label)) ? unlabelled : rows).push_back(r);
  if (unlabelled.empty()) return rows;
  const std::string& name = table.column_name(label);
  if (policy != MissingPolicy::Drop)
    throw InputError(fmt::format("{}: {} row{} no label: line{} {}. Fill them in or remove those rows (or pass "
                                 "--on-missing drop to leave them out)",
                                 where(table.source(), table.line_of(unlabelled[0]), name), unlabelled.size(),
                                 unlabelled.size() == 1 ? " has" : "s have", unlabelled.size() == 1 ? "" : "s",
                                 first_lines(table, unlabelled)));
  findings.rows_dropped += unlabelled.size();
  findings.notes.push_back(fmt::format("Left out {} row{} with no '{}' label (lines {}).", unlabelled.size(),
                                       unlabelled.size() == 1 ? "" : "s", name, first_lines(table, unlabelled)));
  return rows;
}

// Each row's genre as the data set will hold it: trimmed of surrounding
// whitespace, and, with fold_label_case, spelt one way per genre. Keyed by
// the raw cell, so a million rows share a handful of entries.
class LabelSpelling {
 public:
  LabelSpelling(const Table& table, std::size_t label, const std::vector<std::size_t>& rows,
                const DatasetOptions& options, DataFindings& findings)
      : table_(table), label_(label) {
    struct Spelling {
      std::size_t rows = 0;
      std::size_t first = 0;  // first row
    };
    std::map<std::string_view, Spelling, std::less<>> spellings;  // trimmed text
    for (std::size_t r : rows) {
      const std::string_view raw = table.cell(r, label);
      const std::string_view text = data::trim(raw);
      if (text.size() != raw.size()) ++findings.labels_trimmed;
      auto [it, inserted] = spellings.try_emplace(text, Spelling{0, r});
      ++it->second.rows;
      if (raw_.find(raw) == raw_.end()) raw_.emplace(raw, std::string(text));
    }
    if (findings.labels_trimmed > 0)
      findings.notes.push_back(fmt::format("Trimmed spaces around {} '{}' label{} (e.g. '{}'), so they join the genre "
                                           "spelt without them.",
                                           findings.labels_trimmed, table.column_name(label),
                                           findings.labels_trimmed == 1 ? "" : "s", first_untrimmed(rows)));
    std::map<std::string, std::vector<std::string_view>> by_case;
    for (const auto& [text, spelling] : spellings) by_case[data::lower(text)].push_back(text);
    std::map<std::string_view, std::string_view> canonical;
    std::vector<std::string> folded;
    for (const auto& [lowered, variants] : by_case) {
      if (variants.size() < 2) continue;
      // Most rows first; ties go to the spelling seen first in the file.
      std::vector<std::string_view> order = variants;
      std::sort(order.begin(), order.end(), [&](std::string_view a, std::string_view b) {
        const Spelling &x = spellings.find(a)->second, &y = spellings.find(b)->second;
        return x.rows != y.rows ? x.rows > y.rows : x.first < y.first;
      });
      if (!options.fold_label_case) {
        const Spelling &a = spellings.find(order[0])->second, &b = spellings.find(order[1])->second;
        throw InputError(fmt::format(
            "{}: the labels '{}' ({} row{}, first at line {}) and '{}' ({} row{}, first at line {}) differ only in "
            "case, so they would be two genres. Correct the spelling in the file, or pass --fold-label-case to "
            "treat them as one genre (spelt '{}')",
            where(table.source(), 0, table.column_name(label)), order[0], a.rows, a.rows == 1 ? "" : "s",
            table.line_of(a.first), order[1], b.rows, b.rows == 1 ? "" : "s", table.line_of(b.first), order[0]));
      }
      for (std::size_t k = 1; k < order.size(); ++k) {
        canonical[order[k]] = order[0];
        findings.labels_case_folded += spellings.find(order[k])->second.rows;
        folded.push_back(fmt::format("'{}' as '{}'", order[k], order[0]));
      }
    }
    if (!folded.empty()) {
      for (auto& [raw, text] : raw_)
        if (auto c = canonical.find(text); c != canonical.end()) text = std::string(c->second);
      findings.notes.push_back(fmt::format("Read {} label{} differing only in case as one genre (--fold-label-case): "
                                           "{}.",
                                           findings.labels_case_folded, findings.labels_case_folded == 1 ? "" : "s",
                                           fmt::join(folded, ", ")));
    }
  }

  std::string_view operator()(std::size_t row) const { return raw_.find(table_.cell(row, label_))->second; }

 private:
  std::string first_untrimmed(const std::vector<std::size_t>& rows) const {
    for (std::size_t r : rows) {
      const std::string_view raw = table_.cell(r, label_);
      if (data::trim(raw).size() != raw.size()) return std::string(raw);
    }
    return "";
  }

  const Table& table_;
  std::size_t label_;
  std::map<std::string_view, std::string, std::less<>> raw_;  // raw cell -> genre
};

std::vector<std::size_t> select_genres(const Table& table, std::size_t label, const LabelSpelling& genre_of,
                                       std::vector<std::size_t> rows, const std::vector<std::string>& genres,
                                       DataFindings& findings) {
  if (genres.empty()) return rows;
  std::set<std::string_view> available;
  for (std::size_t r : rows) available.insert(genre_of(r));
  std::vector<std::string> unknown;
  for (const std::string& g : genres)
    if (!available.count(g)) unknown.push_back(g);
  if (!unknown.empty()) {
    const std::vector<std::string> names(available.begin(), available.end());
    // One unknown: " Did you mean 'rock'?"; several: " Did you mean 'rock' for 'rokc', 'jazz' for 'jaz'?".
    std::string hint;
    if (unknown.size() == 1) {
      hint = did_you_mean(unknown[0], names);
    } else {
      std::vector<std::string> parts;
      for (const std::string& g : unknown)
        if (const auto near = closest_names(g, names, 1); !near.empty())
          parts.push_back(fmt::format("'{}' for '{}'", near[0], g));
      if (!parts.empty()) hint = fmt::format(" Did you mean {}?", fmt::join(parts, ", "));
    }
    throw InputError(fmt::format("{}: --genres names {} not in column '{}': {}. The genres in the file are: {}.{}",
                                 table.source(), unknown.size() == 1 ? "a genre" : "genres",
                                 table.column_name(label), fmt::join(unknown, ", "), fmt::join(available, ", "), hint));
  }
  const std::set<std::string_view> wanted(genres.begin(), genres.end());
  std::vector<std::size_t> kept;
  for (std::size_t r : rows)
    if (wanted.count(genre_of(r))) kept.push_back(r);
  findings.rows_outside_genres = rows.size() - kept.size();
  findings.notes.push_back(fmt::format("Kept the {} genres asked for with --genres ({} rows); {} rows of other genres "
                                       "were left out.",
                                       wanted.size(), kept.size(), findings.rows_outside_genres));
  return kept;
}

std::vector<ColumnPlan> plan_columns(const Table& table, std::size_t label, const DatasetOptions& options,
                                     const std::vector<std::size_t>& rows) {
  const std::vector<std::size_t> second_labels = second_label_columns(table, label, options);
  const std::vector<std::size_t> requested = resolve_names(table, options.features, "--features");
  const std::vector<std::size_t> dropped = resolve_names(table, options.drop, "--drop");
  std::optional<std::size_t> group;
  if (!options.group_by.empty()) group = resolve_names(table, {options.group_by}, "--group-by")[0];
  if (std::find(requested.begin(), requested.end(), label) != requested.end())
    throw UsageError(fmt::format("--features includes '{}', which is the label column. Leave it out of --features",
                                 table.column_name(label)));

  auto excluded = [](std::size_t c, std::string reason) {
    ColumnPlan plan;
    plan.column = c;
    plan.exclude_reason = std::move(reason);
    return plan;
  };
  std::vector<ColumnPlan> plans;
  for (std::size_t c = 0; c < table.n_cols(); ++c) {
    if (c == label) continue;
    const bool is_requested = std::find(requested.begin(), requested.end(), c) != requested.end();
    if (group && *group == c) plans.push_back(excluded(c, "group column (--group-by)"));
    else if (std::find(dropped.begin(), dropped.end(), c) != dropped.end())
      plans.push_back(excluded(c, "left out with --drop"));
    else if (std::find(second_labels.begin(), second_labels.end(), c) != second_labels.end())
      plans.push_back(excluded(c, "a second label column: as a feature it gives the answer away (name it in "
                                  "--features to use it anyway)"));
    else if (!requested.empty() && !is_requested) plans.push_back(excluded(c, "not listed in --features"));
    else plans.push_back(data::classify_column(table, c, rows, is_requested));
  }
  // Features come in the order the user listed them, otherwise in file order.
  if (!requested.empty())
    std::stable_sort(plans.begin(), plans.end(), [&](const ColumnPlan& a, const ColumnPlan& b) {
      auto rank = [&](const ColumnPlan& p) {
        return static_cast<std::size_t>(std::find(requested.begin(), requested.end(), p.column) - requested.begin());
      };
      return rank(a) < rank(b);
    });
  return plans;
}

struct Missing {
  // Per feature plan, per row; empty for a plan with no missing cell, so a
  // complete table of a million rows does not hold a flag per cell.
  std::vector<std::vector<char>> by_plan;
  std::size_t cells = 0;
  std::vector<char> row_has;
};

[[noreturn]] void report_missing(const Table& table, const std::vector<std::size_t>& rows,
                                 const std::vector<const ColumnPlan*>& features, const Missing& missing) {
  const std::size_t n_rows = static_cast<std::size_t>(std::count(missing.row_has.begin(), missing.row_has.end(), 1));
  const std::size_t first_row =
      static_cast<std::size_t>(std::find(missing.row_has.begin(), missing.row_has.end(), 1) - missing.row_has.begin());
  std::size_t first_plan = 0;
  while (missing.by_plan[first_plan].empty() || !missing.by_plan[first_plan][first_row]) ++first_plan;
  const std::size_t column = features[first_plan]->column;
  const std::string_view cell = table.is_numeric(column) ? table.missing_text(rows[first_row], column)
                                                         : table.cell(rows[first_row], column);
  throw InputError(fmt::format(
      "{}: the value is missing ({}); {} cell{} in {} row{} are missing in total. Fill them in, or pass --on-missing "
      "drop to leave those rows out or --on-missing impute-median to fill them with each column's median",
      where(table.source(), table.line_of(rows[first_row]), table.column_name(column)),
      data::trim(cell).empty() ? std::string("empty cell") : fmt::format("'{}'", cell), missing.cells,
      missing.cells == 1 ? "" : "s", n_rows, n_rows == 1 ? "" : "s"));
}

double median_of(std::vector<double> values) {
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

// Numbers get the median; booleans and categories get their most frequent
// value, because a median of indicators would invent a level that does not exist.
void impute(Matrix& X, const std::vector<const ColumnPlan*>& features, const Missing& missing,
            const std::vector<Eigen::Index>& first_col, DataFindings& findings) {
  std::vector<std::string> per_column;
  for (std::size_t p = 0; p < features.size(); ++p) {
    const auto& flags = missing.by_plan[p];
    if (flags.empty()) continue;
    const auto count = static_cast<std::size_t>(std::count(flags.begin(), flags.end(), 1));
    if (count == 0) continue;
    const FeatureEncoding& enc = features[p]->encoding;
    const Eigen::Index first = first_col[p];
    const auto width = static_cast<Eigen::Index>(data::encoded_width(enc));
    std::vector<double> fill(static_cast<std::size_t>(width), 0.0);
    if (enc.kind == FeatureEncoding::Kind::Numeric) {
      std::vector<double> present;
      for (std::size_t i = 0; i < flags.size(); ++i)
        if (!flags[i]) present.push_back(X(static_cast<Eigen::Index>(i), first));
      if (present.empty())
        throw InputError(fmt::format("column '{}': every value is missing, so there is no median to impute. Drop "
                                     "the column with --drop",
                                     enc.column));
      fill[0] = median_of(std::move(present));
    } else {
      // Indicator sums count each level; a single binary indicator competes with its implicit zero level.
      std::vector<double> sums(static_cast<std::size_t>(width), 0.0);
      double present = 0;
      for (std::size_t i = 0; i < flags.size(); ++i) {
        if (flags[i]) continue;
        ++present;
        for (Eigen::Index k = 0; k < width; ++k) sums[static_cast<std::size_t>(k)] += X(static_cast<Eigen::Index>(i), first + k);
      }
      if (width == 1) {
        fill[0] = sums[0] * 2 > present ? 1.0 : 0.0;
      } else {
        fill[static_cast<std::size_t>(std::max_element(sums.begin(), sums.end()) - sums.begin())] = 1.0;
      }
    }
    for (std::size_t i = 0; i < flags.size(); ++i)
      if (flags[i])
        for (Eigen::Index k = 0; k < width; ++k) X(static_cast<Eigen::Index>(i), first + k) = fill[static_cast<std::size_t>(k)];
    per_column.push_back(fmt::format("{} {}", enc.column, count));
  }
  findings.cells_imputed = missing.cells;
  findings.rows_imputed = static_cast<std::size_t>(std::count(missing.row_has.begin(), missing.row_has.end(), 1));
  findings.notes.push_back(fmt::format("Imputed {} missing {} in {} with the column median (most frequent "
                                       "value for true/false and categorical columns): {}.",
                                       findings.cells_imputed, findings.cells_imputed == 1 ? "cell" : "cells",
                                       count_of(findings.rows_imputed, "row"), fmt::join(per_column, ", ")));
}

std::optional<std::size_t> find_id_column(const Table& table, std::size_t label) {
  static constexpr std::array<std::string_view, 4> kIds = {"track_id", "id", "uri", "track_uri"};
  for (std::string_view name : kIds)
    for (std::size_t c = 0; c < table.n_cols(); ++c)
      if (c != label && data::iequals(table.column_name(c), name)) return c;
  return std::nullopt;
}

void add_row_findings(const Table& table, std::size_t label, const std::vector<std::size_t>& rows,
                      const std::vector<ColumnPlan>& plans, const std::string& grouped_by, bool took_numeric,
                      Dataset& ds) {
  DataFindings& f = ds.findings;
  f.duplicate_rows = data::count_duplicate_rows(ds.X, ds.y);
  if (f.duplicate_rows > 0)
    f.notes.push_back(fmt::format("{} {} an earlier row's feature values and label, so copies of one track can land "
                                  "in both training and test data.",
                                  count_of(f.duplicate_rows, "row"), f.duplicate_rows == 1 ? "repeats" : "repeat"));
  const data::FeatureConflicts conflicts = data::find_feature_conflicts(ds.X, ds.y);
  f.conflicting_feature_rows = conflicts.rows;
  if (conflicts.rows > 0) {
    // Named by an identifier column when there is one (track_id, filename), else by line.
    std::optional<std::size_t> name_column = find_id_column(table, label);
    for (std::size_t c = 0; c < table.n_cols() && !name_column; ++c)
      if (c != label && !table.is_numeric(c) && data::is_identifier_name(table.column_name(c))) name_column = c;
    auto name = [&](std::size_t i) {
      const std::size_t r = rows[i];
      const std::string genre = ds.classes[static_cast<std::size_t>(ds.y[i])];
      if (name_column) return fmt::format("{} ({})", table.cell(r, *name_column), genre);
      return fmt::format("line {} ({})", table.line_of(r), genre);
    };
    std::vector<std::string> pairs;
    for (const auto& [a, b] : conflicts.examples) pairs.push_back(fmt::format("{} = {}", name(a), name(b)));
    f.notes.push_back(fmt::format("{} {} the same feature values as an earlier row of another genre, so one recording "
                                  "is filed under two genres and no model can be right both times: {}{}. Check the "
                                  "labels, or leave one of each pair out.",
                                  count_of(conflicts.rows, "row"), conflicts.rows == 1 ? "has" : "have",
                                  fmt::join(pairs, "; "), conflicts.rows > conflicts.examples.size() ? "; …" : ""));
  }
  std::optional<std::size_t> index_column;
  for (const ColumnPlan& p : plans)
    if (!p.is_feature && p.exclude_reason.find("row index") != std::string::npos) index_column = p.column;
  f.identical_records = data::count_identical_records(table, rows, index_column, took_numeric ? &ds.X : nullptr);
  if (f.identical_records > 0)
    f.notes.push_back(fmt::format("{} {} exact {} of an earlier row in every column{}.",
                                  count_of(f.identical_records, "row"), f.identical_records == 1 ? "is an" : "are",
                                  f.identical_records == 1 ? "copy" : "copies", index_column ? " except the row index" : ""));
  if (auto id = find_id_column(table, label)) {
    f.id_column = table.column_name(*id);
    const data::IdFindings ids = data::check_ids(table, *id, rows, ds.y);
    f.ids_with_several_labels = ids.ids_with_several_labels;
    f.repeated_ids = ids.repeated_ids;
    f.rows_with_repeated_id = ids.rows_with_repeated_id;
    const bool grouped_by_id = !ds.groups.empty() && grouped_by == f.id_column;
    if (ids.repeated_ids > 0)
      f.notes.push_back(fmt::format("{} {} values occur on more than one row ({} rows repeat an earlier one) and {} "
                                    "carry more than one label; {}",
                                    ids.repeated_ids, f.id_column, ids.rows_with_repeated_id,
                                    ids.ids_with_several_labels,
                                    grouped_by_id
                                        ? "splits keep each one on one side (--group-by)."
                                        : fmt::format("pass --group-by {} so a track never sits in both training "
                                                      "and test data.", f.id_column)));
  }
}

// True when the features are exactly the table's numeric columns in storage
// order, and every row is kept: then the numeric matrix is the feature matrix.
bool numeric_matrix_is_features(const Table& table, const std::vector<const ColumnPlan*>& features,
                                const std::vector<std::size_t>& rows) {
  if (!table.has_numeric_columns() || rows.size() != table.n_rows()) return false;
  const std::vector<std::size_t> numeric = table.numeric_columns();
  if (numeric.size() != features.size()) return false;
  for (std::size_t p = 0; p < features.size(); ++p)
    if (features[p]->column != numeric[p] || features[p]->encoding.kind != FeatureEncoding::Kind::Numeric) return false;
  return true;
}

Dataset build(const Table& table, const DatasetOptions& options, Table* owned) {
  Dataset ds;
  ds.source = table.source();
  DataFindings& findings = ds.findings;
  const std::size_t label = resolve_label(table, options.label);
  findings.label_column = table.column_name(label);

  std::vector<std::size_t> rows = labelled_rows(table, label, options.on_missing, findings);
  const LabelSpelling genre_of(table, label, rows, options, findings);
  rows = select_genres(table, label, genre_of, std::move(rows), options.genres, findings);
  if (rows.empty())
    throw InputError(fmt::format("{}: no labelled rows are left to learn from. Check the '{}' column",
                                 table.source(), findings.label_column));

  const std::vector<ColumnPlan> plans = plan_columns(table, label, options, rows);
  std::vector<const ColumnPlan*> features;
  std::vector<Eigen::Index> first_col;
  Eigen::Index width = 0;
  for (const ColumnPlan& p : plans) {
    if (!p.note.empty()) findings.notes.push_back(p.note);
    if (!p.is_feature) {
      if (p.exclude_reason != "not listed in --features")
        findings.excluded_columns.emplace_back(table.column_name(p.column), p.exclude_reason);
      continue;
    }
    features.push_back(&p);
    first_col.push_back(width);
    width += static_cast<Eigen::Index>(data::encoded_width(p.encoding));
    for (std::string& name : data::encoded_names(p.encoding)) ds.feature_names.push_back(std::move(name));
    ds.encodings.push_back(p.encoding);
  }
  if (features.empty())
    throw InputError(fmt::format("{}: no usable feature columns are left (the columns are: {}). Name them with "
                                 "--features",
                                 table.source(), list_columns(table)));

  const bool take_numeric = owned != nullptr && numeric_matrix_is_features(table, features, rows);
  Matrix X;
  if (take_numeric) X = owned->take_numeric_matrix();
  else X.resize(static_cast<Eigen::Index>(rows.size()), width);
  Missing missing;
  missing.row_has.assign(rows.size(), 0);
  for (std::size_t p = 0; p < features.size(); ++p) {
    auto& flags = missing.by_plan.emplace_back(rows.size(), 0);
    if (take_numeric) {
      // Already in place; missing cells are the NaNs.
      const double* column = X.data() + static_cast<std::size_t>(X.rows()) * p;
      for (std::size_t i = 0; i < rows.size(); ++i) flags[i] = std::isnan(column[i]) ? 1 : 0;
    } else {
      data::encode_column(table, features[p]->column, features[p]->encoding, rows, X, first_col[p], &flags);
    }
    bool any = false;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (flags[i]) {
        ++missing.cells;
        missing.row_has[i] = 1;
        any = true;
      }
    if (!any) std::vector<char>().swap(flags);
  }

  if (missing.cells > 0) {
    if (options.on_missing == MissingPolicy::Error) report_missing(table, rows, features, missing);
    if (options.on_missing == MissingPolicy::Drop) {
      std::vector<int> keep;
      std::vector<std::size_t> kept_rows;
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (!missing.row_has[i]) {
          keep.push_back(static_cast<int>(i));
          kept_rows.push_back(rows[i]);
        }
      const std::size_t dropped = rows.size() - kept_rows.size();
      findings.rows_dropped += dropped;
      findings.notes.push_back(fmt::format("Left out {} with missing or non-finite feature values "
                                           "(--on-missing drop).",
                                           count_of(dropped, "row")));
      if (kept_rows.empty())
        throw InputError(fmt::format("{}: every row has a missing feature value, so --on-missing drop leaves "
                                     "nothing. Use --on-missing impute-median or --drop the emptiest columns",
                                     table.source()));
      X = take_rows(X, keep);
      rows = std::move(kept_rows);
    } else {
      impute(X, features, missing, first_col, findings);
    }
  }

  // Looked up by view: a million rows need no million label strings.
  std::map<std::string, int, std::less<>> codes;
  for (std::size_t r : rows) {
    const std::string_view name = genre_of(r);
    if (codes.find(name) == codes.end()) codes.emplace(std::string(name), 0);
  }
  for (auto& [name, code] : codes) {
    code = static_cast<int>(ds.classes.size());
    ds.classes.push_back(name);
  }
  ds.y.reserve(rows.size());
  ds.lines.reserve(rows.size());
  for (std::size_t r : rows) {
    ds.y.push_back(codes.find(genre_of(r))->second);
    ds.lines.push_back(table.line_of(r));
  }
  if (!options.group_by.empty()) {
    const std::size_t g = *table.find_column(options.group_by);
    ds.groups.reserve(rows.size());
    for (std::size_t r : rows) ds.groups.emplace_back(table.cell(r, g));
  }
  ds.X = std::move(X);
  add_row_findings(table, label, rows, plans, options.group_by, take_numeric, ds);
  return ds;
}

}  // namespace

Dataset build_dataset(const Table& table, const DatasetOptions& options) { return build(table, options, nullptr); }

Dataset build_dataset(Table&& table, const DatasetOptions& options) { return build(table, options, &table); }

CsvOptions dataset_csv_options(const DatasetOptions& options) {
  CsvOptions csv;
  csv.keep_text = [options](const std::vector<std::string>& header) {
    std::vector<char> text(header.size(), 0);
    // The label as resolve_label finds it; a wrong --label fails later with its own message.
    std::optional<std::size_t> label;
    auto find = [&](std::string_view name) -> std::optional<std::size_t> {
      for (std::size_t c = 0; c < header.size(); ++c)
        if (header[c] == name) return c;
      return std::nullopt;
    };
    if (!options.label.empty()) {
      label = find(options.label);
    } else {
      static constexpr std::array<std::string_view, 4> kLabels = {"Genre", "genre", "track_genre", "label"};
      for (std::string_view name : kLabels)
        if (!label) label = find(name);
      for (std::string_view name : kLabels)
        for (std::size_t c = 0; c < header.size() && !label; ++c)
          if (data::iequals(header[c], name)) label = c;
    }
    if (label) text[*label] = 1;
    if (auto g = find(options.group_by); g && !options.group_by.empty()) text[*g] = 1;
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string& name = header[c];
      // Identifiers and row indexes are compared as text (duplicate ids, the
      // index left out of identical records); categories print their cells in messages.
      if ((c == 0 && name == "Unnamed: 0") || data::is_index_name(name) || data::is_identifier_name(name)) text[c] = 1;
      const data::Vocabulary vocabulary = data::vocabulary_for(name);
      if (vocabulary != data::Vocabulary::Plain && data::existing_expansion(header, c, vocabulary).empty()) text[c] = 1;
    }
    return text;
  };
  return csv;
}

}  // namespace genrelab
