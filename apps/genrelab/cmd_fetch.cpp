#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "genrelab/fetch.h"
#include "genrelab/progress.h"

namespace genrelab::cli {

void add_fetch_command(CLI::App& app) {
  struct FetchArgs {
    FetchRequest request;
    std::string credentials, duplicates = "drop";
    bool quiet = false;
  };
  auto args = std::make_shared<FetchArgs>();
  FetchRequest& r = args->request;
  auto* cmd = app.add_subcommand("fetch", "Collect tracks, metadata and (where Spotify allows) audio features from "
                                          "Spotify playlists, one genre per playlist");
  cmd->add_option("--playlists", r.playlists, "TOML file: genre = \"playlist id, URI or URL\" (or a list of them)")
      ->required();
  cmd->add_option("-o,--output", r.output, "the tracks CSV, written whole at the end (never an input)")->required();
  cmd->add_option("--analysis-dir", r.analysis_dir,
                  "also fetch each track's audio analysis into DIR/<track_id>.json (what genrelab features reads)");
  cmd->add_option("--cache", r.cache,
                  "SQLite file keeping every response, so a rerun resumes (default: <output>.cache.sqlite)");
  cmd->add_flag("--refresh", r.refresh, "ask Spotify again instead of answering from the cache");
  cmd->add_option("--market", r.market, "ISO 3166-1 alpha-2 country code: tracks as available there (e.g. US)");
  cmd->add_option("--duplicates", args->duplicates,
                  "a track under several genres: drop it (no leak across a split), keep the first genre's row, or "
                  "keep every row")
      ->capture_default_str()
      ->check(CLI::IsMember({"drop", "first", "keep"}));
  cmd->add_option("--credentials", args->credentials,
                  "file with SPOTIFY_CLIENT_ID=... and SPOTIFY_CLIENT_SECRET=... lines, mode 600 (default: the "
                  "environment variables of those names)");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress or summary (Spotify's refusals are still reported)");
  // For tests and proxies: where the API lives, and how patient to be.
  cmd->add_option("--api-base", r.api_base)->group("");
  cmd->add_option("--accounts-base", r.accounts_base)->group("");
  cmd->add_option("--timeout", r.timeout_seconds)->group("")->check(CLI::PositiveNumber);
  cmd->add_option("--max-rate", r.max_rate)->group("")->check(CLI::PositiveNumber);
  cmd->add_option("--max-attempts", r.max_attempts)->group("")->check(CLI::Range(1, 100));
  cmd->add_option("--backoff-base", r.backoff_base)->group("")->check(CLI::NonNegativeNumber);
  cmd->add_option("--backoff-cap", r.backoff_cap)->group("")->check(CLI::NonNegativeNumber);
  cmd->add_option("--retry-seed", r.seed)->group("");
  cmd->footer(
      "Output columns: track_id, name, artists, album, genre, playlist_id, popularity, duration_ms, explicit,\n"
      "isrc, then Spotify's audio features (danceability ... time_signature) where the app may read them.\n"
      "Since 2024-11-27 new and development-mode apps get no audio features or analyses and no Spotify-owned\n"
      "editorial playlists (ids 37i9dQZF1...); fetch says so once and writes the rest. Compute features from\n"
      "audio with genrelab extract. Spotify's developer terms forbid training ML models on its content:\n"
      "check them before you do (README, \"fetch\").\n"
      "Example:  export SPOTIFY_CLIENT_ID=... SPOTIFY_CLIENT_SECRET=...\n"
      "          genrelab fetch --playlists examples/seed-playlists.toml -o tracks.csv\n"
      "          genrelab compare tracks.csv");
  cmd->callback([args] {
    FetchRequest& request = args->request;
    request.duplicates = args->duplicates == "keep"    ? DuplicatePolicy::keep
                         : args->duplicates == "first" ? DuplicatePolicy::first
                                                       : DuplicatePolicy::drop;
    request.credentials = load_spotify_credentials(args->credentials);
    if (!args->quiet) request.log = [](std::string_view line) { std::cerr << line << '\n'; };
    const FetchSummary s = run_fetch(request);
    for (const std::string& note : s.notes) std::cerr << "fetch: note: " << note << '\n';
    if (s.tracks_in_several_genres > 0)
      std::cerr << fmt::format("fetch: {} track(s) are listed under several genres; --duplicates {} {} {} row(s)\n",
                               s.tracks_in_several_genres, args->duplicates,
                               args->duplicates == "keep" ? "kept all their" : "dropped",
                               args->duplicates == "keep" ? s.tracks_in_several_genres : s.rows_dropped_as_duplicates);
    if (!args->quiet)
      std::cerr << fmt::format(
          "fetch: {} rows ({} tracks, {} genres, {} playlists; {} with audio features{}) in {}; {} requests sent, "
          "{} answered from the cache; waited {} on Retry-After ({} x 429), {} backing off ({} retries), {} on "
          "the request budget\n",
          s.rows, s.tracks, s.genres, s.playlists, s.with_audio_features,
          request.analysis_dir.empty() ? "" : fmt::format(", {} analyses", s.analyses_written), request.output,
          s.requests_sent, s.responses_from_cache, format_duration(s.retry_after_waited), s.rate_limited,
          format_duration(s.backoff_waited), s.retried, format_duration(s.budget_waited));
  });
}

}  // namespace genrelab::cli
