// Output files appear whole or not at all.
#pragma once

#include <string>
#include <string_view>

namespace genrelab {

// Writes `content` to a temporary file next to `path` and renames it, so a
// crash never leaves half a file behind. Creates parent directories.
void write_file_atomic(const std::string& path, std::string_view content);

}  // namespace genrelab
