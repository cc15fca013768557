#include "data/data_findings.h"

#include <cstring>
#include <functional>
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
// see row indices so no row is ever copied.
template <typename Hash, typename Equal>
std::size_t count_repeats(std::size_t n, Hash hash, Equal equal) {
  std::unordered_set<std::size_t, Hash, Equal> seen(n * 2, hash, equal);
  std::size_t repeats = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!seen.insert(i).second) ++repeats;
  return repeats;
}

}  // namespace

std::size_t count_duplicate_rows(const Matrix& X, const Labels& y) {
  const auto n = static_cast<std::size_t>(X.rows());
  std::vector<std::uint64_t> hashes(n);
  for (std::size_t i = 0; i < n; ++i) hashes[i] = static_cast<std::uint64_t>(y[i]);
  for (Eigen::Index c = 0; c < X.cols(); ++c)
    for (std::size_t i = 0; i < n; ++i) hashes[i] = mix(hashes[i], bits_of(X(static_cast<Eigen::Index>(i), c)));
  auto hash = [&](std::size_t i) { return static_cast<std::size_t>(hashes[i]); };
  auto equal = [&](std::size_t a, std::size_t b) {
    if (y[a] != y[b]) return false;
    for (Eigen::Index c = 0; c < X.cols(); ++c)
      if (bits_of(X(static_cast<Eigen::Index>(a), c)) != bits_of(X(static_cast<Eigen::Index>(b), c))) return false;
    return true;
  };
  return count_repeats(n, hash, equal);
}

std::size_t count_identical_records(const Table& table, const std::vector<std::size_t>& rows,
                                    std::optional<std::size_t> skip) {
  const std::size_t n = rows.size();
  std::vector<std::uint64_t> hashes(n, 0);
  const std::hash<std::string_view> text_hash;
  for (std::size_t c = 0; c < table.n_cols(); ++c) {
    if (skip && *skip == c) continue;
    for (std::size_t i = 0; i < n; ++i) hashes[i] = mix(hashes[i], text_hash(table.cell(rows[i], c)));
  }
  auto hash = [&](std::size_t i) { return static_cast<std::size_t>(hashes[i]); };
  auto equal = [&](std::size_t a, std::size_t b) {
    for (std::size_t c = 0; c < table.n_cols(); ++c) {
      if (skip && *skip == c) continue;
      if (table.cell(rows[a], c) != table.cell(rows[b], c)) return false;
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
