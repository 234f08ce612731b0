#include "core/fact.h"

#include <algorithm>

namespace pp {

std::string_view to_string(FactState s) {
  switch (s) {
    case FactState::Known: return "known";
    case FactState::Absent: return "absent";
    case FactState::Unknown: return "unknown";
  }
  return "?";
}

Fact Fact::known(std::string name, Value v, std::string evidence) {
  Fact f;
  f.name = name;
  f.state = FactState::Known;
  f.value = std::move(v);
  f.evidence = std::move(evidence);
  return f;
}

Fact Fact::absent(std::string name, std::string reason) {
  Fact f;
  f.name = name;
  f.state = FactState::Absent;
  f.reason = reason;
  return f;
}

Fact Fact::unknown(std::string name, std::string reason) {
  Fact f;
  f.name = name;
  f.state = FactState::Unknown;
  f.reason = reason;
  return f;
}

namespace {

bool name_less(const Fact& f, std::string_view name) { return f.name < name; }

}  // namespace

void FactSet::put(Fact f) {
  auto it = std::lower_bound(facts_.begin(), facts_.end(), std::string_view(f.name), name_less);
  if (it != facts_.end() && it->name == f.name) *it = std::move(f);
  else facts_.insert(it, std::move(f));
}

const Fact* FactSet::find(std::string_view name) const {
  auto it = std::lower_bound(facts_.begin(), facts_.end(), name, name_less);
  return it != facts_.end() && it->name == name ? &*it : nullptr;
}

void FactSet::merge(const FactSet& other) {
  for (const auto& fact : other.facts_) put(fact);
}

}  // namespace pp
