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

namespace {

constexpr const char* kShippedExchangeTable = "rules/knowledge/exchange-builds.toml";

bool load_table_source(const policy::SourceFile& src, ExchangeTable& table) {
  Diagnostics diags;
  if (!policy::is_exchange_table_source(src))
    diags.push_back({src.path, 0, 0, "not an Exchange build table (no [table] with kind = \"exchange-builds\")"});
  else
    diags = policy::load_exchange_table(src, table);
  print_diagnostics(diags);
  return diags.empty();
}

}  // namespace

bool load_exchange_builds(const std::string& path, ExchangeTable& table) {
  policy::SourceFile shipped{kShippedExchangeTable, ""};
  for (const auto& f : rules::embedded_files())
    if (f.path == kShippedExchangeTable) shipped.text = std::string(f.text);
  if (path.empty()) return load_table_source(shipped, table);
  policy::SourceFile src;
  Diagnostics diags;
  if (!policy::read_source(path, src, diags)) {
    print_diagnostics(diags);
    return false;
  }
  if (!load_table_source(src, table)) return false;
  ExchangeTable built_in;
  if (load_table_source(shipped, built_in) && table.updated < built_in.updated)
    std::fprintf(stderr, "policyprobe: warning: %s (updated %s) is older than the shipped Exchange build table (updated %s)\n",
                 path.c_str(), table.updated.c_str(), built_in.updated.c_str());
  return true;
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
