#include "genrelab/feature_encoding.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "genrelab/error.h"

namespace genrelab::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kMissingFix = "Fill it in, or pass --on-missing drop or --on-missing impute-median";

[[noreturn]] void not_a_number(const Table& table, std::size_t row, std::size_t column, std::string_view cell) {
  std::string hint;
  std::string dotted(trim(cell));
  std::replace(dotted.begin(), dotted.end(), ',', '.');
  if (parse_number(dotted)) hint = " (it looks like a decimal comma; use '.' as the decimal separator)";
  throw InputError(fmt::format("{}: '{}' is not a number{}. Correct the cell, or empty it and pass --on-missing "
                               "drop or --on-missing impute-median",
                               where(table.source(), table.line_of(row), table.column_name(column)), cell, hint));
}

[[noreturn]] void missing_here(const Table& table, std::size_t row, std::size_t column, std::string_view cell) {
  throw InputError(fmt::format("{}: the value is missing ({}). {}",
                               where(table.source(), table.line_of(row), table.column_name(column)),
                               trim(cell).empty() ? std::string("empty cell") : fmt::format("'{}'", cell),
                               kMissingFix));
}

}  // namespace

std::size_t encoded_width(const FeatureEncoding& encoding) {
  if (encoding.kind != FeatureEncoding::Kind::OneHot) return 1;
  return encoding.levels.size() == 2 ? 1 : encoding.levels.size();
}

std::vector<std::string> encoded_names(const FeatureEncoding& encoding) {
  if (encoding.kind != FeatureEncoding::Kind::OneHot) return {encoding.column};
  if (encoding.levels.size() == 2) return {encoding.column + "=" + encoding.levels[1]};
  std::vector<std::string> names;
  for (const std::string& level : encoding.levels) names.push_back(encoding.column + "=" + level);
  return names;
}

void encode_column(const Table& table, std::size_t column, const FeatureEncoding& encoding,
                   const std::vector<std::size_t>& rows, Matrix& X, Eigen::Index first,
                   std::vector<char>* missing, std::map<std::string, std::size_t>* unknown) {
  const Vocabulary vocabulary = vocabulary_for(encoding.column);
  const auto width = static_cast<Eigen::Index>(encoded_width(encoding));
  if (table.is_numeric(column)) {
    // Stored as numbers by the reader: every cell is a number or a missing
    // marker (NaN here), so there is nothing left to parse or to reject.
    if (encoding.kind != FeatureEncoding::Kind::Numeric)
      throw std::logic_error("encode_column: numeric column '" + table.column_name(column) + "' is not a plain number");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const double v = table.number(rows[i], column);
      if (std::isnan(v)) {
        if (missing == nullptr) missing_here(table, rows[i], column, table.missing_text(rows[i], column));
        (*missing)[i] = 1;
      }
      X(static_cast<Eigen::Index>(i), first) = v;
    }
    return;
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t r = rows[i];
    const auto row = static_cast<Eigen::Index>(i);
    const std::string_view cell = table.cell(r, column);
    bool absent = is_missing(cell);
    if (!absent) {
      switch (encoding.kind) {
        case FeatureEncoding::Kind::Numeric: {
          auto v = parse_number(cell);
          if (!v) not_a_number(table, r, column, cell);
          X(row, first) = *v;
          break;
        }
        case FeatureEncoding::Kind::Boolean: {
          auto b = parse_bool(cell);
          if (!b) {
            auto v = parse_number(cell);
            if (!v || (*v != 0 && *v != 1))
              throw InputError(fmt::format("{}: '{}' is not True or False. Correct the cell",
                                           where(table.source(), table.line_of(r), table.column_name(column)),
                                           cell));
            b = *v == 1;
          }
          X(row, first) = *b ? 1.0 : 0.0;
          break;
        }
        case FeatureEncoding::Kind::OneHot: {
          auto level = canonical_level(vocabulary, cell);
          if (!level && vocabulary == Vocabulary::Key && parse_number(cell) == -1.0) {
            absent = true;  // Spotify writes -1 when it detected no key
            break;
          }
          const auto& levels = encoding.levels;
          const auto it = level ? std::find(levels.begin(), levels.end(), *level) : levels.end();
          if (it == levels.end() && unknown != nullptr && (levels.size() > 2 || missing != nullptr)) {
            ++(*unknown)[fmt::format("{}={}", table.column_name(column), cell)];
            if (levels.size() == 2) {
              absent = true;
            } else {
              for (Eigen::Index k = 0; k < width; ++k) X(row, first + k) = 0.0;
            }
            break;
          }
          if (it == levels.end() && unknown != nullptr)
            throw InputError(fmt::format("{}: '{}' is not one of the levels the model knows ({}). The column has two "
                                         "levels and so one indicator, which cannot say 'neither': add --on-missing "
                                         "drop or impute-median to treat it as missing, or retrain with this level",
                                         where(table.source(), table.line_of(r), table.column_name(column)), cell,
                                         fmt::join(levels, ", ")));
          if (it == levels.end())
            throw InputError(fmt::format("{}: '{}' is not one of the levels the model knows ({}). Use one of "
                                         "those, or retrain with data that has this level",
                                         where(table.source(), table.line_of(r), table.column_name(column)), cell,
                                         fmt::join(levels, ", ")));
          const auto index = static_cast<Eigen::Index>(it - levels.begin());
          if (levels.size() == 2) {
            X(row, first) = index == 1 ? 1.0 : 0.0;
          } else {
            for (Eigen::Index k = 0; k < width; ++k) X(row, first + k) = k == index ? 1.0 : 0.0;
          }
          break;
        }
      }
    }
    if (absent) {
      if (missing == nullptr) missing_here(table, r, column, cell);
      (*missing)[i] = 1;
      for (Eigen::Index k = 0; k < width; ++k) X(row, first + k) = kNaN;
    }
  }
}

}  // namespace genrelab::data

