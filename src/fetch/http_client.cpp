#include "fetch/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "genrelab/error.h"

namespace genrelab::fetch {
namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Retry-After in seconds (Spotify sends whole seconds; an HTTP-date is not
// parsed and falls back to backoff).
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    bool match = true;
    for (std::size_t i = 0; i < name.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
    if (match) {
      const std::string value(line.substr(name.size()));
      char* end = nullptr;
      errno = 0;
      const double seconds = std::strtod(value.c_str(), &end);
      if (end != value.c_str() && errno == 0 && seconds >= 0)
        static_cast<HttpResponse*>(user)->retry_after = seconds;
    }
  }
  return size * count;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl failed to initialise");
  });
}

}  // namespace

HttpClient::HttpClient(double timeout_seconds) : curl_(nullptr), timeout_(timeout_seconds) {
  global_init();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl: cannot create a connection handle");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::get(const std::string& url, const std::string& bearer_token) {
  return perform(url, "Authorization: Bearer " + bearer_token, nullptr);
}

HttpResponse HttpClient::post_form(const std::string& url, const std::string& basic_credentials,
                                   const std::string& body) {
  return perform(url, "Authorization: Basic " + basic_credentials, &body);
}

HttpResponse HttpClient::perform(const std::string& url, const std::string& authorization,
                                 const std::string* post_body) {
  CURL* curl = static_cast<CURL*>(curl_);
  // The same handle for every request keeps the connection (and the TLS
  // session) open between them; reset clears the previous request's options.
  curl_easy_reset(curl);
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, authorization.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  if (post_body) headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM (threads, tests)
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ * 1000.0));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(timeout_, 10.0) * 1000.0));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "genrelab/" GENRELAB_VERSION);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  if (post_body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
  }
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    response.status = 0;
    response.body.clear();
    response.retry_after.reset();
    response.error = error[0] ? error : curl_easy_strerror(code);
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace genrelab::fetch
