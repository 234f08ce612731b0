#include "sources/fact_list.h"

namespace pp::sources {

namespace {
using VT = ValueType;
using SK = SubjectKind;
}  // namespace

const std::vector<FactSpec>& fact_list() {
  static const std::vector<FactSpec> list = {
#include "sources/fact_list.inc"
  };
  return list;
}

const std::vector<FactSpec>& schannel_fact_list() {
  static const std::vector<FactSpec> list = {
#include "sources/schannel_fact_list.inc"
  };
  return list;
}

const std::vector<FactSpec>& exchange_fact_list() {
  static const std::vector<FactSpec> list = {
#include "sources/exchange_fact_list.inc"
  };
  return list;
}

const std::vector<FactSpec>& ipsec_fact_list() {
  static const std::vector<FactSpec> list = {
#include "sources/ipsec_fact_list.inc"
  };
  return list;
}

}  // namespace pp::sources
