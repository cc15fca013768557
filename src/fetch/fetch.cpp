// The fetch itself: playlists -> entries -> duplicates -> track metadata ->
// audio features -> analyses -> one CSV. Requests are made one at a time in
// a fixed order, so a rerun asks the cache the same questions in the same
// order and writes the same bytes.
#include "genrelab/fetch.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "fetch/web_api.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"

namespace genrelab {
namespace {

using nlohmann::json;
using fetch::ApiAnswer;
using fetch::WebApi;

constexpr std::size_t kPlaylistPage = 50;   // /playlists/{id}/items: at most 50 per page since February 2026
constexpr std::size_t kTracksBatch = 50;    // /tracks?ids=: at most 50 ids
constexpr std::size_t kFeaturesBatch = 100; // /audio-features?ids=: at most 100 ids

const std::vector<std::string> kFeatureColumns = {"danceability", "energy",       "key",
                                                  "loudness",     "mode",         "speechiness",
                                                  "acousticness", "instrumentalness", "liveness",
                                                  "valence",      "tempo",        "time_signature"};

struct Track {
  std::string id, name, artists, album, popularity, duration_ms, explicit_, isrc;
  std::vector<std::string> features;  // kFeatureColumns order, "" when Spotify gave none
};

struct Row {
  std::string track_id, genre, playlist_id;
};

std::string csv_cell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos && (text.empty() || (text.front() != ' ' && text.back() != ' ')))
    return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// A JSON value as a CSV cell: integers as integers, reals in their shortest
// exact form (0.735 stays 0.735), booleans as true/false, null/absent empty.
std::string cell(const json& object, const char* name) {
  if (!object.is_object()) return "";
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return "";
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  if (it->is_number_unsigned()) return std::to_string(it->get<unsigned long long>());
  if (it->is_number_float()) return fmt::format("{}", it->get<double>());
  if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
  if (it->is_string()) return it->get<std::string>();
  return "";
}

bool valid_track_id(const std::string& id) {
  return id.size() == 22 && std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

Track track_from_json(const json& t) {
  Track out;
  out.id = cell(t, "id");
  out.name = cell(t, "name");
  if (t.contains("artists") && t["artists"].is_array()) {
    std::string names;
    for (const json& a : t["artists"]) {
      const std::string n = cell(a, "name");
      if (n.empty()) continue;
      if (!names.empty()) names += ";";
      names += n;
    }
    out.artists = names;
  }
  if (t.contains("album")) out.album = cell(t["album"], "name");
  out.popularity = cell(t, "popularity");
  out.duration_ms = cell(t, "duration_ms");
  out.explicit_ = cell(t, "explicit");
  if (t.contains("external_ids")) out.isrc = cell(t["external_ids"], "isrc");
  out.features.assign(kFeatureColumns.size(), "");
  return out;
}

std::string join_ids(const std::vector<std::string>& ids, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (i > from ? "," : "") + ids[i];
  return out;
}

void check_base(const std::string& url, const char* option) {
  const bool https = url.rfind("https://", 0) == 0;
  const bool loopback = url.rfind("http://127.0.0.1", 0) == 0 || url.rfind("http://localhost", 0) == 0 ||
                        url.rfind("http://[::1]", 0) == 0;
  if (!https && !loopback)
    throw UsageError(fmt::format("{} {}: must start with https:// (plain http:// only to 127.0.0.1 or localhost, "
                                 "for tests): the credentials and token travel there",
                                 option, url));
  if (!url.empty() && url.back() == '/')
    throw UsageError(fmt::format("{} {}: leave out the trailing '/'", option, url));
}

std::string list_some(const std::vector<std::string>& items, std::size_t shown = 6) {
  std::string out;
  for (std::size_t i = 0; i < std::min(shown, items.size()); ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > shown) out += fmt::format(", ... and {} more", items.size() - shown);
  return out;
}

class Fetcher {
 public:
  Fetcher(const FetchRequest& request, const std::string& cache_path, FetchSummary& summary)
      : request_(request), summary_(summary), api_(request, cache_path, summary) {}

  void run(const std::vector<GenrePlaylists>& genres) {
    read_playlists(genres);
    resolve_duplicates();
    fetch_track_metadata();
    fetch_audio_features();
    if (!request_.analysis_dir.empty()) fetch_analyses();
    add_notes();
  }

  std::string csv() const {
    std::string out;
    const auto& columns = fetch_csv_columns();
    for (std::size_t c = 0; c < columns.size(); ++c) out += (c ? "," : "") + columns[c];
    out += '\n';
    for (const Row& row : rows_) {
      const Track& t = tracks_.at(row.track_id);
      const std::string fixed[] = {t.id,  t.name,       t.artists,     t.album,     row.genre,
                                   row.playlist_id, t.popularity, t.duration_ms, t.explicit_, t.isrc};
      bool first = true;
      for (const std::string& v : fixed) {
        if (!first) out += ',';
        out += csv_cell(v);
        first = false;
      }
      for (const std::string& v : t.features) out += ',' + csv_cell(v);
      out += '\n';
    }
    return out;
  }

  std::size_t rows() const { return rows_.size(); }

 private:
  void log(const std::string& line) const {
    if (request_.log) request_.log(line);
  }

  std::string market_param(char sep) const {
    return request_.market.empty() ? "" : fmt::format("{}market={}", sep, request_.market);
  }

  // One playlist's entries, following `next`. "" on success, else why not.
  void read_playlist(const std::string& genre, const std::string& id) {
    std::string path = fmt::format("/playlists/{}/items?limit={}&offset=0{}", id, kPlaylistPage, market_param('&'));
    bool tried_tracks_path = false;
    std::size_t position = 0;
    while (!path.empty()) {
      ApiAnswer a = api_.get(path);
      if (a.status == 404 && is_editorial_playlist(id)) {
        editorial_.push_back(fmt::format("{} ({})", id, genre));
        return;
      }
      if (a.status == 404 && position == 0 && !tried_tracks_path) {
        // An API without the February 2026 path: the older one.
        tried_tracks_path = true;
        path = fmt::format("/playlists/{}/tracks?limit={}&offset=0{}", id, kPlaylistPage, market_param('&'));
        continue;
      }
      if (a.status == 404) {
        not_found_.push_back(fmt::format("{} ({})", id, genre));
        return;
      }
      if (a.status == 403) {
        (tried_tracks_path ? tracks_path_closed_ : playlist_refused_).push_back(fmt::format("{} ({})", id, genre));
        return;
      }
      const json& page = a.json;
      if (!page.contains("items") || !page["items"].is_array())
        throw InputError(fmt::format("GET {}{}: the answer has no 'items' list, so it is not a playlist page",
                                     request_.api_base, path));
      for (const json& entry : page["items"]) {
        // February 2026: the entry's object is under `item`; before, `track`.
        const json* object = nullptr;
        if (entry.is_object()) {
          if (entry.contains("item")) object = &entry["item"];
          else if (entry.contains("track")) object = &entry["track"];
        }
        ++position;
        const bool local = entry.is_object() && entry.value("is_local", false);
        if (!object || !object->is_object() || local || object->value("type", std::string("track")) != "track") {
          ++summary_.entries_skipped;
          continue;
        }
        Track t = track_from_json(*object);
        if (!valid_track_id(t.id)) {
          ++summary_.entries_skipped;
          continue;
        }
        entries_.push_back({t.id, genre, id});
        tracks_.emplace(t.id, std::move(t));
      }
      path = page.contains("next") && page["next"].is_string() ? api_.relative_path(page["next"].get<std::string>())
                                                              : "";
    }
  }

  void read_playlists(const std::vector<GenrePlaylists>& genres) {
    summary_.genres = genres.size();
    for (const GenrePlaylists& g : genres) {
      for (const std::string& id : g.playlist_ids) {
        ++summary_.playlists;
        read_playlist(g.genre, id);
      }
      log(fmt::format("fetch: {}: {} entries so far", g.genre, entries_.size()));
    }
  }

  void resolve_duplicates() {
    // One row per (track, genre): a track listed twice under one genre is one row.
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<Row> unique;
    std::unordered_map<std::string, std::vector<std::string>> genres_of;
    for (Row& r : entries_) {
      if (!seen.insert({r.track_id, r.genre}).second) {
        ++summary_.repeats_within_genre;
        continue;
      }
      genres_of[r.track_id].push_back(r.genre);
      unique.push_back(std::move(r));
    }
    for (const auto& [id, list] : genres_of) summary_.tracks_in_several_genres += list.size() > 1;
    for (Row& r : unique) {
      const auto& list = genres_of[r.track_id];
      const bool several = list.size() > 1;
      const bool keep = !several || request_.duplicates == DuplicatePolicy::keep ||
                        (request_.duplicates == DuplicatePolicy::first && list.front() == r.genre);
      if (keep) rows_.push_back(std::move(r));
      else ++summary_.rows_dropped_as_duplicates;
    }
    std::set<std::string> kept;
    for (const Row& r : rows_)
      if (kept.insert(r.track_id).second) ids_.push_back(r.track_id);
    summary_.tracks = ids_.size();
    summary_.rows = rows_.size();
  }

  void fetch_track_metadata() {
    for (std::size_t from = 0; from < ids_.size(); from += kTracksBatch) {
      const std::size_t to = std::min(ids_.size(), from + kTracksBatch);
      ApiAnswer a = api_.get(fmt::format("/tracks?ids={}{}", join_ids(ids_, from, to), market_param('&')));
      if (a.status == 403 || a.status == 404) {
        tracks_closed_ = true;  // the playlist entries' metadata stands
        return;
      }
      if (!a.json.contains("tracks") || !a.json["tracks"].is_array() || a.json["tracks"].size() != to - from)
        throw InputError(fmt::format("GET {}/tracks?ids=...: the answer does not hold one 'tracks' entry per id "
                                     "asked ({} ids)",
                                     request_.api_base, to - from));
      for (std::size_t i = from; i < to; ++i) {
        const json& t = a.json["tracks"][i - from];
        if (!t.is_object()) {
          ++tracks_null_;  // Spotify has no such track now; the playlist's copy stands
          continue;
        }
        Track fresh = track_from_json(t);
        Track& mine = tracks_.at(ids_[i]);
        // Fill in from the full track object; never blank what the playlist gave.
        for (auto [dst, src] : {std::pair{&mine.name, &fresh.name}, {&mine.artists, &fresh.artists},
                                {&mine.album, &fresh.album}, {&mine.popularity, &fresh.popularity},
                                {&mine.duration_ms, &fresh.duration_ms}, {&mine.explicit_, &fresh.explicit_},
                                {&mine.isrc, &fresh.isrc}})
          if (!src->empty()) *dst = *src;
      }
    }
  }

  void fetch_audio_features() {
    for (std::size_t from = 0; from < ids_.size(); from += kFeaturesBatch) {
      const std::size_t to = std::min(ids_.size(), from + kFeaturesBatch);
      ApiAnswer a = api_.get(fmt::format("/audio-features?ids={}", join_ids(ids_, from, to)));
      if (a.status == 403 || a.status == 404) {
        features_closed_ = a.status;
        return;
      }
      if (!a.json.contains("audio_features") || !a.json["audio_features"].is_array() ||
          a.json["audio_features"].size() != to - from)
        throw InputError(fmt::format("GET {}/audio-features?ids=...: the answer does not hold one "
                                     "'audio_features' entry per id asked ({} ids)",
                                     request_.api_base, to - from));
      for (std::size_t i = from; i < to; ++i) {
        const json& f = a.json["audio_features"][i - from];
        if (!f.is_object()) continue;
        Track& t = tracks_.at(ids_[i]);
        for (std::size_t c = 0; c < kFeatureColumns.size(); ++c) t.features[c] = cell(f, kFeatureColumns[c].c_str());
        ++summary_.with_audio_features;
      }
    }
  }

  void fetch_analyses() {
    const std::filesystem::path dir(request_.analysis_dir);
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      ApiAnswer a = api_.get("/audio-analysis/" + ids_[i]);
      if (a.status == 403) {
        analysis_closed_ = true;
        return;
      }
      if (a.status == 404) {
        analysis_missing_.push_back(ids_[i]);
        continue;
      }
      write_file_atomic((dir / (ids_[i] + ".json")).string(), a.body);
      ++summary_.analyses_written;
      if ((i + 1) % 100 == 0) log(fmt::format("fetch: {} of {} audio analyses", i + 1, ids_.size()));
    }
  }

  void add_notes() {
    auto& notes = summary_.notes;
    const std::string extract =
        "Features computed from the audio itself: genrelab extract AUDIO... --label-from parent -o features.csv";
    if (!editorial_.empty())
      notes.push_back(fmt::format(
          "{} Spotify-owned editorial or algorithmic playlist(s) answered 404: {}. Since 2024-11-27 Spotify does "
          "not show these playlists (ids starting 37i9dQZF1) to applications registered on or after that date or "
          "still in development mode; only apps with extended access granted before then can read them. Their "
          "tracks are missing from the CSV: give those genres user-made playlists in the playlists file. {}",
          editorial_.size(), list_some(editorial_), extract));
    if (!not_found_.empty())
      notes.push_back(fmt::format("{} playlist(s) answered 404 (deleted, private or mistyped): {}. Check each id at "
                                  "https://open.spotify.com/playlist/ID",
                                  not_found_.size(), list_some(not_found_)));
    if (!playlist_refused_.empty())
      notes.push_back(fmt::format(
          "{} playlist(s) answered 403: {}. Since February 2026 (new apps 2026-02-11, existing development-mode "
          "apps 2026-03-09) development-mode apps may be refused playlists; apps with extended quota are not "
          "affected.",
          playlist_refused_.size(), list_some(playlist_refused_)));
    if (!tracks_path_closed_.empty())
      notes.push_back(fmt::format(
          "{} playlist(s) answered 403 on /playlists/{{id}}/tracks: {}. Since February 2026 development-mode apps "
          "read playlist contents from /playlists/{{id}}/items only.",
          tracks_path_closed_.size(), list_some(tracks_path_closed_)));
    if (tracks_closed_)
      notes.push_back(
          "GET /tracks?ids= answered 403: since February 2026 (new apps 2026-02-11, existing development-mode apps "
          "2026-03-09) development-mode apps cannot read several tracks at once, and their track objects lack "
          "popularity and external_ids (isrc). The metadata columns come from the playlist entries; popularity and "
          "isrc are empty where the entries lack them.");
    if (tracks_null_ > 0)
      notes.push_back(fmt::format("GET /tracks?ids= had no track object (null) for {} track(s) listed in the "
                                  "playlists; their rows keep the playlist entry's metadata.",
                                  tracks_null_));
    if (features_closed_)
      notes.push_back(fmt::format(
          "GET /audio-features answered {}: since 2024-11-27 Spotify gives no audio features to applications "
          "registered on or after that date or still in development mode (apps with extended access granted "
          "before then still get them). The metadata columns are written; the 12 audio-feature columns "
          "(danceability ... time_signature) are empty. {}",
          features_closed_, extract));
    else if (summary_.with_audio_features < ids_.size())
      notes.push_back(fmt::format("Spotify has no audio features (null) for {} of {} tracks; their feature cells "
                                  "are empty.",
                                  ids_.size() - summary_.with_audio_features, ids_.size()));
    if (analysis_closed_)
      notes.push_back(fmt::format(
          "GET /audio-analysis answered 403: since 2024-11-27 Spotify gives no audio analysis to applications "
          "registered on or after that date or still in development mode. No analysis files were written to {}. "
          "genrelab extract AUDIO... --analysis-dir {} writes analyses of the same shape from audio files, which "
          "genrelab features reads.",
          request_.analysis_dir, request_.analysis_dir));
    if (!analysis_missing_.empty())
      notes.push_back(fmt::format("GET /audio-analysis answered 404 for {} track(s) ({}): Spotify has no analysis "
                                  "of them; genrelab features --missing drop leaves their rows out.",
                                  analysis_missing_.size(), list_some(analysis_missing_)));
    std::size_t no_popularity = 0, no_isrc = 0;
    for (const std::string& id : ids_) {
      no_popularity += tracks_.at(id).popularity.empty();
      no_isrc += tracks_.at(id).isrc.empty();
    }
    if ((no_popularity || no_isrc) && !tracks_closed_)
      notes.push_back(fmt::format("Spotify sent no popularity for {} and no isrc for {} of {} tracks (since "
                                  "February 2026 development-mode apps get neither); those cells are empty.",
                                  no_popularity, no_isrc, ids_.size()));
  }

  const FetchRequest& request_;
  FetchSummary& summary_;
  WebApi api_;
  std::vector<Row> entries_, rows_;
  std::unordered_map<std::string, Track> tracks_;
  std::vector<std::string> ids_;  // kept tracks, first appearance first
  std::vector<std::string> editorial_, not_found_, playlist_refused_, tracks_path_closed_, analysis_missing_;
  std::size_t tracks_null_ = 0;
  bool tracks_closed_ = false, analysis_closed_ = false;
  long features_closed_ = 0;
};

}  // namespace

