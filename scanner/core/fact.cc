#include "core/fact.h"

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
  f.name = std::move(name);
  f.state = FactState::Known;
  f.value = std::move(v);
  f.evidence = std::move(evidence);
  return f;
}

Fact Fact::absent(std::string name, std::string reason) {
  Fact f;
  f.name = std::move(name);
  f.state = FactState::Absent;
  f.reason = std::move(reason);
  return f;
}

Fact Fact::unknown(std::string name, std::string reason) {
  Fact f;
  f.name = std::move(name);
  f.state = FactState::Unknown;
  f.reason = std::move(reason);
  return f;
}

void FactSet::put(Fact f) {
  std::string key = f.name;
  facts_.insert_or_assign(std::move(key), std::move(f));
}

const Fact* FactSet::find(const std::string& name) const {
  auto it = facts_.find(name);
  return it == facts_.end() ? nullptr : &it->second;
}

void FactSet::merge(const FactSet& other) {
  for (const auto& [name, fact] : other.facts_) facts_.insert_or_assign(name, fact);
}

}  // namespace pp
