#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace pp::sources {

/// Byte offset -> 1-based line and column, by binary search over the line starts: a file of
/// many elements is indexed once instead of rescanned for every element.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  /// Offsets past the end land on the last line.
  void locate(std::ptrdiff_t offset, int& line, int& column) const;

 private:
  std::vector<size_t> starts_;
};

}  // namespace pp::sources