const std::vector<std::string>& fetch_csv_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c = {"track_id", "name",       "artists",     "album",    "genre",
                                  "playlist_id", "popularity", "duration_ms", "explicit", "isrc"};
    c.insert(c.end(), kFeatureColumns.begin(), kFeatureColumns.end());
    return c;
  }();
  return columns;
}

FetchSummary run_fetch(const FetchRequest& request) {
  check_base(request.api_base, "--api-base");
  check_base(request.accounts_base, "--accounts-base");
  if (!request.market.empty() &&
      (request.market.size() != 2 || !std::isupper(static_cast<unsigned char>(request.market[0])) ||
       !std::isupper(static_cast<unsigned char>(request.market[1]))))
    throw UsageError(fmt::format("--market {}: expected an ISO 3166-1 alpha-2 country code such as US, FR or ES",
                                 request.market));
  if (request.output.empty()) throw UsageError("fetch: -o/--output is required");
  if (request.credentials.client_id.empty() || request.credentials.client_secret.empty())
    throw UsageError("fetch: no Spotify credentials (SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET or --credentials)");
  std::string cache = request.cache;
  if (cache.empty()) {
    if (request.output == "-") throw UsageError("fetch: with -o - give --cache FILE (where responses are kept)");
    cache = request.output + ".cache.sqlite";
  }
  const std::vector<GenrePlaylists> genres = read_playlists_toml(request.playlists);
  refuse_output_over_input(request.output, {request.playlists, cache}, "--output");

  FetchSummary summary;
  Fetcher fetcher(request, cache, summary);
  fetcher.run(genres);
  if (fetcher.rows() == 0) {
    std::string why;
    for (const std::string& n : summary.notes) why += "\n  " + n;
    throw InputError(fmt::format("{}: no tracks to write: no playlist gave a track{}", request.playlists, why));
  }
  write_file_atomic(request.output, fetcher.csv());
  return summary;
}

}  // namespace genrelab
