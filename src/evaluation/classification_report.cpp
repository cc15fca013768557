// Text renderings of a ClassificationReport for the terminal.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "genrelab/abbreviate.h"
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

// Short, distinct column headers: the names without separators (more of
// each name fits), cut to `len` by unique_abbreviations; the names as they
// are where dropping separators would make two of them one.
std::vector<std::string> abbreviations(const std::vector<std::string>& names, std::size_t len) {
  std::vector<std::string> compact;
  for (const auto& name : names) {
    std::string c;
    for (char ch : name)
      if (ch != ' ' && ch != '_' && ch != '-') c += ch;
    compact.push_back(c.empty() ? name : c);
  }
  const bool distinct = std::set<std::string>(compact.begin(), compact.end()).size() == compact.size();
  // No cut mark: in columns of 3 or 4 letters each one counts.
  return unique_abbreviations(distinct ? compact : names, len, "");
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
  const std::vector<std::string> labels = unique_abbreviations(names, label_width);
  for (std::size_t t = 0; t < C; ++t) {
    out += fmt::format("{:<{}}", labels[t], label_width);
    for (long v : r.confusion[t]) out += fmt::format(" {:>{}}", v, cell);
    out += "\n";
  }
  return out;
}

std::string format_confused_pairs(const ClassificationReport& r, const std::vector<std::string>& class_names,
                                  std::size_t top) {
  struct Pair {
    std::size_t truth, predicted;
    long count;
    double rate;
  };
  std::vector<Pair> pairs;
  for (std::size_t t = 0; t < r.confusion.size(); ++t) {
    long row = 0;
    for (long v : r.confusion[t]) row += v;
    for (std::size_t p = 0; p < r.confusion[t].size(); ++p)
      if (p != t && r.confusion[t][p] > 0)
        pairs.push_back({t, p, r.confusion[t][p], static_cast<double>(r.confusion[t][p]) / static_cast<double>(row)});
  }
  // Most tracks first; equal counts: the larger share of the true genre, then the order of the genres.
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return a.count != b.count ? a.count > b.count : a.rate > b.rate;
  });
  if (pairs.size() > top) pairs.resize(top);
  if (pairs.empty()) return "  (no track was predicted as another genre)\n";
  std::size_t wt = std::string("true genre").size(), wp = std::string("predicted as").size();
  for (const Pair& p : pairs) {
    wt = std::max(wt, label_of(class_names, p.truth).size());
    wp = std::max(wp, label_of(class_names, p.predicted).size());
  }
  std::string out = fmt::format("  {:>3}  {:<{}}  {:<{}}  {:>6}  {:>6}\n", "#", "true genre", wt, "predicted as", wp,
                                "tracks", "rate");
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const Pair& p = pairs[k];
    out += fmt::format("  {:>3}  {:<{}}  {:<{}}  {:>6}  {:>5.1f}%\n", k + 1, label_of(class_names, p.truth), wt,
                       label_of(class_names, p.predicted), wp, p.count, 100 * p.rate);
  }
  return out;
}

}  // namespace genrelab
