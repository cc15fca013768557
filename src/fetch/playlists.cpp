// playlists.toml and the credentials: the fetch's two inputs besides the API.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/fetch.h"

namespace genrelab {
namespace {

bool is_base62_id(std::string_view s) {
  return s.size() == 22 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_editorial_playlist(std::string_view id) { return id.substr(0, 9) == "37i9dQZF1"; }

std::string parse_playlist_id(std::string_view text) {
  text = trim(text);
  if (is_base62_id(text)) return std::string(text);
  // spotify:playlist:ID and the older spotify:user:NAME:playlist:ID
  if (text.substr(0, 8) == "spotify:") {
    const std::size_t at = text.rfind(":playlist:");
    if (at == std::string_view::npos) return "";
    const std::string_view id = text.substr(at + 10);
    return is_base62_id(id) ? std::string(id) : "";
  }
  // https://open.spotify.com/[intl-xx/][user/NAME/][embed/]playlist/ID[?si=...]
  for (std::string_view prefix : {"https://", "http://"})
    if (text.substr(0, prefix.size()) == prefix) text.remove_prefix(prefix.size());
  if (text.substr(0, 17) != "open.spotify.com/") return "";
  text = text.substr(0, text.find_first_of("?#"));
  const std::size_t at = text.rfind("/playlist/");
  if (at == std::string_view::npos) return "";
  std::string_view id = text.substr(at + 10);
  if (!id.empty() && id.back() == '/') id.remove_suffix(1);
  return is_base62_id(id) ? std::string(id) : "";
}

std::vector<GenrePlaylists> read_playlists_toml(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the playlists file", path));
  note_input_file(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  toml::table root;
  try {
    root = toml::parse(buffer.str(), path);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: not valid TOML: {}. Each line is genre = \"playlist id, URI or URL\" "
                                 "or genre = [\"...\", \"...\"]",
                                 path, e.source().begin.line, e.source().begin.column, e.description()));
  }
  struct Entry {
    std::size_t line;
    GenrePlaylists genre;
  };
  std::vector<Entry> entries;
  for (const auto& [key, node] : root) {
    const std::string genre(key.str());
    const std::size_t line = node.source().begin.line;
    const std::string here = fmt::format("{}:{}: genre '{}'", path, line, genre);
    if (trim(genre).empty()) throw InputError(fmt::format("{}: the genre name is empty", here));
    std::vector<const toml::node*> values;
    if (const toml::array* list = node.as_array()) {
      for (const toml::node& v : *list) values.push_back(&v);
    } else {
      values.push_back(&node);
    }
    if (values.empty()) throw InputError(fmt::format("{}: the list of playlists is empty", here));
    Entry entry{line, {genre, {}}};
    for (const toml::node* v : values) {
      const auto text = v->value<std::string>();
      if (!text)
        throw InputError(fmt::format("{}: expected a playlist id, URI or URL as a string (or a list of them), got "
                                     "a {}. Example: {} = \"spotify:playlist:37i9dQZF1DWWEJlAGA9gs0\"",
                                     here, v->is_table() ? "table" : "non-string value", genre));
      const std::string id = parse_playlist_id(*text);
      if (id.empty())
        throw InputError(fmt::format("{}: '{}' is not a Spotify playlist id (22 letters and digits), "
                                     "spotify:playlist:ID URI or https://open.spotify.com/playlist/ID URL",
                                     here, *text));
      if (std::find(entry.genre.playlist_ids.begin(), entry.genre.playlist_ids.end(), id) ==
          entry.genre.playlist_ids.end())
        entry.genre.playlist_ids.push_back(id);
    }
    entries.push_back(std::move(entry));
  }
  if (entries.empty())
    throw InputError(fmt::format("{}: no genres. Write one line per genre: genre = \"playlist id, URI or URL\"", path));
  // toml++ keeps keys sorted; the file's order is what --duplicates first means.
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.line < b.line; });
  std::vector<GenrePlaylists> out;
  for (auto& e : entries) out.push_back(std::move(e.genre));
  return out;
}

SpotifyCredentials load_spotify_credentials(const std::string& file) {
  SpotifyCredentials c;
  if (file.empty()) {
    const char* id = std::getenv("SPOTIFY_CLIENT_ID");
    const char* secret = std::getenv("SPOTIFY_CLIENT_SECRET");
    if (id) c.client_id = id;
    if (secret) c.client_secret = secret;
    if (c.client_id.empty() || c.client_secret.empty())
      throw UsageError(
          "fetch: no Spotify credentials. Set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (from your app at "
          "https://developer.spotify.com/dashboard), or pass --credentials FILE holding the lines "
          "SPOTIFY_CLIENT_ID=... and SPOTIFY_CLIENT_SECRET=... (chmod 600 FILE)");
    return c;
  }
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UsageError(fmt::format("--credentials {}: cannot open the file", file));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw UsageError(fmt::format("--credentials {}: not a regular file", file));
  }
  // Checked on the open file itself, so it is the file that is read.
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    ::close(fd);
    throw UsageError(fmt::format("--credentials {}: the file can be read by group or others (mode {:03o}); it "
                                 "holds a secret. Run: chmod 600 {}",
                                 file, st.st_mode & 0777, file));
  }
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  std::istringstream lines(text);
  std::string line;
  long number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::string_view l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    if (l.substr(0, 7) == "export ") l = trim(l.substr(7));
    const std::size_t eq = l.find('=');
    if (eq == std::string_view::npos)
      throw UsageError(fmt::format("--credentials {}: line {} is not NAME=VALUE (the value is not shown)", file,
                                   number));
    const std::string_view name = trim(l.substr(0, eq));
    std::string_view value = trim(l.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (name == "SPOTIFY_CLIENT_ID" || name == "client_id") c.client_id = value;
    else if (name == "SPOTIFY_CLIENT_SECRET" || name == "client_secret") c.client_secret = value;
    else
      throw UsageError(fmt::format("--credentials {}: line {}: unknown name '{}'; use SPOTIFY_CLIENT_ID and "
                                   "SPOTIFY_CLIENT_SECRET",
                                   file, number, name));
  }
  if (c.client_id.empty() || c.client_secret.empty())
    throw UsageError(fmt::format("--credentials {}: needs both SPOTIFY_CLIENT_ID=... and SPOTIFY_CLIENT_SECRET=...",
                                 file));
  return c;
}

}  // namespace genrelab
