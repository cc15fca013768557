// Errors genrelab reports to people. Every error that reaches the command line
// is one of these, so the CLI can map it to an exit code and print one line.
#pragma once

#include <stdexcept>
#include <string>

namespace genrelab {

// Problems with the user's data or files: exit code 1.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Problems with how genrelab was called (unknown model, bad parameter value,
// contradictory options): exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Formats "FILE: row R, column 'C': WHAT. FIX" consistently. Rows are 1-based
// physical data rows counted after the header, the way a spreadsheet user sees
// them (header is line 1, first data row is line 2); we say "line" to be exact.
std::string where(const std::string& file, long line, const std::string& column);

}  // namespace genrelab
