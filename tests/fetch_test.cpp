// genrelab fetch against a fake Spotify Web API on 127.0.0.1 (fetch_fixture.h):
// every failure the real API produces, the February 2026 and the older
// playlist shapes, the closed endpoints, resuming from the cache, and the
// credentials never leaving the process. No test reaches the internet.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli_runner.h"
#include "fetch_fixture.h"
#include "genrelab/error.h"
#include "genrelab/fetch.h"

namespace {

namespace fs = std::filesystem;
using namespace fetch_fixture;
using genrelab::DuplicatePolicy;
using genrelab::FetchRequest;
using genrelab::FetchSummary;
using genrelab::run_fetch;
using genrelab::testing::slurp;

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell), cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(cell), cell.clear();
      rows.emplace_back();
    } else {
      cell += c;
    }
  }
  rows.pop_back();
  return rows;
}

struct Scene {
  fs::path dir;
  FetchRequest request;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
};

Scene setup(FakeSpotify& server, const std::string& name) {
  Scene s;
  s.dir = genrelab::testing::scratch_dir("fetch-" + name);
  write(s.dir / "playlists.toml", server.catalogue().toml());
  FetchRequest& r = s.request;
  r.playlists = (s.dir / "playlists.toml").string();
  r.output = (s.dir / "tracks.csv").string();
  r.cache = (s.dir / "cache.sqlite").string();
  r.credentials = {kClientId, kClientSecret};
  r.api_base = server.api_base();
  r.accounts_base = server.accounts_base();
  r.max_rate = 1000.0;
  r.timeout_seconds = 5.0;
  r.clock = s.clock;
  return s;
}

// The CSV of an untroubled fetch of the catalogue (computed once).
const std::string& baseline_csv() {
  static const std::string csv = [] {
    FakeSpotify server;
    Scene s = setup(server, "baseline");
    run_fetch(s.request);
    return slurp(s.request.output);
  }();
  return csv;
}

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

TEST(FetchPlaylists, ParsesIdsUrisAndUrls) {
  using genrelab::parse_playlist_id;
  const std::string id = "37i9dQZF1DWWEJlAGA9gs0";
  EXPECT_EQ(parse_playlist_id(id), id);
  EXPECT_EQ(parse_playlist_id(" spotify:playlist:" + id + " "), id);
  EXPECT_EQ(parse_playlist_id("spotify:user:spotify:playlist:" + id), id);
  EXPECT_EQ(parse_playlist_id("https://open.spotify.com/playlist/" + id + "?si=abc123"), id);
  EXPECT_EQ(parse_playlist_id("https://open.spotify.com/intl-fr/playlist/" + id), id);
  EXPECT_EQ(parse_playlist_id("open.spotify.com/user/someone/playlist/" + id + "/"), id);
  EXPECT_EQ(parse_playlist_id("https://open.spotify.com/embed/playlist/" + id + "#x"), id);
  EXPECT_EQ(parse_playlist_id("https://open.spotify.com/album/" + id), "");
  EXPECT_EQ(parse_playlist_id("https://evil.example/playlist/" + id), "");
  EXPECT_EQ(parse_playlist_id("37i9dQZF1DWWEJlAGA9gs"), "");  // 21 characters
  EXPECT_TRUE(genrelab::is_editorial_playlist(id));
  EXPECT_FALSE(genrelab::is_editorial_playlist("7Mr3wEdKgaiAP4Cm2a6vda"));
}

