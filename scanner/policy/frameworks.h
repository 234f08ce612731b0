#pragma once
#include <string>
#include <vector>

#include "core/controls.h"
#include "core/diagnostic.h"
#include "policy/rule.h"

namespace pp::policy {

/// The frameworks (and their controls) that rules may cite: read from frameworks files
/// (`[[framework]]` tables, shipped in rules/frameworks/ and allowed in `--rules DIR`).
/// Checks every rule's `controls` against `known`: an unknown framework or control is a
/// diagnostic at the place the rule wrote it.
Diagnostics check_rule_controls(const std::vector<Framework>& known, const std::vector<Pack>& packs);

/// Adds the frameworks of one file to `into`: a framework already known gains the controls it
/// did not have (a site's `--rules DIR` may add identifiers to a shipped framework).
void add_frameworks(std::vector<Framework>& into, std::vector<Framework> from);

/// `--framework NAME` (repeatable): keeps the rules that evidence a control of one of the
/// named frameworks. An unknown name is a diagnostic that lists the known ones.
Diagnostics keep_rules_of_frameworks(const std::vector<Framework>& known, const std::vector<std::string>& names,
                                     std::vector<Rule>& rules);

/// What reports group by: the named frameworks (all known when `names` is empty) and, for each
/// rule of `rules` that cites one of their controls, those controls.
ControlMapping control_mapping(const std::vector<Framework>& known, const std::vector<std::string>& names,
                               const std::vector<Rule>& rules);

}  // namespace pp::policy
