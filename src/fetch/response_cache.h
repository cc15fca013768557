// Every definitive API response (2xx, and the 403/404 that say an endpoint or
// playlist is closed) kept in SQLite, keyed by method and URL relative to the
// API base, so a rerun repeats no request. One transaction per response in
// WAL mode: a kill at any point leaves the cache as it was after the last
// response, never half of one. Only the key, status and body are stored:
// never a header, the token or the credentials.
#pragma once

#include <optional>
#include <string>

struct sqlite3;

namespace genrelab::fetch {

struct CachedResponse {
  long status = 0;
  std::string body;
};

class ResponseCache {
 public:
  explicit ResponseCache(const std::string& path);
  ~ResponseCache();
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  std::optional<CachedResponse> find(const std::string& key) const;
  void store(const std::string& key, long status, const std::string& body);

 private:
  void exec(const char* sql) const;
  [[noreturn]] void fail(const std::string& what) const;
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace genrelab::fetch