TEST(FetchPlaylists, KeepsFileOrderAndNamesBadLines) {
  const fs::path dir = genrelab::testing::scratch_dir("fetch-toml");
  write(dir / "p.toml",
        "zeta = \"7Mr3wEdKgaiAP4Cm2a6vda\"\n"
        "\"50s Hits\" = [\"spotify:playlist:2SwjQPegrTTYaOsWQrwhMe\", "
        "\"https://open.spotify.com/playlist/4MRGjKqlWuJZJ8XHOGcqkR?si=1\"]\n"
        "alpha = \"2SwjQPegrTTYaOsWQrwhMe\"\n");
  const auto genres = genrelab::read_playlists_toml((dir / "p.toml").string());
  ASSERT_EQ(genres.size(), 3u);
  EXPECT_EQ(genres[0].genre, "zeta");
  EXPECT_EQ(genres[1].genre, "50s Hits");
  EXPECT_EQ(genres[1].playlist_ids, (std::vector<std::string>{"2SwjQPegrTTYaOsWQrwhMe", "4MRGjKqlWuJZJ8XHOGcqkR"}));
  EXPECT_EQ(genres[2].genre, "alpha");

  write(dir / "bad.toml", "ok = \"7Mr3wEdKgaiAP4Cm2a6vda\"\nrock = \"https://open.spotify.com/album/x\"\n");
  try {
    genrelab::read_playlists_toml((dir / "bad.toml").string());
    FAIL() << "accepted an album URL";
  } catch (const genrelab::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.toml:2: genre 'rock'"), std::string::npos) << e.what();
  }
  write(dir / "num.toml", "rock = 42\n");
  EXPECT_THROW(genrelab::read_playlists_toml((dir / "num.toml").string()), genrelab::InputError);

  // The shipped seed file parses: 14 genres, the study's labels.
  const auto seed = genrelab::read_playlists_toml(GENRELAB_SOURCE_DIR "/examples/seed-playlists.toml");
  ASSERT_EQ(seed.size(), 14u);
  EXPECT_EQ(seed.front().genre, "hip hop");
  EXPECT_EQ(seed.back().genre, "50s Hits");
}

TEST(FetchCredentials, FromEnvironmentOrAPrivateFile) {
  const fs::path dir = genrelab::testing::scratch_dir("fetch-credentials");
  ::setenv("SPOTIFY_CLIENT_ID", "env-id", 1);
  ::setenv("SPOTIFY_CLIENT_SECRET", "env-secret", 1);
  auto c = genrelab::load_spotify_credentials("");
  EXPECT_EQ(c.client_id, "env-id");
  EXPECT_EQ(c.client_secret, "env-secret");
  ::unsetenv("SPOTIFY_CLIENT_SECRET");
  EXPECT_THROW(genrelab::load_spotify_credentials(""), genrelab::UsageError);
  ::unsetenv("SPOTIFY_CLIENT_ID");

  const fs::path file = dir / "spotify.env";
  write(file, "# my app\nSPOTIFY_CLIENT_ID=file-id\nexport SPOTIFY_CLIENT_SECRET=\"file-secret\"\n");
  ::chmod(file.c_str(), 0644);
  try {
    genrelab::load_spotify_credentials(file.string());
    FAIL() << "read a world-readable secret";
  } catch (const genrelab::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("file-secret"), std::string::npos);
  }
  ::chmod(file.c_str(), 0640);
  EXPECT_THROW(genrelab::load_spotify_credentials(file.string()), genrelab::UsageError);
  ::chmod(file.c_str(), 0600);
  c = genrelab::load_spotify_credentials(file.string());
  EXPECT_EQ(c.client_id, "file-id");
  EXPECT_EQ(c.client_secret, "file-secret");
  write(file, "SPOTIFY_CLIENT_ID=file-id\nSECRET file-secret\n");
  try {
    genrelab::load_spotify_credentials(file.string());
    FAIL();
  } catch (const genrelab::UsageError& e) {
    EXPECT_EQ(std::string(e.what()).find("file-secret"), std::string::npos) << "a message showed the secret";
  }
}

