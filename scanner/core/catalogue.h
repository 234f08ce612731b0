#pragma once
#include <string>
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

/// Every fact, in catalogue order. Entries live in catalogue_<family>.inc, one file per probe
/// family, so each family's owner edits only its own file.
const std::vector<FactSpec>& fact_catalogue();
const FactSpec* find_fact(std::string_view name);

}  // namespace pp
