#include "probes/tls/fact_list.h"

#include "probes/tls/checks/table.h"

namespace pp::tls {

namespace {
using VT = ValueType;
using SK = SubjectKind;
}  // namespace

const std::vector<FactSpec>& enumeration_fact_list() {
  static const std::vector<FactSpec> list = {
#include "probes/tls/fact_list.inc"
  };
  return list;
}

const std::vector<FactSpec>& fact_list() {
  static const std::vector<FactSpec> list = [] {
    std::vector<FactSpec> out = enumeration_fact_list();
    for (const auto& check : checks::check_table()) out.insert(out.end(), check.facts.begin(), check.facts.end());
    return out;
  }();
  return list;
}

}  // namespace pp::tls
