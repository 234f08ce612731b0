#pragma once
#include <string>
#include <vector>

#include "core/diagnostic.h"

namespace pp::policy {

/// A rule, profile or waiver file's text and the path diagnostics name. The embedded packs
/// arrive this way too, so the loader never touches the file system itself.
struct SourceFile {
  std::string path;
  std::string text;
};

/// Reads one file (at most kMaxTomlInputBytes). A file that cannot be read is a diagnostic
/// without position that says why: "is a directory", "too many levels of symbolic links", ...
bool read_source(const std::string& path, SourceFile& out, Diagnostics& diags);

/// Every *.toml under `path` (a file or a directory, recursively), in sorted order so that
/// results do not depend on directory order. A directory without any *.toml is an error: it
/// would otherwise leave only the shipped rules in force without a word.
bool read_sources(const std::string& path, std::vector<SourceFile>& out, Diagnostics& diags);

}  // namespace pp::policy
