#include "cli/shipped.h"

#include <cstdio>

#include "engine/catalogue.h"
#include "policy/exchange_table_file.h"
#include "rules/embedded_rules.h"

namespace pp::cli {

std::vector<policy::SourceFile> shipped_sources() {
  std::vector<policy::SourceFile> out;
  for (const auto& f : rules::embedded_files()) out.push_back({std::string(f.path), std::string(f.text)});
  return out;
}

bool load_exchange_builds(const std::string& path, ExchangeTable& table) {
  policy::SourceFile src;
  Diagnostics diags;
  if (!path.empty()) {
    if (!policy::read_source(path, src, diags)) {
      print_diagnostics(diags);
      return false;
    }
  } else {
    for (const auto& f : rules::embedded_files())
      if (f.path == "rules/knowledge/exchange-builds.toml") src = {std::string(f.path), std::string(f.text)};
  }
  if (!policy::is_exchange_table_source(src))
    diags.push_back({src.path.empty() ? "rules/knowledge/exchange-builds.toml" : src.path, 0, 0,
                     "not an Exchange build table (no [table] with kind = \"exchange-builds\")"});
  else
    diags = policy::load_exchange_table(src, table);
  print_diagnostics(diags);
  return diags.empty();
}

void print_diagnostics(const Diagnostics& diags) {
  for (const auto& d : diags) std::fprintf(stderr, "%s\n", d.format().c_str());
}

bool load_rule_library(const std::vector<std::string>& rule_dirs, policy::Library& lib) {
  Diagnostics diags;
  std::vector<policy::SourceFile> user;
  for (const auto& dir : rule_dirs) policy::read_sources(dir, user, diags);
  Diagnostics load = policy::load_library(engine::fact_catalogue(), shipped_sources(), user, lib);
  diags.insert(diags.end(), load.begin(), load.end());
  print_diagnostics(diags);
  return diags.empty();
}

}  // namespace pp::cli
