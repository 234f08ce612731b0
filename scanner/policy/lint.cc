#include "policy/lint.h"

#include <algorithm>
#include <tuple>

#include "policy/exchange_table_file.h"
#include "policy/library.h"

namespace pp::policy {

Diagnostics lint_sources(const FactCatalogue& facts, const std::vector<SourceFile>& files,
                         const std::vector<SourceFile>& shipped) {
  Library lib;
  std::vector<SourceFile> rules;
  Diagnostics d;
  for (const auto& f : files) {
    if (!is_exchange_table_source(f)) {
      rules.push_back(f);
      continue;
    }
    ExchangeTable table;
    Diagnostics t = load_exchange_table(f, table);
    d.insert(d.end(), t.begin(), t.end());
  }
  Diagnostics r = load_library(facts, shipped, rules, lib);
  d.insert(d.end(), r.begin(), r.end());
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
