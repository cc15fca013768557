// `evaluate --open-set K` (open_set.h): hide whole genres, train on the rest,
// and measure how well the novelty scores, the calibrated rejection and the
// prediction sets behave on tracks of known and of hidden genres.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <ostream>
#include <set>

#include "genrelab/error.h"
#include "genrelab/evaluation.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/open_set.h"
#include "genrelab/pipeline.h"
#include "genrelab/random.h"
#include "genrelab/split.h"

namespace genrelab {
namespace {

using nlohmann::json;

std::vector<std::vector<int>> hidden_sets(const OpenSetRequest& r, int n_classes) {
  std::vector<std::vector<int>> out;
  if (r.each) {
    for (int c = 0; c < n_classes; ++c) out.push_back({c});
    return out;
  }
  for (int i = 0; i < r.repeats; ++i) {
    Rng rng = Rng::derive(r.protocol.seed, static_cast<std::uint64_t>(i));
    std::vector<int> all(static_cast<std::size_t>(n_classes));
    std::iota(all.begin(), all.end(), 0);
    rng.shuffle(all);
    std::vector<int> h(all.begin(), all.begin() + r.hidden);
    std::sort(h.begin(), h.end());
    out.push_back(std::move(h));
  }
  return out;
}

OpenSetRound run_round(const Dataset& data, const OpenSetRequest& req, const ParamMap& params,
                       const std::vector<int>& hidden, std::uint64_t seed) {
  const int C = static_cast<int>(data.classes.size());
  OpenSetRound round;
  round.seed = seed;
  std::vector<char> is_hidden(static_cast<std::size_t>(C), 0);
  for (int h : hidden) {
    is_hidden[static_cast<std::size_t>(h)] = 1;
    round.hidden.push_back(data.classes[static_cast<std::size_t>(h)]);
  }
  std::vector<int> to_known(static_cast<std::size_t>(C), -1), known_classes;
  for (int c = 0; c < C; ++c)
    if (!is_hidden[static_cast<std::size_t>(c)]) {
      to_known[static_cast<std::size_t>(c)] = static_cast<int>(known_classes.size());
      known_classes.push_back(c);
    }
  const int K = static_cast<int>(known_classes.size());
  const bool grouped = !data.groups.empty();

  // One split of every row first, so a group's rows are on one side whatever
  // their genres; the hidden genres' train-side rows are then never used.
  protocol::Protocol p = req.protocol;
  p.seed = seed;
  const Split outer = train_test_split(data.y, C, p.test_size, split_options(p, data.groups));
  std::vector<int> train_known;
  for (int r : outer.train)
    if (!is_hidden[static_cast<std::size_t>(data.y[static_cast<std::size_t>(r)])]) train_known.push_back(r);
  Labels y_tk;
  std::vector<std::string> g_tk;
  for (int r : train_known) {
    y_tk.push_back(to_known[static_cast<std::size_t>(data.y[static_cast<std::size_t>(r)])]);
    if (grouped) g_tk.push_back(data.groups[static_cast<std::size_t>(r)]);
  }
  const Split inner = train_test_split(y_tk, K, req.calibrate, split_options(p, g_tk));
  std::vector<int> fit_rows, cal_rows;
  for (int i : inner.train) fit_rows.push_back(train_known[static_cast<std::size_t>(i)]);
  for (int i : inner.test) cal_rows.push_back(train_known[static_cast<std::size_t>(i)]);

  // Test: the known genres' test rows, and every hidden-genre row whose
  // group (track) the model never saw.
  std::set<std::string> seen;
  if (grouped)
    for (int r : train_known) seen.insert(data.groups[static_cast<std::size_t>(r)]);
  std::vector<int> test_rows;
  std::vector<char> unknown;
  for (int r : outer.test)
    if (!is_hidden[static_cast<std::size_t>(data.y[static_cast<std::size_t>(r)])]) test_rows.push_back(r), unknown.push_back(0);
  for (std::size_t r = 0; r < data.n_rows(); ++r)
    if (is_hidden[static_cast<std::size_t>(data.y[r])] && (!grouped || !seen.count(data.groups[r])))
      test_rows.push_back(static_cast<int>(r)), unknown.push_back(1);
  round.n_fit = fit_rows.size();
  round.n_calibration = cal_rows.size();

  auto known_labels = [&](const std::vector<int>& rows) {
    Labels y;
    for (int r : rows) y.push_back(to_known[static_cast<std::size_t>(data.y[static_cast<std::size_t>(r)])]);
    return y;
  };
  const Matrix X_fit = take_rows(data.X, fit_rows);
  const Labels y_fit = known_labels(fit_rows);
  Pipeline pipe(req.model, with_default_seed(req.model, params, seed));
  pipe.fit(X_fit, y_fit, K);
  const OpenSetCalibration cal =
      OpenSetCalibration::fit(pipe, X_fit, y_fit, take_rows(data.X, cal_rows), known_labels(cal_rows), K);

  const Matrix X_test = take_rows(data.X, test_rows);
  const Matrix P = pipe.predict_proba(X_test);
  const std::size_t n = test_rows.size();
  std::vector<int> pred(n);
  for (std::size_t i = 0; i < n; ++i) pred[i] = argmax_row(P, static_cast<Eigen::Index>(i));
  std::size_t n_known = 0, n_unknown = 0, closed_right = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (unknown[i]) {
      ++n_unknown;
      round.unknown_predicted_as.push_back(data.classes[static_cast<std::size_t>(known_classes[static_cast<std::size_t>(pred[i])])]);
    } else {
      ++n_known;
      closed_right += pred[i] == to_known[static_cast<std::size_t>(data.y[static_cast<std::size_t>(test_rows[i])])];
    }
  }
  round.n_known_test = n_known;
  round.n_unknown_test = n_unknown;
  round.closed_accuracy = n_known ? static_cast<double>(closed_right) / static_cast<double>(n_known) : 0.0;

