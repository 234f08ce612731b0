#pragma once
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "policy/rule.h"
#include "policy/waiver.h"

namespace pp::policy {

/// Whether a rule's `where` selects this subject (the kind is checked separately).
bool selects(const Where& where, const Subject& subject);

/// One shared RuleText per rule, kept across evaluate calls so that a fleet's results of a rule
/// all point at the same texts. The rules must outlive it.
class RuleTexts {
 public:
  const std::shared_ptr<const RuleText>& of(const Rule& rule);

 private:
  std::unordered_map<const Rule*, std::shared_ptr<const RuleText>> by_rule_;
};

/// Applies every rule to every subject of its kind that its `where` selects; one Result each.
///  - Pass / Fail from the assertions (Fail names the assertion that failed and the value seen).
///  - Error when any fact the rule reads is Unknown or was never reported: never a pass.
///  - Skipped when the facts the assertions need are Absent (exists/absent judge absence
///    themselves); inside all/any/none an item on an absent fact is left out, and a group
///    whose items are all left out is itself not applicable.
///  - Waived when an unexpired waiver matches a Fail; an expired one leaves the status and says
///    so in the message.
///  - A rule with `each` also gives one result per element of its list (policy/each.h).
/// How many results evaluate() gives for these rules and subjects, without judging anything.
size_t count_results(const std::vector<Rule>& rules, const std::vector<SubjectFacts>& subjects);

/// `texts`, when given, shares rule texts with earlier calls; else this call shares its own.
std::vector<Result> evaluate(const std::vector<Rule>& rules, const std::vector<SubjectFacts>& subjects,
                             const std::vector<Waiver>& waivers, const Date& today, RuleTexts* texts = nullptr);

}  // namespace pp::policy
