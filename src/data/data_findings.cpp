#include "data/data_findings.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace genrelab::data {
namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h;
}

std::uint64_t bits_of(double v) {
  v += 0.0;  // -0.0 and 0.0 are the same value
  std::uint64_t out;
  std::memcpy(&out, &v, sizeof out);
  return out;
}

// Counts indices whose key equals that of an earlier index; `hash` and `equal`
// see row indices so no row is ever copied. An open-addressing table of row
// numbers (with their hashes, so `equal` runs only on likely matches): a
// million rows take one allocation instead of a million nodes.
template <typename Hash, typename Equal>
std::size_t count_repeats(std::size_t n, Hash hash, Equal equal) {
  std::size_t capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  struct Slot {
    std::uint64_t hash;
    std::size_t row;  // row + 1; 0 is empty
  };
  std::vector<Slot> slots(capacity, Slot{0, 0});
  const std::size_t mask = capacity - 1;
  std::size_t repeats = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t h = hash(i);
    for (std::size_t s = (h ^ (h >> 31)) & mask;; s = (s + 1) & mask) {
      Slot& slot = slots[s];
      if (slot.row == 0) {
        slot = Slot{h, i + 1};
        break;
      }
      if (slot.hash == h && equal(slot.row - 1, i)) {
        ++repeats;
        break;
      }
    }
  }
  return repeats;
}

}  // namespace

std::size_t count_duplicate_rows(const Matrix& X, const Labels& y) {
  const auto n = static_cast<std::size_t>(X.rows());
  std::vector<std::uint64_t> hashes(n);
  for (std::size_t i = 0; i < n; ++i) hashes[i] = static_cast<std::uint64_t>(y[i]);
  // Blocks of rows over the cores; within a block, column by column, which
  // is how the matrix lies in memory.
  constexpr std::size_t kBlock = 4096;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (blocks > 4)
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t lo = b * kBlock, hi = std::min(n, lo + kBlock);
    for (Eigen::Index c = 0; c < X.cols(); ++c)
      for (std::size_t i = lo; i < hi; ++i) hashes[i] = mix(hashes[i], bits_of(X(static_cast<Eigen::Index>(i), c)));
  }
  auto hash = [&](std::size_t i) { return hashes[i]; };
  auto equal = [&](std::size_t a, std::size_t b) {
    if (y[a] != y[b]) return false;
    for (Eigen::Index c = 0; c < X.cols(); ++c)
      if (bits_of(X(static_cast<Eigen::Index>(a), c)) != bits_of(X(static_cast<Eigen::Index>(b), c))) return false;
    return true;
  };
  return count_repeats(n, hash, equal);
}

FeatureConflicts find_feature_conflicts(const Matrix& X, const Labels& y, std::size_t max_examples) {
  const auto n = static_cast<std::size_t>(X.rows());
  FeatureConflicts out;
  if (n == 0 || X.cols() == 0) return out;
  std::vector<std::uint64_t> hashes(n, 0x51ED270B27ULL);
  for (Eigen::Index c = 0; c < X.cols(); ++c)
    for (std::size_t i = 0; i < n; ++i) hashes[i] = mix(hashes[i], bits_of(X(static_cast<Eigen::Index>(i), c)));
  auto same_features = [&](std::size_t a, std::size_t b) {
    for (Eigen::Index c = 0; c < X.cols(); ++c)
      if (bits_of(X(static_cast<Eigen::Index>(a), c)) != bits_of(X(static_cast<Eigen::Index>(b), c))) return false;
    return true;
  };
  // count_repeats finds each row's first equal; a repeat with another label is a conflict.
  count_repeats(n, [&](std::size_t i) { return hashes[i]; }, [&](std::size_t first, std::size_t later) {
    if (!same_features(first, later)) return false;
    if (y[first] != y[later]) {
      ++out.rows;
      if (out.examples.size() < max_examples) out.examples.emplace_back(first, later);
    }
    return true;
  });
  return out;
}

std::size_t count_identical_records(const Table& table, const std::vector<std::size_t>& rows,
                                    std::optional<std::size_t> skip, const Matrix* taken) {
  const std::size_t n = rows.size();
  std::vector<std::uint64_t> hashes(n, 0);
  const std::hash<std::string_view> text_hash;
  std::vector<std::size_t> text_columns;
  for (std::size_t c = 0; c < table.n_cols(); ++c)
    if (!(skip && *skip == c) && !table.is_numeric(c)) text_columns.push_back(c);
  // Numeric columns have no text left, but the reader kept a hash of it per
  // row: records equal in value and in that hash are equal as text, so "1.0"
  // and "1" still make different records, as they do in text columns. (The
  // row index, the only column skipped, is always kept as text.)
  const std::vector<std::size_t> numeric_columns = table.numeric_columns();
  if (skip && table.is_numeric(*skip)) throw std::logic_error("count_identical_records: the skipped column is numeric");
  for (std::size_t c : text_columns)
    for (std::size_t i = 0; i < n; ++i) hashes[i] = mix(hashes[i], text_hash(table.cell(rows[i], c)));
  if (!numeric_columns.empty())
    for (std::size_t i = 0; i < n; ++i) hashes[i] = mix(hashes[i], table.numeric_text_hash(rows[i]));
  auto hash = [&](std::size_t i) { return hashes[i]; };
  auto equal = [&](std::size_t a, std::size_t b) {
    for (std::size_t c : text_columns)
      if (table.cell(rows[a], c) != table.cell(rows[b], c)) return false;
    if (numeric_columns.empty()) return true;
    if (table.numeric_text_hash(rows[a]) != table.numeric_text_hash(rows[b])) return false;
    for (std::size_t s = 0; s < numeric_columns.size(); ++s) {
      const auto si = static_cast<Eigen::Index>(s);
      const double x = taken ? (*taken)(static_cast<Eigen::Index>(a), si) : table.number(rows[a], numeric_columns[s]);
      const double y = taken ? (*taken)(static_cast<Eigen::Index>(b), si) : table.number(rows[b], numeric_columns[s]);
      if (std::memcmp(&x, &y, sizeof x) != 0) return false;
    }
    return true;
  };
  return count_repeats(n, hash, equal);
}

IdFindings check_ids(const Table& table, std::size_t id_column, const std::vector<std::size_t>& rows,
                     const Labels& y) {
  struct Seen {
    int label;
    std::size_t count;
    bool several_labels;
  };
  std::unordered_map<std::string_view, Seen> ids;
  ids.reserve(rows.size());
  IdFindings out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string_view id = table.cell(rows[i], id_column);
    if (id.empty()) continue;
    auto [it, inserted] = ids.try_emplace(id, Seen{y[i], 1, false});
    if (inserted) continue;
    Seen& seen = it->second;
    ++out.rows_with_repeated_id;
    if (++seen.count == 2) ++out.repeated_ids;
    if (!seen.several_labels && seen.label != y[i]) {
      seen.several_labels = true;
      ++out.ids_with_several_labels;
    }
  }
  return out;
}

}  // namespace genrelab::data
