// A fake Spotify Web API for the fetch tests: a real HTTP server (cpp-httplib)
// on 127.0.0.1 in the test process, serving a deterministic catalogue of 3
// genres and 250 tracks in the shapes of the Web API reference (token, playlist
// pages under `item` or `track`, /tracks, /audio-features, /audio-analysis),
// counting every request and injecting the failures the real API produces.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "genrelab/fetch.h"
#include "genrelab/random.h"

namespace fetch_fixture {

using nlohmann::json;

inline const std::string kClientId = "fixture-client-id-6c1b0e";
inline const std::string kClientSecret = "fixture-client-secret-93f27a4d";
inline const std::string kTokenPrefix = "fixture-token-5d8e-";

// Virtual time: sleeping advances it at once, so tests check every wait
// without spending it. The server may advance it too (per request).
class FakeClock final : public genrelab::FetchClock {
 public:
  double now() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return t_;
  }
  void sleep(double seconds) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (seconds > 0) t_ += seconds;
    slept_ += seconds;
    waits_.push_back(seconds);
  }
  void advance(double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    t_ += seconds;
  }
  double slept() {
    std::lock_guard<std::mutex> lock(mutex_);
    return slept_;
  }

 private:
  std::mutex mutex_;
  double t_ = 1000.0, slept_ = 0.0;
  std::vector<double> waits_;
};

struct Track {
  std::string id, name, artist, album, isrc;
  int popularity = 0, duration_ms = 0;
  bool explicit_ = false;
  json features;  // null: Spotify has none
};

inline std::string make_id(genrelab::Rng& rng) {
  static const char* kChars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string id;
  for (int i = 0; i < 22; ++i) id += kChars[rng.uniform_index(62)];
  return id;
}

inline double r3(double v) { return std::round(v * 1000.0) / 1000.0; }

// 250 tracks; genres alpha (tracks 0-99), beta (100-179), gamma (180-249).
// beta also lists tracks 0-4 and gamma track 100 (6 tracks under two genres);
// alpha lists track 10 twice and holds an episode; beta a local file; gamma a
// removed (null) entry. /tracks has no object for track 200; /audio-features
// none for track 201.
struct Catalogue {
  std::vector<Track> tracks;
  std::map<std::string, std::size_t> index;
  struct Playlist {
    std::string genre, id;
    std::vector<json> entries;  // the entry's object (track JSON) or a marker
  };
  std::vector<Playlist> playlists;

  Catalogue() {
    genrelab::Rng rng(20240611);
    for (int i = 0; i < 250; ++i) {
      Track t;
      t.id = make_id(rng);
      t.name = i % 17 == 0 ? "Song " + std::to_string(i) + ", \"live\"" : "Song " + std::to_string(i);
      t.artist = "Artist " + std::to_string(i % 40);
      t.album = "Album " + std::to_string(i / 5);
      t.isrc = "QZFIX" + std::to_string(1000000 + i);
      t.popularity = (i * 37) % 101;
      t.duration_ms = 120000 + i * 997;
      t.explicit_ = i % 7 == 0;
      const int genre = i < 100 ? 0 : i < 180 ? 1 : 2;
      // Genres differ in a few features so a classifier has something to learn.
      t.features = {{"danceability", r3(0.2 + 0.25 * genre + 0.2 * rng.uniform())},
                    {"energy", r3(0.9 - 0.3 * genre + 0.1 * rng.uniform())},
                    {"key", static_cast<int>(rng.uniform_index(12))},
                    {"loudness", r3(-5.0 - 4.0 * genre - 3.0 * rng.uniform())},
                    {"mode", static_cast<int>(rng.uniform_index(2))},
                    {"speechiness", r3(0.03 + 0.1 * rng.uniform())},
                    {"acousticness", r3(0.1 + 0.3 * genre * rng.uniform())},
                    {"instrumentalness", r3(rng.uniform() < 0.5 ? 0.0 : rng.uniform())},
                    {"liveness", r3(0.05 + 0.3 * rng.uniform())},
                    {"valence", r3(rng.uniform())},
                    {"tempo", r3(90.0 + 20.0 * genre + 30.0 * rng.uniform())},
                    {"time_signature", 3 + static_cast<int>(rng.uniform_index(2))},
                    {"type", "audio_features"},
                    {"duration_ms", t.duration_ms}};
      t.features["id"] = t.id;
      if (i == 7) t.features["key"] = -1;  // Spotify: no key detected
      if (i == 201) t.features = nullptr;
      index[t.id] = tracks.size();
      tracks.push_back(t);
    }
    Playlist alpha{"alpha", "1AlphaPlaylist00000001", {}}, beta{"beta", "2BetaPlaylist000000002", {}},
        gamma{"gamma", "3GammaPlaylist00000003", {}};
    for (int i = 0; i < 100; ++i) {
      alpha.entries.push_back(i);
      if (i == 10) alpha.entries.push_back(10);
      if (i == 50) alpha.entries.push_back("episode");
    }
    for (int i = 100; i < 180; ++i) {
      beta.entries.push_back(i);
      if (i == 120) beta.entries.push_back("local");
    }
    for (int i = 0; i < 5; ++i) beta.entries.push_back(i);
    for (int i = 180; i < 250; ++i) {
      gamma.entries.push_back(i);
      if (i == 190) gamma.entries.push_back(nullptr);
    }
    gamma.entries.push_back(100);
    playlists = {alpha, beta, gamma};
  }

