#pragma once
#include <string_view>
#include <vector>

#include "core/subject.h"
#include "core/value.h"

namespace pp {

/// One entry of the fact catalogue: the schema rules are linted against, the list
/// `policyprobe facts` prints, and the source of the generated fact docs.
struct FactSpec {
  std::string_view name;     ///< dotted and stable: "tls.protocols"
  ValueType type;
  SubjectKind subject;
  std::string_view probe;    ///< the probe family that provides it: tls, cert, http, mail
  std::string_view meaning;  ///< one line
};

/// A fact catalogue: the facts a rule can read, in order, looked up by name. Core lists no
/// fact: each probe folder owns its facts, and the engine assembles the catalogue from its
/// table of families (`engine/catalogue.h`), which the policy and the CLI are handed.
class FactCatalogue {
 public:
  FactCatalogue() = default;
  explicit FactCatalogue(std::vector<FactSpec> specs) : specs_(std::move(specs)) {}

  /// Appends `more` (a family's list) in order.
  void add(const std::vector<FactSpec>& more) { specs_.insert(specs_.end(), more.begin(), more.end()); }
  const FactSpec* find(std::string_view name) const;
  const std::vector<FactSpec>& all() const { return specs_; }
  auto begin() const { return specs_.begin(); }
  auto end() const { return specs_.end(); }
  size_t size() const { return specs_.size(); }

  /// Names listed twice, in order of their second appearance (empty when sound).
  std::vector<std::string_view> duplicates() const;

 private:
  std::vector<FactSpec> specs_;
};

}  // namespace pp
