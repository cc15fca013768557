#include "fetch/web_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "genrelab/error.h"

namespace genrelab {
namespace {

class RealClock final : public FetchClock {
 public:
  double now() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  void sleep(double seconds) override {
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  }
};

}  // namespace

std::shared_ptr<FetchClock> real_fetch_clock() { return std::make_shared<RealClock>(); }

namespace fetch {
namespace {

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k)
      v = (v << 8) | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

// The API's own error message ({"error": {"status": 400, "message": "..."}}),
// which never holds a credential, for messages people read.
std::string api_message(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.contains("error")) {
    const auto& e = json["error"];
    if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
    if (e.is_string()) return e.get<std::string>();  // the accounts service: {"error": "invalid_client"}
  }
  return "no error message";
}

}  // namespace

WebApi::WebApi(const FetchRequest& request, const std::string& cache_path, FetchSummary& summary)
    : request_(request),
      summary_(summary),
      clock_(request.clock ? request.clock : real_fetch_clock()),
      http_(request.timeout_seconds),
      cache_(std::make_unique<ResponseCache>(cache_path)),
      rng_(request.seed),
      rate_(request.max_rate) {}

std::string WebApi::relative_path(const std::string& url) const {
  const std::string& base = request_.api_base;
  if (url.size() > base.size() && url.compare(0, base.size(), base) == 0 && url[base.size()] == '/')
    return url.substr(base.size());
  throw InputError(fmt::format("the API's next-page link '{}' is not under the API base {}: genrelab does not "
                               "send the token anywhere else",
                               url, base));
}

void WebApi::pace() {
  const double now = clock_->now();
  if (next_slot_ > now) {
    const double wait = next_slot_ - now;
    clock_->sleep(wait);
    summary_.budget_waited += wait;
  }
  next_slot_ = std::max(now, next_slot_) + 1.0 / rate_;
}

double WebApi::backoff(int attempt) {
  // Exponential, capped, with jitter in [50 %, 100 %] of the step so that
  // many clients do not retry in step; the RNG is seeded, so the waits are
  // the same on every run.
  const double step = std::min(request_.backoff_cap, request_.backoff_base * std::ldexp(1.0, attempt - 1));
  const double wait = step * (0.5 + 0.5 * rng_.uniform());
  clock_->sleep(wait);
  summary_.backoff_waited += wait;
  summary_.backoff_bound += step;
  ++summary_.retried;
  return wait;
}

void WebApi::wait_retry_after(double seconds, const std::string& what) {
  if (seconds > request_.max_retry_after)
    throw InputError(fmt::format("{}: Spotify asks to wait {:.0f} s before the next request (429 Too Many "
                                 "Requests), longer than the {:.0f} s genrelab waits. Everything fetched so far is "
                                 "in the cache: run the same command later and it resumes",
                                 what, seconds, request_.max_retry_after));
  clock_->sleep(seconds);
  summary_.retry_after_waited += seconds;
  ++summary_.rate_limited;
  // The budget adapts: half the rate, at least one request every 2 s.
  rate_ = std::max(0.5, rate_ / 2.0);
  successes_since_429_ = 0;
  next_slot_ = clock_->now();
}

void WebApi::ensure_token() {
  if (token_.empty() || clock_->now() >= token_expires_ - request_.token_margin) fetch_token();
}

