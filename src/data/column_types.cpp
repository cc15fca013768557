#include "data/column_types.h"

#include <algorithm>
#include <cmath>
#include <array>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "genrelab/error.h"

namespace genrelab::data {
namespace {

// Audio features that are always numbers; junk in them is an error, never a
// reason to treat the column as text.
bool is_known_numeric_name(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kNames = {
      "acousticness", "danceability", "energy", "instrumentalness", "liveness",   "loudness",   "speechiness",
      "valence",      "tempo",        "popularity", "duration_ms", "duration", "length", "bpm"};
  const std::string l = lower(trim(name));
  return std::find(kNames.begin(), kNames.end(), l) != kNames.end();
}

bool is_integer_run(const Table& table, std::size_t column, const std::vector<std::size_t>& rows) {
  std::unordered_set<long long> seen;
  const bool numeric = table.is_numeric(column);
  for (std::size_t r : rows) {
    std::optional<double> v;
    if (!numeric) v = parse_number(table.cell(r, column));
    else if (const double x = table.number(r, column); !std::isnan(x)) v = x;
    // Range first: casting a double beyond long long is undefined (found by fuzz/csv_fuzz).
    if (!v || !(std::abs(*v) < 9.0e15) || *v != std::trunc(*v)) return false;
    if (!seen.insert(static_cast<long long>(*v)).second) return false;
  }
  return true;
}

}  // namespace

// True when other columns of the table are already the one-hot expansion of
// this vocabulary (the seed file carries "A", "A#/Bb", ... next to "key").
std::vector<std::string> existing_expansion(const std::vector<std::string>& header, std::size_t column,
                                            Vocabulary vocabulary) {
  const std::string base = lower(header[column]);
  std::vector<std::string> matched;
  std::set<std::string> levels;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c == column) continue;
    std::string_view name = trim(header[c]);
    const std::string l = lower(name);
    bool prefixed = false;
    if (l.size() > base.size() + 1 && l.compare(0, base.size(), base) == 0 &&
        (l[base.size()] == '=' || l[base.size()] == '_')) {
      name.remove_prefix(base.size() + 1);
      prefixed = true;
    }
    // Bare numbers would read as keys 0-11 or as Minor/Major; only names count there.
    if (!prefixed && vocabulary != Vocabulary::TimeSignature && parse_number(name)) continue;
    if (auto level = canonical_level(vocabulary, name)) {
      matched.emplace_back(header[c]);
      levels.insert(*level);
    }
  }
  if (levels.size() < 2) matched.clear();
  return matched;
}

bool is_identifier_name(std::string_view name) {
  // album, playlist_id and isrc (genrelab fetch's columns) name where a row
  // came from: a playlist is one genre, so as a feature it gives the label away.
  static constexpr std::array<std::string_view, 19> kNames = {
      "track_id", "id",          "uri",        "track_uri",  "track_href", "analysis_url", "type",
      "artists",  "artist",      "artist_name", "album_name", "track_name", "filename",     "file",
      "name",     "title",       "album",      "playlist_id", "isrc"};
  const std::string l = lower(trim(name));
  return std::find(kNames.begin(), kNames.end(), l) != kNames.end();
}

bool is_index_name(std::string_view name) {
  const std::string l = lower(trim(name));
  return l == "index" || l.rfind("unnamed: ", 0) == 0;
}

namespace {

ColumnPlan excluded(std::size_t column, std::string reason) {
  ColumnPlan plan;
  plan.column = column;
  plan.exclude_reason = std::move(reason);
  return plan;
}

ColumnPlan feature(std::size_t column, const std::string& name, FeatureEncoding::Kind kind) {
  ColumnPlan plan;
  plan.column = column;
  plan.is_feature = true;
  plan.encoding.column = name;
  plan.encoding.kind = kind;
  return plan;
}

ColumnPlan categorical(const Table& table, std::size_t column, const std::vector<std::size_t>& rows,
                       Vocabulary vocabulary) {
  const std::string& name = table.column_name(column);
  std::set<std::string> present;
  for (std::size_t r : rows) {
    const std::string_view cell = table.cell(r, column);
    if (is_missing(cell)) continue;
    auto level = canonical_level(vocabulary, cell);
    if (!level) {
      if (vocabulary == Vocabulary::Key && parse_number(cell) == -1.0) continue;  // Spotify: no key detected
      const char* expected = vocabulary == Vocabulary::Key    ? "a pitch class 0-11 or a note name such as C, C#, Db or C#/Db"
                             : vocabulary == Vocabulary::Mode ? "0/1 or Minor/Major"
                                                              : "a number of beats such as 4 or a meter such as 4/4";
      throw InputError(fmt::format("{}: '{}' is not a valid {}. Use {}", where(table.source(), table.line_of(r), name),
                                   cell, name, expected));
    }
    present.insert(*level);
  }
  ColumnPlan plan = feature(column, name, FeatureEncoding::Kind::OneHot);
  plan.vocabulary = vocabulary;
  if (vocabulary == Vocabulary::Key) {
    plan.encoding.levels = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  } else if (vocabulary == Vocabulary::Mode) {
    plan.encoding.levels = {"Minor", "Major"};
  } else {
    plan.encoding.levels.assign(present.begin(), present.end());
    if (vocabulary == Vocabulary::TimeSignature)
      std::sort(plan.encoding.levels.begin(), plan.encoding.levels.end(), [](const auto& a, const auto& b) {
        return level_rank(Vocabulary::TimeSignature, a) < level_rank(Vocabulary::TimeSignature, b);
      });
  }
  if (plan.encoding.levels.empty()) return excluded(column, "every cell is empty or missing");
  return plan;
}

}  // namespace

