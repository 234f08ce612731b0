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
  if (other.facts_.empty()) return;
  // One pass into a vector of the exact size: merging fact by fact would grow the vector by
  // doubling, and on a fleet the spare capacity of every subject's set adds up to megabytes.
  std::vector<Fact> out;
  out.reserve(facts_.size() + other.facts_.size());
  auto mine = facts_.begin();
  auto theirs = other.facts_.begin();
  while (mine != facts_.end() || theirs != other.facts_.end()) {
    if (theirs == other.facts_.end() || (mine != facts_.end() && mine->name < theirs->name)) {
      out.push_back(std::move(*mine++));
      continue;
    }
    if (mine != facts_.end() && mine->name == theirs->name) ++mine;  // other wins
    out.push_back(*theirs++);
  }
  facts_ = std::move(out);
}

}  // namespace pp
