#pragma once
// Shared by the tests of tests/rules: the embedded packs as policy SourceFiles, a case's values from TOML.
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/value.h"
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

/// A rule case's fact value from its TOML: bool, integer, string or a list of strings.
inline pp::Value to_value(const toml::node& n) {
  if (n.is_boolean()) return n.as_boolean()->get();
  if (n.is_integer()) return n.as_integer()->get();
  if (n.is_string()) return n.as_string()->get();
  pp::StringList l;
  for (auto& e : *n.as_array()) l.push_back(e.as_string()->get());
  return l;
}
