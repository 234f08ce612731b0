#include "probes/mail/fact_list.h"

namespace pp::mail {

namespace {
using VT = ValueType;
using SK = SubjectKind;
}  // namespace

const std::vector<FactSpec>& fact_list() {
  static const std::vector<FactSpec> list = {
#include "probes/mail/fact_list.inc"
  };
  return list;
}

}  // namespace pp::mail