TEST(Fetch, ItemsShapeAcrossPagesWithEveryColumn) {
  FakeSpotify server;
  Scene s = setup(server, "items");
  s.request.analysis_dir = (s.dir / "analyses").string();
  const FetchSummary summary = run_fetch(s.request);
  const auto rows = parse_csv(slurp(s.request.output));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], genrelab::fetch_csv_columns());
  ASSERT_EQ(rows[0].size(), 22u);
  // 250 tracks, 6 of them under two genres: dropped (the default) from both.
  EXPECT_EQ(summary.tracks_in_several_genres, 6u);
  EXPECT_EQ(summary.rows_dropped_as_duplicates, 12u);
  EXPECT_EQ(summary.repeats_within_genre, 1u);
  EXPECT_EQ(summary.entries_skipped, 3u);  // an episode, a local file, a removed track
  EXPECT_EQ(rows.size() - 1, 244u);
  EXPECT_EQ(summary.rows, 244u);

  // Pagination: 102, 86 and 72 entries at 50 a page; one request per batch.
  const auto answered = server.answered();
  std::size_t pages = 0, tracks = 0, features = 0, analyses = 0;
  for (const auto& [key, n] : answered) {
    EXPECT_EQ(n, 1) << key << " was answered more than once";
    pages += key.find("/items?") != std::string::npos;
    tracks += key.rfind("/v1/tracks?", 0) == 0;
    features += key.rfind("/v1/audio-features?", 0) == 0;
    analyses += key.rfind("/v1/audio-analysis/", 0) == 0;
  }
  EXPECT_EQ(pages, 3u + 2u + 2u);
  EXPECT_EQ(tracks, ceil_div(244, 50));
  EXPECT_EQ(features, ceil_div(244, 100));
  EXPECT_EQ(analyses, 243u);  // track 202 has no analysis (404)
  EXPECT_EQ(summary.analyses_written, 243u);
  EXPECT_EQ(server.token_requests(), 1);

  // Row values, as the catalogue holds them.
  const Catalogue& cat = server.catalogue();
  const Track& t17 = cat.tracks[17];
  auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r[0] == t17.id; });
  ASSERT_NE(row, rows.end());
  EXPECT_EQ((*row)[1], t17.name);  // holds a comma and quotes
  EXPECT_EQ((*row)[2], t17.artist);
  EXPECT_EQ((*row)[3], t17.album);
  EXPECT_EQ((*row)[4], "alpha");
  EXPECT_EQ((*row)[5], cat.playlists[0].id);
  EXPECT_EQ((*row)[6], std::to_string(t17.popularity));
  EXPECT_EQ((*row)[7], std::to_string(t17.duration_ms));
  EXPECT_EQ((*row)[8], t17.explicit_ ? "true" : "false");
  EXPECT_EQ((*row)[9], t17.isrc);
  EXPECT_EQ((*row)[10], fmt::format("{}", t17.features["danceability"].get<double>()));
  EXPECT_EQ((*row)[12], std::to_string(t17.features["key"].get<int>()));
  EXPECT_EQ((*row)[21], std::to_string(t17.features["time_signature"].get<int>()));
  // Track 201: no audio features; track 200: null in /tracks, the playlist's copy stands.
  row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r[0] == cat.tracks[201].id; });
  ASSERT_NE(row, rows.end());
  for (std::size_t c = 10; c < 22; ++c) EXPECT_EQ((*row)[c], "");
  row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r[0] == cat.tracks[200].id; });
  ASSERT_NE(row, rows.end());
  EXPECT_EQ((*row)[1], cat.tracks[200].name);
  EXPECT_EQ((*row)[6], std::to_string(cat.tracks[200].popularity));
  // Neither a duplicate nor its genres appear.
  for (int i : {0, 4, 100})
    EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [&](const auto& r) { return r[0] == cat.tracks[i].id; }), 0);
  // The analysis file is what Spotify sent.
  EXPECT_EQ(nlohmann::json::parse(slurp((s.dir / "analyses" / (t17.id + ".json")).string())),
            analysis_json(t17));
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
}