  for (std::size_t s = 0; s < 3; ++s) {
    const NoveltyScore kind = kNoveltyScores[s];
    const Vector v = cal.novelty(X_test, P, kind);
    const std::vector<double> score(v.data(), v.data() + v.size());
    OpenSetScoreResult& out = round.scores[s];
    out.auroc = auroc(score, unknown);
    auto rates = [&](double thr, double& frr, double& far) {
      std::size_t rej_known = 0, acc_unknown = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const bool rejected = score[i] > thr;
        if (unknown[i]) acc_unknown += !rejected;
        else rej_known += rejected;
      }
      frr = n_known ? static_cast<double>(rej_known) / static_cast<double>(n_known) : 0.0;
      far = n_unknown ? static_cast<double>(acc_unknown) / static_cast<double>(n_unknown)
                      : std::numeric_limits<double>::quiet_NaN();
    };
    out.threshold = cal.threshold(kind, req.false_reject);
    rates(out.threshold, out.frr, out.far);
    for (double a : kCurveRates) {
      double frr = 0, far = 0;
      rates(cal.threshold(kind, a), frr, far);
      out.curve_frr.push_back(frr);
      out.curve_far.push_back(far);
    }
    if (kind == req.reject_score) {
      std::size_t right = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const bool rejected = score[i] > out.threshold;
        if (unknown[i]) right += rejected;
        else right += !rejected && pred[i] == to_known[static_cast<std::size_t>(data.y[static_cast<std::size_t>(test_rows[i])])];
      }
      round.open_set_accuracy = n ? static_cast<double>(right) / static_cast<double>(n) : 0.0;
    }
  }

  const auto sets = prediction_sets(P, cal.set_quantile(req.set_score, req.alpha), req.set_score);
  round.known_n.assign(static_cast<std::size_t>(C), 0);
  round.known_covered.assign(static_cast<std::size_t>(C), 0);
  round.known_set_total.assign(static_cast<std::size_t>(C), 0);
  std::size_t covered = 0, size_known = 0, empty_unknown = 0, size_unknown = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& set = sets[i];
    if (unknown[i]) {
      empty_unknown += set.empty();
      size_unknown += set.size();
      continue;
    }
    const int c = data.y[static_cast<std::size_t>(test_rows[i])];
    const bool in = std::binary_search(set.begin(), set.end(), to_known[static_cast<std::size_t>(c)]);
    covered += in;
    size_known += set.size();
    ++round.known_n[static_cast<std::size_t>(c)];
    round.known_covered[static_cast<std::size_t>(c)] += in;
    round.known_set_total[static_cast<std::size_t>(c)] += set.size();
  }
  if (n_known) {
    round.coverage = static_cast<double>(covered) / static_cast<double>(n_known);
    round.mean_set_size = static_cast<double>(size_known) / static_cast<double>(n_known);
  }
  if (n_unknown) {
    round.unknown_empty_sets = static_cast<double>(empty_unknown) / static_cast<double>(n_unknown);
    round.unknown_mean_set_size = static_cast<double>(size_unknown) / static_cast<double>(n_unknown);
  }
  return round;
}

