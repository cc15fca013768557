// Output files appear whole or not at all, and writing one never destroys
// anything else.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace genrelab {

// Writes `content` to `path` so that a crash never leaves half a file behind:
//  - a regular file (or a new one) is written to a temporary sibling,
//    `<path>.tmp-<pid>`, which is fsynced and renamed over it. Parent
//    directories are created. A SIGINT/SIGTERM during the write removes the
//    temporary; one left by a SIGKILL is removed by the next write of the
//    same path (once its process is gone).
//  - a symbolic link is followed: its final target is replaced, the link kept.
//  - a file with other hard links is replaced under this name only; the
//    other names keep the old content, and a note on stderr says so.
//  - an existing file that is not a regular file (a device such as
//    /dev/null or /dev/full, a FIFO, a terminal) is written in place.
//  - "-" writes to standard output.
// Any write error (a full disk, /dev/full, a closed pipe) is an InputError
// naming the output (exit 1). A path that is the same file as one this
// process read as input (see note_input_file) is a UsageError (exit 2): the
// input is left untouched.
void write_file_atomic(const std::string& path, std::string_view content);

// Records that this process reads `path` as input, so that no output can be
// written over it (compared by device and inode: links and other spellings
// of the same file are caught). Unknown paths and "-" are ignored.
void note_input_file(const std::string& path);

// Throws UsageError before any work when `output` is the same file as one
// of `inputs` (or of the files noted as inputs so far). `option` names the
// option that gave the output, for the message.
void refuse_output_over_input(const std::string& output, const std::vector<std::string>& inputs,
                              std::string_view option);

}  // namespace genrelab
