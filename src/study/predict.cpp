#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <set>

#include "genrelab/cell_values.h"
#include "genrelab/error.h"
#include "genrelab/explain.h"
#include "genrelab/open_set.h"
#include "genrelab/predict.h"

namespace genrelab {
namespace {

// RFC 4180: quote fields holding a comma, quote, CR or LF; double the quotes.
void put_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Shortest text that reads back as the same double, so outputs can be compared bit for bit.
std::string number(double v) { return fmt::format("{}", v); }

// The columns predict appends, refused when the table already has one of them.
std::vector<std::string> added_columns(const ModelFile& file, const Table& tracks, const PredictOptions& options,
                                       int n_explain) {
  std::vector<std::string> added = {"predicted_genre"};
  if (options.proba)
    for (const auto& g : file.classes) added.push_back("proba_" + g);
  for (int k = 1; k <= options.top; ++k) {
    added.push_back(fmt::format("top{}_genre", k));
    added.push_back(fmt::format("top{}_proba", k));
  }
  for (int k = 1; k <= n_explain; ++k) {
    added.push_back(fmt::format("reason{}_feature", k));
    added.push_back(fmt::format("reason{}_contribution", k));
  }
  if (options.reject) added.push_back("novelty_score");
  if (options.sets) {
    added.push_back("prediction_set");
    added.push_back("set_size");
  }
  for (const auto& name : added)
    if (tracks.find_column(name))
      throw InputError(fmt::format("{}: already has a column '{}', which predict writes; rename it", tracks.source(), name));
  return added;
}

void append_header(std::string& out, const std::vector<std::string>& passthrough, const std::vector<std::string>& added) {
  bool first = true;
  for (const auto* names : {&passthrough, &added})
    for (const auto& name : *names) {
      if (!first) out += ',';
      put_field(out, name);
      first = false;
    }
  out += '\n';
}

// The `top` most probable genres of row i and their probabilities; empty
// cells past the number of classes. Ties keep class-code order, like argmax.
void append_top(std::string& out, const Matrix& P, Eigen::Index i, const std::vector<std::string>& classes, int top,
                std::vector<int>& order) {
  std::iota(order.begin(), order.end(), 0);
  const auto k_top = std::min<std::size_t>(static_cast<std::size_t>(top), order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k_top), order.end(),
                    [&](int a, int b) { return P(i, a) > P(i, b) || (P(i, a) == P(i, b) && a < b); });
  for (int k = 0; k < top; ++k) {
    out += ',';
    if (static_cast<std::size_t>(k) < k_top) {
      put_field(out, classes[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])]);
      out += ',' + number(P(i, order[static_cast<std::size_t>(k)]));
    } else {
      out += ',';
    }
  }
}

// The n features with the largest |contribution| to row i's prediction.
void append_reasons(std::string& out, const Contributions& contrib, Eigen::Index i,
                    const std::vector<std::string>& feature_names, int n, std::vector<int>& features) {
  std::iota(features.begin(), features.end(), 0);
  std::partial_sort(features.begin(), features.begin() + n, features.end(), [&](int a, int b) {
    const double x = std::abs(contrib.values(i, a)), y = std::abs(contrib.values(i, b));
    return x > y || (x == y && a < b);
  });
  for (int k = 0; k < n; ++k) {
    out += ',';
    put_field(out, feature_names[static_cast<std::size_t>(features[static_cast<std::size_t>(k)])]);
    out += ',' + number(contrib.values(i, features[static_cast<std::size_t>(k)]));
  }
}

// Counts a labelled row, and whether the model got it right.
void count_label(PredictResult& r, const ModelFile& file, std::string_view cell, int predicted) {
  const std::string_view label = data::trim(cell);
  if (label.empty()) return;
  ++r.labelled;
  const auto it = std::find(file.classes.begin(), file.classes.end(), label);
  if (it == file.classes.end()) ++r.unknown_labels;
  else if (it - file.classes.begin() == predicted) ++r.correct;
}

// The open-set options, checked before any work, against the model.
void check_open_set(const ModelFile& file, const PredictOptions& options) {
  if (!options.reject && !options.sets) return;
  const char* what = options.reject ? "--reject" : "--sets";
  if (!file.open_set)
    throw UsageError(fmt::format("{} needs a calibrated model, and this one has no calibration; retrain it with "
                                 "`genrelab train ... --calibrate 0.2`", what));
  if (options.reject) check_rate(options.false_reject, "--false-reject");
  if (options.sets) check_rate(options.alpha, "--alpha");
  parse_novelty_score(options.novelty_score);
  parse_set_score(options.set_score);
  if (std::find(file.classes.begin(), file.classes.end(), "unknown") != file.classes.end())
    throw UsageError(fmt::format("the model has a genre named 'unknown', which {} writes for rejected tracks; "
                                 "rename that genre in the training data and retrain", what));
}

}  // namespace