struct Stats {
  double mean = std::numeric_limits<double>::quiet_NaN(), sd = mean, min = mean, max = mean;
  std::size_t n = 0;
};

Stats stats_of(const std::vector<double>& values) {
  std::vector<double> v;
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  Stats s;
  s.n = v.size();
  if (v.empty()) return s;
  const MeanSd m = mean_sd(v);
  s.mean = m.mean;
  s.sd = m.sd;
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  return s;
}

json stats_json(const Stats& s) { return {{"mean", s.mean}, {"sd", s.sd}, {"min", s.min}, {"max", s.max}, {"n", s.n}}; }

template <class F>
std::vector<double> collect(const OpenSetResult& r, F f) {
  std::vector<double> out;
  for (const auto& round : r.rounds) out.push_back(f(round));
  return out;
}

std::string num(double x, int digits = 3) { return std::isfinite(x) ? fmt::format("{:.{}f}", x, digits) : std::string("-"); }

// The known genres the hidden genre's tracks were named as, most often first.
std::vector<std::pair<std::string, double>> predicted_as(const OpenSetResult& r, const std::string& genre) {
  std::map<std::string, std::size_t> count;
  std::size_t total = 0;
  for (const auto& round : r.rounds)
    if (std::find(round.hidden.begin(), round.hidden.end(), genre) != round.hidden.end() && round.hidden.size() == 1)
      for (const auto& g : round.unknown_predicted_as) ++count[g], ++total;
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [g, c] : count) out.emplace_back(g, static_cast<double>(c) / static_cast<double>(total));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

}  // namespace

OpenSetResult evaluate_open_set(const Dataset& data, const OpenSetRequest& request, std::ostream* progress) {
  const int C = static_cast<int>(data.classes.size());
  OpenSetRequest req = request;
  if (req.each) req.hidden = 1;
  if (req.hidden < 0 || req.hidden > C - 2)
    throw UsageError(fmt::format("--open-set {} hides too many genres: the data has {}, and at least 2 must stay known "
                                 "(use 0 to {})", req.hidden, C, std::max(0, C - 2)));
  if (!req.each && (req.repeats < 1 || req.repeats > 1000))
    throw UsageError(fmt::format("--open-set-repeats must be 1 to 1000, got {}", req.repeats));
  protocol::check_test_size(req.protocol.test_size, protocol::None::Refused);
  check_calibrate(req.calibrate, "--calibrate");
  check_rate(req.false_reject, "--false-reject");
  check_rate(req.alpha, "--alpha");
  if (req.protocol.sklearn_split) throw UsageError("--open-set draws its own splits per round; drop --sklearn-split");
  OpenSetResult result;
  result.request = req;
  result.classes = data.classes;
  result.params = make_classifier(req.model, with_default_seed(req.model, req.params, req.protocol.seed))->params();
  const auto sets = hidden_sets(req, C);
  for (std::size_t r = 0; r < sets.size(); ++r) {
    std::vector<std::string> names;
    for (int h : sets[r]) names.push_back(data.classes[static_cast<std::size_t>(h)]);
    if (progress)
      *progress << fmt::format("  open set round {}/{}: hiding {}\n", r + 1, sets.size(),
                               names.empty() ? std::string("no genre") : fmt::format("{}", fmt::join(names, ", ")));
    result.rounds.push_back(run_round(data, req, req.params, sets[r], req.protocol.seed + r));
  }
  return result;
}