  std::string toml() const {
    std::string out;
    for (const auto& p : playlists) out += p.genre + " = \"spotify:playlist:" + p.id + "\"\n";
    return out;
  }
};

inline json track_json(const Track& t, bool dev_mode) {
  json j = {{"id", t.id},
            {"name", t.name},
            {"type", "track"},
            {"uri", "spotify:track:" + t.id},
            {"artists", json::array({{{"name", t.artist}, {"type", "artist"}}})},
            {"album", {{"name", t.album}, {"type", "album"}}},
            {"duration_ms", t.duration_ms},
            {"explicit", t.explicit_},
            {"is_local", false}};
  if (t.id.back() == 'x') j["artists"].push_back({{"name", "Guest"}, {"type", "artist"}});
  if (!dev_mode) {
    j["popularity"] = t.popularity;
    j["external_ids"] = {{"isrc", t.isrc}};
  }
  return j;
}

inline json analysis_json(const Track& t) {
  json sections = json::array(), segments = json::array();
  const double duration = t.duration_ms / 1000.0;
  for (int s = 0; s < 2; ++s)
    sections.push_back({{"start", s * duration / 2},
                        {"duration", duration / 2},
                        {"confidence", 0.5},
                        {"loudness", -8.0},
                        {"tempo", 100.0 + s},
                        {"key", (t.duration_ms / 997 + s * 7) % 12},
                        {"mode", s % 2}});
  for (int g = 0; g < 4; ++g) {
    json pitches = json::array(), timbre = json::array();
    for (int k = 0; k < 12; ++k) {
      pitches.push_back(r3(((k * 5 + g + t.duration_ms / 997) % 12) / 11.0));
      timbre.push_back(r3((k - 6) * 3.5 + g));
    }
    segments.push_back({{"start", g * duration / 4},
                        {"duration", duration / 4},
                        {"confidence", 0.7},
                        {"loudness_start", -30.0},
                        {"loudness_max", -10.0 - g},
                        {"loudness_max_time", 0.05},
                        {"pitches", pitches},
                        {"timbre", timbre}});
  }
  return {{"meta", {{"analyzer_version", "fixture"}}},
          {"track", {{"duration", duration}, {"key", (t.duration_ms / 997) % 12}, {"mode", 1}, {"tempo", 100.0}}},
          {"bars", json::array()},
          {"beats", json::array()},
          {"sections", sections},
          {"segments", segments}};
}

// What to do with one request instead of answering it.
enum class Fault { none, rate_limit, server_error, drop, slow, malformed, unauthorized };

// How the fake API behaves (one set of the API's moods per test).
struct ServerMode {
  bool items_path = true;        // /playlists/{id}/items exists (February 2026)
  bool tracks_path_403 = false;  // /playlists/{id}/tracks answers 403 (development mode since 2026)
  bool tracks_path_404 = false;  // ... or does not exist at all
  bool batch_tracks_403 = false;
  bool features_403 = false;
  bool analysis_403 = false;
  bool dev_fields = false;       // track objects without popularity / external_ids
  int latency_ms = 0;
  int expires_in = 3600;
  int retry_after = 1;
  int slow_ms = 1500;
  std::shared_ptr<FakeClock> clock;  // token expiry in virtual time; null: tokens never expire
  double advance_per_request = 0.0;  // virtual seconds each request takes
};

class FakeSpotify {
 public:
  using Mode = ServerMode;

