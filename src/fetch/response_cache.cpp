#include "fetch/response_cache.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <system_error>

#include "genrelab/error.h"

namespace genrelab::fetch {
namespace {

// Statement with automatic finalisation.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

ResponseCache::ResponseCache(const std::string& path) : path_(path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ignored;  // a failure shows as sqlite's own "unable to open" below
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK)
    fail("cannot open or create the cache");
  sqlite3_busy_timeout(db_, 5000);
  // WAL + synchronous=FULL: a committed response survives a kill or a power
  // cut; one that was being written is rolled back on the next open.
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("CREATE TABLE IF NOT EXISTS responses ("
       " key TEXT PRIMARY KEY,"
       " status INTEGER NOT NULL,"
       " body BLOB NOT NULL,"
       " stored_at INTEGER NOT NULL)");
  exec("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
  exec("INSERT OR IGNORE INTO meta VALUES ('format', 'genrelab fetch cache 1')");
}

ResponseCache::~ResponseCache() { sqlite3_close(db_); }

void ResponseCache::fail(const std::string& what) const {
  const std::string detail = db_ ? sqlite3_errmsg(db_) : "out of memory";
  throw InputError(fmt::format("{}: {} ({}). Use --cache to put it elsewhere, or remove a damaged cache file "
                               "(the next fetch then asks Spotify again)",
                               path_, what, detail));
}

void ResponseCache::exec(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    fail(fmt::format("SQLite failed ({})", text));
  }
}

std::optional<CachedResponse> ResponseCache::find(const std::string& key) const {
  Statement s;
  if (sqlite3_prepare_v2(db_, "SELECT status, body FROM responses WHERE key = ?1", -1, &s.stmt, nullptr) !=
      SQLITE_OK)
    fail("cannot read the cache");
  sqlite3_bind_text(s.stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(s.stmt);
  if (rc == SQLITE_DONE) return std::nullopt;
  if (rc != SQLITE_ROW) fail("cannot read the cache");
  CachedResponse out;
  out.status = sqlite3_column_int64(s.stmt, 0);
  const void* blob = sqlite3_column_blob(s.stmt, 1);
  const int size = sqlite3_column_bytes(s.stmt, 1);
  if (blob && size > 0) out.body.assign(static_cast<const char*>(blob), static_cast<std::size_t>(size));
  return out;
}

void ResponseCache::store(const std::string& key, long status, const std::string& body) {
  // A single INSERT is its own transaction: it is in the cache whole, or not at all.
  Statement s;
  if (sqlite3_prepare_v2(db_,
                         "INSERT OR REPLACE INTO responses (key, status, body, stored_at) "
                         "VALUES (?1, ?2, ?3, strftime('%s','now'))",
                         -1, &s.stmt, nullptr) != SQLITE_OK)
    fail("cannot write to the cache");
  sqlite3_bind_text(s.stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.stmt, 2, status);
  sqlite3_bind_blob(s.stmt, 3, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(s.stmt) != SQLITE_DONE) fail("cannot write to the cache (a full disk?)");
}

}  // namespace genrelab::fetch
