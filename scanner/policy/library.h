#pragma once
#include <set>
#include <string>
#include <vector>

#include "core/controls.h"
#include "core/diagnostic.h"
#include "policy/rule.h"
#include "policy/rule_file.h"
#include "policy/source.h"

namespace pp::policy {

/// Every pack and profile known: the shipped ones, then those of `--rules DIR`.
struct Library {
  std::vector<Pack> packs;
  std::vector<Profile> profiles;
  std::vector<Framework> frameworks;  ///< the controls rules may cite (frameworks.h)

  const Rule* find_rule(const std::string& id) const;
  const Pack* find_pack(const std::string& id) const;
  const Profile* find_profile(const std::string& name) const;
  /// Every rule of every pack, sorted by id.
  std::vector<const Rule*> all_rules() const;
};

/// Loads `shipped` then `user` files. A user rule whose id matches a shipped rule replaces
/// it; a user pack with a shipped pack's id adds its rules to that pack; a user profile with a
/// shipped profile's name replaces it. Duplicate ids within one layer are errors. Profiles
/// are checked against the packs (unknown pack, rule, parameter, misfit value). Returns every
/// diagnostic; the library holds whatever loaded cleanly.
/// Rules are checked against the fact catalogue `facts`.
Diagnostics load_library(const FactCatalogue& facts, const std::vector<SourceFile>& shipped,
                         const std::vector<SourceFile>& user, Library& out);

/// The rules of the named profiles (empty = {"default"}): union of their packs minus disabled
/// rules, with overrides applied in order (a later profile wins). Sorted by rule id.
Diagnostics select_rules(const Library& lib, const std::vector<std::string>& profiles, std::vector<Rule>& out);

/// Every fact the rules read: the planner runs only the probes these need (FactSpec::probe).
std::set<std::string> facts_read(const std::vector<Rule>& rules);

/// `rules explain ID`: the rule, its selectors and assertions, each fact it reads with its
/// catalogue meaning, the parameters, the remediation and the references.
std::string explain_rule(const Rule& rule, const FactCatalogue& facts);

/// One assertion tree rendered on one line: all(tls.protocols subset_of [TLSv1.2, TLSv1.3]).
std::string render_assertion(const Assertion& a);

}  // namespace pp::policy
