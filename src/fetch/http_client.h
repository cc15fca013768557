// One HTTP connection to the API, kept alive between requests (libcurl, TLS
// peer and host verification on). The fetch layer talks to this interface
// only, so the retry and cache logic does not depend on libcurl.
#pragma once

#include <optional>
#include <string>

namespace genrelab::fetch {

struct HttpResponse {
  long status = 0;                    // 0: no HTTP answer (network error, timeout, dropped connection)
  std::string body;
  std::optional<double> retry_after;  // seconds, from a Retry-After header
  std::string error;                  // what went wrong when status == 0
};

class HttpClient {
 public:
  explicit HttpClient(double timeout_seconds);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GET with `Authorization: Bearer <token>`.
  HttpResponse get(const std::string& url, const std::string& bearer_token);
  // POST application/x-www-form-urlencoded with `Authorization: Basic <basic>`.
  HttpResponse post_form(const std::string& url, const std::string& basic_credentials, const std::string& body);

 private:
  HttpResponse perform(const std::string& url, const std::string& authorization, const std::string* post_body);
  void* curl_;
  double timeout_;
};

}  // namespace genrelab::fetch
