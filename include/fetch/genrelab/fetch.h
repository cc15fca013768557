// `genrelab fetch`: a study's tracks collected from Spotify playlists through
// the Web API, the way the seed study collected its data, but resumable and
// honest about what Spotify still lets an application read.
//
// One genre per playlists.toml key; its playlists' entries become rows with
// the track's metadata and, where the application may read them, Spotify's
// audio features (and, with an analysis folder, one audio-analysis JSON per
// track, the shape `genrelab features` reads). Every successful response is
// kept in an SQLite cache, so a rerun after a crash, a kill or a network
// failure resumes where the last one stopped and repeats no request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace genrelab {

// Time as the fetch sees it: waits for Retry-After, backoff and the request
// budget go through sleep(), token expiry through now(), so tests can run a
// fetch on a virtual clock and check every wait.
class FetchClock {
 public:
  virtual ~FetchClock() = default;
  virtual double now() = 0;  // seconds, monotonic
  virtual void sleep(double seconds) = 0;
};
std::shared_ptr<FetchClock> real_fetch_clock();

// Client credentials. Never printed, logged or written anywhere.
struct SpotifyCredentials {
  std::string client_id, client_secret;
};
// From `file` when given (lines `SPOTIFY_CLIENT_ID=...` and
// `SPOTIFY_CLIENT_SECRET=...`, or client_id / client_secret; # comments),
// else from the environment variables SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET.
// A file readable by group or others is refused (UsageError naming the file
// and `chmod 600`); missing credentials are a UsageError saying where to put them.
SpotifyCredentials load_spotify_credentials(const std::string& file);

// One genre of playlists.toml, in file order.
struct GenrePlaylists {
  std::string genre;
  std::vector<std::string> playlist_ids;  // 22-character base-62 Spotify ids
};
// playlists.toml: `genre = "ID, URI or URL"` or `genre = ["...", "..."]`.
// InputError naming the file, line and key for anything else.
std::vector<GenrePlaylists> read_playlists_toml(const std::string& path);
// The playlist id in a bare id, `spotify:playlist:ID`, `spotify:user:U:playlist:ID`
// or an open.spotify.com URL (query and locale prefix allowed); "" if none.
std::string parse_playlist_id(std::string_view text);

// Spotify-owned editorial and algorithmic playlists (ids starting 37i9dQZF1),
// closed to new applications since 2024-11-27.
bool is_editorial_playlist(std::string_view id);

enum class DuplicatePolicy { drop, first, keep };

struct FetchRequest {
  std::string playlists;     // playlists.toml
  std::string output;        // tracks CSV, written atomically ("-" = stdout)
  std::string analysis_dir;  // "" = no audio analyses
  std::string cache;         // SQLite cache; "" = <output>.cache.sqlite
  bool refresh = false;      // ignore cached responses (they are replaced)
  std::string market;        // ISO 3166-1 alpha-2, "" = none
  DuplicatePolicy duplicates = DuplicatePolicy::drop;
  SpotifyCredentials credentials;

  // Where the API lives; tests point these at 127.0.0.1. Plain http:// is
  // refused for any host but the loopback one (the credentials travel there).
  std::string api_base = "https://api.spotify.com/v1";
  std::string accounts_base = "https://accounts.spotify.com";
  double timeout_seconds = 30.0;      // one request, connect to last byte
  double max_rate = 10.0;             // requests per second, the budget's ceiling
  int max_attempts = 6;               // per request, for 5xx, network errors, malformed JSON
  int max_rate_limited = 10;          // per request, for 429s
  double backoff_base = 1.0;          // seconds, doubled each attempt
  double backoff_cap = 60.0;          // seconds
  double max_retry_after = 3600.0;    // a longer Retry-After stops the fetch (resume later)
  double token_margin = 60.0;         // refresh the token this long before it expires
  std::uint64_t seed = 0;             // backoff jitter
  std::shared_ptr<FetchClock> clock;  // null = real time
  std::function<void(std::string_view)> log;  // progress lines; null = quiet
};

struct FetchSummary {
  std::size_t genres = 0, playlists = 0, rows = 0, tracks = 0;
  std::size_t entries_skipped = 0;        // null, local or non-track playlist entries
  std::size_t repeats_within_genre = 0;   // a track twice under one genre: one row
  std::size_t tracks_in_several_genres = 0;
  std::size_t rows_dropped_as_duplicates = 0;  // --duplicates drop / first
  std::size_t with_audio_features = 0, analyses_written = 0;
  std::size_t requests_sent = 0, responses_from_cache = 0, token_requests = 0;
  std::size_t rate_limited = 0, retried = 0;  // 429s; 5xx, network and malformed-JSON retries
  double retry_after_waited = 0.0;   // seconds waited on Retry-After
  double backoff_waited = 0.0;       // seconds of exponential backoff
  double backoff_bound = 0.0;        // the most that backoff could have been (no jitter)
  double budget_waited = 0.0;        // seconds spent keeping to the request budget
  // What Spotify would not give and what that means, one line per kind.
  std::vector<std::string> notes;
};

// Runs the whole fetch. UsageError for bad options, InputError for bad
// playlists.toml, refused credentials, an API that keeps failing (the cache
// keeps what arrived; rerunning resumes) or nothing to write. The output is
// written only at the end, whole.
FetchSummary run_fetch(const FetchRequest& request);

// The CSV's columns, in order.
const std::vector<std::string>& fetch_csv_columns();

}  // namespace genrelab
