#include "policy/each.h"

#include <algorithm>

#include "core/subject_element.h"
#include "core/text.h"

namespace pp::policy {

namespace {

/// The known list value of a fact; nullptr when it is missing, not known or not a list.
const StringList* list_of(const FactSet& facts, const std::string& name) {
  const Fact* f = facts.find(name);
  if (!f || f->state != FactState::Known) return nullptr;
  return std::get_if<StringList>(&f->value);
}

/// The lists after the first that are known but not of its length, said in words.
std::string out_of_step(const Rule& rule, const FactSet& facts, size_t n) {
  std::vector<std::string> why;
  for (size_t i = 1; i < rule.each.size(); ++i) {
    const StringList* l = list_of(facts, rule.each[i]);
    if (l && l->size() != n)
      why.push_back(rule.each[i] + " has " + std::to_string(l->size()) + " elements, " + rule.each[0] + " has " +
                    std::to_string(n));
  }
  return text::join(why, "; ");
}

/// `facts` with every known `each` list cut down to its element at `index`.
FactSet narrowed(const Rule& rule, const FactSet& facts, size_t index) {
  FactSet out = facts;
  for (const auto& name : rule.each) {
    const Fact* f = facts.find(name);
    const StringList* l = list_of(facts, name);
    if (!f || !l) continue;
    Fact one = *f;
    one.value = StringList{(*l)[index]};
    out.put(std::move(one));
  }
  return out;
}

}  // namespace

EachExpansion expand_each(const Rule& rule, const FactSet& facts, const std::string& base_subject) {
  EachExpansion out;
  if (rule.each.empty()) return out;
  const StringList* first = list_of(facts, rule.each[0]);
  if (!first || first->empty()) return out;
  out.problem = out_of_step(rule, facts, first->size());
  if (!out.problem.empty()) return out;
  std::vector<std::string> seen;
  for (size_t i = 0; i < first->size(); ++i) {
    const std::string& e = (*first)[i];
    if (std::find(seen.begin(), seen.end(), e) != seen.end()) continue;  // one result per element
    seen.push_back(e);
    out.elements.push_back({e, element_subject_id(base_subject, e), narrowed(rule, facts, i)});
  }
  return out;
}

size_t count_elements(const Rule& rule, const FactSet& facts) {
  if (rule.each.empty()) return 0;
  const StringList* first = list_of(facts, rule.each[0]);
  if (!first) return 0;
  StringList unique = *first;
  std::sort(unique.begin(), unique.end());
  return static_cast<size_t>(std::unique(unique.begin(), unique.end()) - unique.begin());
}

void mark_base(const Rule& rule, const EachExpansion& e, Result& base) {
  base.assertion.clear();
  base.waiver.clear();
  if (!e.problem.empty()) {
    base.status = Status::Error;
    base.message = "cannot judge per element of " + rule.each[0] + ": the lists are not in step (" + e.problem + ")";
    base.unknown_facts.clear();
    return;
  }
  std::vector<std::string> subjects;
  for (const auto& el : e.elements) subjects.push_back(el.subject);
  base.status = Status::Skipped;
  base.message = "judged per element of " + rule.each[0] + ": " + std::to_string(subjects.size()) + " result" +
                 (subjects.size() == 1 ? "" : "s") + ", on " + text::join(subjects, ", ");
}

std::string explain_each(const Rule& rule) {
  if (rule.each.empty()) return {};
  std::string s = "\nOne result per element of " + rule.each[0] + ", on the subject <subject>#<element>";
  if (rule.each.size() > 1)
    s += "; " + text::join(StringList(rule.each.begin() + 1, rule.each.end()), ", ") + " narrowed to the same element";
  return s + "\n";
}

std::optional<std::string> check_each(const FactCatalogue& facts, const std::vector<std::string>& each, SubjectKind kind) {
  if (each.empty()) return "'each' names no fact (a list fact, or a list of list facts in step)";
  for (const auto& name : each) {
    const FactSpec* spec = facts.find(name);
    if (!spec) return "'each': unknown fact '" + name + "' (see `policyprobe facts`)";
    if (spec->type != ValueType::List)
      return "'each': fact '" + name + "' is a " + std::string(to_string(spec->type)) +
             ", not a list; a rule is judged per element of a list fact only";
    if (spec->subject != kind)
      return "'each': fact '" + name + "' is about a " + std::string(to_string(spec->subject)) +
             " but this rule reads " + std::string(to_string(kind)) + " facts";
  }
  for (size_t i = 0; i < each.size(); ++i)
    if (std::find(each.begin(), each.begin() + static_cast<std::ptrdiff_t>(i), each[i]) != each.begin() + static_cast<std::ptrdiff_t>(i))
      return "'each' names fact '" + each[i] + "' twice";
  return std::nullopt;
}

}  // namespace pp::policy
