#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/controls.h"
#include "core/diagnostic.h"
#include "core/severity.h"
#include "policy/rule.h"
#include "policy/source.h"

namespace pp::policy {

/// A name written in a file, with where it was written (for "unknown pack" style lint).
struct NameRef {
  std::string name;
  int line = 0;
  int column = 0;
};

/// `overrides."RULE-ID" = { severity = "low", params = { min_days_left = 14 } }`
struct RuleOverride {
  NameRef rule;
  std::optional<Severity> severity;
  std::map<std::string, Operand> params;
  std::map<std::string, NameRef> param_refs;  ///< param name -> where it was written
};

/// A named selection of packs plus per-rule overrides and disabled rules.
struct Profile {
  std::string name;
  std::string description;
  std::vector<NameRef> packs;      ///< pack ids; "*" = every pack
  std::vector<NameRef> disabled;   ///< rule ids (globs allowed)
  std::vector<RuleOverride> overrides;
  std::string file;
  int line = 0;
  int column = 0;
};

/// What one rule file holds: a pack (`[pack]` + `[[rule]]`), a profile (`[profile]`) or the
/// frameworks whose controls rules may cite (`[[framework]]`).
struct RuleFile {
  enum class Kind { Pack, Profile, Frameworks, Broken } kind = Kind::Broken;
  Pack pack;
  Profile profile;
  std::vector<Framework> frameworks;
};

/// Parses and checks one file against the fact catalogue `facts` and the operator table. Every
/// problem found is appended to `diags` (all of them, not just the first); rules with errors
/// are dropped from the pack so the remaining ones stay usable.
RuleFile load_rule_file(const FactCatalogue& facts, const SourceFile& src, Diagnostics& diags);

/// Re-resolves "${param}" operands of `rule` after its params changed; reports misfits
/// (e.g. a profile giving a string where an integer is needed) at `where`.
bool resolve_params(Rule& rule, const std::string& file, int line, int column, Diagnostics& diags);

}  // namespace pp::policy