  explicit FakeSpotify(Mode mode = {}) : mode_(mode) {
    server_.Post("/api/token", [this](const httplib::Request& req, httplib::Response& res) { token(req, res); });
    server_.Get(R"(/v1/.*)", [this](const httplib::Request& req, httplib::Response& res) { api(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeSpotify() {
    server_.stop();
    thread_.join();
  }

  std::string api_base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::string accounts_base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const Catalogue& catalogue() const { return catalogue_; }

  void set_fault(std::function<Fault(const std::string& key)> f) {
    std::lock_guard<std::mutex> lock(mutex_);
    fault_ = std::move(f);
  }
  void set_mode(Mode m) {
    std::lock_guard<std::mutex> lock(mutex_);
    mode_ = m;
  }
  // Every token issued so far is refused from now on (the next request gets 401).
  // (Lock-free: callable from inside a fault function.)
  void revoke_tokens() { revoked_before_ = issued_.load(); }

  std::vector<std::string> log() {
    std::lock_guard<std::mutex> lock(mutex_);
    return log_;
  }
  std::map<std::string, int> answered() {  // 200s with a full body, per request
    std::lock_guard<std::mutex> lock(mutex_);
    return answered_;
  }
  std::set<std::string> tokens() {
    std::lock_guard<std::mutex> lock(mutex_);
    return tokens_;
  }
  int count(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    return counts_[what];
  }
  int token_requests() { return count("token"); }
  int unauthorized() { return count("401"); }
  int injected(Fault f) { return count("fault" + std::to_string(static_cast<int>(f))); }

 private:
  Fault take_fault(const std::string& key) {
    Fault f = fault_ ? fault_(key) : Fault::none;
    if (f != Fault::none) ++counts_["fault" + std::to_string(static_cast<int>(f))];
    return f;
  }

  // Answers a fault; true when it did.
  bool apply(Fault f, httplib::Response& res) {
    switch (f) {
      case Fault::none:
        return false;
      case Fault::rate_limit:
        res.status = 429;
        res.set_header("Retry-After", std::to_string(mode_.retry_after));
        res.set_content(R"({"error":{"status":429,"message":"API rate limit exceeded"}})", "application/json");
        return true;
      case Fault::server_error:
        res.status = 500;
        res.set_content(R"({"error":{"status":500,"message":"Server error"}})", "application/json");
        return true;
      case Fault::drop:
        // Promises 4000 bytes, sends a few, then closes the connection.
        res.set_content_provider(4000, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
          sink.write("{\"items\": [", 11);
          return false;
        });
        return true;
      case Fault::slow:
        std::this_thread::sleep_for(std::chrono::milliseconds(mode_.slow_ms));
        return false;  // then answers normally, too late for the client
      case Fault::malformed:
        res.status = 200;
        res.set_content("{\"items\": [ {\"item\": ", "application/json");
        return true;
      case Fault::unauthorized:
        res.status = 401;
        res.set_content(R"({"error":{"status":401,"message":"The access token expired"}})", "application/json");
        ++counts_["401"];
        return true;
    }
    return false;
  }

  void token(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(mutex_);
    log_.push_back("POST /api/token");
    ++counts_["token"];
    if (apply(take_fault("POST /api/token"), res)) return;
    const std::string expected = "Basic " + base64(kClientId + ":" + kClientSecret);
    if (req.get_header_value("Authorization") != expected || req.body != "grant_type=client_credentials") {
      res.status = 400;
      res.set_content(R"({"error":"invalid_client","error_description":"Invalid client"})", "application/json");
      return;
    }
    const std::string token = kTokenPrefix + std::to_string(++issued_);
    tokens_.insert(token);
    expiry_[token] = mode_.clock ? mode_.clock->now() + mode_.expires_in : 1e300;
    res.set_content(json{{"access_token", token}, {"token_type", "Bearer"}, {"expires_in", mode_.expires_in}}.dump(),
                    "application/json");
  }

  void api(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::string key = req.target;
    log_.push_back(key);
    if (mode_.latency_ms) {
      // Logged first, so a test that kills the client knows what was in flight.
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(mode_.latency_ms));
      lock.lock();
    }
    if (mode_.clock && mode_.advance_per_request > 0) mode_.clock->advance(mode_.advance_per_request);
    const std::string auth = req.get_header_value("Authorization");
    const std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
    const auto it = expiry_.find(token);
    const long number = token.size() > kTokenPrefix.size() ? std::stol(token.substr(kTokenPrefix.size())) : 0;
    if (it == expiry_.end() || number <= revoked_before_ ||
        (mode_.clock && mode_.clock->now() >= it->second)) {
      ++counts_["401"];
      res.status = 401;
      res.set_content(R"({"error":{"status":401,"message":"The access token expired"}})", "application/json");
      return;
    }
    const Fault f = take_fault(key);
    if (f == Fault::slow) {
      lock.unlock();
      apply(f, res);
      lock.lock();
    } else if (apply(f, res)) {
      return;
    }
    json body;
    const int status = route(req, body);
    res.status = status;
    res.set_content(body.dump(), "application/json");
    if (status == 200) ++answered_[key];
  }

  int route(const httplib::Request& req, json& body) {
    const std::string& path = req.path;
    auto error = [&](int status, const char* message) {
      body = {{"error", {{"status", status}, {"message", message}}}};
      return status;
    };
    const std::string playlists = "/v1/playlists/";
    if (path.rfind(playlists, 0) == 0) {
      const std::string rest = path.substr(playlists.size());
      const std::string id = rest.substr(0, rest.find('/'));
      const std::string what = rest.substr(id.size());
      const bool items = what == "/items";
      if (!items && what != "/tracks") return error(404, "Not found.");
      if (items && !mode_.items_path) return error(404, "Not found.");
      if (!items && mode_.tracks_path_404) return error(404, "Not found.");
      if (!items && mode_.tracks_path_403) return error(403, "Forbidden");
      const Catalogue::Playlist* p = nullptr;
      for (const auto& candidate : catalogue_.playlists)
        if (candidate.id == id) p = &candidate;
      if (!p) return error(404, "Resource not found");
      const std::size_t limit = std::stoul(req.get_param_value("limit"));
      const std::size_t offset = std::stoul(req.get_param_value("offset"));
      if (limit > 50) return error(400, "Invalid limit");
      json list = json::array();
      for (std::size_t i = offset; i < std::min(offset + limit, p->entries.size()); ++i) {
        const json& e = p->entries[i];
        json entry = {{"added_at", "2020-05-01T00:00:00Z"}, {"is_local", false}};
        json object;
        if (e.is_number()) object = track_json(catalogue_.tracks[e.get<int>()], mode_.dev_fields);
        else if (e == "episode") object = {{"id", "0Episode00000000000001"}, {"type", "episode"}, {"name", "Talk"}};
        else if (e == "local") {
          entry["is_local"] = true;
          object = {{"id", nullptr}, {"type", "track"}, {"name", "my file.mp3"}, {"is_local", true}};
        }
        entry[items ? "item" : "track"] = object;
        list.push_back(entry);
      }
      const std::string market = req.has_param("market") ? "&market=" + req.get_param_value("market") : "";
      body = {{"href", api_base() + path.substr(3)},
              {"items", list},
              {"limit", limit},
              {"offset", offset},
              {"total", p->entries.size()},
              {"previous", nullptr},
              {"next", offset + limit < p->entries.size()
                           ? json(api_base() + path.substr(3) + "?offset=" + std::to_string(offset + limit) +
                                  "&limit=" + std::to_string(limit) + market)
                           : json(nullptr)}};
      return 200;
    }
    if (path == "/v1/tracks" || path == "/v1/audio-features") {
      const bool features = path == "/v1/audio-features";
      if (features && mode_.features_403) return error(403, "Forbidden");
      if (!features && mode_.batch_tracks_403) return error(403, "Forbidden");
      const std::string ids = req.get_param_value("ids");
      json list = json::array();
      std::size_t n = 0;
      for (std::size_t from = 0; from <= ids.size();) {
        const std::size_t comma = std::min(ids.find(',', from), ids.size());
        const std::string id = ids.substr(from, comma - from);
        from = comma + 1;
        ++n;
        const auto it = catalogue_.index.find(id);
        if (it == catalogue_.index.end()) list.push_back(nullptr);
        else if (features) list.push_back(catalogue_.tracks[it->second].features);
        else if (it->second == 200) list.push_back(nullptr);
        else list.push_back(track_json(catalogue_.tracks[it->second], mode_.dev_fields));
      }
      if (n > (features ? 100u : 50u)) return error(400, "Too many ids requested");
      body = {{features ? "audio_features" : "tracks", list}};
      return 200;
    }
    const std::string analysis = "/v1/audio-analysis/";
    if (path.rfind(analysis, 0) == 0) {
      if (mode_.analysis_403) return error(403, "Forbidden");
      const auto it = catalogue_.index.find(path.substr(analysis.size()));
      if (it == catalogue_.index.end() || it->second == 202) return error(404, "analysis not found");
      body = analysis_json(catalogue_.tracks[it->second]);
      return 200;
    }
    return error(404, "Service not found");
  }

  static std::string base64(const std::string& in) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : in) {
      val = (val << 8) + c;
      bits += 8;
      while (bits >= 0) {
        out.push_back(k[(val >> bits) & 0x3F]);
        bits -= 6;
      }
    }
    if (bits > -6) out.push_back(k[((val << 8) >> (bits + 8)) & 0x3F]);
    while (out.size() % 4) out.push_back('=');
    return out;
  }

  Mode mode_;
  Catalogue catalogue_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::function<Fault(const std::string&)> fault_;
  std::vector<std::string> log_;
  std::map<std::string, int> answered_, counts_;
  std::set<std::string> tokens_;
  std::map<std::string, double> expiry_;
  std::atomic<long> issued_{0}, revoked_before_{0};
};

}  // namespace fetch_fixture