void WebApi::fetch_token() {
  const std::string url = request_.accounts_base + "/api/token";
  const std::string basic = base64(request_.credentials.client_id + ":" + request_.credentials.client_secret);
  int attempt = 0, limited = 0;
  for (;;) {
    pace();
    ++summary_.token_requests;
    ++summary_.requests_sent;
    HttpResponse r = http_.post_form(url, basic, "grant_type=client_credentials");
    if (r.status == 200) {
      const auto json = nlohmann::json::parse(r.body, nullptr, false);
      if (json.is_object() && json.contains("access_token") && json["access_token"].is_string() &&
          json.contains("expires_in") && json["expires_in"].is_number()) {
        token_ = json["access_token"].get<std::string>();
        token_expires_ = clock_->now() + json["expires_in"].get<double>();
        return;
      }
      r.status = 0;
      r.error = "the token response is not the JSON object Spotify sends (access_token, expires_in)";
    }
    if (r.status == 400 || r.status == 401 || r.status == 403)
      throw InputError(fmt::format(
          "POST {}: Spotify refused the client credentials (HTTP {}: {}). Check SPOTIFY_CLIENT_ID and "
          "SPOTIFY_CLIENT_SECRET (or the --credentials file) against the app's settings at "
          "https://developer.spotify.com/dashboard",
          url, r.status, api_message(r.body)));
    if (r.status == 429 && r.retry_after && ++limited <= request_.max_rate_limited) {
      wait_retry_after(*r.retry_after, "POST " + url);
      continue;
    }
    const bool transient = r.status == 0 || r.status == 429 || r.status >= 500;
    if (!transient || ++attempt >= request_.max_attempts)
      throw InputError(fmt::format("POST {}: no access token after {} attempt(s) (last: {}). Check the network "
                                   "and run the same command again; the cache resumes",
                                   url, attempt + (transient ? 0 : 1),
                                   r.status ? fmt::format("HTTP {}", r.status) : r.error));
    backoff(attempt);
  }
}

ApiAnswer WebApi::get(const std::string& path) {
  const std::string key = "GET " + path;
  if (!request_.refresh) {
    if (auto hit = cache_->find(key)) {
      ++summary_.responses_from_cache;
      ApiAnswer answer{hit->status, {}, std::move(hit->body)};
      if (answer.status == 200) answer.json = nlohmann::json::parse(answer.body, nullptr, false);
      if (answer.status != 200 || !answer.json.is_discarded()) return answer;
      // A damaged entry is fetched again below.
    }
  }
  const std::string url = request_.api_base + path;
  int attempt = 0, limited = 0;
  bool refreshed = false;
  std::string last;
  for (;;) {
    ensure_token();
    pace();
    ++summary_.requests_sent;
    HttpResponse r = http_.get(url, token_);
    if (r.status == 200) {
      ApiAnswer answer{200, nlohmann::json::parse(r.body, nullptr, false), std::move(r.body)};
      if (!answer.json.is_discarded() && answer.json.is_object()) {
        cache_->store(key, 200, answer.body);
        if (++successes_since_429_ >= 20 && rate_ < request_.max_rate) {
          rate_ = std::min(request_.max_rate, rate_ * 1.5);
          successes_since_429_ = 0;
        }
        return answer;
      }
      last = "HTTP 200 with a body that is not a JSON object (malformed JSON)";
    } else if (r.status == 403 || r.status == 404) {
      // Definitive: the endpoint or the playlist is closed to this app. Kept,
      // so a rerun does not ask again.
      cache_->store(key, r.status, r.body);
      return ApiAnswer{r.status, {}, std::move(r.body)};
    } else if (r.status == 401) {
      // The token expired early or was revoked: one new token, then the same request.
      if (refreshed)
        throw InputError(fmt::format("GET {}: Spotify answered 401 ({}) even with a new access token. Check the "
                                     "app's credentials and status at https://developer.spotify.com/dashboard",
                                     url, api_message(r.body)));
      refreshed = true;
      token_.clear();
      continue;
    } else if (r.status == 429) {
      if (++limited > request_.max_rate_limited)
        throw InputError(fmt::format("GET {}: still rate-limited (429) after {} waits. Everything fetched so far "
                                     "is in the cache: run the same command later and it resumes",
                                     url, request_.max_rate_limited));
      if (r.retry_after) {
        wait_retry_after(*r.retry_after, "GET " + url);
        continue;
      }
      rate_ = std::max(0.5, rate_ / 2.0);
      last = "HTTP 429 without Retry-After";
    } else if (r.status == 0) {
      last = r.error;
    } else if (r.status >= 500) {
      last = fmt::format("HTTP {}", r.status);
    } else {
      throw InputError(fmt::format("GET {}: Spotify answered HTTP {} ({})", url, r.status, api_message(r.body)));
    }
    if (++attempt >= request_.max_attempts)
      throw InputError(fmt::format("GET {}: failed {} times (last: {}). Everything fetched so far is in the "
                                   "cache: run the same command again and it resumes",
                                   url, attempt, last));
    backoff(attempt);
  }
}

}  // namespace fetch
}  // namespace genrelab
