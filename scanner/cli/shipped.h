#pragma once
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/exchange_table.h"
#include "policy/library.h"
#include "policy/source.h"

namespace pp::cli {

/// The rule packs and profiles compiled into the binary, as loader sources.
std::vector<policy::SourceFile> shipped_sources();

/// Loads the shipped packs plus every `--rules DIR`. Prints diagnostics to stderr; returns
/// false if there were any.
bool load_rule_library(const std::vector<std::string>& rule_dirs, policy::Library& lib);

/// The Exchange build table: `path` when given (a newer table), else the shipped one. Prints
/// diagnostics to stderr; returns false if there were any.
bool load_exchange_builds(const std::string& path, ExchangeTable& table);

/// Prints each diagnostic as "file:line:column: error: message" to stderr.
void print_diagnostics(const Diagnostics& diags);

}  // namespace pp::cli
