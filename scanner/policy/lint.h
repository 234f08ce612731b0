#pragma once
#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/diagnostic.h"
#include "policy/source.h"

namespace pp::policy {

/// `policyprobe rules lint PATH`: loads every *.toml under PATH (packs and profiles) on top of
/// the shipped sources (an Exchange build table among them is checked as a table, not as rules),
/// exactly as `--rules PATH` would, and returns every diagnostic, sorted
/// by file, line and column. Empty = clean. Rules are checked against the catalogue `facts`.
Diagnostics lint_path(const FactCatalogue& facts, const std::string& path, const std::vector<SourceFile>& shipped);
Diagnostics lint_sources(const FactCatalogue& facts, const std::vector<SourceFile>& files,
                         const std::vector<SourceFile>& shipped);

}  // namespace pp::policy
