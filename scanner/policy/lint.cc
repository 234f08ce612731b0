#include "policy/lint.h"

#include <algorithm>
#include <tuple>

#include "policy/library.h"

namespace pp::policy {

Diagnostics lint_sources(const FactCatalogue& facts, const std::vector<SourceFile>& files,
                         const std::vector<SourceFile>& shipped) {
  Library lib;
  Diagnostics d = load_library(facts, shipped, files, lib);
  std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  d.erase(std::unique(d.begin(), d.end(),
                      [](const Diagnostic& a, const Diagnostic& b) { return a.format() == b.format(); }),
          d.end());
  return d;
}

Diagnostics lint_path(const FactCatalogue& facts, const std::string& path, const std::vector<SourceFile>& shipped) {
  Diagnostics d;
  std::vector<SourceFile> files;
  read_sources(path, files, d);
  Diagnostics more = lint_sources(facts, files, shipped);
  d.insert(d.end(), more.begin(), more.end());
  return d;
}

}  // namespace pp::policy