TEST(Fetch, DuplicatesFirstAndKeep) {
  FakeSpotify server;
  Scene s = setup(server, "duplicates");
  s.request.duplicates = DuplicatePolicy::first;
  FetchSummary summary = run_fetch(s.request);
  auto rows = parse_csv(slurp(s.request.output));
  EXPECT_EQ(rows.size() - 1, 250u);
  EXPECT_EQ(summary.rows_dropped_as_duplicates, 6u);
  const auto& cat = server.catalogue();
  auto genres_of = [&](const std::string& id) {
    std::vector<std::string> g;
    for (const auto& r : rows)
      if (r[0] == id) g.push_back(r[4]);
    return g;
  };
  EXPECT_EQ(genres_of(cat.tracks[3].id), std::vector<std::string>{"alpha"});
  EXPECT_EQ(genres_of(cat.tracks[100].id), std::vector<std::string>{"beta"});
  s.request.duplicates = DuplicatePolicy::keep;
  summary = run_fetch(s.request);
  rows = parse_csv(slurp(s.request.output));
  EXPECT_EQ(rows.size() - 1, 256u);
  EXPECT_EQ(genres_of(cat.tracks[3].id), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(summary.requests_sent, 0u) << "the second run should be answered from the cache alone";
}

TEST(Fetch, OlderTracksShapeGivesTheSameCsv) {
  FakeSpotify::Mode mode;
  mode.items_path = false;  // an API before February 2026: /tracks, entries under `track`
  FakeSpotify server(mode);
  Scene s = setup(server, "tracks-shape");
  run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
  int tracks_pages = 0;
  for (const auto& [key, n] : server.answered())
    tracks_pages += key.rfind("/v1/playlists/", 0) == 0 && key.find("/tracks?") != std::string::npos;
  EXPECT_EQ(tracks_pages, 7);
}

TEST(Fetch, DevelopmentModeAppGetsMetadataAndOneNotePerClosedEndpoint) {
  FakeSpotify::Mode mode;
  mode.tracks_path_403 = true;
  mode.batch_tracks_403 = true;
  mode.features_403 = true;
  mode.analysis_403 = true;
  mode.dev_fields = true;
  FakeSpotify server(mode);
  Scene s = setup(server, "devmode");
  s.request.analysis_dir = (s.dir / "analyses").string();
  const FetchSummary summary = run_fetch(s.request);
  const auto rows = parse_csv(slurp(s.request.output));
  ASSERT_EQ(rows.size() - 1, 244u);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_FALSE(rows[r][1].empty());  // name
    EXPECT_FALSE(rows[r][7].empty());  // duration_ms
    EXPECT_EQ(rows[r][6], "");         // popularity: not given to development-mode apps
    EXPECT_EQ(rows[r][9], "");         // isrc
    for (std::size_t c = 10; c < 22; ++c) EXPECT_EQ(rows[r][c], "");
  }
  // One request each to the closed endpoints, not one per batch or track.
  int features = 0, analyses = 0, batches = 0;
  for (const std::string& key : server.log()) {
    features += key.rfind("/v1/audio-features", 0) == 0;
    analyses += key.rfind("/v1/audio-analysis", 0) == 0;
    batches += key.rfind("/v1/tracks?", 0) == 0;
  }
  EXPECT_EQ(features, 1);
  EXPECT_EQ(analyses, 1);
  EXPECT_EQ(batches, 1);
  EXPECT_FALSE(fs::exists(s.dir / "analyses"));
  std::string notes;
  for (const auto& n : summary.notes) notes += n + "\n";
  EXPECT_EQ(summary.notes.size(), 3u) << notes;
  EXPECT_NE(notes.find("GET /audio-features answered 403: since 2024-11-27"), std::string::npos) << notes;
  EXPECT_NE(notes.find("genrelab extract"), std::string::npos);
  EXPECT_NE(notes.find("GET /audio-analysis answered 403"), std::string::npos);
  EXPECT_NE(notes.find("GET /tracks?ids= answered 403: since February 2026"), std::string::npos);
}

