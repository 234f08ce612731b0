#pragma once
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/target.h"

namespace pp::inventory {

/// Reads an inventory TOML file (format version 1; see ci/examples/inventory.toml and the
/// README). Every problem is a positioned Diagnostic: syntax errors, unknown keys (a typo
/// must never silently drop a target), wrong types, bad ports or schemes, duplicate names.
/// Returns true only when there are no diagnostics.
bool load_inventory(const std::string& path, std::vector<Target>& out, Diagnostics& diags);

/// Same, from text already in memory (`path` is used in messages only).
bool parse_inventory(const std::string& text, const std::string& path, std::vector<Target>& out, Diagnostics& diags);

}  // namespace pp::inventory
