// Text renderings of a ClassificationReport for the terminal.
#include <fmt/format.h>

#include <algorithm>

#include "genrelab/metrics.h"

namespace genrelab {
namespace {

std::string label_of(const std::vector<std::string>& names, std::size_t c) {
  return c < names.size() ? names[c] : fmt::format("{}", c);
}

// A class is listed when it occurs in y_true or y_pred, like sklearn's unique_labels.
bool listed(const ClassificationReport& r, std::size_t c) {
  long predicted = 0;
  for (const auto& row : r.confusion) predicted += row[c];
  return r.per_class[c].support > 0 || predicted > 0;
}

// Short, distinct column headers: the name without separators, cut to `len`;
// clashing cuts end in a digit instead of their last letter.
std::vector<std::string> abbreviations(const std::vector<std::string>& names, std::size_t len) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    std::string compact;
    for (char ch : name)
      if (ch != ' ' && ch != '_' && ch != '-') compact += ch;
    out.push_back(compact.empty() ? name.substr(0, len) : compact.substr(0, len));
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    int suffix = 1;
    for (std::size_t j = i + 1; j < out.size(); ++j) {
      if (out[j] != out[i]) continue;
      std::string s = fmt::format("{}", ++suffix);
      out[j] = out[j].substr(0, len > s.size() ? len - s.size() : 0) + s;
    }
  }
  return out;
}

}  // namespace

std::string format_classification_report(const ClassificationReport& r, const std::vector<std::string>& class_names) {
  const std::string last_heading = "weighted avg";
  std::size_t width = last_heading.size();
  std::vector<std::size_t> rows;
  for (std::size_t c = 0; c < r.per_class.size(); ++c) {
    if (!listed(r, c)) continue;
    rows.push_back(c);
    width = std::max(width, label_of(class_names, c).size());
  }
  std::string out = fmt::format("{:>{}} ", "", width);
  for (const char* h : {"precision", "recall", "f1-score", "support"}) out += fmt::format(" {:>9}", h);
  out += "\n\n";
  auto line = [&](const std::string& name, const ClassScores& s) {
    return fmt::format("{:>{}}  {:>9.3f} {:>9.3f} {:>9.3f} {:>9}\n", name, width, s.precision, s.recall, s.f1,
                       s.support);
  };
  for (std::size_t c : rows) out += line(label_of(class_names, c), r.per_class[c]);
  out += "\n";
  out += fmt::format("{:>{}}  {:>9} {:>9} {:>9.3f} {:>9}\n", "accuracy", width, "", "", r.accuracy, r.n);
  out += line("macro avg", r.macro);
  out += line(last_heading, r.weighted);
  return out;
}

std::string format_confusion_matrix(const ClassificationReport& r, const std::vector<std::string>& class_names) {
  const std::size_t C = r.confusion.size();
  if (C == 0) return "";
  std::vector<std::string> names;
  for (std::size_t c = 0; c < C; ++c) names.push_back(label_of(class_names, c));

  // Sized so 14 genres fit in 100 columns: rows carry the full (or lightly cut)
  // name, columns an abbreviation of the same name in the same order.
  const std::string corner = "true \\ predicted";
  std::size_t label_width = corner.size();
  for (const auto& n : names) label_width = std::max(label_width, std::min<std::size_t>(n.size(), 20));
  const std::size_t room = 100 > label_width + 1 ? 100 - label_width - 1 : 0;
  const std::size_t abbrev_len = std::clamp<std::size_t>(room / C - 1, 3, 8);
  const std::vector<std::string> heads = abbreviations(names, abbrev_len);
  long biggest = 0;
  for (const auto& row : r.confusion)
    for (long v : row) biggest = std::max(biggest, v);
  std::size_t cell = fmt::format("{}", biggest).size();
  for (const auto& h : heads) cell = std::max(cell, h.size());

  std::string out = fmt::format("{:<{}}", corner, label_width);
  for (const auto& h : heads) out += fmt::format(" {:>{}}", h, cell);
  out += "\n";
  for (std::size_t t = 0; t < C; ++t) {
    std::string label = names[t].size() > label_width ? names[t].substr(0, label_width - 1) + "~" : names[t];
    out += fmt::format("{:<{}}", label, label_width);
    for (long v : r.confusion[t]) out += fmt::format(" {:>{}}", v, cell);
    out += "\n";
  }
  return out;
}

}  // namespace genrelab
