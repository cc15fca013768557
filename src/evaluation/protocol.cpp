#include "genrelab/protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

#include "genrelab/error.h"
#include "genrelab/split.h"

namespace genrelab::protocol {

std::string cv_problem(int cv, None none, const std::string& where) {
  if (cv == 0 && none == None::Allowed) return "";
  if (cv >= kMinFolds && cv <= kMaxFolds) return "";
  const std::string allowed = fmt::format("{}..{}{}", kMinFolds, kMaxFolds, none == None::Allowed ? " (0: none)" : "");
  // Without `where` the caller (CLI11) names the option itself.
  const std::string value = where.empty() ? "" : fmt::format("{} {}: ", where, cv);
  if (cv == 1) return fmt::format("{}a single fold is not cross-validation; use {}", value, allowed);
  return fmt::format("{}{} folds: the number of folds must be {}", value, cv, allowed);
}

std::string test_size_problem(double test_size, None none, const std::string& where) {
  if (test_size == 0 && none == None::Allowed) return "";
  if (test_size >= kMinTestSize && test_size <= kMaxTestSize) return "";
  const std::string value = where.empty() ? "" : fmt::format("{} {:g}: ", where, test_size);
  return fmt::format("{}the held-out fraction must be between {:g} and {:g}{}", value, kMinTestSize, kMaxTestSize,
                     none == None::Allowed ? " (0: none)" : "");
}

std::string seed_problem(const std::string& text, const std::string& where) {
  const std::string value = where.empty() ? "" : fmt::format("{} {}: ", where, text);
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  // Compared as text, so no value wraps on the way (-5 once became 18446744073709551611).
  const std::string max = std::to_string(kMaxSeed);
  std::string trimmed = text.substr(std::min(text.find_first_not_of('0'), text.size() - 1));
  if (digits && (trimmed.size() < max.size() || (trimmed.size() == max.size() && trimmed <= max))) return "";
  return fmt::format("{}a seed is a whole number from 0 to {} (as numpy's and scikit-learn's random_state)", value,
                     kMaxSeed);
}

void check_search_size(std::size_t candidates, std::size_t folds, bool confirmed, const std::string& what,
                       const std::string& how) {
  // candidates x folds without overflow: a grid of many axes can exceed 2^64.
  const bool over = folds > 0 && candidates > kMaxFitsUnconfirmed / folds;
  if (!over || confirmed) return;
  throw UsageError(fmt::format("{}: {} candidates x {} folds is more than {} fits, which can run for hours. Make the "
                               "grid smaller (fewer values, or random search), or add {} to start it anyway",
                               what, candidates, folds, kMaxFitsUnconfirmed, how));
}

void check_cv(int cv, None none, const std::string& where) {
  if (auto p = cv_problem(cv, none, where); !p.empty()) throw UsageError(p);
}

void check_test_size(double test_size, None none, const std::string& where) {
  if (auto p = test_size_problem(test_size, none, where); !p.empty()) throw UsageError(p);
}

namespace {

bool same(const Field& a, const Field& b) { return std::string_view(a.key) == b.key; }

}  // namespace

nlohmann::json result_json(const Protocol& p, std::initializer_list<Field> fields) {
  nlohmann::json out = nlohmann::json::object();
  for (const Field& f : fields) {
    auto& v = out[f.result_key()];
    if (same(f, kCv)) v = p.cv;
    else if (same(f, kTestSize)) v = p.test_size;
    else if (same(f, kSeed)) v = p.seed;
    else if (same(f, kStratify)) v = p.stratify;
    else if (same(f, kSklearnSplit)) v = holdout_split_id(p.sklearn_split);
    else if (same(f, kScoring)) v = scoring_name(p.scoring);
    else throw std::logic_error(fmt::format("protocol::result_json: '{}' is no member of Protocol", f.key));
  }
  return out;
}

Protocol from_result(const nlohmann::json& j) {
  Protocol p;
  if (!j.is_object()) return p;
  const auto at = [&](const Field& f) -> const nlohmann::json* {
    const auto it = j.find(f.result_key());
    return it == j.end() ? nullptr : &*it;
  };
  if (const auto* v = at(kCv); v && v->is_number_integer()) p.cv = v->get<int>();
  if (const auto* v = at(kTestSize); v && v->is_number()) p.test_size = v->get<double>();
  if (const auto* v = at(kSeed); v && v->is_number_unsigned()) p.seed = v->get<std::uint64_t>();
  if (const auto* v = at(kStratify); v && v->is_boolean()) p.stratify = v->get<bool>();
  if (const auto* v = at(kSklearnSplit); v && v->is_string()) p.sklearn_split = *v == holdout_split_id(true);
  if (const auto* v = at(kScoring); v && v->is_string()) {
    try {
      p.scoring = parse_scoring(v->get<std::string>());
    } catch (const UsageError&) {
      // A score this version does not know: the default, as for a missing key.
    }
  }
  return p;
}

}  // namespace genrelab::protocol