TEST(Fetch, EditorialPlaylistIs404WithOneNoteAndTheRestIsWritten) {
  FakeSpotify server;
  Scene s = setup(server, "editorial");
  write(s.request.playlists, server.catalogue().toml() + "moods = [\"37i9dQZF1DWZd79rJ6a7lp\", "
                                                         "\"spotify:playlist:37i9dQZF1DX0xLQsW8b5Zx\"]\n"
                                                         "gone = \"0NotThere0000000000000\"\n");
  const FetchSummary summary = run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
  // One note per kind: the editorial playlists, the missing one, and (as in
  // every run of the catalogue) the null track and the null features.
  ASSERT_EQ(summary.notes.size(), 4u);
  EXPECT_NE(summary.notes[0].find("2 Spotify-owned editorial or algorithmic playlist(s) answered 404"),
            std::string::npos)
      << summary.notes[0];
  EXPECT_NE(summary.notes[0].find("37i9dQZF1DWZd79rJ6a7lp (moods)"), std::string::npos);
  EXPECT_NE(summary.notes[0].find("2024-11-27"), std::string::npos);
  EXPECT_NE(summary.notes[0].find("genrelab extract"), std::string::npos);
  EXPECT_NE(summary.notes[1].find("1 playlist(s) answered 404 (deleted, private or mistyped): "
                                  "0NotThere0000000000000 (gone)"),
            std::string::npos)
      << summary.notes[1];
  EXPECT_NE(summary.notes[2].find("no track object (null) for 1 track(s)"), std::string::npos) << summary.notes[2];
  EXPECT_NE(summary.notes[3].find("no audio features (null) for 1 of 244 tracks"), std::string::npos)
      << summary.notes[3];
  // Editorial ids are not tried again under the older path; the unknown one is.
  int editorial = 0;
  for (const std::string& key : server.log()) editorial += key.find("37i9dQZF1") != std::string::npos;
  EXPECT_EQ(editorial, 2);
}

TEST(Fetch, UnauthorizedGetsOneNewTokenThenTheSameRequest) {
  FakeSpotify server;
  Scene s = setup(server, "401");
  int n = 0;
  server.set_fault([&](const std::string& key) {
    if (key.rfind("/v1/tracks?", 0) == 0 && n++ == 1) server.revoke_tokens();
    return Fault::none;
  });
  const FetchSummary summary = run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
  EXPECT_EQ(server.token_requests(), 2);
  EXPECT_EQ(server.unauthorized(), 1);
  EXPECT_EQ(summary.token_requests, 2u);
}

