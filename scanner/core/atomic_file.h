#pragma once
#include <string>
#include <string_view>

namespace pp {

/// Writes `content` to `path` atomically: a temp file in the same directory, fsync, rename.
/// A crash leaves either the old file or the new one, never half of one. Returns "" on
/// success, else a message naming the path and the system error.
std::string write_file_atomically(const std::string& path, std::string_view content);

/// Reads a whole file; returns false and sets `error` on failure.
bool read_file(const std::string& path, std::string& out, std::string& error);

}  // namespace pp
