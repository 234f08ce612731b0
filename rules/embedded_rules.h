#pragma once
#include <string_view>
#include <vector>

namespace pp::rules {

/// One shipped rule file: its path relative to the repository root (so diagnostics point at
/// the real file) and its text, compiled into the binary.
struct EmbeddedFile {
  std::string_view path;
  std::string_view text;
};

/// Every file of rules/packs, rules/profiles and rules/knowledge, sorted by path.
const std::vector<EmbeddedFile>& embedded_files();

}  // namespace pp::rules
