#pragma once
// Shared by the tests of tests/rules: the embedded packs as policy SourceFiles.
#include <string>
#include <vector>

#include "policy/source.h"
#include "support/catalogue.h"
#include "rules/embedded_rules.h"

inline std::vector<pp::policy::SourceFile> shipped_sources() {
  std::vector<pp::policy::SourceFile> out;
  for (const auto& f : pp::rules::embedded_files()) out.push_back({std::string(f.path), std::string(f.text)});
  return out;
}

inline std::string source_dir() {
  const char* d = std::getenv("PP_SOURCE_DIR");
  return d ? d : ".";
}
