#include "probes/cert/fact_list.h"

namespace pp::cert {

namespace {
using VT = ValueType;
using SK = SubjectKind;
}  // namespace

const std::vector<FactSpec>& fact_list() {
  static const std::vector<FactSpec> list = {
#include "probes/cert/fact_list.inc"
  };
  return list;
}

}  // namespace pp::cert
