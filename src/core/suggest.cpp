#include "genrelab/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace genrelab {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: the swap looks two rows back.
  const std::size_t m = b.size();
  std::vector<std::size_t> two_back(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], two_back[j - 2] + 1);
    }
    std::swap(two_back, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::vector<std::string> closest_names(std::string_view typed, const std::vector<std::string>& candidates,
                                       std::size_t limit) {
  const std::string t = lower(typed);
  std::size_t best = static_cast<std::size_t>(-1);
  std::vector<std::string> out;
  for (const std::string& c : candidates) {
    if (c == typed) continue;
    const std::string l = lower(c);
    const std::size_t longer = std::max(t.size(), l.size());
    const std::size_t allowed = longer <= 4 ? 1 : longer / 3;
    // Cheap bound first: the length difference alone is that many edits.
    const std::size_t gap = t.size() > l.size() ? t.size() - l.size() : l.size() - t.size();
    if (gap > allowed) continue;
    const std::size_t d = edit_distance(t, l);
    if (d > allowed || d > best) continue;
    if (d < best) {
      best = d;
      out.clear();
    }
    if (std::find(out.begin(), out.end(), c) == out.end() && out.size() < limit) out.push_back(c);
  }
  return out;
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates) {
  const std::vector<std::string> near = closest_names(typed, candidates);
  if (near.empty()) return "";
  std::vector<std::string> quoted;
  for (const std::string& n : near) quoted.push_back(fmt::format("'{}'", n));
  if (quoted.size() == 1) return fmt::format(" Did you mean {}?", quoted[0]);
  const std::string last = quoted.back();
  quoted.pop_back();
  return fmt::format(" Did you mean {} or {}?", fmt::join(quoted, ", "), last);
}

}  // namespace genrelab