json open_set_json(const OpenSetResult& r) {
  const auto& q = r.request;
  json settings = {{"hidden", q.hidden},
                   {"repeats", r.rounds.size()},
                   {"each", q.each},
                   {"test_size", q.protocol.test_size},
                   {"seed", q.protocol.seed},
                   {"stratified", q.protocol.stratify},
                   {"calibrate", q.calibrate},
                   {"false_reject", q.false_reject},
                   {"alpha", q.alpha},
                   {"set_score", set_score_name(q.set_score)},
                   {"set_score_randomised", false},
                   {"reject_score", novelty_score_name(q.reject_score)},
                   {"group_by", q.group_by}};
  json scores = json::object(), curve = json::array();
  for (std::size_t s = 0; s < 3; ++s) {
    const char* name = novelty_score_name(kNoveltyScores[s]);
    scores[name] = {{"auroc", stats_json(stats_of(collect(r, [&](const auto& x) { return x.scores[s].auroc; })))},
                    {"frr", stats_json(stats_of(collect(r, [&](const auto& x) { return x.scores[s].frr; })))},
                    {"far", stats_json(stats_of(collect(r, [&](const auto& x) { return x.scores[s].far; })))}};
    for (std::size_t t = 0; t < std::size(kCurveRates); ++t)
      curve.push_back({{"score", name},
                       {"target_frr", kCurveRates[t]},
                       {"frr", stats_of(collect(r, [&](const auto& x) { return x.scores[s].curve_frr[t]; })).mean},
                       {"far", stats_of(collect(r, [&](const auto& x) { return x.scores[s].curve_far[t]; })).mean}});
  }
  json summary = {
      {"scores", scores},
      {"open_set_accuracy", stats_json(stats_of(collect(r, [](const auto& x) { return x.open_set_accuracy; })))},
      {"closed_set_accuracy", stats_json(stats_of(collect(r, [](const auto& x) { return x.closed_accuracy; })))},
      {"coverage", stats_json(stats_of(collect(r, [](const auto& x) { return x.coverage; })))},
      {"mean_set_size", stats_json(stats_of(collect(r, [](const auto& x) { return x.mean_set_size; })))},
      {"unknown_empty_sets", stats_json(stats_of(collect(r, [](const auto& x) { return x.unknown_empty_sets; })))}};
  json per_genre = json::array();
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    std::size_t n = 0, covered = 0, total = 0, hidden = 0;
    json auroc_by_score = json::object();
    for (std::size_t s = 0; s < 3; ++s) {
      std::vector<double> a;
      for (const auto& round : r.rounds)
        if (std::find(round.hidden.begin(), round.hidden.end(), r.classes[c]) != round.hidden.end())
          a.push_back(round.scores[s].auroc);
      auroc_by_score[novelty_score_name(kNoveltyScores[s])] = stats_of(a).mean;
    }
    for (const auto& round : r.rounds) {
      n += round.known_n[c], covered += round.known_covered[c], total += round.known_set_total[c];
      hidden += std::find(round.hidden.begin(), round.hidden.end(), r.classes[c]) != round.hidden.end();
    }
    json as = json::array();
    for (const auto& [g, share] : predicted_as(r, r.classes[c])) as.push_back({{"genre", g}, {"share", share}});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    per_genre.push_back({{"genre", r.classes[c]},
                         {"known_test_tracks", n},
                         {"coverage", n ? static_cast<double>(covered) / static_cast<double>(n) : nan},
                         {"mean_set_size", n ? static_cast<double>(total) / static_cast<double>(n) : nan},
                         {"times_hidden", hidden},
                         {"auroc_when_hidden", auroc_by_score},
                         {"predicted_as_when_hidden", as}});
  }
  json rounds = json::array();
  for (const auto& x : r.rounds) {
    json sc = json::object();
    for (std::size_t s = 0; s < 3; ++s)
      sc[novelty_score_name(kNoveltyScores[s])] = {{"auroc", x.scores[s].auroc},
                                                   {"threshold", std::isfinite(x.scores[s].threshold) ? json(x.scores[s].threshold) : json(nullptr)},
                                                   {"frr", x.scores[s].frr},
                                                   {"far", x.scores[s].far}};
    rounds.push_back({{"seed", x.seed},
                      {"hidden", x.hidden},
                      {"n_fit", x.n_fit},
                      {"n_calibration", x.n_calibration},
                      {"n_known_test", x.n_known_test},
                      {"n_unknown_test", x.n_unknown_test},
                      {"closed_set_accuracy", x.closed_accuracy},
                      {"open_set_accuracy", x.open_set_accuracy},
                      {"coverage", x.coverage},
                      {"mean_set_size", x.mean_set_size},
                      {"unknown_empty_sets", x.unknown_empty_sets},
                      {"unknown_mean_set_size", x.unknown_mean_set_size},
                      {"scores", sc}});
  }
  return {{"model", q.model},     {"params", r.params},          {"settings", settings}, {"summary", summary},
          {"rejection_curve", curve}, {"per_genre", per_genre}, {"rounds", rounds}};
}

