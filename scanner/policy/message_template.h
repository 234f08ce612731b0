#pragma once
#include "core/catalogue.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fact.h"
#include "policy/rule.h"

namespace pp::policy {

/// A rule's optional `message`: the failure sentence written out for a case the generic one
/// says badly. `{cert.key_bits}` is a fact's value (lists as "A, B and C"), `{min_rsa_bits}`
/// a parameter's current value, `{offending}` the elements or values the failing assertions
/// found at fault; `{{` and `}}` are literal braces.
struct TemplateProblem {
  size_t offset = 0;  ///< into the template text
  std::string message;
};

/// What is wrong with a template for this rule (its params and kind): unbalanced braces,
/// unknown facts, facts about another kind of subject, unknown parameters. Empty = fine.
std::vector<TemplateProblem> check_template(const FactCatalogue& facts, std::string_view text, const Rule& rule);

/// The facts a template reads, in first-seen order (the planner must observe them too).
std::vector<std::string> template_facts(std::string_view text);

/// The filled-in template; nullopt when a fact it names is not known on this subject or it
/// names `{offending}` and nothing was at fault (the caller then says the generic sentence).
std::optional<std::string> render_template(std::string_view text, const Rule& rule, const FactSet& facts,
                                           const StringList& offending);

}  // namespace pp::policy
