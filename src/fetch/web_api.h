// The Web API as the fetch uses it: GET a path under the API base with a
// client-credentials token, answered from the cache when it can be, else
// from Spotify with every failure the API has handled: 401 (a new token,
// once), 429 (wait Retry-After, slow the request budget), 5xx, network
// errors and malformed JSON (bounded exponential backoff with seeded
// jitter). What comes back is a definitive answer: 200 with valid JSON, or
// a 403/404 that the caller turns into one message per kind.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "fetch/http_client.h"
#include "fetch/response_cache.h"
#include "genrelab/fetch.h"
#include "genrelab/random.h"

namespace genrelab::fetch {

struct ApiAnswer {
  long status = 0;     // 200, 403 or 404
  nlohmann::json json;  // the parsed body when status == 200
  std::string body;     // as Spotify sent it
};

class WebApi {
 public:
  WebApi(const FetchRequest& request, const std::string& cache_path, FetchSummary& summary);
  // `path` starts with '/' and is relative to the API base ("/tracks?ids=...").
  ApiAnswer get(const std::string& path);
  // A `next` link: the path under the API base, or InputError when it points elsewhere
  // (the token is never sent to another host).
  std::string relative_path(const std::string& url) const;

 private:
  void ensure_token();
  void fetch_token();
  void pace();
  double backoff(int attempt);
  void wait_retry_after(double seconds, const std::string& what);

  const FetchRequest& request_;
  FetchSummary& summary_;
  std::shared_ptr<FetchClock> clock_;
  HttpClient http_;
  std::unique_ptr<ResponseCache> cache_;
  Rng rng_;
  std::string token_;
  double token_expires_ = 0.0;
  // The request budget: requests per second, halved on a 429 and grown back
  // slowly after a run of successes, never above request_.max_rate.
  double rate_;
  double next_slot_ = 0.0;
  int successes_since_429_ = 0;
};

}  // namespace genrelab::fetch
