#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/interned.h"
#include "core/value.h"

namespace pp {

/// Known: the probe observed a value. Absent: the probe ran and the thing was not there
/// (a vdir answering 404, no certificate on a plaintext port). Unknown: the probe could not
/// observe (refused, timeout, reset, alert, malformed answer) — a rule reading it gives error.
enum class FactState { Known, Absent, Unknown };

std::string_view to_string(FactState s);

/// The name and reason are interned: a fleet repeats a few hundred names and reasons over
/// hundreds of thousands of facts. Evidence is mostly unique (it names the endpoint) and is not.
struct Fact {
  Interned name;
  Interned reason;        ///< why Unknown or Absent, in words a person understands
  FactState state = FactState::Unknown;
  Value value = false;    ///< meaningful only when state == Known
  std::string evidence;   ///< the raw line, header, certificate field or byte that proves it

  static Fact known(std::string name, Value v, std::string evidence = {});
  static Fact absent(std::string name, std::string reason);
  static Fact unknown(std::string name, std::string reason);
};

/// All facts about one subject, sorted by name, each name once. Later writes of the same name
/// replace earlier. A sorted vector: a fleet holds hundreds of thousands of facts, and a map
/// node plus a second copy of the name would be half of each.
class FactSet {
 public:
  void put(Fact f);
  const Fact* find(std::string_view name) const;
  const std::vector<Fact>& all() const { return facts_; }
  bool empty() const { return facts_.empty(); }
  size_t size() const { return facts_.size(); }
  /// Copies every fact of `other` into this set (other wins on conflicts).
  void merge(const FactSet& other);

 private:
  std::vector<Fact> facts_;
};

}  // namespace pp