namespace genrelab {

Matrix encode_features(const Table& table, const std::vector<FeatureEncoding>& encodings) {
  return encode_features(table, encodings, MissingPolicy::Error).X;
}

EncodedFeatures encode_features(const Table& table, const std::vector<FeatureEncoding>& encodings,
                                MissingPolicy policy, UnknownLevelPolicy unknown) {
  std::vector<std::size_t> columns;
  std::size_t width = 0;
  for (const FeatureEncoding& encoding : encodings) {
    auto column = table.find_column(encoding.column);
    if (!column)
      throw InputError(fmt::format("{}: the column '{}' the model was trained on is missing (the file has: {}). "
                                   "Add it, or retrain without it",
                                   table.source(), encoding.column, fmt::join(table.header(), ", ")));
    columns.push_back(*column);
    width += data::encoded_width(encoding);
  }
  std::vector<std::size_t> rows(table.n_rows());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  EncodedFeatures out;
  Matrix& X = out.X;
  X.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(width));
  const bool tolerate = policy != MissingPolicy::Error;
  std::vector<std::vector<char>> missing(encodings.size());
  std::vector<char> row_missing(rows.size(), 0);
  Eigen::Index first = 0;
  std::vector<Eigen::Index> firsts;
  std::map<std::string, std::size_t> unseen;  // "column=level" -> cells
  for (std::size_t i = 0; i < encodings.size(); ++i) {
    if (tolerate) missing[i].assign(rows.size(), 0);
    data::encode_column(table, columns[i], encodings[i], rows, X, first, tolerate ? &missing[i] : nullptr,
                        unknown == UnknownLevelPolicy::Ignore ? &unseen : nullptr);
    for (std::size_t r = 0; r < missing[i].size(); ++r) {
      row_missing[r] |= missing[i][r];
      out.cells_imputed += static_cast<std::size_t>(missing[i][r]);
    }
    firsts.push_back(first);
    first += static_cast<Eigen::Index>(data::encoded_width(encodings[i]));
  }
  if (!unseen.empty()) {
    std::vector<std::string> parts;
    for (const auto& [level, cells] : unseen) {
      out.unknown_cells += cells;
      parts.push_back(fmt::format("{} ({})", level, cells));
    }
    out.unknown_note = fmt::format("{} cell{} held category levels the model never saw: {}. They were encoded as no "
                                   "known level (--on-unknown ignore); a two-level column treats them as missing.",
                                   out.unknown_cells, out.unknown_cells == 1 ? "" : "s", fmt::join(parts, ", "));
  }
  const std::size_t incomplete = static_cast<std::size_t>(std::count(row_missing.begin(), row_missing.end(), 1));
  if (incomplete == 0) {
    out.cells_imputed = 0;
    out.rows = std::move(rows);
    return out;
  }
  if (policy == MissingPolicy::Drop) {
    std::vector<int> keep;
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (!row_missing[r]) {
        keep.push_back(static_cast<int>(r));
        out.rows.push_back(rows[r]);
      }
    out.X = take_rows(X, keep);
    out.rows_dropped = incomplete;
    out.cells_imputed = 0;
    out.note = fmt::format("Left out {} row{} with missing feature values (--on-missing drop); they get no prediction.",
                           incomplete, incomplete == 1 ? "" : "s");
    return out;
  }
  // Numbers get the median of the other rows; categories and booleans their
  // most frequent level, as when a data set is imputed (dataset_builder.cpp).
  std::vector<std::string> per_column;
  for (std::size_t i = 0; i < encodings.size(); ++i) {
    const auto n_missing = static_cast<std::size_t>(std::count(missing[i].begin(), missing[i].end(), 1));
    if (n_missing == 0) continue;
    const auto w = static_cast<Eigen::Index>(data::encoded_width(encodings[i]));
    std::vector<double> fill(static_cast<std::size_t>(w), 0.0);
    std::vector<double> present;
    std::vector<double> sums(static_cast<std::size_t>(w), 0.0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (missing[i][r]) continue;
      const auto row = static_cast<Eigen::Index>(r);
      present.push_back(X(row, firsts[i]));
      for (Eigen::Index k = 0; k < w; ++k) sums[static_cast<std::size_t>(k)] += X(row, firsts[i] + k);
    }
    if (present.empty())
      throw InputError(fmt::format("{}: every value of '{}' is missing, so there is nothing to impute from. Fill "
                                   "the column in",
                                   table.source(), encodings[i].column));
    if (encodings[i].kind == FeatureEncoding::Kind::Numeric) {
      const std::size_t mid = present.size() / 2;
      std::nth_element(present.begin(), present.begin() + static_cast<std::ptrdiff_t>(mid), present.end());
      double median = present[mid];
      if (present.size() % 2 == 0)
        median = (median + *std::max_element(present.begin(), present.begin() + static_cast<std::ptrdiff_t>(mid))) / 2;
      fill[0] = median;
    } else if (w == 1) {
      fill[0] = sums[0] * 2 > static_cast<double>(present.size()) ? 1.0 : 0.0;
    } else {
      fill[static_cast<std::size_t>(std::max_element(sums.begin(), sums.end()) - sums.begin())] = 1.0;
    }
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (missing[i][r])
        for (Eigen::Index k = 0; k < w; ++k) X(static_cast<Eigen::Index>(r), firsts[i] + k) = fill[static_cast<std::size_t>(k)];
    per_column.push_back(fmt::format("{} {}", encodings[i].column, n_missing));
  }
  out.rows_imputed = incomplete;
  out.rows = std::move(rows);
  out.note = fmt::format("Imputed {} missing cell{} in {} row{} from the other tracks in the file (median; most "
                         "frequent value for true/false and categorical columns): {}.",
                         out.cells_imputed, out.cells_imputed == 1 ? "" : "s", incomplete, incomplete == 1 ? "" : "s",
                         fmt::join(per_column, ", "));
  return out;
}

}  // namespace genrelab
