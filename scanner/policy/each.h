#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/fact.h"
#include "core/result.h"
#include "policy/rule.h"

namespace pp::policy {

/// A rule's `each`: judged once per element of a list fact instead of once per subject.
///
///   each = "exchange.missing_fixes"
///   each = ["exchange.missing_fixes", "exchange.missing_fix_details"]
///
/// The first fact names the elements; the others are lists in step with it (element i of each
/// describes element i of the first). Each element gets its own result, on the subject
/// `<base id>#<element>` (core/subject_element.h), judged with the listed facts narrowed to
/// that element alone: the assertions, the message and the evidence see a one-element list, so
/// `{exchange.missing_fix_details}` in the message is that element's detail.
///
/// The base subject always keeps one result of its own, which is what tells a fixed element
/// from one that was not observed (reports/baseline):
///  - the first list is empty, absent or unknown: the base is judged as a rule without `each`
///    (empty: usually a pass; absent: skipped; unknown: an error), and there are no elements;
///  - it has elements: the base is skipped, its message naming the element subjects;
///  - the lists are not in step (different lengths): the base is an error, no elements.
/// A waiver on the base subject covers every element; one on `<base>#<element>` that one.
struct EachElement {
  std::string element;   ///< the element of the first list
  std::string subject;   ///< `<base>#<element>`
  FactSet facts;         ///< the subject's facts with the `each` lists narrowed to this element
};

struct EachExpansion {
  std::vector<EachElement> elements;  ///< in list order, each element once
  std::string problem;                ///< non-empty: the lists are not in step (the base is an error)
};

/// The elements of `rule.each` on a subject with these facts. No `each`, or a first list that
/// is empty, absent or unknown: no elements and no problem.
EachExpansion expand_each(const Rule& rule, const FactSet& facts, const std::string& base_subject);

/// How many element results expand_each gives (for bounding a scan's results).
size_t count_elements(const Rule& rule, const FactSet& facts);

/// The base result of a rule judged per element: skipped, naming the elements' subjects; or,
/// when the lists are not in step, an error saying so.
void mark_base(const Rule& rule, const EachExpansion& e, Result& base);

/// For `rules explain`: "\nOne result per element of F ...\n", or "" without `each`.
std::string explain_each(const Rule& rule);

/// What is wrong with `each` on a rule of this kind: an unknown fact, a fact that is not a
/// list, a fact about another kind of subject. nullopt when it is fine.
std::optional<std::string> check_each(const FactCatalogue& facts, const std::vector<std::string>& each, SubjectKind kind);

}  // namespace pp::policy