std::string open_set_text(const OpenSetResult& r) {
  const auto& q = r.request;
  const json j = open_set_json(r);
  std::string out = fmt::format(
      "Open set: {} ({} round{}, {} genre{} hidden per round; test {:g} %, calibration {:g} % of the train part)\n",
      q.model, r.rounds.size(), r.rounds.size() == 1 ? "" : "s", q.hidden, q.hidden == 1 ? "" : "s",
      100 * q.protocol.test_size, 100 * q.calibrate);
  const auto& sm = j["summary"];
  auto ms = [](const json& s) {
    return s["mean"].is_number() ? fmt::format("{} (sd {}, {}..{})", num(s["mean"].get<double>()), num(s["sd"].get<double>()),
                                               num(s["min"].get<double>()), num(s["max"].get<double>()))
                                 : std::string("-");
  };
  if (q.hidden > 0) {
    out += fmt::format("\n{:<12} {:>28} {:>28} {:>28}\n", "score", "AUROC known vs unknown",
                       fmt::format("FRR at target {:g}", q.false_reject), "FAR at that threshold");
    for (NoveltyScore s : kNoveltyScores) {
      const auto& x = sm["scores"][novelty_score_name(s)];
      out += fmt::format("{:<12} {:>28} {:>28} {:>28}\n", novelty_score_name(s), ms(x["auroc"]), ms(x["frr"]), ms(x["far"]));
    }
    out += fmt::format("open-set accuracy ({} rejection): {}\n", novelty_score_name(q.reject_score), ms(sm["open_set_accuracy"]));
  }
  out += fmt::format("closed-set accuracy on known genres: {}\n", ms(sm["closed_set_accuracy"]));
  out += fmt::format("{:g} % prediction sets ({}): coverage {}, mean size {}\n", 100 * (1 - q.alpha), set_score_name(q.set_score),
                     ms(sm["coverage"]), ms(sm["mean_set_size"]));
  if (q.hidden > 0) out += fmt::format("empty sets (unknown) on hidden-genre tracks: {}\n", ms(sm["unknown_empty_sets"]));
  out += fmt::format("\n{:<20} {:>9} {:>9}", "genre", "coverage", "set size");
  if (q.hidden > 0) out += fmt::format(" {:>7} {:>10} {:>10} {:>9}  {}", "hidden", "AUROC mp", "AUROC maha", "AUROC cmb", "named as (when hidden alone)");
  out += "\n";
  for (const auto& g : j["per_genre"]) {
    out += fmt::format("{:<20} {:>9} {:>9}", g["genre"].get<std::string>(),
                       g["coverage"].is_number() ? num(g["coverage"].get<double>()) : "-",
                       g["mean_set_size"].is_number() ? num(g["mean_set_size"].get<double>(), 2) : "-");
    if (q.hidden > 0) {
      const auto& a = g["auroc_when_hidden"];
      auto v = [](const json& x) { return x.is_number() ? num(x.get<double>()) : std::string("-"); };
      std::string as;
      for (std::size_t k = 0; k < std::min<std::size_t>(2, g["predicted_as_when_hidden"].size()); ++k) {
        const auto& e = g["predicted_as_when_hidden"][k];
        as += fmt::format("{}{} {:.0f} %", k ? ", " : "", e["genre"].get<std::string>(), 100 * e["share"].get<double>());
      }
      out += fmt::format(" {:>7} {:>10} {:>10} {:>9}  {}", g["times_hidden"].get<std::size_t>(), v(a["max_proba"]),
                         v(a["mahalanobis"]), v(a["combined"]), as);
    }
    out += "\n";
  }
  return out;
}

}  // namespace genrelab
