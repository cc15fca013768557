// profile.json, profile.csv and the terminal summary of a Profile.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "genrelab/profiling.h"
#include "profiling/output_common.h"

namespace genrelab {
namespace {

using nlohmann::json;
using profiling::number;

struct Extreme {
  std::size_t feature = 0;
  double z = 0, mean = 0, others = 0;
};

std::vector<Extreme> extremes(const Profile& p, std::size_t g, std::size_t count) {
  std::vector<Extreme> out;
  for (std::size_t f = 0; f < p.features.size(); ++f) {
    const auto& fp = p.features[f];
    if (fp.mean_z[g] == 0 || !std::isfinite(fp.mean_z[g])) continue;
    double others = 0;
    for (std::size_t h = 0; h < p.genres.size(); ++h)
      if (h != g) others += fp.per_genre[h].mean;
    others /= std::max<double>(1.0, static_cast<double>(p.genres.size()) - 1);
    out.push_back({f, fp.mean_z[g], fp.per_genre[g].mean, others});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return std::fabs(a.z) > std::fabs(b.z); });
  if (out.size() > count) out.resize(count);
  return out;
}

}  // namespace

json profile_json(const Profile& p, std::size_t extremes_per_genre) {
  json genres = json::array();
  for (std::size_t g = 0; g < p.genres.size(); ++g) genres.push_back({{"name", p.genres[g]}, {"tracks", p.tracks[g]}});
  json features = json::array();
  for (const auto& f : p.features) {
    json per_genre = json::object(), counts = json::object();
    for (std::size_t g = 0; g < p.genres.size(); ++g) {
      json d = profiling::describe_json(f.per_genre[g]);
      d["mean_z"] = number(f.mean_z[g]);
      per_genre[p.genres[g]] = d;
      counts[p.genres[g]] = f.histogram.counts[g];
    }
    features.push_back({{"name", f.name},
                        {"kind", f.indicator ? "indicator" : "numeric"},
                        {"overall", profiling::describe_json(f.overall)},
                        {"per_genre", per_genre},
                        {"histogram", {{"edges", f.histogram.edges}, {"counts", counts}}}});
  }
  json categorical = json::array();
  for (const auto& c : p.categorical) {
    json columns = json::array(), shares = json::object();
    for (auto col : c.feature.columns)
      columns.push_back(col < 0 ? json(nullptr) : json(p.features[static_cast<std::size_t>(col)].name));
    for (std::size_t g = 0; g < p.genres.size(); ++g) shares[p.genres[g]] = c.shares[g];
    categorical.push_back({{"name", c.feature.name},
                           {"kind", c.feature.indicator ? "indicator" : "one_hot"},
                           {"levels", c.feature.levels},
                           {"columns", columns},
                           {"shares", shares}});
  }
  json ext = json::object();
  for (std::size_t g = 0; g < p.genres.size(); ++g) {
    json list = json::array();
    for (const auto& e : extremes(p, g, extremes_per_genre))
      list.push_back({{"feature", p.features[e.feature].name}, {"mean_z", e.z}, {"mean", number(e.mean)},
                      {"mean_of_other_genres", number(e.others)}});
    ext[p.genres[g]] = list;
  }
  return {{"format", "genrelab-profile/1"}, {"source", p.source}, {"bins", p.bins}, {"genres", genres},
          {"features", features}, {"categorical", categorical}, {"extremes", ext}};
}

std::string profile_csv(const Profile& p) {
  std::string out = "genre,feature,statistic,value\n";
  auto row = [&](const std::string& genre, const std::string& feature, const char* stat, double v) {
    out += fmt::format("{},{},{},{}\n", profiling::csv_field(genre), profiling::csv_field(feature), stat,
                       std::isfinite(v) ? fmt::format("{}", v) : std::string());
  };
  auto rows = [&](const std::string& genre, const std::string& feature, const Describe& d) {
    row(genre, feature, "count", static_cast<double>(d.count));
    row(genre, feature, "mean", d.mean);
    row(genre, feature, "std", d.std);
    row(genre, feature, "min", d.min);
    row(genre, feature, "25%", d.q25);
    row(genre, feature, "50%", d.median);
    row(genre, feature, "75%", d.q75);
    row(genre, feature, "max", d.max);
  };
  for (const auto& f : p.features) {
    rows("(all)", f.name, f.overall);
    for (std::size_t g = 0; g < p.genres.size(); ++g) {
      rows(p.genres[g], f.name, f.per_genre[g]);
      row(p.genres[g], f.name, "mean_z", f.mean_z[g]);
    }
  }
  for (const auto& c : p.categorical)
    if (!c.feature.indicator)  // an indicator's share of "1" is its mean, already above
      for (std::size_t g = 0; g < p.genres.size(); ++g)
        for (std::size_t l = 0; l < c.feature.levels.size(); ++l)
          row(p.genres[g], c.feature.name + "=" + c.feature.levels[l], "share", c.shares[g][l]);
  return out;
}

std::string profile_text(const Profile& p, std::size_t per_genre) {
  std::string out = fmt::format(
      "Profile of {} genres, {} features ({}).\n"
      "Where each genre is most extreme: z = (genre mean - mean of all tracks) / sd of all tracks;\n"
      "in brackets the genre's mean vs the mean of the other genres' means:\n",
      p.genres.size(), p.features.size(), p.source);
  std::size_t width = 5;
  for (const auto& g : p.genres) width = std::max(width, g.size());
  for (std::size_t g = 0; g < p.genres.size(); ++g) {
    std::vector<std::string> parts;
    for (const auto& e : extremes(p, g, per_genre))
      parts.push_back(fmt::format("{} {:+.1f} ({:.3g} vs {:.3g})", profiling::clip(p.features[e.feature].name, 24), e.z,
                                  e.mean, e.others));
    out += fmt::format("  {:<{}} {:>4} tracks  {}\n", p.genres[g], width, p.tracks[g], fmt::join(parts, ";  "));
  }
  return out;
}

}  // namespace genrelab
