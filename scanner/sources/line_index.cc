#include "sources/line_index.h"

#include <algorithm>

namespace pp::sources {

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

void LineIndex::locate(std::ptrdiff_t offset, int& line, int& column) const {
  const size_t off = offset < 0 ? 0 : static_cast<size_t>(offset);
  auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
  const size_t index = static_cast<size_t>(it - starts_.begin()) - 1;
  line = static_cast<int>(index + 1);
  column = static_cast<int>(off - starts_[index] + 1);
}

}  // namespace pp::sources