TEST(Fetch, RefusedCredentialsAreOneMessageWithoutTheSecret) {
  FakeSpotify server;
  Scene s = setup(server, "bad-credentials");
  s.request.credentials.client_secret = "wrong-secret-0000";
  try {
    run_fetch(s.request);
    FAIL();
  } catch (const genrelab::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("refused the client credentials (HTTP 400: invalid_client)"), std::string::npos) << m;
    EXPECT_EQ(m.find("wrong-secret"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(s.request.output));
}

TEST(Fetch, TokenIsRefreshedBeforeItExpires) {
  FakeSpotify::Mode mode;
  auto clock = std::make_shared<FakeClock>();
  mode.clock = clock;
  mode.expires_in = 15;
  mode.advance_per_request = 1.0;  // each request takes a virtual second
  FakeSpotify server(mode);
  Scene s = setup(server, "expiry");
  s.clock = clock;
  s.request.clock = clock;
  s.request.token_margin = 10.0;
  run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
  // 15 requests on a 15 s token renewed 10 s early: a new token every ~5 requests, never a 401.
  EXPECT_EQ(server.unauthorized(), 0);
  EXPECT_GE(server.token_requests(), 3);
  EXPECT_EQ(server.tokens().size(), static_cast<std::size_t>(server.token_requests()));
}

TEST(Fetch, RateLimitWaitsRetryAfterAndSlowsTheBudget) {
  FakeSpotify server;
  Scene s = setup(server, "429");
  int n = 0;
  server.set_fault([&](const std::string& key) {
    return key.rfind("/v1/audio-features", 0) == 0 && n++ < 2 ? Fault::rate_limit : Fault::none;
  });
  const FetchSummary summary = run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
  EXPECT_EQ(summary.rate_limited, 2u);
  EXPECT_DOUBLE_EQ(summary.retry_after_waited, 2.0);  // Retry-After: 1, twice
  EXPECT_EQ(summary.retried, 0u);
  EXPECT_GT(summary.budget_waited, 0.0);  // the budget fell from 1000 to 250 requests/s
}

TEST(Fetch, ServerErrorsDropsAndTimeoutsAreRetriedWithBoundedBackoff) {
  FakeSpotify::Mode mode;
  mode.slow_ms = 800;
  FakeSpotify server(mode);
  Scene s = setup(server, "5xx");
  s.request.timeout_seconds = 0.3;
  std::map<std::string, int> seen;
  server.set_fault([&](const std::string& key) {
    const int n = seen[key]++;
    if (key.find("offset=0") != std::string::npos && key.find("1AlphaPlaylist") != std::string::npos && n < 2)
      return Fault::server_error;
    if (key.rfind("/v1/tracks?", 0) == 0 && n == 0) return Fault::drop;
    if (key.rfind("/v1/audio-features", 0) == 0 && n == 0) return Fault::slow;
    return Fault::none;
  });
  const FetchSummary summary = run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
  EXPECT_EQ(server.injected(Fault::server_error), 2);
  EXPECT_EQ(server.injected(Fault::drop), ceil_div(244, 50));
  EXPECT_EQ(server.injected(Fault::slow), 3);
  EXPECT_EQ(summary.retried, 2u + 5u + 3u);
  // Jittered backoff: between half and all of base * 2^(attempt-1) each time.
  // Steps: 1, 2 (the page) + 1 per batch (5 + 3).
  EXPECT_DOUBLE_EQ(summary.backoff_bound, 1.0 + 2.0 + 8 * 1.0);
  EXPECT_LE(summary.backoff_waited, summary.backoff_bound);
  EXPECT_GE(summary.backoff_waited, 0.5 * summary.backoff_bound);
}

TEST(Fetch, MalformedJsonIsRetriedThenReportedWithNothingWritten) {
  FakeSpotify server;
  Scene s = setup(server, "malformed");
  int n = 0;
  server.set_fault([&](const std::string& key) {
    return key.find("2BetaPlaylist") != std::string::npos && n++ == 0 ? Fault::malformed : Fault::none;
  });
  run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());

  FakeSpotify broken;
  Scene b = setup(broken, "malformed-always");
  b.request.max_attempts = 3;
  broken.set_fault([](const std::string& key) {
    return key.rfind("/v1/audio-features", 0) == 0 ? Fault::malformed : Fault::none;
  });
  try {
    run_fetch(b.request);
    FAIL();
  } catch (const genrelab::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("failed 3 times (last: HTTP 200 with a body that is not a JSON object (malformed JSON))"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("run the same command again and it resumes"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(b.request.output));
  // The rerun resumes: nothing answered before is asked again.
  const auto before = broken.answered();
  broken.set_fault(nullptr);
  run_fetch(b.request);
  EXPECT_EQ(slurp(b.request.output), baseline_csv());
  for (const auto& [key, n2] : broken.answered()) EXPECT_EQ(n2, 1) << key;
  EXPECT_EQ(broken.answered().size(), before.size() + ceil_div(244, 100));
}

TEST(Fetch, TenPercentFaultsGiveTheSameCsvWithinTheWaitBounds) {
  FakeSpotify server;
  Scene s = setup(server, "faults");
  s.request.analysis_dir = (s.dir / "analyses").string();
  genrelab::Rng rng(7);
  std::mutex m;
  server.set_fault([&](const std::string&) {
    std::lock_guard<std::mutex> lock(m);
    if (rng.uniform() >= 0.10) return Fault::none;
    const Fault kinds[] = {Fault::rate_limit, Fault::server_error, Fault::drop};
    return kinds[rng.uniform_index(3)];
  });
  const FetchSummary summary = run_fetch(s.request);
  EXPECT_EQ(slurp(s.request.output), baseline_csv());
  const int limited = server.injected(Fault::rate_limit);
  const int errors = server.injected(Fault::server_error) + server.injected(Fault::drop);
  EXPECT_GT(limited + errors, 15);  // ~10 % of ~270 requests
  EXPECT_EQ(summary.rate_limited, static_cast<std::size_t>(limited));
  EXPECT_EQ(summary.retried, static_cast<std::size_t>(errors));
  // Total wait = the Retry-After values + jittered backoff within its bound (+ the budget).
  EXPECT_DOUBLE_EQ(summary.retry_after_waited, 1.0 * limited);
  EXPECT_LE(summary.backoff_waited, summary.backoff_bound);
  EXPECT_GE(summary.backoff_waited, 0.5 * summary.backoff_bound);
  EXPECT_NEAR(s.clock->slept(), summary.retry_after_waited + summary.backoff_waited + summary.budget_waited, 1e-6);
  // Each data request was answered exactly once.
  for (const auto& [key, n] : server.answered()) EXPECT_EQ(n, 1) << key;
}

// --- the command line -----------------------------------------------------

std::string all_text_under(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) all += slurp(e.path().string());
  return all;
}

TEST(FetchCli, SecretsAppearInNoOutputLogOrCacheFile) {
  FakeSpotify server;
  const fs::path dir = genrelab::testing::scratch_dir("fetch-cli-secrets");
  write(dir / "playlists.toml", server.catalogue().toml());
  write(dir / "creds.env", "SPOTIFY_CLIENT_ID=" + kClientId + "\nSPOTIFY_CLIENT_SECRET=" + kClientSecret + "\n");
  ::chmod((dir / "creds.env").c_str(), 0600);
  const std::string common = "fetch --playlists playlists.toml -o out/tracks.csv --analysis-dir out/analyses "
                             "--cache out/cache.sqlite --max-rate 1000 --api-base " +
                             server.api_base() + " --accounts-base " + server.accounts_base();
  // Refused: readable by others.
  ::chmod((dir / "creds.env").c_str(), 0644);
  auto r = genrelab::testing::run_cli(common + " --credentials creds.env", dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
  ::chmod((dir / "creds.env").c_str(), 0600);
  r = genrelab::testing::run_cli(common + " --credentials creds.env", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("fetch: 244 rows"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("6 track(s) are listed under several genres; --duplicates drop dropped 12 row(s)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(slurp((dir / "out" / "tracks.csv").string()), baseline_csv());
  // And once more from the environment, with a 401 on the way (a second token).
  ::setenv("SPOTIFY_CLIENT_ID", kClientId.c_str(), 1);
  ::setenv("SPOTIFY_CLIENT_SECRET", kClientSecret.c_str(), 1);
  server.revoke_tokens();
  r = genrelab::testing::run_cli(common + " --refresh", dir);
  ::unsetenv("SPOTIFY_CLIENT_ID");
  ::unsetenv("SPOTIFY_CLIENT_SECRET");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_GE(server.tokens().size(), 2u);
  const std::string files = all_text_under(dir / "out");
  ASSERT_GT(files.size(), 100000u);  // the CSV, the analyses and the cache (with its WAL)
  for (const std::string& secret : std::vector<std::string>{kClientId, kClientSecret, kTokenPrefix}) {
    EXPECT_EQ(files.find(secret), std::string::npos) << secret << " is in a file under out/";
    EXPECT_EQ(r.err.find(secret), std::string::npos) << secret << " was printed";
    EXPECT_EQ(r.out.find(secret), std::string::npos);
  }
  for (const std::string& token : server.tokens()) EXPECT_EQ(files.find(token), std::string::npos);
}

TEST(FetchCli, FetchedCsvRunsThroughCompareAndFeatures) {
  FakeSpotify server;
  const fs::path dir = genrelab::testing::scratch_dir("fetch-cli-compare");
  write(dir / "playlists.toml", server.catalogue().toml());
  ::setenv("SPOTIFY_CLIENT_ID", kClientId.c_str(), 1);
  ::setenv("SPOTIFY_CLIENT_SECRET", kClientSecret.c_str(), 1);
  auto r = genrelab::testing::run_cli("fetch -q --playlists playlists.toml -o tracks.csv --analysis-dir analyses "
                                      "--max-rate 1000 --api-base " +
                                          server.api_base() + " --accounts-base " + server.accounts_base(),
                                      dir);
  ::unsetenv("SPOTIFY_CLIENT_ID");
  ::unsetenv("SPOTIFY_CLIENT_SECRET");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "tracks.csv.cache.sqlite"));  // the default cache
  r = genrelab::testing::run_cli("compare tracks.csv --models random_forest,logistic_regression --cv 3 --on-missing drop", dir);
  // Track 201 has no audio features and track 7 no key (-1): empty cells
  // are the data layer's "missing", so they are left out explicitly.
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("random_forest"), std::string::npos) << r.out;
  r = genrelab::testing::run_cli("features --analysis-dir analyses tracks.csv -o joined.csv --missing drop", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("dropped 1 of 244 rows"), std::string::npos) << r.err;
  const auto joined = parse_csv(slurp((dir / "joined.csv").string()));
  EXPECT_EQ(joined.size() - 1, 243u);
  EXPECT_EQ(joined[0].size(), 22u + 70u);
}

// Kill the command at random points (SIGKILL, seeded times) and rerun it until
// it finishes: the CSV is byte-identical to an untroubled run, and no request
// the server answered is asked again, except the one in flight at a kill.
TEST(FetchCli, KilledAtRandomPointsAndResumedGivesTheSameCsv) {
  FakeSpotify::Mode mode;
  mode.latency_ms = 3;
  FakeSpotify server(mode);
  const fs::path dir = genrelab::testing::scratch_dir("fetch-cli-kill");
  write(dir / "playlists.toml", server.catalogue().toml());
  const std::vector<std::string> args = {GENRELAB_CLI,
                                         "fetch",
                                         "-q",
                                         "--playlists",
                                         (dir / "playlists.toml").string(),
                                         "-o",
                                         (dir / "tracks.csv").string(),
                                         "--analysis-dir",
                                         (dir / "analyses").string(),
                                         "--max-rate",
                                         "1000",
                                         "--api-base",
                                         server.api_base(),
                                         "--accounts-base",
                                         server.accounts_base()};
  ::setenv("SPOTIFY_CLIENT_ID", kClientId.c_str(), 1);
  ::setenv("SPOTIFY_CLIENT_SECRET", kClientSecret.c_str(), 1);
  // Built before fork: the child of a threaded process may only make async-signal-safe calls.
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto spawn = [&] {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    return pid;
  };
  genrelab::Rng rng(16);
  std::map<std::string, int> allowed;  // requests in flight at a kill
  int kills = 0, status = 0;
  for (int round = 0; round < 40; ++round) {
    const pid_t pid = spawn();
    ASSERT_GT(pid, 0);
    if (round < 8) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng.uniform_index(300)));
      if (::waitpid(pid, &status, WNOHANG) == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        ++kills;
        std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the server finishes what was in flight
        const auto log = server.log();
        if (!log.empty()) ++allowed[log.back()];
        continue;
      }
    } else {
      ::waitpid(pid, &status, 0);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) break;
  }
  ::unsetenv("SPOTIFY_CLIENT_ID");
  ::unsetenv("SPOTIFY_CLIENT_SECRET");
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_GE(kills, 3) << "the kills should land mid-fetch";
  EXPECT_EQ(slurp((dir / "tracks.csv").string()), baseline_csv());
  for (const auto& [key, n] : server.answered())
    EXPECT_LE(n, 1 + allowed[key]) << key << " was answered " << n << " times";
  // The analyses are complete and whole.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "analyses")) {
    ++files;
    EXPECT_EQ(e.path().extension(), ".json") << e.path();
    EXPECT_TRUE(nlohmann::json::accept(slurp(e.path().string()))) << e.path();
  }
  EXPECT_EQ(files, 243u);
}

}  // namespace
