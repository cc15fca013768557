#include "genrelab/cell_values.h"

#include <array>
#include <cmath>

#include <fast_float/fast_float.h>

namespace genrelab::data {
namespace {

constexpr std::array<std::string_view, 12> kPitchClasses = {"C",  "C#", "D",  "D#", "E",  "F",
                                                            "F#", "G",  "G#", "A",  "A#", "B"};

std::optional<int> pitch_class_of_note(std::string_view note) {
  if (note.empty()) return std::nullopt;
  static constexpr std::array<int, 7> kNatural = {9, 11, 0, 2, 4, 5, 7};  // A..G
  char letter = note[0];
  if (letter >= 'a' && letter <= 'g') letter = static_cast<char>(letter - 'a' + 'A');
  if (letter < 'A' || letter > 'G') return std::nullopt;
  int pc = kNatural[static_cast<std::size_t>(letter - 'A')];
  std::string_view rest = note.substr(1);
  if (rest == "#" || rest == "\xE2\x99\xAF") pc += 1;  // '#' or the sharp sign
  else if (rest == "b" || rest == "\xE2\x99\xAD") pc += 11;
  else if (!rest.empty()) return std::nullopt;
  return pc % 12;
}

std::optional<std::string> canonical_key(std::string_view cell) {
  if (auto number = parse_number(cell)) {
    const double v = *number;
    if (v >= 0 && v <= 11 && v == std::floor(v)) return std::string(kPitchClasses[static_cast<std::size_t>(v)]);
    return std::nullopt;
  }
  // "C#/Db" names one pitch class twice; both halves must agree.
  std::optional<int> pc;
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t slash = cell.find('/', start);
    if (slash == std::string_view::npos) slash = cell.size();
    auto part = pitch_class_of_note(trim(cell.substr(start, slash - start)));
    if (!part || (pc && *pc != *part)) return std::nullopt;
    pc = part;
    start = slash + 1;
  }
  if (!pc) return std::nullopt;
  return std::string(kPitchClasses[static_cast<std::size_t>(*pc)]);
}

std::optional<std::string> canonical_mode(std::string_view cell) {
  if (auto number = parse_number(cell)) {
    if (*number == 0) return "Minor";
    if (*number == 1) return "Major";
    return std::nullopt;
  }
  const std::string l = lower(cell);
  if (l == "minor" || l == "min") return "Minor";
  if (l == "major" || l == "maj") return "Major";
  return std::nullopt;
}

std::optional<std::string> canonical_meter(std::string_view cell) {
  std::string_view beats = cell;
  const std::size_t slash = cell.find('/');
  if (slash != std::string_view::npos) beats = cell.substr(0, slash);
  auto number = parse_number(beats);
  if (!number || *number < 0 || *number != std::floor(*number) || *number > 64) return std::nullopt;
  if (slash != std::string_view::npos && !parse_number(cell.substr(slash + 1))) return std::nullopt;
  return std::to_string(static_cast<int>(*number));
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool is_missing(std::string_view cell) {
  cell = trim(cell);
  if (cell.empty()) return true;
  if (cell.size() > 9 || (cell.front() >= '0' && cell.front() <= '9')) return false;
  static constexpr std::array<std::string_view, 14> kMarkers = {
      "nan", "-nan", "na", "n/a", "nat", "null", "none", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity",
      "#n/a"};
  for (std::string_view m : kMarkers)
    if (iequals(cell, m)) return true;
  return false;
}

std::optional<double> parse_number(std::string_view cell) {
  cell = trim(cell);
  if (!cell.empty() && cell.front() == '+') cell.remove_prefix(1);
  if (cell.empty()) return std::nullopt;
  // from_chars would accept "inf" and "nan"; those are missing values here.
  const char first = cell.front() == '-' && cell.size() > 1 ? cell[1] : cell.front();
  if (!((first >= '0' && first <= '9') || first == '.')) return std::nullopt;
  // fast_float reads the same grammar as std::from_chars and rounds the same
  // (correctly), several times faster; the CSV reader calls this for every cell.
  double value = 0;
  const auto [end, ec] = fast_float::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) return std::nullopt;
  // Where the two differ: std::from_chars calls a nonzero number that rounds
  // to zero (1e-400) out of range, and so this function always has; fast_float
  // returns 0. Only a zero result needs the check that a mantissa digit is nonzero.
  if (value == 0) {
    for (const char c : cell) {
      if (c == 'e' || c == 'E') break;
      if (c >= '1' && c <= '9') return std::nullopt;
    }
  }
  return value;
}

std::optional<bool> parse_bool(std::string_view cell) {
  cell = trim(cell);
  if (cell == "True" || cell == "TRUE" || cell == "true") return true;
  if (cell == "False" || cell == "FALSE" || cell == "false") return false;
  return std::nullopt;
}

Vocabulary vocabulary_for(std::string_view column_name) {
  const std::string l = lower(trim(column_name));
  if (l == "key") return Vocabulary::Key;
  if (l == "mode") return Vocabulary::Mode;
  if (l == "time_signature" || l == "time signature" || l == "timesignature") return Vocabulary::TimeSignature;
  return Vocabulary::Plain;
}

std::optional<std::string> canonical_level(Vocabulary vocabulary, std::string_view cell) {
  cell = trim(cell);
  switch (vocabulary) {
    case Vocabulary::Key: return canonical_key(cell);
    case Vocabulary::Mode: return canonical_mode(cell);
    case Vocabulary::TimeSignature: return canonical_meter(cell);
    case Vocabulary::Plain: break;
  }
  return std::string(cell);
}

int level_rank(Vocabulary vocabulary, const std::string& level) {
  switch (vocabulary) {
    case Vocabulary::Key:
      for (std::size_t i = 0; i < kPitchClasses.size(); ++i)
        if (kPitchClasses[i] == level) return static_cast<int>(i);
      return -1;
    case Vocabulary::Mode: return level == "Minor" ? 0 : 1;
    case Vocabulary::TimeSignature: return std::stoi(level);
    case Vocabulary::Plain: break;
  }
  return 0;
}

}  // namespace genrelab::data
