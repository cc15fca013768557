#include "genrelab/parameters.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "genrelab/error.h"
#include "genrelab/suggest.h"

namespace genrelab {
namespace {

std::optional<double> parse_number(const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool contains(const std::vector<std::string>& words, const std::string& w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

std::string range_text(const ParameterSet::Spec& s) {
  std::string lo = s.min <= -1e308 ? "" : fmt::format("{} {:g}", s.min_exclusive ? ">" : ">=", s.min);
  std::string hi = s.max >= 1e308 ? "" : fmt::format("<= {:g}", s.max);
  std::string out = lo;
  if (!hi.empty()) out += (out.empty() ? "" : " and ") + hi;
  return out;
}

std::string allowed_text(const ParameterSet::Spec& s) {
  std::string out;
  if (s.kind == "int" || s.kind == "float") {
    out = fmt::format("{} {}", s.kind == "int" ? "an integer" : "a number", range_text(s));
  } else if (s.kind == "bool") {
    out = "true or false";
  }
  if (!s.choices.empty()) {
    std::string words = fmt::format("{}", fmt::join(s.choices, ", "));
    out = out.empty() ? "one of " + words : out + ", or one of " + words;
  }
  return out;
}

}  // namespace

void ParameterSet::declare_int(const std::string& name, const std::string& def, const std::string& help,
                               double min, double max, std::vector<std::string> words) {
  specs_.push_back({name, "int", def, help, std::move(words), min, max, false});
  values_[name] = def;
}

void ParameterSet::declare_float(const std::string& name, const std::string& def, const std::string& help,
                                 double min, double max, bool min_exclusive, std::vector<std::string> words) {
  specs_.push_back({name, "float", def, help, std::move(words), min, max, min_exclusive});
  values_[name] = def;
}

void ParameterSet::declare_choice(const std::string& name, const std::string& def, const std::string& help,
                                  std::vector<std::string> choices) {
  specs_.push_back({name, "choice", def, help, std::move(choices), -1e308, 1e308, false});
  values_[name] = def;
}

void ParameterSet::declare_bool(const std::string& name, const std::string& def, const std::string& help) {
  specs_.push_back({name, "bool", def, help, {}, -1e308, 1e308, false});
  values_[name] = def;
}

const ParameterSet::Spec& ParameterSet::spec(const std::string& name) const {
  for (const auto& s : specs_)
    if (s.name == name) return s;
  std::vector<std::string> names;
  for (const auto& s : specs_) names.push_back(s.name);
  throw UsageError(fmt::format("{} has no parameter '{}'. Its parameters are: {}.{}", owner_, name,
                               fmt::join(names, ", "), did_you_mean(name, names)));
}

void ParameterSet::set(const std::string& name, const std::string& raw) {
  const Spec& s = spec(name);
  std::string value = raw;
  if (value == "none" || value == "null") value = "None";
  auto bad = [&] {
    return UsageError(fmt::format("{}: {}='{}' is not allowed; {} must be {}.", owner_, name, raw, name,
                                  allowed_text(s)));
  };
  if (s.kind == "bool") {
    if (value == "true" || value == "True" || value == "1") value = "true";
    else if (value == "false" || value == "False" || value == "0") value = "false";
    else throw bad();
  } else if (contains(s.choices, value)) {
    // a declared word such as None, sqrt, balanced
  } else if (s.kind == "choice") {
    throw bad();
  } else {
    auto v = parse_number(value);
    if (!v) throw bad();
    if (s.kind == "int" && *v != std::floor(*v)) throw bad();
    if (*v < s.min || *v > s.max || (s.min_exclusive && *v == s.min)) throw bad();
  }
  values_[name] = value;
}

void ParameterSet::set_all(const ParamMap& values) {
  for (const auto& [k, v] : values) set(k, v);
}

const std::string& ParameterSet::get(const std::string& name) const {
  spec(name);
  return values_.at(name);
}

bool ParameterSet::is_word(const std::string& name, const std::string& word) const { return get(name) == word; }

long ParameterSet::get_int(const std::string& name) const {
  auto v = parse_number(get(name));
  if (!v) throw UsageError(fmt::format("{}: parameter '{}' is '{}', not a number", owner_, name, get(name)));
  return static_cast<long>(*v);
}

double ParameterSet::get_float(const std::string& name) const {
  auto v = parse_number(get(name));
  if (!v) throw UsageError(fmt::format("{}: parameter '{}' is '{}', not a number", owner_, name, get(name)));
  return *v;
}

bool ParameterSet::get_bool(const std::string& name) const { return get(name) == "true"; }

}  // namespace genrelab
