#pragma once
#include <string>
#include <vector>

namespace pp {

/// A positioned problem in an input file: rule pack, profile, waiver, inventory, nmap XML.
/// Printed as "file:line:column: error: message" so editors and CI logs can jump to it.
struct Diagnostic {
  std::string file;
  int line = 0;    ///< 1-based; 0 = no position (e.g. cannot open the file)
  int column = 0;  ///< 1-based
  std::string message;

  std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

/// 1-based line and column of a byte offset in `text`.
void offset_to_line_column(const std::string& text, size_t offset, int& line, int& column);

}  // namespace pp