ColumnPlan classify_column(const Table& table, std::size_t column, const std::vector<std::size_t>& rows,
                           bool requested) {
  const std::string& name = table.column_name(column);
  if (!requested) {
    if (column == 0 && name == "Unnamed: 0")
      return excluded(column, "unnamed leading column: the row index pandas writes; in a file sorted by genre it "
                              "would give the label away");
    if (is_index_name(name) && is_integer_run(table, column, rows))
      return excluded(column, "row index (distinct whole numbers); in a file sorted by genre it would give the "
                              "label away");
    if (is_identifier_name(name)) return excluded(column, "identifier or free text (by its name), not a measurement");
  }

  const Vocabulary vocabulary = vocabulary_for(name);
  if (vocabulary != Vocabulary::Plain) {
    const std::vector<std::string> expansion = existing_expansion(table.header(), column, vocabulary);
    if (expansion.empty()) return categorical(table, column, rows, vocabulary);
    ColumnPlan plan = feature(column, name, FeatureEncoding::Kind::Numeric);
    plan.note = fmt::format("Column '{}' is kept as a plain number and not one-hot encoded again, because the table "
                            "already has its indicator columns ({}).",
                            name, fmt::join(expansion, ", "));
    return plan;
  }

  if (table.is_numeric(column)) {
    // The reader stored it as numbers because every cell is a number or
    // missing: the text rules below would find numbers == present.
    std::size_t present = 0;
    for (std::size_t r : rows) present += !std::isnan(table.number(r, column));
    if (present == 0) return excluded(column, "every cell is empty or missing");
    return feature(column, name, FeatureEncoding::Kind::Numeric);
  }

  std::size_t present = 0, numbers = 0, booleans = 0;
  std::unordered_set<std::string_view> distinct;
  for (std::size_t r : rows) {
    const std::string_view cell = table.cell(r, column);
    if (is_missing(cell)) continue;
    ++present;
    if (parse_number(cell)) ++numbers;
    else if (parse_bool(cell)) ++booleans;
    else if (distinct.size() <= 1000) distinct.insert(trim(cell));
  }
  if (present == 0) return excluded(column, "every cell is empty or missing");
  if (booleans * 2 > present) return feature(column, name, FeatureEncoding::Kind::Boolean);
  if (is_known_numeric_name(name) || numbers * 2 > present) return feature(column, name, FeatureEncoding::Kind::Numeric);

  // Text: a handful of repeated values is a category, many is an identifier or free text.
  for (std::size_t r : rows) {
    if (distinct.size() > 1000) break;
    const std::string_view cell = table.cell(r, column);
    if (!is_missing(cell)) distinct.insert(trim(cell));
  }
  const std::size_t n_distinct = distinct.size();
  if (n_distinct <= 50 && n_distinct <= std::max<std::size_t>(2, present / 2))
    return categorical(table, column, rows, Vocabulary::Plain);
  if (requested)
    throw InputError(fmt::format("{}: the column holds text with {}{} different values, so it is an identifier or "
                                 "free text and cannot be a feature. Leave it out of --features",
                                 where(table.source(), 0, name), n_distinct > 1000 ? "over " : "",
                                 std::min<std::size_t>(n_distinct, 1000)));
  return excluded(column, fmt::format("text with {}{} different values: an identifier or free text, not a feature",
                                      n_distinct > 1000 ? "over " : "", std::min<std::size_t>(n_distinct, 1000)));
}

}  // namespace genrelab::data
