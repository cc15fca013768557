#include "genrelab/abbreviate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace genrelab {
namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The first at most `n` bytes of s, ending on a character boundary.
std::string head(const std::string& s, std::size_t n) {
  if (n >= s.size()) return s;
  while (n > 0 && continuation(s[n])) --n;
  return s.substr(0, n);
}

// The last at most `n` bytes of s, starting on a character boundary.
std::string tail(const std::string& s, std::size_t n) {
  if (n >= s.size()) return s;
  std::size_t from = s.size() - n;
  while (from < s.size() && continuation(s[from])) ++from;
  return s.substr(from);
}

}  // namespace

std::vector<std::string> unique_abbreviations(const std::vector<std::string>& names, std::size_t width,
                                              const std::string& mark) {
  width = std::max<std::size_t>(width, 3);
  std::vector<std::string> out;
  std::vector<bool> cut;
  for (const std::string& n : names) {
    cut.push_back(n.size() > width);
    out.push_back(n.size() > width ? head(n, width - mark.size()) + mark : n);
  }
  // Clashing cuts, grouped by what they would print.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (cut[i]) groups[out[i]].push_back(i);
  for (const auto& [shown, members] : groups) {
    const bool alone = members.size() == 1 &&
                       std::count(out.begin(), out.end(), shown) == 1;
    if (alone) continue;
    std::set<std::string> others;  // every other printed name, which the new ones must avoid
    for (std::size_t i = 0; i < out.size(); ++i)
      if (std::find(members.begin(), members.end(), i) == members.end()) others.insert(out[i]);
    bool done = false;
    for (std::size_t t = 1; !mark.empty() && t + mark.size() + 1 <= width && !done; ++t) {
      std::set<std::string> forms;
      for (std::size_t i : members) forms.insert(head(names[i], width - mark.size() - t) + mark + tail(names[i], t));
      bool clash = forms.size() != members.size();
      for (const auto& f : forms) clash = clash || others.count(f) > 0;
      if (clash) continue;
      for (std::size_t i : members) out[i] = head(names[i], width - mark.size() - t) + mark + tail(names[i], t);
      done = true;
    }
    // Same start and same end: number them in order.
    for (std::size_t k = 0; k < members.size() && !done; ++k) {
      for (std::size_t n = k + 1;; n += members.size()) {
        const std::string number = fmt::format("{}", n);
        const std::size_t room = number.size() + mark.size();
        const std::string form = head(names[members[k]], width > room ? width - room : 0) + mark + number;
        if (others.count(form) == 0) {
          out[members[k]] = form;
          others.insert(form);
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace genrelab