PredictResult predict_table(const ModelFile& file, const Table& tracks, const PredictOptions& requested) {
  PredictResult r;
  PredictOptions options = requested;
  // More genres than the model knows cannot be listed; empty columns would look like data.
  const int n_genres = static_cast<int>(file.classes.size());
  if (options.top > n_genres) {
    r.top_note = fmt::format("--top {} asks for more genres than the model knows ({}); listing all {}.", options.top,
                             n_genres, n_genres);
    options.top = n_genres;
  }
  std::set<std::string> feature_columns;
  for (const auto& e : file.encodings) feature_columns.insert(e.column);
  std::vector<std::size_t> pass;
  for (std::size_t c = 0; c < tracks.n_cols(); ++c)
    if (!feature_columns.count(tracks.column_name(c))) {
      pass.push_back(c);
      r.passthrough.push_back(tracks.column_name(c));
    }
  const int n_explain = options.explain ? std::min<int>(options.explain_top, static_cast<int>(file.feature_names.size())) : 0;
  check_open_set(file, options);
  const std::vector<std::string> added = added_columns(file, tracks, options, n_explain);

  const auto t0 = std::chrono::steady_clock::now();
  EncodedFeatures encoded = encode_features(tracks, file.encodings, options.on_missing, options.on_unknown);
  r.unknown_cells = encoded.unknown_cells;
  r.unknown_note = encoded.unknown_note;
  r.rows_dropped = encoded.rows_dropped;
  r.cells_imputed = encoded.cells_imputed;
  r.missing_note = encoded.note;
  const Matrix& X = encoded.X;
  const Matrix P = file.pipeline->predict_proba(X);
  const Eigen::Index n = X.rows();
  Labels predicted(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) predicted[static_cast<std::size_t>(i)] = argmax_row(P, i);
  Contributions contrib;
  if (n_explain > 0)
    contrib = explain_rows(*file.pipeline, file.model, X, predicted, file.feature_means);
  Vector novelty;
  double threshold = 0;
  if (options.reject) {
    const NoveltyScore kind = parse_novelty_score(options.novelty_score);
    novelty = file.open_set->novelty(X, P, kind);
    threshold = file.open_set->threshold(kind, options.false_reject);
    r.reject_threshold = threshold;
  }
  std::vector<std::vector<int>> sets;
  if (options.sets) {
    const SetScore kind = parse_set_score(options.set_score);
    sets = prediction_sets(P, file.open_set->set_quantile(kind, options.alpha), kind);
  }
  r.predict_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.rows = static_cast<std::size_t>(n);

  std::string& out = r.csv;
  out.reserve(static_cast<std::size_t>(n) * (32 + 24 * static_cast<std::size_t>(added.size())));
  append_header(out, r.passthrough, added);
  const auto label_col = file.label_column.empty() ? std::nullopt : tracks.find_column(file.label_column);
  std::vector<int> order(file.classes.size());
  std::vector<int> features(file.feature_names.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t row = encoded.rows[static_cast<std::size_t>(i)];  // the table's row
    bool first = true;
    for (std::size_t c : pass) {
      if (!first) out += ',';
      put_field(out, tracks.cell(row, c));
      first = false;
    }
    if (!first) out += ',';
    const bool rejected = options.reject && novelty(i) > threshold;
    r.rejected += rejected;
    const int best = rejected ? -1 : predicted[static_cast<std::size_t>(i)];
    put_field(out, rejected ? std::string("unknown") : file.classes[static_cast<std::size_t>(best)]);
    if (options.proba)
      for (Eigen::Index k = 0; k < P.cols(); ++k) out += ',' + number(P(i, k));
    if (options.top > 0) append_top(out, P, i, file.classes, options.top, order);
    if (n_explain > 0) append_reasons(out, contrib, i, file.feature_names, n_explain, features);
    if (options.reject) out += ',' + number(novelty(i));
    if (options.sets) {
      const auto& set = sets[static_cast<std::size_t>(i)];
      std::string cell;
      for (int k : set) {
        if (!cell.empty()) cell += ';';
        cell += file.classes[static_cast<std::size_t>(k)];
      }
      out += ',';
      put_field(out, set.empty() ? std::string("unknown") : cell);
      out += ',' + std::to_string(set.size());
      r.empty_sets += set.empty();
      r.mean_set_size += static_cast<double>(set.size());
    }
    out += '\n';
    if (label_col) count_label(r, file, tracks.cell(row, *label_col), best);
  }
  if (options.sets && n > 0) r.mean_set_size /= static_cast<double>(n);
  return r;
}

}  // namespace genrelab
