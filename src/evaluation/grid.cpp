#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "genrelab/error.h"
#include "genrelab/suggest.h"
#include "genrelab/random.h"
#include "genrelab/tuning.h"

namespace genrelab {
namespace {

std::vector<std::string> split_on(const std::string& text, const std::string& seps) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (seps.find(c) != std::string::npos) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

}  // namespace

std::size_t ParamGrid::size() const {
  // Saturates instead of wrapping, so a grid of many axes is never "small".
  std::size_t n = axes.empty() ? 0 : 1;
  for (const auto& [name, values] : axes) {
    if (values.empty()) return 0;
    if (n > std::numeric_limits<std::size_t>::max() / values.size()) return std::numeric_limits<std::size_t>::max();
    n *= values.size();
  }
  return n;
}

ParamGrid parse_grid(const std::string& text) {
  ParamGrid grid;
  std::set<std::string> seen;
  for (const auto& axis : split_on(text, " ;\t\n")) {
    const auto eq = axis.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == axis.size())
      throw UsageError(fmt::format("--grid: '{}' is not of the form name=value1,value2 "
                                   "(example: --grid 'max_depth=5,10,None n_estimators=100,300')", axis));
    const std::string name = axis.substr(0, eq);
    if (!seen.insert(name).second) throw UsageError(fmt::format("--grid: parameter '{}' is given twice", name));
    auto values = split_on(axis.substr(eq + 1), ",");
    if (values.empty())
      throw UsageError(fmt::format("--grid: '{}' lists no values (example: --grid 'max_depth=5,10,None')", axis));
    grid.axes.emplace_back(name, values);
  }
  if (grid.axes.empty()) throw UsageError("--grid is empty; example: --grid 'max_depth=5,10,None'");
  return grid;
}

std::vector<ParamMap> expand_grid(const ParamGrid& grid) {
  std::vector<ParamMap> out(1);
  for (const auto& [name, values] : grid.axes) {
    std::vector<ParamMap> next;
    for (const auto& partial : out)
      for (const auto& v : values) {
        ParamMap p = partial;
        p[name] = v;
        next.push_back(std::move(p));
      }
    out = std::move(next);
  }
  return out;
}

std::vector<ParamMap> sample_grid(const ParamGrid& grid, std::size_t n, std::uint64_t seed) {
  auto all = expand_grid(grid);
  if (n >= all.size()) return all;
  std::vector<std::size_t> order(all.size());
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  rng.shuffle(order);
  order.resize(n);
  std::sort(order.begin(), order.end());  // keep grid order among the chosen, for stable ties
  std::vector<ParamMap> out;
  for (auto i : order) out.push_back(all[i]);
  return out;
}

Scoring parse_scoring(const std::string& text) {
  if (text == "accuracy") return Scoring::Accuracy;
  if (text == "balanced_accuracy") return Scoring::BalancedAccuracy;
  if (text == "f1_macro") return Scoring::F1Macro;
  throw UsageError(fmt::format("--scoring '{}' is not known; use accuracy, balanced_accuracy or f1_macro.{}", text,
                               did_you_mean(text, {"accuracy", "balanced_accuracy", "f1_macro"})));
}

std::string scoring_name(Scoring s) {
  switch (s) {
    case Scoring::Accuracy: return "accuracy";
    case Scoring::BalancedAccuracy: return "balanced_accuracy";
    case Scoring::F1Macro: return "f1_macro";
  }
  return "accuracy";
}

double fold_score(const FoldScore& fold, Scoring s) {
  switch (s) {
    case Scoring::Accuracy: return fold.accuracy;
    case Scoring::BalancedAccuracy: return fold.balanced_accuracy;
    case Scoring::F1Macro: return fold.f1_macro;
  }
  return fold.accuracy;
}

}  // namespace genrelab
