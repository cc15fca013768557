#include "genrelab/error.h"

#include <fmt/format.h>

namespace genrelab {

std::string where(const std::string& file, long line, const std::string& column) {
  std::string out = file;
  if (line > 0) out += fmt::format(", line {}", line);
  if (!column.empty()) out += fmt::format(", column '{}'", column);
  return out;
}

}  // namespace genrelab
