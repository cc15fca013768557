// Reading a whole input (a model, an experiment file, a CSV that is not a
// regular file) the same careful way everywhere: `-` is standard input;
// pipes, FIFOs and process substitution (<(...), /dev/stdin) are read as
// streams; a FIFO nobody writes to gets a message instead of a silent hang;
// devices that never end (/dev/urandom, /dev/zero, a terminal) are refused;
// and nothing is read or allocated beyond `max_bytes`.
#pragma once

#include <cstddef>
#include <string>

namespace genrelab {

struct InputLimits {
  std::size_t max_bytes;  // more than this is refused (InputError), read as it arrives, never reserved up front
  const char* what;       // "model file", "experiment file": for messages
  // A regular file that is empty, or a stream that ends with nothing, is an
  // error here (true) rather than for the caller to report.
  bool refuse_empty = true;
  // Seconds before a FIFO that nobody has written to yet gets a message on
  // standard error (it is then waited for, without limit: the writer may be
  // a slow program; Ctrl-C stops).
  double fifo_notice_seconds = 3.0;
};

// The whole content of `path`. InputError (exit 1) with the path and the fix
// for a directory, a device, a missing or unreadable file, an empty one, or
// more than max_bytes.
std::string read_input_file(const std::string& path, const InputLimits& limits);

// True when `path` is `-` or names something read as a stream (a FIFO or a
// pipe), not a regular file that can be mapped.
bool is_stream_input(const std::string& path);

}  // namespace genrelab
