#include "core/catalogue.h"

namespace pp {

namespace {
using VT = ValueType;
using SK = SubjectKind;
}  // namespace

const std::vector<FactSpec>& fact_catalogue() {
  static const std::vector<FactSpec> catalogue = {
#include "core/catalogue_tls.inc"
#include "core/catalogue_cert.inc"
#include "core/catalogue_http.inc"
#include "core/catalogue_mail.inc"
  };
  return catalogue;
}

const FactSpec* find_fact(std::string_view name) {
  for (const auto& f : fact_catalogue())
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace pp
